"""Start-page panels of appointments: the councils the user belongs to."""

from django.utils.translation import gettext_lazy as _

from .access import councils_for_user


def panels(request, roles) -> list[dict]:
    councils = list(councils_for_user(roles).current())
    if not councils:
        return []
    return [
        {
            "title": _("Your KKR"),
            "template": "appointments/_partials/councils_panel.html",
            "councils": councils,
        }
    ]
