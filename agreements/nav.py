"""Navigation entries of agreements for a user's roles."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.roles import RoleKind


def items(roles) -> list[tuple[str, str]]:
    if roles.has(RoleKind.CLERK, RoleKind.REGION_OFFICER):
        return [(_("IV agreement"), reverse("agreements:course_list"))]
    if roles.has(RoleKind.SECRETARIAT):
        return [(_("IV agreement"), reverse("agreements:monitoring"))]
    return []


def subnav(roles) -> list[tuple[str, str]]:
    """The pages of the IV agreement the user may open, for the app's own menu."""
    entries = []
    if roles.has(RoleKind.CLERK, RoleKind.REGION_OFFICER):
        entries.append((_("Courses"), reverse("agreements:course_list")))
    if roles.has(RoleKind.CLERK):
        entries.append((_("Upload"), reverse("agreements:course_upload")))
    if roles.has(RoleKind.REGION_OFFICER):
        entries += [
            (_("Settlement"), reverse("agreements:run_list")),
            (_("Tariffs"), reverse("agreements:tariff_list")),
        ]
    if roles.has(RoleKind.CLERK, RoleKind.REGION_OFFICER, RoleKind.SECRETARIAT):
        entries += [
            (_("Staircase"), reverse("agreements:staircase")),
            (_("Monitoring"), reverse("agreements:monitoring")),
            (_("Agreement"), reverse("agreements:agreement")),
        ]
    if roles.has(RoleKind.REGION_OFFICER, RoleKind.SECRETARIAT):
        entries.append((_("Cost sharing"), reverse("agreements:cost_sharing")))
    return entries
