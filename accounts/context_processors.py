from django.conf import settings
from django.utils.module_loading import import_string

from .roles import roles_of


def portal(request):
    """Navigation by role and the secretariat's contact details for every page."""
    roles = roles_of(request) if hasattr(request, "user") else None
    nav = []
    if roles is not None and request.user.is_authenticated:
        for dotted in settings.NAV_PROVIDERS:
            nav.extend(import_string(dotted)(roles))
    return {"roles": roles, "nav_items": nav, "contact": settings.SECRETARIAT_CONTACT}
