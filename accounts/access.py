"""How every view states who may see it.

Deny by default: LoginRequiredMiddleware refuses anonymous users everywhere except views
decorated with @public, and @require_roles refuses logged-in users without one of the roles.
Both decorators record their verdict on the view (``kkr_access``) so a test can walk every URL
and check that each view has stated it.
"""

from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied

from .roles import RoleKind, roles_of

PUBLIC = "public"
ANY_USER = "any-user"
API = "api"


def public(view):
    """Anyone, without login (published agendas and minutes, login, health, survey links)."""
    view = login_not_required(view)
    view.kkr_access = PUBLIC
    return view


def any_user(view):
    """Any logged-in user, whatever their role (their own start page, profile, logout)."""
    view.kkr_access = ANY_USER
    return view


def require_roles(*kinds: RoleKind):
    """Logged-in users with at least one of the roles; object scope is checked by the app's
    get_<thing>_for_user helpers."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not roles_of(request).has(*kinds):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.kkr_access = frozenset(str(k) for k in kinds)
        return wrapped

    return decorator


def api(view):
    """A REST endpoint: the middleware lets it through and DRF's authentication (token or
    session) and permission classes decide; anonymous requests get 401/403."""
    view = login_not_required(view)
    view.kkr_access = API
    return view
