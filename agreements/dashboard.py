"""Start-page panels of agreements: what comes next for the user's roles."""


def panels(request, roles) -> list[dict]:
    return []
