"""The agreement itself: which one a command works on, its periods, and its extension (IV 5.2)."""

import datetime
import logging

from django.db import transaction

import core.time
from core.errors import Refused

from .. import rules
from ..models import (
    Agreement,
    AgreementExtension,
)

log = logging.getLogger(__name__)


def agreement_of_region(code: str | None) -> Agreement:
    """The agreement a command works on: the region's (by its code), or the only one there is.
    Raises LookupError saying which codes there are when that is not clear."""
    agreements = list(Agreement.objects.select_related("region").order_by("region__code"))
    if code is not None:
        chosen = [a for a in agreements if a.region.code == code]
    else:
        chosen = agreements if len(agreements) == 1 else []
    if len(chosen) != 1:
        codes = ", ".join(a.region.code for a in agreements) or "none"
        raise LookupError(f"name the region with --region CODE (regions with an IV agreement: {codes})")
    return chosen[0]


def agreement_periods() -> dict[int, tuple[datetime.date, datetime.date]]:
    """{region id: (in force from, in force until)} of every IV agreement (one query)."""
    return {
        region_id: (starts_on, ends_on)
        for region_id, starts_on, ends_on in Agreement.objects.values_list(
            "region_id", "starts_on", "ends_on"
        )
    }


def agreement_extend(
    *, agreement: Agreement, ends_on: datetime.date, decided_on: datetime.date, decision: str, user=None
) -> AgreementExtension:
    """Record the parties' decision to extend the agreement (IV 5.2): the agreement runs until
    `ends_on`, the next decision on extension falls due as far ahead of it as the first one, and
    the decision is kept in the agreement's history. Courses starting up to the new end are
    accepted from now on."""
    with transaction.atomic():
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        problems = rules.extension_problems(
            ends_on_now=agreement.ends_on, ends_on=ends_on, decided_on=decided_on, today=core.time.today()
        )
        if problems:
            raise Refused(rules.by_field(problems))
        extension = AgreementExtension.objects.create(
            agreement=agreement,
            previous_ends_on=agreement.ends_on,
            ends_on=ends_on,
            decided_on=decided_on,
            decision=decision.strip(),
            recorded_by=user,
        )
        agreement.ends_on = ends_on
        agreement.extension_decision_by = rules.extension_decision_by(ends_on)
        agreement.save(update_fields=["ends_on", "extension_decision_by"])
    log.info("IV agreement %s extended to %s by %s", agreement.pk, ends_on, getattr(user, "pk", None))
    return extension
