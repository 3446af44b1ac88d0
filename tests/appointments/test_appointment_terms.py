"""docs/rules.md §3: appointments end with their term; the portal warns before they do."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import Notice
from accounts.roles import RoleKind, compute_roles
from appointments import rules, services
from appointments.access import politician_roles
from appointments.models import Appointment, Council, Post
from core.errors import Refused
from register.models import Municipality
from tests.conftest import TODAY, make_politician, make_user

from .conftest import party

pytestmark = pytest.mark.django_db
D = datetime.date
DAY = datetime.timedelta(days=1)
T = rules.CouncilTerm


# --- the pure rules ----------------------------------------------------------------------------


def test_electoral_period_end_recorded_and_expected():
    old = T(D(2022, 1, 27), None, 2021)
    assert rules.electoral_period_end([old], D(2024, 5, 1)) == (D(2026, 1, 31), False)  # expected
    new = T(D(2026, 1, 15), None, 2025)
    assert rules.electoral_period_end([old, new], D(2024, 5, 1)) == (D(2026, 1, 14), True)
    assert rules.electoral_period_end([old, new], D(2026, 1, 15)) == (D(2030, 1, 31), False)
    ended = T(D(2022, 1, 27), D(2026, 1, 10), 2021)
    assert rules.electoral_period_end([ended, new], D(2024, 5, 1)) == (D(2026, 1, 10), True)
    assert rules.electoral_period_end([ended], D(2026, 1, 11)) == (None, False)  # no council in office
    assert rules.electoral_period_end([], D(2026, 1, 11)) == (None, False)


def test_appointment_ends_on_takes_the_first_end():
    period = D(2026, 1, 14)
    assert rules.appointment_ends_on(None, None, period) == period
    assert rules.appointment_ends_on(D(2025, 6, 1), None, period) == D(2025, 6, 1)
    # the body says otherwise: its own term end replaces the electoral period, later or earlier
    assert rules.appointment_ends_on(None, D(2027, 3, 1), period) == D(2027, 3, 1)
    assert rules.appointment_ends_on(D(2026, 12, 1), D(2027, 3, 1), period) == D(2026, 12, 1)
    assert rules.appointment_ends_on(None, None, None) is None


# --- current(): own end, post's/body's term, electoral period ------------------------------------


@pytest.fixture
def open_body(hovedstaden, council):
    """A body without its own term end: its appointments run for the electoral period."""
    return services.body_create(
        region=hovedstaden,
        name="Vækstforum",
        term_start=TODAY - 200 * DAY,
        term_end=None,
        posts=[("Medlem", 3)],
    )


@pytest.fixture
def appointee(council):
    return make_politician(Municipality.objects.get(code="101"), party("A"), "Anna Appointee")


def appoint(body, person, on=None):
    return services.appointment_create(post=body.posts.get(), politician=person, on=on or TODAY - 100 * DAY)


def is_current(appointment, on):
    return Appointment.objects.current(on).filter(pk=appointment.pk).exists()


def test_appointment_ends_when_the_next_council_takes_office(council, open_body, appointee):
    appointment = appoint(open_body, appointee)
    assert is_current(appointment, TODAY + 1000 * DAY)  # nothing recorded: the council sits on
    Council.objects.create(region=council.region, term_start=TODAY + 10 * DAY, election_year=TODAY.year)
    assert is_current(appointment, TODAY + 9 * DAY)
    assert not is_current(appointment, TODAY + 10 * DAY)
    assert services.appointment_end_dates([appointment])[appointment.pk] == TODAY + 9 * DAY


def test_appointment_ends_when_its_council_leaves_office(council, open_body, appointee):
    appointment = appoint(open_body, appointee)
    council.term_end = TODAY + 5 * DAY
    council.save()
    assert is_current(appointment, TODAY + 5 * DAY)
    assert not is_current(appointment, TODAY + 6 * DAY)


def test_appointment_made_by_the_new_council_is_current(council, open_body, appointee):
    Council.objects.create(region=council.region, term_start=TODAY - 10 * DAY, election_year=TODAY.year)
    old = appoint(open_body, appointee, on=TODAY - 50 * DAY)
    assert not is_current(old, TODAY)
    again = appoint(open_body, appointee, on=TODAY - 5 * DAY)  # re-appointed for the new term
    assert is_current(again, TODAY)
    old.refresh_from_db()
    assert old.valid_to == TODAY - 11 * DAY and old.end_reason == "the term ended"


def test_body_term_decides_instead_of_the_period(council, body, appointee):
    """``body`` ends in 30 days; a body's own term replaces the electoral period (docs/rules.md §3)."""
    post = body.posts.get(name="Medlem")
    appointment = services.appointment_create(post=post, politician=appointee, on=TODAY - 10 * DAY)
    Council.objects.create(region=council.region, term_start=TODAY + 10 * DAY, election_year=TODAY.year)
    assert is_current(appointment, TODAY + 30 * DAY)  # the body says otherwise
    assert not is_current(appointment, TODAY + 31 * DAY)  # the body's term has ended


def test_post_term_end_overrides_the_body(council, body, appointee):
    post = body.posts.get(name="Medlem")
    appointment = services.appointment_create(post=post, politician=appointee, on=TODAY - 10 * DAY)
    Post.objects.filter(pk=post.pk).update(term_end=TODAY + 5 * DAY)
    assert is_current(appointment, TODAY + 5 * DAY)
    assert not is_current(appointment, TODAY + 6 * DAY)
    Post.objects.filter(pk=post.pk).update(term_end=TODAY + 90 * DAY)
    assert is_current(appointment, TODAY + 60 * DAY)  # later than the body's 30 days


def test_own_end_date_still_counts(council, open_body, appointee):
    appointment = appoint(open_body, appointee)
    services.appointment_end(appointment=appointment, on=TODAY, reason="moved away")
    assert is_current(appointment, TODAY)
    assert not is_current(appointment, TODAY + DAY)


def test_ended_appointees_leave_overview_export_and_role(client, council, open_body, appointee, hovedstaden):
    appoint(open_body, appointee)
    user = make_user("anna@example.dk", politician=appointee)
    assert politician_roles(appointee.pk, TODAY).appointee
    assert RoleKind.APPOINTEE in compute_roles(user).kinds
    Council.objects.create(region=council.region, term_start=TODAY, election_year=TODAY.year)
    assert not politician_roles(appointee.pk, TODAY).appointee
    assert RoleKind.APPOINTEE not in compute_roles(user).kinds
    from tests.conftest import log_in

    log_in(client, make_user("sek@example.dk", role="secretariat", region=hovedstaden))
    page = client.get(reverse("appointments:appointment_overview")).content.decode()
    assert "Anna Appointee" not in page
    export = client.get(reverse("appointments:appointment_export", args=["csv"])).content.decode()
    assert "Anna Appointee" not in export


def test_export_shows_the_period_end_for_bodies_without_a_term(
    client, council, open_body, appointee, hovedstaden
):
    appoint(open_body, appointee)
    Council.objects.create(region=council.region, term_start=TODAY + 20 * DAY, election_year=TODAY.year)
    from tests.conftest import log_in

    log_in(client, make_user("sek@example.dk", role="secretariat", region=hovedstaden))
    export = client.get(reverse("appointments:appointment_export", args=["csv"])).content.decode()
    assert "Anna Appointee" in export and (TODAY + 19 * DAY).isoformat() in export


# --- warnings ----------------------------------------------------------------------------------


@pytest.fixture
def secretariat(hovedstaden):
    return make_user("sek@example.dk", role="secretariat", region=hovedstaden)


def keys(prefix):
    return sorted(Notice.objects.filter(key__startswith=prefix).values_list("key", flat=True))


def test_warning_before_a_single_appointment_ends(secretariat, council, open_body, appointee):
    appointment = appoint(open_body, appointee)
    services.appointment_end(appointment=appointment, on=TODAY + 61 * DAY, reason="leaves the council")
    services.term_warnings_queue(today=TODAY)
    assert keys("appointments:appointment:") == []
    services.term_warnings_queue(today=TODAY + DAY)
    services.term_warnings_queue(today=TODAY + 2 * DAY)
    end = (TODAY + 61 * DAY).isoformat()
    assert keys("appointments:appointment:") == [
        f"appointments:appointment:{appointment.pk}:{end}:{secretariat.pk}"
    ]
    assert "Anna Appointee" in Notice.objects.get(key__startswith="appointments:appointment:").subject


def test_warning_before_the_electoral_period_ends(secretariat, council, open_body, body, appointee):
    appoint(open_body, appointee)
    other = make_politician(Municipality.objects.get(code="101"), party("C"), "Bent Body")
    services.appointment_create(post=body.posts.get(name="Medlem"), politician=other, on=TODAY - 10 * DAY)
    expected = rules.constituent_deadline(council.election_year + 4)
    services.term_warnings_queue(today=expected - 61 * DAY)
    assert keys("appointments:period:") == []
    Council.objects.create(region=council.region, term_start=TODAY + 30 * DAY, election_year=TODAY.year)
    services.term_warnings_queue(today=TODAY)
    services.term_warnings_queue(today=TODAY + DAY)
    last = (TODAY + 29 * DAY).isoformat()
    assert keys("appointments:period:") == [f"appointments:period:{council.pk}:{last}:{secretariat.pk}"]
    notice = Notice.objects.get(key__startswith="appointments:period:")
    assert "Anna Appointee" in notice.body and "Bent Body" not in notice.body  # body has its own term


def test_expected_period_end_warns_without_a_next_council(secretariat, council, open_body, appointee):
    appoint(open_body, appointee)
    expected = rules.constituent_deadline(council.election_year + 4)
    services.term_warnings_queue(today=expected - 60 * DAY)
    assert keys("appointments:period:") == [
        f"appointments:period:{council.pk}:{expected.isoformat()}:{secretariat.pk}"
    ]


def test_no_appointment_to_a_post_whose_term_has_ended(council, body, appointee):
    """``body`` ends in 30 days: the 30th day is the last one to appoint on, the 31st is refused
    (a row that could never be current), and asking again is refused the same way, not a crash."""
    post = body.posts.get(name="Medlem")
    last = services.appointment_create(post=post, politician=appointee, on=TODAY + 30 * DAY)
    assert last.valid_from == TODAY + 30 * DAY
    other = make_politician(Municipality.objects.get(code="101"), party("A"), "Ole Other")
    for _attempt in range(2):
        with pytest.raises(Refused, match="term ended"):
            services.appointment_create(post=post, politician=other, on=TODAY + 31 * DAY)
    assert not Appointment.objects.filter(politician=other).exists()
