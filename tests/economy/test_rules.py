"""The economy's rules at their boundaries (docs/rules.md §9), with properties for the sums."""

import datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from agreements.rules import largest_remainder
from economy import rules

UTC = datetime.UTC
DEADLINE = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
START = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def test_capacity_exactly_full_sends_the_next_to_the_waiting_list():
    assert rules.place_for(capacity=40, confirmed=39) == "confirmed"  # the 40th place
    assert rules.place_for(capacity=40, confirmed=40) == "waiting"  # the 41st


def test_registration_deadline_accepts_its_last_minute():
    assert (
        rules.registration_problems(
            now=DEADLINE + datetime.timedelta(seconds=59), deadline=DEADLINE, starts_at=START
        )
        == []
    )
    assert rules.registration_problems(
        now=DEADLINE + datetime.timedelta(minutes=1), deadline=DEADLINE, starts_at=START
    )


def test_no_registration_once_the_event_started():
    assert rules.registration_problems(now=START, deadline=START, starts_at=START)


def test_cancellation_free_in_the_deadlines_last_minute_and_not_after():
    assert rules.cancellation_is_free(now=DEADLINE + datetime.timedelta(seconds=59), deadline=DEADLINE)
    assert not rules.cancellation_is_free(now=DEADLINE + datetime.timedelta(minutes=1), deadline=DEADLINE)


def test_moved_up_after_the_deadline_cancels_free():
    late = DEADLINE + datetime.timedelta(days=2)
    assert rules.cancellation_is_free(
        now=late, deadline=DEADLINE, promoted_at=DEADLINE + datetime.timedelta(hours=1)
    )
    assert not rules.cancellation_is_free(now=late, deadline=DEADLINE, promoted_at=DEADLINE)


def test_fee_by_participant_kind():
    fees = {"fee_member": Decimal("450.00"), "fee_politician": Decimal("650.00")}
    assert rules.fee_for("member", **fees) == Decimal("450.00")
    assert rules.fee_for("politician", **fees) == Decimal("650.00")


def test_attendance_is_checked_off_on_the_day_not_before():
    day = datetime.date(2026, 3, 10)
    assert not rules.may_check_attendance(today=day - datetime.timedelta(days=1), event_day=day)
    assert rules.may_check_attendance(today=day, event_day=day)


@given(st.lists(st.decimals(min_value=0, max_value=100000, places=2, allow_nan=False), max_size=50))
def test_invoice_total_is_exact_to_the_oere(amounts):
    assert rules.invoice_total(amounts) == sum(amounts, Decimal("0"))


def test_report_schedule_half_yearly_yearly_and_evaluation():
    schedule = rules.report_schedule(datetime.date(2022, 1, 1), datetime.date(2023, 12, 31))
    assert [(r.kind, r.due_on) for r in schedule] == [
        ("half_yearly", datetime.date(2022, 7, 1)),
        ("yearly", datetime.date(2023, 1, 1)),
        ("half_yearly", datetime.date(2023, 7, 1)),
        ("evaluation", datetime.date(2024, 3, 31)),
    ]


def test_report_due_on_the_last_day_counts_and_the_day_after_does_not():
    on_end = rules.report_schedule(datetime.date(2022, 1, 1), datetime.date(2022, 7, 1))
    assert ("half_yearly", datetime.date(2022, 7, 1)) in [(r.kind, r.due_on) for r in on_end]
    before_end = rules.report_schedule(datetime.date(2022, 1, 1), datetime.date(2022, 6, 30))
    assert [r.kind for r in before_end] == ["evaluation"]


def test_report_reminder_window():
    due = datetime.date(2026, 7, 1)
    assert not rules.report_reminder_due(today=due - datetime.timedelta(days=15), due_on=due)
    assert rules.report_reminder_due(today=due - datetime.timedelta(days=14), due_on=due)
    assert not rules.report_reminder_due(today=due + datetime.timedelta(days=1), due_on=due)


def test_shares_final_only_with_every_consent():
    assert not rules.shares_are_final([])
    assert not rules.shares_are_final([True, False])
    assert rules.shares_are_final([True, True])


@given(
    st.decimals(min_value=0, max_value=10_000_000, places=2, allow_nan=False),
    st.lists(st.integers(min_value=1, max_value=700_000), min_size=1, max_size=29),
)
def test_initiative_shares_sum_exactly_to_the_budget(budget, populations):
    shares = largest_remainder(budget, dict(enumerate(populations)))
    assert sum(shares.values()) == budget


def test_distance_bounds():
    assert rules.distance_problems(Decimal("0"))
    assert rules.distance_problems(Decimal("0.1")) == []
    assert rules.distance_problems(rules.MAX_TRIP_KM) == []
    assert rules.distance_problems(rules.MAX_TRIP_KM + Decimal("0.1"))


def test_yearly_distance_crossing_the_high_rate_limit_is_split():
    assert rules.split_km(before=Decimal("19950"), km=Decimal("50"), limit=20000) == (
        Decimal("50"),
        Decimal("0"),
    )
    assert rules.split_km(before=Decimal("19950"), km=Decimal("80"), limit=20000) == (
        Decimal("50"),
        Decimal("30"),
    )
    assert rules.split_km(before=Decimal("20000"), km=Decimal("10"), limit=20000) == (
        Decimal("0"),
        Decimal("10"),
    )


@given(
    st.decimals(min_value=0, max_value=40000, places=1, allow_nan=False),
    st.decimals(min_value=Decimal("0.1"), max_value=600, places=1, allow_nan=False),
)
def test_split_km_keeps_every_kilometre(before, km):
    high, low = rules.split_km(before=before, km=km, limit=20000)
    assert high + low == km and high >= 0 and low >= 0
    assert before + high <= max(before, Decimal(20000))


def test_mileage_amount_rounds_to_the_oere():
    amount = rules.mileage_amount(
        high_km=Decimal("50"), low_km=Decimal("30.5"), high_rate=Decimal("3.81"), low_rate=Decimal("2.23")
    )
    assert amount == Decimal("258.52")  # 190.50 + 68.015 → 258.515 → 258.52
