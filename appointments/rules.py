"""Rules of Bilag 1 as pure functions on plain values (no ORM): convener, mayor's substitute,
the constituent meeting's deadline and notice window, and eligibility for appointments."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext as _

from core.words import danish_key


class RuleError(ValueError):
    """A rule refuses the input; the message says what is wrong, ``field`` which input it is about.
    Services turn it into core.errors.Refused in one place (services.base.rule_refusal)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class MayorInfo:
    politician_id: int
    name: str
    mayor_since: datetime.date | None
    birth_date: datetime.date


def convener(mayors: list[MayorInfo]) -> MayorInfo | None:
    """Bilag 1 1.2: the mayor of the region who has been mayor the longest; on a tie the oldest.

    A mayor without a known start date counts as the newest.
    """
    if not mayors:
        return None
    far_future = datetime.date.max
    return min(mayors, key=lambda m: (m.mayor_since or far_future, m.birth_date, m.politician_id))


def constituent_deadline(election_year: int) -> datetime.date:
    """Bilag 1 1.2: the constituent meeting is held no later than 31 January of the next year."""
    return datetime.date(election_year + 1, 1, 31)


def constituent_notices_from(election_year: int) -> datetime.date:
    """**Decision**: reminders about the constituent meeting start on 1 December of the election year."""
    return datetime.date(election_year, 12, 1)


def constituent_reminder_due(election_year: int, today: datetime.date, constituted: bool) -> bool:
    return not constituted and constituent_notices_from(election_year) <= today <= constituent_deadline(
        election_year
    )


@dataclass(frozen=True)
class MayorSubstitute:
    politician_id: int | None  # None: the municipal council must pick one of its members
    rule: str


def mayor_substitute(
    deputy1_id: int | None, deputy2_id: int | None, kkr_member_ids: set[int] | frozenset[int]
) -> MayorSubstitute:
    """Bilag 1 1.1: the 1st deputy mayor; if a party-elected KKR member, the 2nd deputy mayor;
    if that one too, the municipal council picks a substitute from its midst."""
    if deputy1_id is not None and deputy1_id not in kkr_member_ids:
        return MayorSubstitute(deputy1_id, "1st deputy mayor")
    if deputy2_id is not None and deputy2_id not in kkr_member_ids:
        return MayorSubstitute(deputy2_id, "2nd deputy mayor")
    return MayorSubstitute(None, "chosen by the municipal council")


def check_substitute_choice(*, chosen_id: int, rule: MayorSubstitute, same_municipality: bool) -> None:
    """The mayor's substitute must be the one the deputy-mayor rule names; when the council
    picks, any member of that municipal council may be chosen."""
    if rule.politician_id is None:
        if not same_municipality:
            raise RuleError(_("The mayor's substitute must be a member of the same municipal council."))
        return
    if chosen_id != rule.politician_id:
        raise RuleError(
            _("The mayor's substitute is the %(rule)s under Bilag 1 1.1.") % {"rule": _(rule.rule)}
        )


@dataclass(frozen=True)
class Holding:
    """Where a person sits on a council: as a member (holder) or a substitute, of which seat."""

    seat_number: int
    as_member: bool


def check_seat_people(
    *,
    holder_id: int,
    substitute_id: int | None,
    holdings: dict[int, list[Holding]],
    seat_number: int | None = None,
) -> None:
    """Bilag 1 1.1: a person substitutes for at most one member, and no member is a substitute.

    ``holdings`` maps person -> their current places on the council (excluding ``seat_number``).
    """

    def elsewhere(person):
        return [h for h in holdings.get(person, []) if h.seat_number != seat_number]

    if substitute_id is not None and substitute_id == holder_id:
        raise RuleError(_("A member cannot be their own substitute."))
    for h in elsewhere(holder_id):
        if h.as_member:
            raise RuleError(_("This person already holds seat %(n)s of the KKR.") % {"n": h.seat_number})
        raise RuleError(
            _("This person is the substitute for seat %(n)s; a member cannot also be a substitute.")
            % {"n": h.seat_number}
        )
    if substitute_id is None:
        return
    for h in elsewhere(substitute_id):
        if h.as_member:
            raise RuleError(
                _("The substitute holds seat %(n)s; a member cannot also be a substitute.")
                % {"n": h.seat_number}
            )
        raise RuleError(
            _("The substitute already substitutes for seat %(n)s; a person substitutes for one member only.")
            % {"n": h.seat_number}
        )


def check_list_member(*, list_unit: str, holder_unit: str | None, name: str) -> None:
    """Bilag 1 1.0: a party-elected seat is named by a list (or list cooperation) from its own people."""
    if holder_unit != list_unit:
        raise RuleError(
            _("%(name)s does not belong to list %(list)s, which names this seat (Bilag 1 1.0).")
            % {"name": name, "list": list_unit}
        )


def check_extra_members(*, list_unit: str, named: int, extra: int) -> None:
    """Bilag 1 1.0: a list names no more party-elected members than its computed extra members."""
    if named >= extra:
        raise RuleError(
            _(
                "List %(list)s has %(extra)s party-elected members in the composition and has named "
                "%(named)s; it cannot name another (Bilag 1 1.0)."
            )
            % {"list": list_unit, "extra": extra, "named": named}
        )


def seat_holder_warnings(
    *,
    elected: bool,
    seat_list_unit: str,
    holder_unit: str | None,
    holder_council_to: datetime.date | None,
    substitute_council_to: datetime.date | None,
    today: datetime.date,
) -> list[str]:
    """Bilag 1 1.8: why the register says a seat's member should be replaced (warnings only;
    the secretariat replaces the member through ``seat_replace``)."""
    warnings = []
    if holder_council_to is not None and holder_council_to < today:
        warnings.append(
            _("The member left the municipal council on %(d)s (Bilag 1 1.8).")
            % {"d": holder_council_to.strftime("%d.%m.%Y")}
        )
    if elected and holder_unit != seat_list_unit:
        warnings.append(
            _("The member no longer belongs to list %(list)s, which elected them (Bilag 1 1.8).")
            % {"list": seat_list_unit}
        )
    if substitute_council_to is not None and substitute_council_to < today:
        warnings.append(
            _("The personal substitute left the municipal council on %(d)s.")
            % {"d": substitute_council_to.strftime("%d.%m.%Y")}
        )
    return warnings


def check_appointable(
    *, municipality_region_id: int, region_id: int, is_council_member: bool, name: str
) -> None:
    """FO 3.8: only members of the municipal councils of the region can be appointed."""
    if municipality_region_id != region_id:
        raise RuleError(
            _("%(name)s is not a council member of a municipality in this region (FO 3.8).") % {"name": name}
        )
    if not is_council_member:
        raise RuleError(
            _("%(name)s is not a member of a municipal council on that date (FO 3.8).") % {"name": name}
        )


def seat_period_close(valid_from: datetime.date, on: datetime.date) -> tuple[datetime.date, bool]:
    """A change to a seat taking effect on ``on`` ends the current period: ``(valid_to, superseded)``.

    The period ends the day before; a change on the period's own first day supersedes it (it is
    kept as history with ``valid_to = valid_from`` but never counts as current), so exactly one
    period of a seat is current on every day.
    """
    if on < valid_from:
        raise RuleError(
            _("The change cannot take effect before the seat's period began (%(d)s).") % {"d": valid_from}
        )
    if on == valid_from:
        return valid_from, True
    return on - datetime.timedelta(days=1), False


LONG_ABSENCE_MONTHS = 3


def check_long_absence(
    *,
    starts_on: datetime.date,
    ends_on: datetime.date | None,
    decided_on: datetime.date | None,
    needs_decision: bool,
) -> None:
    """Bilag 1 1.5-1.6: a stand-in for an expected absence of at least 3 months; a party-elected
    member's substitute steps in only after the KKR's decision (a mayor's deputy without one)."""
    if ends_on is not None and ends_on < starts_on:
        raise RuleError(_("The period must end after it starts."))
    if ends_on is not None and ends_on < starts_on + relativedelta(months=LONG_ABSENCE_MONTHS):
        raise RuleError(
            _(
                "A stand-in is for an expected absence of at least 3 months; for a single meeting "
                "the substitute attends through the meeting's attendance (Bilag 1 1.7)."
            )
        )
    if needs_decision:
        if decided_on is None:
            raise RuleError(
                _("A party-elected member's substitute steps in only after the KKR's decision (Bilag 1 1.6).")
            )
        if starts_on < decided_on:
            raise RuleError(_("The substitute cannot step in before the KKR's decision."))


@dataclass(frozen=True)
class CouncilTerm:
    term_start: datetime.date
    term_end: datetime.date | None
    election_year: int


def electoral_period_end(terms: list[CouncilTerm], began: datetime.date) -> tuple[datetime.date | None, bool]:
    """docs/rules.md §1 and 3: an appointment runs for the electoral period of the council in office when
    it began; that council leaves when the next one takes office. Returns ``(last day, recorded)``:
    the earliest recorded end (the council's ``term_end``, or the day before a later council took
    office); if none is recorded yet, the expected end — the latest day for the next constituent
    meeting (31 January after the next election, Bilag 1 1.2) — with ``recorded`` False.
    ``(None, False)`` when no council was in office."""
    ends = [t.term_end for t in terms if t.term_end and t.term_start <= began <= t.term_end] + [
        t.term_start - datetime.timedelta(days=1) for t in terms if t.term_start > began
    ]
    if ends:
        return min(ends), True
    in_office = [t for t in terms if t.term_start <= began and t.term_end is None]
    if not in_office:
        return None, False
    council = max(in_office, key=lambda t: t.term_start)
    return constituent_deadline(council.election_year + 4), False


def appointment_ends_on(
    valid_to: datetime.date | None, post_term_end: datetime.date | None, period_end: datetime.date | None
) -> datetime.date | None:
    """docs/rules.md §3: the last day of an appointment: its own end, and the post's (or body's) term end,
    or where the body sets none, the end of the electoral period; whichever comes first."""
    term = post_term_end if post_term_end is not None else period_end
    return min((d for d in (valid_to, term) if d is not None), default=None)


def term_warning_due(term_end: datetime.date | None, today: datetime.date, days: int = 60) -> bool:
    """Warn the secretariat from ``days`` days before a term ends until it has ended."""
    return term_end is not None and today <= term_end <= today + datetime.timedelta(days=days)


def previous_term_last_day(
    *,
    previous_start: datetime.date,
    previous_end: datetime.date | None,
    start: datetime.date,
    end: datetime.date | None,
) -> datetime.date:
    """A body's new term (docs/rules.md §3, **Decision**): it starts after the current term started and ends
    after it starts; the current term ends the day before the new one starts at the latest (a gap
    between the terms is allowed). Returns the current term's last day."""
    if start <= previous_start:
        raise RuleError(
            _("The new term must start after the current term started (%(d)s).")
            % {"d": previous_start.strftime("%d.%m.%Y")},
            field="term_start",
        )
    if end is not None and end <= start:
        raise RuleError(_("The term must end after it starts."), field="term_end")
    day_before = start - datetime.timedelta(days=1)
    return day_before if previous_end is None or previous_end > day_before else previous_end


def void_reason(*, proportional: bool, voided: bool, appointments: int, reason: str) -> str:
    """Voiding an abandoned proportional election (**Decision**): only before any group has named an
    appointee through it (after that, appointments are ended one by one), once, and with a
    reason. Returns the reason as recorded."""
    if not proportional:
        raise RuleError(_("Only a proportional election can be voided."))
    if voided:
        raise RuleError(_("The election is already voided."))
    if appointments:
        raise RuleError(
            _(
                "A group has named an appointee through this election; end the appointments instead of voiding it."
            )
        )
    reason = reason.strip()
    if not reason:
        raise RuleError(_("Give the reason the election is voided."))
    return reason


# --- The term change (docs/rules.md §1; KL "Valg og konstituering af KKR") ----------------------------


def members_report_due(election_year: int) -> datetime.date:
    """**Decision**: the parties report their supplementary members by 12 January after the
    election (KL's deadline in 2018), unless the secretariat sets another day."""
    return datetime.date(election_year + 1, 1, 12)


def members_reminder_due(due: datetime.date, today: datetime.date, days: int = 5) -> bool:
    """Remind the lists still missing members from ``days`` days before the deadline on (also after it)."""
    return today >= due - datetime.timedelta(days=days)


@dataclass(frozen=True)
class TermFacts:
    """What the term change has recorded so far (read by selectors.term_facts, no ORM here)."""

    municipalities: int
    with_results: int
    with_mayor_seat: int
    members_due: int  # party-elected members the composition gives
    members_named: int
    meeting_set: bool
    leaders_elected: bool
    took_office: bool


@dataclass(frozen=True)
class TermStep:
    key: str
    title: str
    state: str  # "done", "current" or "waiting"
    detail: str


def term_change_steps(f: TermFacts) -> list[TermStep]:
    """The steps of a term change in order, each done, current (the first not done) or waiting."""
    done = {
        "results": f.municipalities > 0 and f.with_results == f.municipalities,
        "mayors": f.municipalities > 0 and f.with_mayor_seat == f.municipalities,
        "composition": f.municipalities > 0 and f.with_mayor_seat == f.municipalities and f.with_results > 0,
        "members": f.members_named >= f.members_due and f.with_mayor_seat == f.municipalities,
        "meeting": f.meeting_set,
        "leaders": f.leaders_elected,
        "office": f.took_office,
    }
    details = {
        "results": _("%(n)s of %(m)s municipalities") % {"n": f.with_results, "m": f.municipalities},
        "mayors": _("%(n)s of %(m)s municipalities") % {"n": f.with_mayor_seat, "m": f.municipalities},
        "composition": "",
        "members": _("%(n)s of %(m)s named") % {"n": f.members_named, "m": f.members_due},
        "meeting": "",
        "leaders": "",
        "office": "",
    }
    titles = {
        "results": _("Election results imported"),
        "mayors": _("Mayors and deputy mayors recorded"),
        "composition": _("Composition computed and sent to the parties"),
        "members": _("Supplementary members and substitutes reported"),
        "meeting": _("Constituent meeting convened"),
        "leaders": _("Chair and vice-chair elected"),
        "office": _("The new council has taken office"),
    }
    steps, current_given = [], False
    for key in titles:
        if done[key]:
            state = "done"
        elif not current_given:
            state, current_given = "current", True
        else:
            state = "waiting"
        steps.append(TermStep(key, titles[key], state, details[key]))
    return steps


def previous_term_end(new_term_start: datetime.date) -> datetime.date:
    """The previous council's seats end the day before the new council takes office."""
    return new_term_start - datetime.timedelta(days=1)


def member_list_key(*, mayor: bool, municipality: str, list_letter: str, number: int) -> tuple:
    """The order of a council's member list, as KL publishes it: the mayors first, by
    municipality; then the party-elected members by list (party letter), each group by seat number.
    Names and letters in the Danish alphabetical order (Ærø, Ølstykke and Aabenraa after Z)."""
    return (0, danish_key(municipality), number) if mayor else (1, danish_key(list_letter), number)
