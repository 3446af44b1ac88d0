"""Navigation entries of the economy for a user's roles."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.roles import RoleKind


def items(roles) -> list[tuple[str, str]]:
    if roles.has(
        RoleKind.SECRETARIAT, RoleKind.MEMBER, RoleKind.SUBSTITUTE, RoleKind.APPOINTEE, RoleKind.CLERK
    ):
        return [(_("Economy"), reverse("economy:index"))]
    return []
