"""What every write path shares: the council lock (refusals are core.errors.Refused)."""

from __future__ import annotations

from ..models import Council


def _lock_council(council: Council) -> Council:
    # Serialise changes to one council's seats: the "no member is a substitute" rule spans
    # two columns and rows, so it is checked under this lock rather than by a constraint.
    return Council.objects.select_for_update().get(pk=council.pk)
