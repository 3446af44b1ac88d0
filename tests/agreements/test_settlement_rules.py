"""Settlement rules that a wrong version would get past the broader tests: billing only what has
ended by as_of (also for corrections), ordinals per agreement, and the settlement order."""

import datetime
from decimal import Decimal

import pytest

from agreements import rules
from agreements.models import Agreement, Course, SettlementLine, billable_q
from agreements.services import course_register, settlement_run
from register.models import Municipality

from .conftest import course_input

D = datetime.date


# --- billable by as_of: one rule for new courses and corrections -----------------------------------


@pytest.mark.parametrize("decision", ["accepted", "declined"])
@pytest.mark.parametrize("withdrawn", [False, True])
@pytest.mark.parametrize("end_date", [None, D(2024, 3, 9), D(2024, 3, 10), D(2024, 3, 11)])
def test_billable_rule_and_query_agree(kbh, decision, withdrawn, end_date):
    as_of = D(2024, 3, 10)
    course = Course.objects.create(
        municipality=kbh,
        external_id="b",
        treatment="pump",
        referred_on=D(2024, 3, 1),
        decision=decision,
        start_date=D(2024, 3, 2),
        end_date=end_date,
        setting="home",
        visits_per_day=1,
        minutes_per_visit=10,
        withdrawn=withdrawn,
    )
    by_query = Course.objects.filter(billable_q(as_of), pk=course.pk).exists()
    by_rule = rules.is_billable(decision=decision, withdrawn=withdrawn, end_date=end_date, as_of=as_of)
    assert by_query == by_rule == course.is_billable(as_of)
    assert by_rule == (
        decision == "accepted" and not withdrawn and end_date is not None and end_date <= as_of
    )


def test_settled_course_extended_past_as_of_is_not_debited_for_days_to_come(kbh, tariff_years):
    start = D(2024, 3, 4)
    course_register(item=course_input(kbh, "x", start_date=start, end_date=D(2024, 3, 9)))  # 6 days
    first = settlement_run(as_of=D(2024, 3, 31))
    billed = first.lines.get().amount
    # The course turns out to go on until 20 April; the next run is on 10 April.
    course_register(item=course_input(kbh, "x", start_date=start, end_date=D(2024, 4, 20)))
    # Not ended by 10 April: no debit for the days still to come (and no credit for the six
    # days given); the course waits, unpriced, for the run after its end.
    assert settlement_run(as_of=D(2024, 4, 10)) is None
    assert settlement_run(as_of=D(2024, 4, 19)) is None
    assert Course.objects.get(external_id="x").changed_since_settled
    third = settlement_run(as_of=D(2024, 4, 20))  # the day it ends: billed in full, original step
    line = third.lines.get()
    rate = line.day_tariff
    assert line.kind == "correction" and line.days == 48 and line.extra_days == 42
    assert line.amount == 42 * rate  # the 42 days beyond the included 6, at the original step
    total = sum(SettlementLine.objects.filter(course__external_id="x").values_list("amount", flat=True))
    assert total == billed + 42 * rate


def test_settled_course_shortened_but_still_ended_is_credited_now(kbh, tariff_years):
    course_register(item=course_input(kbh, "y", start_date=D(2024, 3, 4), end_date=D(2024, 3, 12)))  # 9 days
    billed = settlement_run(as_of=D(2024, 3, 31)).lines.get()
    course_register(item=course_input(kbh, "y", start_date=D(2024, 3, 4), end_date=D(2024, 3, 10)))  # 7 days
    correction = settlement_run(as_of=D(2024, 3, 31)).lines.get()
    assert correction.amount == -2 * billed.day_tariff


# --- ordinals per agreement --------------------------------------------------------------------------


@pytest.fixture
def second_agreement(db):
    """A second regional agreement (Region Sjælland, 1085), running as long as Hovedstaden's."""
    hovedstaden = Agreement.objects.get(region__code="1084")
    municipality = Municipality.objects.filter(region__code="1085").order_by("code").first()
    agreement = Agreement.objects.create(
        region=municipality.region,
        name="IV, Region Sjælland",
        starts_on=hovedstaden.starts_on,
        ends_on=hovedstaden.ends_on,
    )
    return agreement, municipality


def test_each_agreement_numbers_its_own_year_from_one(kbh, frb, tariff_years, second_agreement, monkeypatch):
    monkeypatch.setattr("agreements.tariffs.STEP_LIMITS", ((1, 1), (2, 2)))
    hovedstaden = Agreement.objects.get(region__code="1084")
    sjaelland, other = second_agreement
    for i in range(3):
        course_register(item=course_input(kbh, f"H-{i}", start_date=D(2024, 3, 1 + i)))
    course_register(item=course_input(other, "S-0", start_date=D(2024, 3, 1)))
    course_register(item=course_input(other, "S-1", start_date=D(2024, 3, 2)))
    h_run = settlement_run(agreement=hovedstaden, as_of=D(2030, 1, 1))
    s_run = settlement_run(agreement=sjaelland, as_of=D(2030, 1, 1))
    assert sorted(h_run.lines.values_list("ordinal", "step")) == [(1, 1), (2, 2), (3, 3)]
    # Sjælland's first course is its region's first of the year, on step 1, not Hovedstaden's 4th.
    assert sorted(s_run.lines.values_list("ordinal", "step")) == [(1, 1), (2, 2)]
    assert {line.agreement_id for line in s_run.lines.all()} == {sjaelland.pk}
    # and Hovedstaden goes on from its own last ordinal
    course_register(item=course_input(frb, "H-3", start_date=D(2024, 4, 1)))
    assert settlement_run(agreement=hovedstaden, as_of=D(2030, 1, 1)).lines.get().ordinal == 4


def test_database_refuses_an_ordinal_twice_within_an_agreement_only(kbh, tariff_years, second_agreement):
    from django.db import IntegrityError, transaction

    hovedstaden = Agreement.objects.get(region__code="1084")
    sjaelland, other = second_agreement
    course_register(item=course_input(kbh, "H-0"))
    course_register(item=course_input(other, "S-0"))
    line = settlement_run(agreement=hovedstaden, as_of=D(2030, 1, 1)).lines.get()
    s_line = settlement_run(agreement=sjaelland, as_of=D(2030, 1, 1)).lines.get()
    assert (line.year, line.ordinal) == (s_line.year, s_line.ordinal) == (2024, 1)
    course, _ = course_register(item=course_input(kbh, "H-1"))
    duplicate = SettlementLine(
        **{
            f.attname: getattr(line, f.attname)
            for f in SettlementLine._meta.concrete_fields
            if f.attname not in ("id", "course_id")
        },
        course_id=course.pk,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


# --- settlement order: (start date, end date, registration time, id) ----------------------------------


def _order_of_settlement() -> list[str]:
    settlement_run(as_of=D(2030, 1, 1))
    return list(SettlementLine.objects.order_by("ordinal").values_list("course__external_id", flat=True))


def test_same_start_settles_the_earlier_end_first(kbh, tariff_years):
    start = D(2024, 5, 1)
    course_register(item=course_input(kbh, "late-end", start_date=start, end_date=D(2024, 5, 9)))
    course_register(item=course_input(kbh, "early-end", start_date=start, end_date=D(2024, 5, 3)))
    assert _order_of_settlement() == ["early-end", "late-end"]


def test_same_start_and_end_settles_the_earlier_registration_first(kbh, tariff_years):
    start, end = D(2024, 5, 1), D(2024, 5, 6)
    course_register(item=course_input(kbh, "first-id", start_date=start, end_date=end))
    course_register(item=course_input(kbh, "second-id", start_date=start, end_date=end))
    registered = datetime.datetime(2024, 5, 7, 12, 0, tzinfo=datetime.UTC)
    # The course with the higher id was registered earlier: registration time beats id.
    Course.objects.filter(external_id="second-id").update(created_at=registered)
    Course.objects.filter(external_id="first-id").update(
        created_at=registered + datetime.timedelta(seconds=1)
    )
    assert _order_of_settlement() == ["second-id", "first-id"]


def test_same_start_end_and_registration_settles_the_lower_id_first(kbh, frb, tariff_years):
    start, end = D(2024, 5, 1), D(2024, 5, 6)
    course_register(item=course_input(frb, "low", start_date=start, end_date=end))
    course_register(item=course_input(kbh, "high", start_date=start, end_date=end))
    Course.objects.update(created_at=datetime.datetime(2024, 5, 7, 12, 0, tzinfo=datetime.UTC))
    low, high = Course.objects.get(external_id="low"), Course.objects.get(external_id="high")
    assert low.pk < high.pk
    assert _order_of_settlement() == ["low", "high"]


def test_start_date_decides_before_anything_else(kbh, tariff_years):
    course_register(item=course_input(kbh, "later", start_date=D(2024, 5, 2), end_date=D(2024, 5, 2)))
    course_register(item=course_input(kbh, "earlier", start_date=D(2024, 5, 1), end_date=D(2024, 5, 30)))
    Course.objects.filter(external_id="earlier").update(
        created_at=datetime.datetime(2024, 6, 1, tzinfo=datetime.UTC)
    )
    assert _order_of_settlement() == ["earlier", "later"]


def test_amounts_are_decimal(kbh, tariff_years):
    course_register(item=course_input(kbh, "d"))
    assert isinstance(settlement_run(as_of=D(2030, 1, 1)).lines.get().amount, Decimal)


def test_commands_name_the_region_when_several_have_an_agreement(kbh, tariff_years, second_agreement):
    import io

    from django.core.management import CommandError, call_command

    sjaelland, other = second_agreement
    course_register(item=course_input(kbh, "H-0"))
    course_register(item=course_input(other, "S-0"))
    with pytest.raises(CommandError, match="1084, 1085"):
        call_command("iv_settle", "--as-of", "2030-01-01", stdout=io.StringIO())
    out = io.StringIO()
    call_command("iv_settle", "--as-of", "2030-01-01", "--region", "1085", stdout=out)
    assert "run 1: 1 courses" in out.getvalue()
    call_command("iv_settle", "--as-of", "2030-01-01", "--region", "1084", stdout=io.StringIO())
    out = io.StringIO()
    call_command("iv_settlement_csv", "--year", "2024", "--region", "1085", stdout=out)
    rows = out.getvalue().splitlines()[1:]
    assert [row.split(",")[1] for row in rows] == ["S-0"]  # not Hovedstaden's H-0
