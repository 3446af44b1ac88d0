"""What every write path shares: the council lock, and the one place where the rule-level
errors become the one refusal type (core.errors.Refused)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from core.errors import refuse

from ..allocation import AllocationError
from ..models import Council
from ..rules import RuleError
from ..valgdata import ImportProblem

# The pure layers (rules.py, allocation.py, valgdata.py) know no Django and are also used by
# management commands, so they raise plain ValueErrors; a service turns them into a refusal here.
RULE_ERRORS = (RuleError, AllocationError, ImportProblem)


@contextmanager
def rule_refusal(field: str | None = None, wording: Callable[[str], str] | None = None) -> Iterator[None]:
    """Refuse (core.errors.Refused) with the message of a rule-level error raised inside the block,
    on the field the error names (RuleError.field), else on ``field``; ``wording`` may rewrite the
    message for users (ids into names)."""
    try:
        yield
    except RULE_ERRORS as exc:
        message = wording(str(exc)) if wording else str(exc)
        refuse(message, field=getattr(exc, "field", None) or field)


def _lock_council(council: Council) -> Council:
    # Serialise changes to one council's seats: the "no member is a substitute" rule spans
    # two columns and rows, so it is checked under this lock rather than by a constraint.
    return Council.objects.select_for_update().get(pk=council.pk)
