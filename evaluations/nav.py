"""Navigation entries of evaluations for a user's roles."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.roles import RoleKind


def items(roles) -> list[tuple[str, str]]:
    if roles.has(RoleKind.SECRETARIAT):
        return [(_("Surveys"), reverse("evaluations:survey_list"))]
    return []
