import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Notice
from appointments import services
from appointments.models import Appointment, Body, Council, Election, Post, Seat, StandIn
from register.models import Municipality, Politician
from tests.conftest import TODAY, make_politician, make_user

from .conftest import party, seat, seat_beyond_composition

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"appointments:{name}", args=args)


# --- council pages -----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["secretariat", "member", "substitute", "chair"])
def test_council_pages_for_readers(login, client, personas, council, results, who):
    login(personas[who])
    for name in ["council_detail", "council_composition", "council_history", "constituent"]:
        response = client.get(url(name, council.pk))
        assert response.status_code == 200, name
    assert b"Mona Member" in client.get(url("council_detail", council.pk)).content


def test_composition_shows_the_computation(login, client, personas, council, results):
    login(personas["member"])
    body = client.get(url("council_composition", council.pk)).content.decode()
    assert "Hondt seats (N)" in body and "every list has at least its mayors" in body


@pytest.mark.parametrize("who", ["clerk_a", "officer", "council_member", "secretariat_other", "member_other"])
def test_council_pages_refuse_other_personas(login, client, personas, council, who):
    login(personas[who])
    for name in ["council_detail", "council_composition", "council_history", "constituent"]:
        assert client.get(url(name, council.pk)).status_code in {403, 404}, name


@pytest.mark.parametrize("name", ["council_detail", "council_history"])
def test_council_pages_are_get_only(login, client, personas, council, name):
    login(personas["secretariat"])
    assert client.post(url(name, council.pk)).status_code == 405


@pytest.fixture
def many_seats(council):
    """60 seats with substitutes, and a history row for each."""
    kbh = Municipality.objects.get(code="101")
    people = Politician.objects.bulk_create(
        Politician(
            name=f"P{i}",
            birth_date=datetime.date(1970, 1, 1),
            municipality=kbh,
            party=party("A"),
            council_from=datetime.date(2020, 1, 1),
        )
        for i in range(180)
    )
    start = council.term_start
    Seat.objects.bulk_create(
        Seat(
            council=council,
            number=10 + i,
            kind=Seat.Kind.ELECTED,
            party=party("A"),
            municipality=kbh,
            holder=people[i],
            substitute=people[60 + i],
            valid_from=start,
            valid_to=start + datetime.timedelta(days=10),
            end_reason="new substitute",
        )
        for i in range(60)
    )
    Seat.objects.bulk_create(
        Seat(
            council=council,
            number=10 + i,
            kind=Seat.Kind.ELECTED,
            party=party("A"),
            municipality=kbh,
            holder=people[i],
            substitute=people[120 + i],
            valid_from=start + datetime.timedelta(days=11),
        )
        for i in range(60)
    )


@pytest.mark.parametrize("name", ["council_detail", "council_history", "council_list", "constituent"])
def test_council_pages_query_count(
    login, client, personas, council, many_seats, django_assert_max_num_queries, name
):
    login(personas["secretariat"])
    target = url(name) if name == "council_list" else url(name, council.pk)
    with django_assert_max_num_queries(22):
        response = client.get(target)
    assert response.status_code == 200


# --- seat changes ----------------------------------------------------------------------------


def test_secretariat_changes_a_substitute(login, client, personas, council, councillors):
    login(personas["secretariat"])
    target = url("seat_edit", council.pk, 3)
    assert client.get(target).status_code == 200
    response = client.post(
        target, {"action": "substitute", "sub-substitute": councillors["A"].pk, "sub-on": TODAY}
    )
    assert response.status_code == 302
    assert seat(council, 3).substitute == councillors["A"]


def test_seat_change_refused_with_clear_error_and_nothing_saved(login, client, personas, council):
    login(personas["secretariat"])
    before = Seat.objects.count()
    response = client.post(
        url("seat_edit", council.pk, 3),
        {"action": "substitute", "sub-substitute": seat(council, 4).holder.pk, "sub-on": TODAY},
    )
    assert response.status_code == 400
    assert b"a member cannot also be a substitute" in response.content
    assert Seat.objects.count() == before


def test_secretariat_replaces_member_and_registers_stand_in(login, client, personas, council, councillors):
    login(personas["secretariat"])
    target = url("seat_edit", council.pk, 3)
    response = client.post(
        target,
        {
            "action": "replace",
            "rep-holder": councillors["A"].pk,
            "rep-substitute": councillors["F"].pk,
            "rep-on": TODAY,
            "rep-reason": "left the council",
        },
    )
    assert response.status_code == 302 and seat(council, 3).holder == councillors["A"]
    response = client.post(target, {"action": "stand_in", "abs-starts_on": TODAY, "abs-decided_on": TODAY})
    assert response.status_code == 302 and StandIn.objects.get().stand_in == councillors["F"]


def test_seat_edit_refuses_unknown_action_wrong_method_and_personas(login, client, personas, council):
    target = url("seat_edit", council.pk, 3)
    login(personas["secretariat"])
    assert client.post(target, {"action": "explode"}).status_code == 400
    assert client.put(target).status_code == 405
    for who in ["member", "chair", "clerk_a"]:
        login(personas[who])
        assert client.get(target).status_code == 403
    login(personas["secretariat_other"])
    assert client.get(target).status_code == 404


# --- constituent meeting and chair election ------------------------------------------------


def test_chair_election_through_the_page(login, client, personas, council, results, councillors):
    seat_beyond_composition(council, councillors["F"], councillors["V"])
    login(personas["secretariat"])
    target = url("constituent", council.pk)
    meeting = f"{council.election_year + 1}-01-20T10:00"
    assert client.post(target, {"action": "meeting", "m-meeting_at": meeting}).status_code == 302
    council.refresh_from_db()
    assert council.convener is not None
    response = client.post(
        target, {"action": "alliance", "a-name": "Rød", "a-parties": [party("A").pk, party("F").pk]}
    )
    assert response.status_code == 400  # the meeting (set in the past) has started: too late
    assert b"no later than the start" in response.content
    Council.objects.filter(pk=council.pk).update(constituent_meeting_at=None)
    response = client.post(
        target, {"action": "alliance", "a-name": "Rød", "a-parties": [party("A").pk, party("F").pk]}
    )
    assert response.status_code == 302
    response = client.post(target, {"action": "run"})
    election = Election.objects.get(kind=Election.Kind.CHAIR)
    assert response.status_code == 302 and response["Location"] == url("election_detail", election.pk)
    page = client.get(response["Location"]).content.decode()
    assert "seat 1" in page and "Rød" in page
    chair, vice = seat(council, 1).holder, seat(council, 2).holder
    response = client.post(target, {"action": "name", "n-chair": chair.pk, "n-vice_chair": vice.pk})
    assert response.status_code == 302
    council.refresh_from_db()
    assert council.leaders() == [chair, vice]


def test_members_read_but_cannot_change_the_constituent_meeting(login, client, personas, council):
    login(personas["member"])
    target = url("constituent", council.pk)
    assert client.get(target).status_code == 200
    assert client.post(target, {"action": "run"}).status_code == 404
    assert client.put(target).status_code == 405


def test_election_record_pdf(login, client, personas, council, results, django_capture_on_commit_callbacks):
    election = services.chair_election_run(council=council)
    login(personas["member"])
    assert client.get(url("election_detail", election.pk)).status_code == 200
    assert client.get(url("election_pdf", election.pk)).status_code == 404  # not rendered yet
    assert client.post(url("election_pdf", election.pk)).status_code == 404  # members cannot ask for it
    login(personas["secretariat"])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url("election_pdf", election.pk)).status_code == 302  # eager in tests
    response = client.get(url("election_pdf", election.pk))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    from pypdf import PdfReader

    text = "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages
    )
    assert "÷ 2" in text and "Chair and vice-chair" in text or "Formand og næstformand" in text
    login(personas["clerk_a"])
    assert client.get(url("election_detail", election.pk)).status_code == 403
    login(personas["secretariat_other"])
    assert client.get(url("election_detail", election.pk)).status_code == 404


def test_post_elections_are_for_the_secretariat_only(login, client, personas, council, body, councillors):
    election = services.majority_round_record(
        post=body.posts.get(name="Formand"), present=5, ballots={councillors["A"]: 3}
    )
    login(personas["member"])
    assert client.get(url("election_detail", election.pk)).status_code == 404
    login(personas["secretariat"])
    page = client.get(url("election_detail", election.pk)).content.decode()
    assert "Round 1" in page and "Plain A" in page


# --- bodies and appointments ----------------------------------------------------------------


def test_secretariat_creates_body_and_post(login, client, personas, hovedstaden):
    login(personas["secretariat"])
    assert client.get(url("body_list")).status_code == 200
    response = client.post(
        url("body_list"), {"name": "Vækstforum", "term_start": "2026-01-01", "term_end": "2029-12-31"}
    )
    body = Body.objects.get(name="Vækstforum")
    assert response.status_code == 302 and body.region == hovedstaden
    response = client.post(url("body_detail", body.pk), {"name": "Medlem", "seats": 3})
    assert response.status_code == 302 and body.posts.get().seats == 3
    assert client.get(url("body_detail", body.pk)).status_code == 200
    response = client.post(url("body_detail", body.pk), {"name": "Medlem", "seats": 3})
    assert response.status_code == 400 and b"already has a post" in response.content
    response = client.post(
        url("body_list"), {"name": "X", "term_start": "2026-01-01", "term_end": "2025-12-31"}
    )
    assert response.status_code == 400 and b"must end after" in response.content


def test_majority_election_through_the_page(login, client, personas, council, body, councillors):
    post = body.posts.get(name="Formand")
    login(personas["secretariat"])
    target = url("post_detail", post.pk)
    assert client.get(target).status_code == 200
    response = client.post(
        target,
        {
            "action": "round",
            "r-present": 9,
            "r-candidate_1": councillors["C"].pk,
            "r-votes_1": 5,
            "r-candidate_2": councillors["A"].pk,
            "r-votes_2": 4,
        },
    )
    assert response.status_code == 302
    assert Appointment.objects.get(post=post).politician == councillors["C"]


def test_ineligible_candidate_gets_a_clear_error(login, client, personas, council, body, councillors):
    post = body.posts.get(name="Formand")
    login(personas["secretariat"])
    Politician.objects.filter(pk=councillors["A"].pk).update(council_to=TODAY - datetime.timedelta(days=1))
    response = client.post(
        url("post_detail", post.pk),
        {"action": "round", "r-present": 9, "r-candidate_1": councillors["C"].pk, "r-votes_1": 5},
    )
    assert response.status_code == 302
    Appointment.objects.all().delete()
    Election.objects.all().delete()
    response = client.post(
        url("post_detail", post.pk),
        {"action": "round", "r-present": 9, "r-candidate_1": councillors["A"].pk, "r-votes_1": 5},
    )
    assert response.status_code == 400  # no longer offered: not a current council member
    assert not Election.objects.exists()


def test_proportional_election_and_naming_through_the_page(
    login, client, personas, council, body, councillors
):
    post = body.posts.get(name="Medlem")
    login(personas["secretariat"])
    target = url("post_detail", post.pk)
    response = client.post(target, {"action": "proportional", "p-present": 12, "p-groups": "Rød;7\nBlå;5"})
    assert response.status_code == 302
    election = Election.objects.get(post=post)
    assert election.result["seats"] == {"Rød": 2, "Blå": 1}
    response = client.post(
        target, {"action": "appoint", "g-group": "Blå", "g-politician": councillors["V"].pk}
    )
    assert response.status_code == 302
    response = client.post(
        target, {"action": "appoint", "g-group": "Blå", "g-politician": councillors["C"].pk}
    )
    assert response.status_code == 400  # Blå has no seat left and is no longer offered
    appointment = Appointment.objects.get()
    response = client.post(
        target, {"action": "end", "e-appointment": appointment.pk, "e-on": TODAY, "e-reason": "resigned"}
    )
    assert response.status_code == 302
    response = client.post(target, {"action": "proportional", "p-present": 3, "p-groups": "Rød;x"})
    assert response.status_code == 400 and b"Line 1" in response.content


@pytest.mark.parametrize("name", ["body_list", "appointment_overview"])
def test_secretariat_lists_refuse_other_personas(login, client, personas, name):
    for who in ["member", "chair", "clerk_a", "officer", "council_member"]:
        login(personas[who])
        assert client.get(url(name)).status_code == 403


def test_body_and_post_of_other_region_are_not_found(login, client, personas, body):
    login(personas["secretariat_other"])
    assert client.get(url("body_detail", body.pk)).status_code == 404
    assert client.get(url("post_detail", body.posts.first().pk)).status_code == 404
    login(personas["member"])
    assert client.get(url("post_detail", body.posts.first().pk)).status_code == 403


def test_wrong_methods(login, client, personas, body):
    login(personas["secretariat"])
    post = body.posts.first()
    assert client.put(url("body_list")).status_code == 405
    assert client.put(url("body_detail", body.pk)).status_code == 405
    assert client.put(url("post_detail", post.pk)).status_code == 405
    assert client.post(url("post_detail", post.pk), {"action": "nope"}).status_code == 400
    assert client.post(url("appointment_overview")).status_code == 405
    assert client.post(url("appointment_export", "csv")).status_code == 405


@pytest.fixture
def many_appointments(council, hovedstaden):
    """20 bodies with 3 posts each and 3 appointees per post."""
    munis = list(Municipality.objects.filter(region=hovedstaden)[:5])
    people = Politician.objects.bulk_create(
        Politician(
            name=f"Appointee {i}",
            birth_date=datetime.date(1970, 1, 1),
            municipality=munis[i % 5],
            party=party("AC"[i % 2]),
            council_from=datetime.date(2020, 1, 1),
        )
        for i in range(180)
    )
    bodies = Body.objects.bulk_create(
        Body(region=hovedstaden, name=f"Body {i}", term_start=TODAY - datetime.timedelta(days=10))
        for i in range(20)
    )
    posts = Post.objects.bulk_create(
        Post(body=b, name=f"Post {j}", seats=3) for b in bodies for j in range(3)
    )
    Appointment.objects.bulk_create(
        Appointment(
            post=p, politician=people[(i * 3 + k) % 180], valid_from=TODAY - datetime.timedelta(days=5)
        )
        for i, p in enumerate(posts)
        for k in range(3)
    )
    return people


@pytest.mark.parametrize("by", ["body", "list", "municipality"])
def test_overview_groups_and_query_count(
    login, client, personas, many_appointments, django_assert_max_num_queries, by
):
    login(personas["secretariat"])
    with django_assert_max_num_queries(15):
        response = client.get(url("appointment_overview"), {"by": by})
    assert response.status_code == 200 and b"180 appointments" in response.content


def test_body_pages_query_count(login, client, personas, many_appointments, django_assert_max_num_queries):
    login(personas["secretariat"])
    with django_assert_max_num_queries(15):
        assert client.get(url("body_list")).status_code == 200
    body = Body.objects.first()
    with django_assert_max_num_queries(18):
        assert client.get(url("body_detail", body.pk)).status_code == 200
    with django_assert_max_num_queries(22):
        assert client.get(url("post_detail", body.posts.first().pk)).status_code == 200


def test_exports(login, client, personas, many_appointments):
    login(personas["secretariat"])
    response = client.get(url("appointment_export", "csv"))
    text = response.content.decode("utf-8-sig")
    assert response.status_code == 200 and text.splitlines()[0].startswith("Body;Post;Name")
    assert len(text.splitlines()) == 181
    response = client.get(url("appointment_export", "xlsx"))
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws.max_row == 181 and ws["A1"].value == "Body"
    assert client.get(url("appointment_export", "pdf")).status_code == 404
    login(personas["member"])
    assert client.get(url("appointment_export", "csv")).status_code == 403


def test_appointee_sees_own_appointments(
    login, client, personas, many_appointments, django_assert_max_num_queries
):
    user = make_user("appointee@example.dk", politician=many_appointments[0])
    login(user)
    with django_assert_max_num_queries(12):
        response = client.get(url("my_appointments"))
    assert response.status_code == 200 and b"Body 0" in response.content
    assert client.post(url("my_appointments")).status_code == 405
    home = client.get("/")
    assert b"My appointments" in home.content
    login(personas["member"])
    assert client.get(url("my_appointments")).status_code == 403


# --- reminders ---------------------------------------------------------------------------------


def test_term_warning_queued_once(personas, body):
    from appointments.tasks import term_warnings

    assert term_warnings() == 2  # two posts end within 60 days, one secretariat user
    term_warnings()
    notices = Notice.objects.filter(key__startswith="appointments:term:")
    assert notices.count() == 2 and notices.first().to_email == "secretariat@example.dk"


def test_constituent_reminders_from_first_of_december(personas, council):
    # Both mayors of the fixture have no start date: the older (by id on a full tie) convenes.
    new = Council.objects.create(
        region=council.region, term_start=datetime.date(2030, 1, 20), election_year=2029
    )
    assert services.constituent_reminders_queue(today=datetime.date(2029, 11, 30)) == 0
    queued = services.constituent_reminders_queue(today=datetime.date(2029, 12, 1))
    assert queued >= 1
    services.constituent_reminders_queue(today=datetime.date(2029, 12, 2))
    keys = list(
        Notice.objects.filter(key__startswith=f"appointments:constituent:{new.pk}:").values_list(
            "key", flat=True
        )
    )
    assert len(keys) == len(set(keys)) == queued
    assert "31" in Notice.objects.filter(key__in=keys).first().body


def test_secretariat_dashboard_shows_what_comes_next(login, client, personas, body):
    login(personas["secretariat"])
    page = client.get("/").content.decode()
    assert "what comes next" in page and "term ends" in page


def test_nav_entries(login, client, personas, council):
    login(personas["secretariat"])
    page = client.get("/").content.decode()
    assert url("body_list") in page and url("council_list") in page
    make_politician(Municipality.objects.get(code="101"), party("A"), "Unused")


def test_secretariat_adds_a_seat(login, client, personas, council, councillors):
    login(personas["secretariat"])
    target = url("seat_add", council.pk)
    assert client.get(target).status_code == 200
    data = {"kind": "elected", "party": party("V").pk, "holder": councillors["V"].pk, "valid_from": TODAY}
    response = client.post(target, data | {"substitute": seat(council, 3).holder.pk})
    assert response.status_code == 400 and b"a member cannot also be a substitute" in response.content
    response = client.post(target, data | {"substitute": councillors["F"].pk})
    assert response.status_code == 302 and seat(council, 5).holder == councillors["V"]
    assert client.put(target).status_code == 405
    login(personas["member"])
    assert client.get(target).status_code == 403
    login(personas["secretariat_other"])
    assert client.get(target).status_code == 404


def test_chair_replacement_through_the_page(login, client, personas, council, results):
    election = services.chair_election_run(council=council)
    services.chair_election_name(
        election=election, chair=seat(council, 2).holder, vice_chair=seat(council, 1).holder
    )
    login(personas["secretariat"])
    target = url("constituent", council.pk)
    response = client.post(
        target, {"action": "replace", "c-place": 1, "c-politician": seat(council, 4).holder.pk}
    )
    assert response.status_code == 302
    council.refresh_from_db()
    assert council.chair == seat(council, 4).holder


def test_constituent_page_builds_only_the_form_it_shows_in_pinned_queries(
    login, client, personas, council, results, django_assert_max_num_queries
):
    """Before the chair election the alliances, then naming the chair, then replacing them: the
    page builds (and reads the choices of) only the form of its phase."""
    login(personas["secretariat"])
    target = url("constituent", council.pk)
    response = client.get(target)
    assert response.context["alliance_form"] is not None and response.context["name_form"] is None
    election = services.chair_election_run(council=council)
    with django_assert_max_num_queries(12):
        response = client.get(target)
    assert response.context["alliance_form"] is None and response.context["replace_form"] is None
    chairs = services.chair_candidates(election, 1)
    assert f'value="{chairs[0].pk}"' in response.text and chairs[0].name in response.text
    services.chair_election_name(
        election=election, chair=seat(council, 2).holder, vice_chair=seat(council, 1).holder
    )
    with django_assert_max_num_queries(12):
        response = client.get(target)
    assert response.context["name_form"] is None and response.context["replace_form"] is not None
    assert seat(council, 2).holder.name in response.text


def test_composition_compares_named_members(login, client, personas, council, results):
    login(personas["secretariat"])
    page = client.get(url("council_composition", council.pk)).content.decode()
    assert "Named so far" in page


def test_list_cooperation_counts_as_one_on_the_composition_page(login, client, personas, council, results):
    login(personas["secretariat"])
    target = url("council_composition", council.pk)
    response = client.post(target, {"name": "A+F", "parties": [party("A").pk, party("F").pk]})
    assert response.status_code == 302
    assert b"A+F (A, F)" in client.get(target).content
    response = client.post(target, {"name": "A+V", "parties": [party("A").pk, party("V").pk]})
    assert response.status_code == 400 and b"already in a list cooperation" in response.content
    assert client.put(target).status_code == 405
    login(personas["member"])
    assert client.post(target, {"name": "X", "parties": [party("C").pk, party("V").pk]}).status_code == 404


def test_composition_query_count(
    login, client, personas, council, results, many_seats, django_assert_max_num_queries
):
    login(personas["member"])
    with django_assert_max_num_queries(20):
        assert client.get(url("council_composition", council.pk)).status_code == 200


def test_deadline_warning_only_for_a_council_not_yet_constituted(login, client, personas, council):
    login(personas["secretariat"])
    assert b"The deadline has passed" not in client.get(url("constituent", council.pk)).content
    late = Council.objects.create(
        region=council.region, term_start=TODAY + datetime.timedelta(days=30), election_year=TODAY.year - 2
    )
    assert b"The deadline has passed" in client.get(url("constituent", late.pk)).content


def test_runoff_round_offers_only_the_two_candidates(login, client, personas, council, body, councillors):
    post = body.posts.get(name="Formand")
    a, c, v = councillors["A"], councillors["C"], councillors["V"]
    services.majority_round_record(post=post, present=10, ballots={a: 4, c: 3, v: 3})
    services.majority_round_record(post=post, present=10, ballots={a: 4, c: 4, v: 2})
    login(personas["secretariat"])
    target = url("post_detail", post.pk)
    page = client.get(target).content.decode()
    assert "Run-off between" in page and "Round 2: 10 members present" in page
    assert f'value="{v.pk}"' not in page and f'value="{a.pk}"' in page
    response = client.post(
        target, {"action": "round", "r-present": 10, "r-candidate_1": v.pk, "r-votes_1": 6}
    )
    assert response.status_code == 400
    response = client.post(
        target,
        {
            "action": "round",
            "r-present": 10,
            "r-candidate_1": a.pk,
            "r-votes_1": 6,
            "r-candidate_2": c.pk,
            "r-votes_2": 4,
        },
    )
    assert response.status_code == 302 and Appointment.objects.get(post=post).politician == a


def test_council_list_happy_wrong_method_wrong_persona(login, client, personas, council, other_council):
    login(personas["member"])
    page = client.get(url("council_list")).content.decode()
    assert council.name in page and other_council.name not in page
    assert client.post(url("council_list")).status_code == 405
    login(personas["clerk_a"])
    assert client.get(url("council_list")).status_code == 403


def test_election_pages_wrong_methods(login, client, personas, council, results):
    election = services.chair_election_run(council=council)
    login(personas["secretariat"])
    assert client.post(url("election_detail", election.pk)).status_code == 405
    assert client.put(url("election_pdf", election.pk)).status_code == 405


def test_proportional_form_takes_the_groups_with_too_few_candidates(
    login, client, personas, council, body, councillors
):
    """Issue 17: the page reaches proportional_election_run(candidates=…): a group naming fewer
    candidates than it wins passes the seat on within its alliance."""
    post = body.posts.get(name="Medlem")
    login(personas["secretariat"])
    target = url("post_detail", post.pk)
    groups = "Rød;5;RV\nSF;2;RV\nBlå;6"
    response = client.get(target)
    assert b'name="p-candidates"' in response.content
    for bad in ("Grøn;1", "Rød;-1", "Rød", "Rød;1\nRød;2"):
        response = client.post(
            target, {"action": "proportional", "p-present": 13, "p-groups": groups, "p-candidates": bad}
        )
        assert response.status_code == 400 and response.context["proportional_form"].errors["candidates"]
    assert not Election.objects.filter(post=post).exists()
    response = client.post(
        target, {"action": "proportional", "p-present": 13, "p-groups": groups, "p-candidates": "Rød;1\n"}
    )
    assert response.status_code == 302
    assert Election.objects.get(post=post).result["seats"] == {"Rød": 1, "SF": 1, "Blå": 1}
