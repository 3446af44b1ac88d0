"""Navigation entry of the archive: search is for everyone."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def items(roles) -> list[tuple[str, str]]:
    return [(_("Archive"), reverse("archive:search"))]
