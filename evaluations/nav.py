"""Navigation entries of evaluations for a user's roles."""


def items(roles) -> list[tuple[str, str]]:
    return []
