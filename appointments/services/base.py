"""What every write path shares: the refusal and the council lock."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from ..models import Council


class ServiceError(ValidationError):
    pass


def _refuse(message: str, field: str | None = None):
    """Refuse with a message; ``field`` names the form field the message belongs to."""
    raise ServiceError({field: [message]} if field else message)


def _lock_council(council: Council) -> Council:
    # Serialise changes to one council's seats: the "no member is a substitute" rule spans
    # two columns and rows, so it is checked under this lock rather than by a constraint.
    return Council.objects.select_for_update().get(pk=council.pk)
