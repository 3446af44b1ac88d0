"""Navigation entries of appointments for a user's roles."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.roles import RoleKind


def items(roles) -> list[tuple[str, str]]:
    entries = []
    if roles.has(RoleKind.SECRETARIAT, RoleKind.MEMBER, RoleKind.SUBSTITUTE, RoleKind.CHAIR):
        entries.append((_("KKR and members"), reverse("appointments:council_list")))
    if roles.has(RoleKind.SECRETARIAT):
        entries.append((_("Appointments"), reverse("appointments:body_list")))
    if roles.has(RoleKind.APPOINTEE):
        entries.append((_("My appointments"), reverse("appointments:my_appointments")))
    return entries
