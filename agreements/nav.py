"""Navigation entries of agreements for a user's roles."""


def items(roles) -> list[tuple[str, str]]:
    return []
