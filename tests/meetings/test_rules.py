import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from meetings import rules
from meetings.rules import Choice, DeadlineNotice, Leader

D = datetime.date
MEETING = D(2026, 12, 10)  # a Thursday


def test_agenda_deadline_is_seven_days_before():
    assert rules.agenda_deadline(MEETING) == D(2026, 12, 3)


def test_agenda_exactly_seven_days_before_is_on_time():
    assert not rules.is_late(D(2026, 12, 3), MEETING)


def test_agenda_six_days_before_is_late():
    assert rules.is_late(D(2026, 12, 4), MEETING)


def test_late_agenda_needs_a_reason():
    assert rules.late_reason_missing(D(2026, 12, 4), MEETING, "")
    assert rules.late_reason_missing(D(2026, 12, 4), MEETING, "   ")
    assert not rules.late_reason_missing(D(2026, 12, 4), MEETING, "Ny lovgivning")
    assert not rules.late_reason_missing(D(2026, 12, 3), MEETING, "")


OLD_DAY = D(2026, 12, 17)


@pytest.mark.parametrize(
    ("today", "new_day", "missing"),
    [
        (D(2026, 12, 3), MEETING, False),  # moved to exactly 7 days away
        (D(2026, 12, 4), MEETING, True),  # 6 days away
        (D(2026, 12, 10), MEETING, True),  # the same day
    ],
)
def test_moving_a_published_meeting_to_less_than_seven_days_needs_a_reason(today, new_day, missing):
    assert rules.move_reason_missing(today, OLD_DAY, new_day, "", published=True) is missing
    assert not rules.move_reason_missing(today, OLD_DAY, new_day, "Lokalet er lukket", published=True)


def test_moving_needs_no_reason_when_unpublished_extraordinary_or_same_day():
    late = D(2026, 12, 8)
    assert not rules.move_reason_missing(late, OLD_DAY, MEETING, "", published=False)
    assert not rules.move_reason_missing(late, OLD_DAY, MEETING, "", published=True, extraordinary=True)
    assert not rules.move_reason_missing(late, MEETING, MEETING, "", published=True)
    assert rules.move_reason_missing(late, OLD_DAY, MEETING, "  ", published=True)


def test_extraordinary_meeting_has_no_deadline():
    assert not rules.is_late(D(2026, 12, 9), MEETING, extraordinary=True)


@pytest.mark.parametrize(
    ("seats", "present", "quorate"),
    [
        (4, 2, True),
        (4, 1, False),
        (54, 27, True),
        (54, 26, False),
        (55, 28, True),
        (55, 27, False),
        (1, 1, True),
    ],
)
def test_quorum_is_at_least_half_of_the_seats(seats, present, quorate):
    assert rules.is_quorate(seats, present) is quorate


def test_quorum_refuses_impossible_counts():
    with pytest.raises(ValueError):
        rules.is_quorate(4, 5)
    assert rules.is_quorate(0, 0) is False


@given(st.integers(1, 500), st.data())
def test_quorum_matches_seats_needed(seats, data):
    present = data.draw(st.integers(0, seats))
    assert rules.is_quorate(seats, present) == (present >= rules.seats_needed_for_quorum(seats))


@pytest.mark.parametrize(
    ("yes", "no", "leader", "passes"),
    [
        (5, 4, None, True),
        (4, 5, Choice.YES, False),
        (4, 4, Choice.YES, True),  # the leader's side wins a tie
        (4, 4, Choice.NO, False),
        (4, 4, Choice.ABSTAIN, False),
        (4, 4, None, False),
        (0, 0, None, False),
    ],
)
def test_vote_outcome(yes, no, leader, passes):
    assert rules.vote_passes(yes, no, leader) is passes


@given(st.integers(0, 100), st.integers(0, 100), st.sampled_from([*Choice, None]))
def test_vote_without_tie_is_simple_majority(yes, no, leader):
    if yes != no:
        assert rules.vote_passes(yes, no, leader) == (yes > no)


@given(st.integers(0, 100), st.integers(0, 100), st.sampled_from([*Choice, None]))
def test_one_more_yes_never_turns_a_pass_into_a_fail(yes, no, leader):
    if rules.vote_passes(yes, no, leader):
        assert rules.vote_passes(yes + 1, no, leader)


def test_vote_problem_counts_against_present_seats():
    assert rules.vote_problem(2, 1, 0, 3) is None
    assert rules.vote_problem(2, 1, 1, 3) == "too_many"
    assert rules.vote_problem(0, 0, 0, 3) == "empty"
    assert rules.vote_problem(-1, 1, 0, 3) == "negative"


def test_vote_problem_leader_vote_must_be_counted():
    assert rules.vote_problem(0, 2, 1, 3, Choice.YES) == "leader_not_counted"
    assert rules.vote_problem(1, 2, 0, 3, Choice.ABSTAIN) == "leader_not_counted"
    assert rules.vote_problem(1, 1, 0, 3, Choice.YES) is None


@pytest.mark.parametrize(
    ("chair", "vice", "leader"),
    [
        (True, True, Leader.CHAIR),
        (True, False, Leader.CHAIR),
        (False, True, Leader.VICE_CHAIR),
        (False, False, None),
    ],
)
def test_meeting_leader_is_chair_else_vice_chair(chair, vice, leader):
    assert rules.meeting_leader(chair_present=chair, vice_chair_present=vice) == leader


@pytest.mark.parametrize(
    ("seats", "threshold"), [(54, 18), (55, 19), (56, 19), (57, 19), (3, 1), (4, 2), (1, 1)]
)
def test_extraordinary_threshold_is_a_third_rounded_up(seats, threshold):
    assert rules.extraordinary_threshold(seats) == threshold


def test_extraordinary_reached_at_the_threshold():
    assert not rules.extraordinary_reached(55, 18)
    assert rules.extraordinary_reached(55, 19)
    assert rules.extraordinary_reached(54, 18)


@given(st.integers(1, 1000))
def test_extraordinary_threshold_is_the_least_count_of_at_least_a_third(seats):
    t = rules.extraordinary_threshold(seats)
    assert 3 * t >= seats > 3 * (t - 1)


def test_deadline_notices_by_day():
    # Meeting Thu 10 Dec: deadline Thu 3 Dec; reminder 3 working days before: Mon 30 Nov.
    assert rules.reminder_day(MEETING) == D(2026, 11, 30)
    due = lambda day, **kw: rules.due_deadline_notice(day, MEETING, published=False, **kw)  # noqa: E731
    assert due(D(2026, 11, 27)) is None
    assert due(D(2026, 11, 30)) == DeadlineNotice.REMINDER
    assert due(D(2026, 12, 2)) == DeadlineNotice.REMINDER
    assert due(D(2026, 12, 3)) == DeadlineNotice.DEADLINE_DAY
    assert due(D(2026, 12, 10)) is None
    assert due(D(2026, 12, 3), extraordinary=True) is None
    assert rules.due_deadline_notice(D(2026, 12, 3), MEETING, published=True) is None


# --- The meeting day (issue 13.2) ------------------------------------------------------------

CPH = __import__("zoneinfo").ZoneInfo("Europe/Copenhagen")
START = datetime.datetime(2026, 3, 29, 10, 0, tzinfo=CPH)  # the day summer time begins
MINUTE = datetime.timedelta(minutes=1)


def test_meeting_has_not_started_one_minute_before():
    assert not rules.meeting_started(START - MINUTE, START)


def test_meeting_has_started_at_its_start():
    assert rules.meeting_started(START, START)
    assert rules.meeting_started(START + MINUTE, START)


def test_meeting_start_compares_instants_not_wall_clock():
    # 08:59 UTC is 10:59 in Copenhagen on that day (CEST): the meeting has started.
    utc = datetime.datetime(2026, 3, 29, 8, 59, tzinfo=datetime.UTC)
    assert rules.meeting_started(utc, START)
    assert not rules.meeting_started(utc - datetime.timedelta(hours=1), START)


def test_absence_can_be_withdrawn_until_the_start():
    assert rules.absence_withdrawable(START - MINUTE, START)
    assert not rules.absence_withdrawable(START, START)


@pytest.mark.parametrize(
    "published, reason, missing",
    [(False, "", False), (True, "", True), (True, "  ", True), (True, "Forkert fil", False)],
)
def test_attachment_removal_after_publication_needs_a_reason(published, reason, missing):
    assert rules.attachment_removal_reason_missing(agenda_published=published, reason=reason) is missing


@given(
    st.datetimes(
        min_value=datetime.datetime(2000, 1, 1),
        max_value=datetime.datetime(2100, 1, 1),
        timezones=st.just(CPH),
    ),
    st.timedeltas(min_value=datetime.timedelta(0), max_value=datetime.timedelta(days=3650)),
)
def test_nothing_is_started_before_and_everything_after(start, delta):
    assert rules.meeting_started(start + delta, start)
    if delta:
        assert not rules.meeting_started(start - delta, start)
