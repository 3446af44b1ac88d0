"""Issue 16: the attendance register is one form. One save registers every seat through one
service call that checks all rows first and stores all or nothing; reported absences come
pre-filled; "all present" is a place to start from; approved minutes keep the register."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from appointments.models import Seat
from core.errors import Refused
from meetings import rules, services
from meetings.models import AbsenceReport, Attendance, Meeting

from .conftest import seat, start
from .test_records import publish_minutes
from .test_stand_ins import DAY, stand_in_for_seat_3

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"meetings:{name}", args=args)


def registered(meeting) -> dict[int, str]:
    return dict(Attendance.objects.filter(meeting=meeting).values_list("seat__number", "status"))


# --- Rules: what a row allows and where it starts from -----------------------------------------


def test_a_row_offers_present_only_without_a_stand_in_and_substitute_only_with_one():
    assert rules.attendance_options(has_substitute=True, stand_in=False) == [
        "present",
        "absent",
        "substitute",
    ]
    assert rules.attendance_options(has_substitute=False, stand_in=False) == ["present", "absent"]
    assert rules.attendance_options(has_substitute=True, stand_in=True) == ["absent", "substitute"]
    assert rules.attendance_options(has_substitute=False, stand_in=True) == ["absent"]
    assert rules.attendance_problem("substitute", has_substitute=False, stand_in=False) == "no_substitute"
    assert rules.attendance_problem("present", has_substitute=True, stand_in=True) == "stand_in"
    assert rules.attendance_problem("absent", has_substitute=False, stand_in=True) is None
    assert rules.attendance_problem("late", has_substitute=True, stand_in=False) == "unknown"


@pytest.mark.parametrize(
    ("registered", "reported", "substitute_absent", "has_substitute", "stand_in", "all_present", "expected"),
    [
        ("absent", False, False, True, False, True, "absent"),  # a record is shown as it is
        (None, True, False, True, False, False, "substitute"),  # the substitute is called in
        (None, True, True, True, False, True, "absent"),  # ... but cannot attend either
        (None, True, False, False, False, True, "absent"),  # no substitute to call in
        (None, True, False, True, True, True, "absent"),  # the stand-in reported absence
        (None, False, False, True, False, False, None),  # nothing chosen yet
        (None, False, False, True, False, True, "present"),  # "all present"
        (None, False, False, True, True, True, "substitute"),  # the stand-in acts for the seat
        (None, False, False, False, True, True, "absent"),
    ],
)
def test_where_a_row_starts_from(
    registered, reported, substitute_absent, has_substitute, stand_in, all_present, expected
):
    assert (
        rules.attendance_prefill(
            registered=registered,
            reported_absent=reported,
            substitute_absent=substitute_absent,
            has_substitute=has_substitute,
            stand_in=stand_in,
            all_present=all_present,
        )
        == expected
    )


# --- The service: all or nothing ---------------------------------------------------------------


def test_one_call_registers_every_seat_and_the_leader_follows(begun, personas):
    written = services.attendance_register(
        meeting=begun, statuses={1: "present", 2: "present", 3: "substitute", 4: "absent"}
    )
    assert written == 4 and registered(begun) == {1: "present", 2: "present", 3: "substitute", 4: "absent"}
    assert (
        Attendance.objects.get(meeting=begun, seat__number=3).attendee_id
        == personas["substitute"].politician_id
    )
    assert Meeting.objects.get(pk=begun.pk).leader_id == begun.council.chair_id
    recorded = Attendance.objects.get(meeting=begun, seat__number=1).recorded_at
    # Saving the same register again changes nothing: unchanged rows keep their record.
    assert services.attendance_register(meeting=begun, statuses={1: "present", 4: "present"}) == 1
    assert Attendance.objects.get(meeting=begun, seat__number=1).recorded_at == recorded


def test_one_refused_row_stores_nothing_and_names_the_person_and_why(begun, council):
    Seat.objects.filter(council=council, number=4).update(substitute=None)
    stand_in_for_seat_3(council, begun.date - 30 * DAY)
    with pytest.raises(Refused) as refused:
        services.attendance_register(
            meeting=begun, statuses={1: "present", 2: "absent", 3: "present", 4: "substitute"}
        )
    errors = refused.value.message_dict
    assert set(errors) == {"seat-3", "seat-4"}
    assert "Mona Member" in errors["seat-3"][0] and "stand-in" in errors["seat-3"][0]
    assert "Carl Member" in errors["seat-4"][0] and "no personal substitute" in errors["seat-4"][0]
    assert registered(begun) == {}


def test_a_seat_number_not_of_the_meeting_is_refused(begun):
    with pytest.raises(Refused, match="Seat 99"):
        services.attendance_register(meeting=begun, statuses={1: "present", 99: "present"})
    assert registered(begun) == {}


def test_the_register_is_refused_before_the_start_and_after_approved_minutes(published, personas):
    with pytest.raises(ValidationError):
        services.attendance_register(meeting=published, statuses={1: "present"})
    start(published)
    services.attendance_register(meeting=published, statuses={1: "present", 2: "present", 3: "present"})
    publish_minutes(published, personas)
    with pytest.raises(ValidationError, match="approved"):
        services.attendance_register(meeting=published, statuses={3: "absent"})
    assert registered(published) == {1: "present", 2: "present", 3: "present"}


# --- The page -------------------------------------------------------------------------------


def test_the_page_saves_the_whole_register_with_one_post(client, login, personas, begun):
    login(personas["secretariat"])
    page = client.get(url("attendance", begun.pk)).content.decode()
    assert "Not quorate" in page and page.count('type="radio"') == 4 * 3
    response = client.post(
        url("attendance", begun.pk),
        {"seat-1": "present", "seat-2": "present", "seat-3": "substitute", "seat-4": "absent"},
    )
    assert response.status_code == 302
    assert registered(begun) == {1: "present", 2: "present", 3: "substitute", 4: "absent"}
    page = client.get(url("attendance", begun.pk)).content.decode()
    assert "Quorate" in page and "Substitute attending: Sune Substitute" in page


def test_a_refused_row_is_shown_on_its_row_and_nothing_is_saved(client, login, personas, begun, council):
    Seat.objects.filter(council=council, number=4).update(substitute=None)
    login(personas["secretariat"])
    response = client.post(url("attendance", begun.pk), {"seat-1": "present", "seat-4": "substitute"})
    body = response.content.decode()
    assert response.status_code == 400 and "Carl Member" in body and "no personal substitute" in body
    assert 'name="seat-1" id="s1-present" value="present" checked' in body  # the choices are kept
    assert registered(begun) == {}


def test_reported_absences_are_prefilled_and_all_present_is_a_start(
    client, login, personas, published, council
):
    services.absence_report(meeting=published, seat=seat(council, 3), by=personas["member"])
    services.absence_report(meeting=published, seat=seat(council, 4), by=personas["secretariat"])
    AbsenceReport.objects.filter(seat__number=4).update(substitute_absent_at=published.starts_at)
    start(published)
    login(personas["secretariat"])
    page = client.get(url("attendance", published.pk)).content.decode()
    assert 'id="s3-substitute" value="substitute" checked' in page
    assert 'id="s4-absent" value="absent" checked' in page
    assert 'id="s1-present" value="present" checked' not in page and 'id="all-present"' in page
    page = client.get(url("attendance", published.pk) + "?alle=1").content.decode()
    assert (
        'id="s1-present" value="present" checked' in page
        and 'id="s2-present" value="present" checked' in page
    )
    assert 'id="s3-substitute" value="substitute" checked' in page and registered(published) == {}


def test_the_closed_register_has_no_form(client, login, personas, published):
    login(personas["secretariat"])
    page = client.get(url("attendance", published.pk) + "?alle=1").content.decode()
    assert 'id="register-closed"' in page and 'type="radio"' not in page and 'id="all-present"' not in page
