"""Navigation entries of appointments for a user's roles."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.roles import RoleKind


def items(roles) -> list[tuple[str, str]]:
    if roles.has(RoleKind.SECRETARIAT, RoleKind.MEMBER, RoleKind.SUBSTITUTE, RoleKind.CHAIR):
        return [(_("KKR and members"), reverse("appointments:council_list"))]
    return []
