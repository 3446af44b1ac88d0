"""Start-page panels: each app's ``dashboard.panels(request, roles)`` returns a list of them
(settings.DASHBOARD_PANELS collects the apps' functions)."""

from __future__ import annotations


def panel(title, template: str, **rows) -> dict:
    """One panel: its heading, the partial template that draws it, and what the template shows."""
    return {"title": title, "template": template, **rows}


def panel_if(title, template: str, **rows) -> list[dict]:
    """The panel when it has something to show (any of ``rows`` is non-empty), else no panel."""
    return [panel(title, template, **rows)] if any(rows.values()) else []
