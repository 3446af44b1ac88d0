"""Extending the IV agreement (IV 5.2): the region officer records the parties' decision; courses
starting up to the new end are accepted from then on, and the history is kept."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Notice
from agreements import rules
from agreements.models import Agreement, AgreementExtension, Course
from agreements.services import (
    agreement_extend,
    course_register,
    key_date_notices_queue,
)
from core.errors import Refused

from ..conftest import log_in
from .conftest import course_input

D = datetime.date
DAY = datetime.timedelta(days=1)
FIRST, LAST = D(2021, 10, 4), D(2023, 10, 3)


@pytest.fixture
def as_made(db):
    Agreement.objects.filter(region__code="1084").update(
        starts_on=FIRST, ends_on=LAST, extension_decision_by=D(2023, 9, 30)
    )
    return Agreement.objects.get(region__code="1084")


def test_the_first_decision_date_comes_three_days_before_the_end_and_later_ones_keep_that_lead():
    assert rules.extension_decision_by(LAST) == rules.EXTENSION_DECISION_BY == D(2023, 9, 30)
    assert rules.extension_decision_by(D(2025, 10, 3)) == D(2025, 9, 30)


@pytest.mark.parametrize(
    ("day", "inside"), [(FIRST - DAY, False), (FIRST, True), (LAST, True), (LAST + DAY, False)]
)
def test_in_force_includes_both_ends(day, inside):
    assert rules.in_force(FIRST, LAST, day) is inside


def test_an_extension_must_move_the_end_later_and_be_decided_already():
    today = D(2026, 11, 23)
    same = rules.extension_problems(ends_on_now=LAST, ends_on=LAST, decided_on=today, today=today)
    assert [f for f, _m in same] == ["ends_on"]
    assert rules.extension_problems(ends_on_now=LAST, ends_on=LAST + DAY, decided_on=today, today=today) == []
    future = rules.extension_problems(
        ends_on_now=LAST, ends_on=LAST + DAY, decided_on=today + DAY, today=today
    )
    assert [f for f, _m in future] == ["decided_on"]


def test_extending_lets_courses_after_the_old_end_in_and_keeps_the_history(as_made, kbh, personas):
    after = LAST + DAY
    with pytest.raises(Refused):
        course_register(item=course_input(kbh, "X-1", referred_on=after, start_date=after, end_date=after))

    extension = agreement_extend(
        agreement=as_made,
        ends_on=D(2025, 10, 3),
        decided_on=D(2023, 9, 28),
        decision="  Sundhedskoordinationsudvalget 28.9.2023  ",
        user=personas["officer"],
    )

    as_made.refresh_from_db()
    assert (as_made.ends_on, as_made.extension_decision_by) == (D(2025, 10, 3), D(2025, 9, 30))
    assert (extension.previous_ends_on, extension.decision) == (
        LAST,
        "Sundhedskoordinationsudvalget 28.9.2023",
    )
    course_register(item=course_input(kbh, "X-1", referred_on=after, start_date=after, end_date=after))
    assert Course.objects.filter(external_id="X-1").exists()


def test_a_refused_extension_changes_nothing(as_made):
    with pytest.raises(Refused) as info:
        agreement_extend(agreement=as_made, ends_on=LAST - DAY, decided_on=D(2023, 9, 1), decision="x")
    assert list(info.value.message_dict) == ["ends_on"]
    as_made.refresh_from_db()
    assert as_made.ends_on == LAST and not AgreementExtension.objects.exists()


def test_the_extension_reminder_comes_again_before_the_next_decision(as_made, personas):
    key_date_notices_queue(today=D(2023, 9, 1))
    first = Notice.objects.filter(key__startswith="iv-extension-").count()
    assert first == 2  # the region officer and the secretariat
    agreement_extend(agreement=as_made, ends_on=D(2025, 10, 3), decided_on=D(2023, 9, 28), decision="SKU")
    key_date_notices_queue(today=D(2025, 9, 1))
    assert Notice.objects.filter(key__startswith=f"iv-extension-{as_made.pk}-2025-09-30-").count() == first


def test_officer_records_an_extension_on_the_agreement_page(client, personas, as_made):
    log_in(client, personas["officer"])
    page = client.get("/iv/aftale/")
    assert page.status_code == 200 and b'name="ends_on"' in page.content
    assert "ikke i kraft" in page.content.decode() or "not in force" in page.content.decode()
    refused = client.post(
        "/iv/aftale/", {"ends_on": "2023-10-03", "decided_on": "2023-09-28", "decision": "SKU"}
    )
    assert refused.status_code == 200 and not AgreementExtension.objects.exists()
    response = client.post(
        "/iv/aftale/", {"ends_on": "2025-10-03", "decided_on": "2023-09-28", "decision": "SKU"}
    )
    assert response.status_code == 302
    assert AgreementExtension.objects.get().recorded_by == personas["officer"]
    assert "SKU" in client.get("/iv/aftale/").content.decode()


@pytest.mark.parametrize("persona", ["secretariat", "clerk_a"])
def test_others_read_the_key_dates_but_cannot_extend(client, personas, as_made, persona):
    log_in(client, personas[persona])
    page = client.get("/iv/aftale/")
    assert page.status_code == 200 and b'name="ends_on"' not in page.content
    response = client.post(
        "/iv/aftale/", {"ends_on": "2025-10-03", "decided_on": "2023-09-28", "decision": "x"}
    )
    assert response.status_code == 403 and not AgreementExtension.objects.exists()


def test_clerk_is_told_on_the_course_list_when_the_agreement_has_ended(client, personas, as_made):
    log_in(client, personas["clerk_a"])
    assert b'id="agreement-ended"' in client.get("/iv/").content
    Agreement.objects.filter(pk=as_made.pk).update(ends_on=timezone.localdate())  # the last day
    assert b'id="agreement-ended"' not in client.get("/iv/").content


@pytest.mark.parametrize("persona", ["officer", "secretariat", "clerk_a"])
def test_an_extension_recorded_without_a_user_is_shown_with_a_dash(client, personas, as_made, persona):
    """Issue 13.5: an extension recorded by a command or the demo has no user; the page said 500."""
    agreement_extend(agreement=as_made, ends_on=D(2025, 10, 3), decided_on=D(2023, 9, 28), decision="SKU")
    log_in(client, personas[persona])
    page = client.get("/iv/aftale/")
    assert page.status_code == 200
    row = page.content.decode().split("SKU", 1)[1].split("</tr>", 1)[0]
    assert row.rstrip().endswith("<td>—</td>")
