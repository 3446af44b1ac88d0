"""Navigation entries of meetings for a user's roles."""


def items(roles) -> list[tuple[str, str]]:
    return []
