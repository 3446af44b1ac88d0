"""Issue 13.6: a body whose term has ended is re-staffed by recording its new term (docs/rules.md §3); the
earlier terms stay as they were and are shown."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from appointments import rules, services
from appointments.models import Appointment, Body
from tests.conftest import TODAY, log_in

pytestmark = pytest.mark.django_db
D = datetime.date
DAY = datetime.timedelta(days=1)


# --- the rule ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("previous_end", "start", "last_day"),
    [
        (D(2025, 12, 31), D(2026, 1, 1), D(2025, 12, 31)),  # the day after
        (D(2025, 12, 31), D(2026, 3, 1), D(2025, 12, 31)),  # a gap is kept
        (D(2025, 12, 31), D(2025, 12, 31), D(2025, 12, 30)),  # starts on the old last day
        (None, D(2026, 1, 1), D(2025, 12, 31)),  # an open term ends the day before
        (D(2027, 1, 1), D(2026, 1, 1), D(2025, 12, 31)),
    ],
)
def test_the_current_term_ends_the_day_before_the_new_one_at_the_latest(previous_end, start, last_day):
    assert (
        rules.previous_term_last_day(
            previous_start=D(2022, 1, 1), previous_end=previous_end, start=start, end=None
        )
        == last_day
    )


def test_the_new_term_starts_after_the_current_one_started_and_ends_after_it_starts():
    with pytest.raises(rules.RuleError, match="start after"):
        rules.previous_term_last_day(
            previous_start=D(2022, 1, 1), previous_end=None, start=D(2022, 1, 1), end=None
        )
    rules.previous_term_last_day(
        previous_start=D(2022, 1, 1), previous_end=None, start=D(2022, 1, 2), end=None
    )
    with pytest.raises(rules.RuleError, match="end after"):
        rules.previous_term_last_day(
            previous_start=D(2022, 1, 1), previous_end=None, start=D(2026, 1, 1), end=D(2026, 1, 1)
        )
    rules.previous_term_last_day(
        previous_start=D(2022, 1, 1), previous_end=None, start=D(2026, 1, 1), end=D(2026, 1, 2)
    )


# --- the service and the pages -------------------------------------------------------------------


@pytest.fixture
def ended(body, council, councillors):
    """The body's term ended yesterday; A's plain member held the chair post in it."""
    post = body.posts.get(name="Formand")
    Appointment.objects.create(post=post, politician=councillors["A"], valid_from=body.term_start)
    Body.objects.filter(pk=body.pk).update(term_end=TODAY - DAY)
    body.refresh_from_db()
    return body


def test_appointing_after_the_term_ended_is_refused_until_the_new_term_is_recorded(ended, councillors):
    post = ended.posts.get(name="Formand")
    with pytest.raises(ValidationError, match="new term"):
        services.appointment_create(post=post, politician=councillors["C"], on=TODAY)
    new = services.body_term_record(body=ended, term_start=TODAY, term_end=TODAY + 1000 * DAY)
    assert [b.pk for b in ended.terms()] == [ended.pk, new.pk]
    assert sorted(new.posts.values_list("name", "seats")) == [("Formand", 1), ("Medlem", 3)]
    new_post = new.posts.get(name="Formand")
    appointment = services.appointment_create(post=new_post, politician=councillors["C"], on=TODAY)
    assert list(Appointment.objects.current(TODAY).filter(post__body__name=ended.name)) == [appointment]
    # the earlier term keeps its appointment as it was
    old = Appointment.objects.get(post=post)
    assert (old.politician, old.valid_to) == (councillors["A"], None)
    assert Appointment.objects.current(TODAY - DAY).filter(post=post).get() == old


def test_a_running_term_is_ended_the_day_before_the_new_one(body):
    new = services.body_term_record(body=body, term_start=TODAY + 10 * DAY, term_end=None)
    body.refresh_from_db()
    assert body.term_end == TODAY + 9 * DAY and new.term_end is None


def test_refusals_change_nothing(ended):
    for start, end, field in [(ended.term_start, None, "term_start"), (TODAY, TODAY, "term_end")]:
        with pytest.raises(ValidationError) as info:
            services.body_term_record(body=ended, term_start=start, term_end=end)
        assert list(info.value.error_dict) == [field]
    services.body_term_record(body=ended, term_start=TODAY, term_end=None)
    with pytest.raises(ValidationError, match="later term"):
        services.body_term_record(body=ended, term_start=TODAY + DAY, term_end=None)
    assert Body.objects.filter(name=ended.name).count() == 2


def test_secretariat_records_the_new_term_on_the_body_page_and_sees_the_history(client, personas, ended):
    log_in(client, personas["secretariat"])
    page = client.get(f"/kkr/organer/{ended.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="t-term_start"' in html and 'id="body-term-ended"' in html
    refused = client.post(
        f"/kkr/organer/{ended.pk}/",
        {"action": "term", "t-term_start": TODAY.isoformat(), "t-term_end": TODAY.isoformat()},
    )
    assert refused.status_code == 400 and Body.objects.filter(name=ended.name).count() == 1
    response = client.post(
        f"/kkr/organer/{ended.pk}/",
        {"action": "term", "t-term_start": TODAY.isoformat(), "t-term_end": (TODAY + 1000 * DAY).isoformat()},
    )
    new = Body.objects.get(name=ended.name, term_start=TODAY)
    assert response.status_code == 302 and response["Location"] == f"/kkr/organer/{new.pk}/"
    html = client.get(response["Location"]).content.decode()
    assert f'href="/kkr/organer/{ended.pk}/"' in html  # the earlier term, in the history
    assert 'id="body-term-ended"' not in html
    listing = client.get("/kkr/organer/").content.decode()
    assert f'href="/kkr/organer/{new.pk}/"' in listing and f'href="/kkr/organer/{ended.pk}/"' not in listing


def test_a_member_cannot_record_a_term(client, personas, ended):
    log_in(client, personas["member"])
    response = client.post(f"/kkr/organer/{ended.pk}/", {"action": "term", "t-term_start": TODAY.isoformat()})
    assert response.status_code == 403 and Body.objects.filter(name=ended.name).count() == 1


def test_the_body_page_runs_a_bounded_number_of_queries(
    client, personas, ended, django_assert_max_num_queries
):
    services.body_term_record(body=ended, term_start=TODAY, term_end=None)
    log_in(client, personas["secretariat"])
    with django_assert_max_num_queries(14):
        assert client.get(f"/kkr/organer/{ended.pk}/").status_code == 200


def test_the_post_page_of_an_ended_term_points_to_the_body_page(client, personas, ended):
    log_in(client, personas["secretariat"])
    html = client.get(f"/kkr/poster/{ended.posts.get(name='Formand').pk}/").content.decode()
    assert 'id="post-term-ended"' in html and f'href="/kkr/organer/{ended.pk}/"' in html
