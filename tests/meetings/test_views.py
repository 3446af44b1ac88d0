import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notice
from meetings import services
from meetings.models import (
    AbsenceReport,
    AgendaItem,
    Attachment,
    Attendance,
    ItemProposal,
    Meeting,
    Minutes,
    Vote,
)

from .conftest import approve, at, register, seat

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"meetings:{name}", args=args)


# --- Wrong method and wrong persona, for every view --------------------------------------------

# (name, args from fixtures, method, persona allowed, persona refused)
VIEWS = [
    ("index", lambda m: [], "get", "member", "clerk_a"),
    ("plan", lambda m: [m.council_id], "get", "member", "member_other"),
    ("plan_create", lambda m: [m.council_id], "post", "secretariat", "secretariat_other"),
    ("extraordinary_request", lambda m: [m.council_id], "post", "member", "substitute"),
    ("extraordinary_call", lambda m: [m.council_id], "post", "chair", "member"),
    ("detail", lambda m: [m.pk], "get", "member", "member_other"),
    ("item_create", lambda m: [m.pk], "post", "secretariat", "member"),
    ("item_edit", lambda m: [m.items.first().pk], "post", "chair", "member"),
    ("item_move", lambda m: [m.items.first().pk], "post", "chair", "member"),
    ("attachment_upload", lambda m: [m.items.first().pk], "post", "secretariat", "secretariat_other"),
    ("vote", lambda m: [m.items.first().pk], "post", "secretariat", "chair"),
    ("agenda_approve", lambda m: [m.pk], "post", "chair", "secretariat"),
    ("agenda_publish", lambda m: [m.pk], "post", "secretariat", "chair"),
    ("proposal_create", lambda m: [m.pk], "post", "member", "substitute"),
    ("absence_report", lambda m: [m.pk], "post", "member", "secretariat"),
    ("attendance", lambda m: [m.pk], "post", "secretariat", "chair"),
    ("guest_add", lambda m: [m.pk], "post", "secretariat", "member"),
    ("minutes", lambda m: [m.pk], "post", "secretariat", "member"),
    ("minutes_approve", lambda m: [m.pk], "post", "chair", "secretariat"),
    ("minutes_publish", lambda m: [m.pk], "post", "secretariat", "chair"),
    ("minutes_revise", lambda m: [m.pk], "post", "secretariat", "member"),
    ("documents_status", lambda m: [m.pk], "get", "member", "clerk_a"),
    ("documents_render", lambda m: [m.pk], "post", "secretariat", "chair"),
    ("cancel", lambda m: [m.pk], "post", "secretariat", "member"),
    ("edit", lambda m: [m.pk], "post", "secretariat", "chair"),
    ("item_remove", lambda m: [m.items.first().pk], "post", "chair", "member"),
    ("calendar", lambda m: [], "post", "member", "clerk_a"),
]
POST_ONLY = {
    "guest_add",
    "agenda_approve",
    "item_remove",
    "documents_render",
    "cancel",
    "extraordinary_request",
    "item_move",
    "attachment_upload",
    "minutes_approve",
    "minutes_publish",
    "minutes_revise",
    "proposal_decide",
}


@pytest.mark.parametrize(("name", "args", "method", "allowed", "refused"), VIEWS, ids=[v[0] for v in VIEWS])
def test_wrong_persona_is_refused(client, login, personas, meeting, name, args, method, allowed, refused):
    login(personas[refused])
    response = getattr(client, method)(url(name, *args(meeting)))
    assert response.status_code in {403, 404}


@pytest.mark.parametrize(("name", "args", "method", "allowed", "refused"), VIEWS, ids=[v[0] for v in VIEWS])
def test_wrong_method_is_refused(client, login, personas, meeting, name, args, method, allowed, refused):
    login(personas[allowed])
    wrong = "put" if name not in POST_ONLY and method == "post" else ("get" if name in POST_ONLY else "post")
    if name in {"index", "plan", "detail", "documents_status"}:
        wrong = "post"
    assert getattr(client, wrong)(url(name, *args(meeting))).status_code == 405


def test_anonymous_is_sent_to_login(client, meeting):
    response = client.get(url("detail", meeting.pk))
    assert response.status_code == 302 and "/konto/login/" in response["Location"]


# --- Happy paths ------------------------------------------------------------------------------------


def test_secretariat_plans_a_meeting(client, login, personas, council):
    login(personas["secretariat"])
    assert client.get(url("plan", council.pk)).status_code == 200
    response = client.post(
        url("plan_create", council.pk), {"starts_at": "2027-03-04T10:00", "location": "Roskilde"}
    )
    m = Meeting.objects.get(location="Roskilde")
    assert response.status_code == 302 and response["Location"] == url("detail", m.pk)
    assert timezone.localtime(m.starts_at).hour == 10


def test_plan_form_says_what_is_wrong(client, login, personas, council):
    login(personas["secretariat"])
    response = client.post(url("plan_create", council.pk), {"starts_at": "next tuesday"})
    assert response.status_code == 200 and b"Enter a valid date/time" in response.content


def test_member_sees_published_agenda_with_closed_item(client, login, personas, published):
    login(personas["member"])
    content = client.get(url("detail", published.pk)).content.decode()
    assert "Sundhedsaftale 2027" in content and "Udpegning til bestyrelse" in content


def test_member_does_not_see_unpublished_agenda(client, login, personas, meeting):
    login(personas["member"])
    content = client.get(url("detail", meeting.pk)).content.decode()
    assert "Sundhedsaftale" not in content and "not published yet" in content


def test_substitute_sees_closed_items_only_when_called_in(client, login, personas, published, council):
    login(personas["substitute"])
    assert "Udpegning" not in client.get(url("detail", published.pk)).content.decode()
    closed = published.items.get(closed=True)
    assert client.get(url("item_edit", closed.pk)).status_code in {403, 404}
    services.absence_report(meeting=published, seat=seat(council, 3), by=personas["member"])
    login(personas["substitute"])
    assert "Udpegning" in client.get(url("detail", published.pk)).content.decode()


def test_chair_adds_and_orders_items(client, login, personas, meeting):
    login(personas["chair"])
    response = client.post(url("item_create", meeting.pk), {"title": "Rammeaftale", "kind": "decision"})
    assert response.status_code == 302
    item = AgendaItem.objects.get(title="Rammeaftale")
    client.post(url("item_move", item.pk), {"direction": "up"})
    assert AgendaItem.objects.get(pk=item.pk).order == 2
    response = client.post(url("item_edit", item.pk), {"title": "Rammeaftale 2027", "kind": "orientation"})
    assert response.status_code == 302 and AgendaItem.objects.get(pk=item.pk).kind == "orientation"


def test_item_form_error_is_shown(client, login, personas, meeting):
    login(personas["secretariat"])
    response = client.post(url("item_create", meeting.pk), {"title": "", "kind": "decision"})
    assert response.status_code == 200 and b"This field is required" in response.content


def test_attachment_upload_and_download(client, login, personas, published):
    login(personas["secretariat"])
    item = published.items.first()
    client.post(url("attachment_upload", item.pk), {"file": SimpleUploadedFile("notat.pdf", b"%PDF-1.7 hej")})
    a = Attachment.objects.get()
    login(personas["member"])
    response = client.get(url("attachment", a.pk))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.7 hej"
    assert response["Content-Type"] == "application/pdf" and "attachment" in response["Content-Disposition"]
    login(personas["member_other"])
    assert client.get(url("attachment", a.pk)).status_code == 404


def test_fake_attachment_is_refused_with_reason(client, login, personas, meeting):
    login(personas["secretariat"])
    item = meeting.items.first()
    response = client.post(
        url("attachment_upload", item.pk),
        {"file": SimpleUploadedFile("virus.pdf", b"MZ\x90\x00")},
        follow=True,
    )
    assert b"does not match its name" in response.content and not Attachment.objects.exists()


def test_closed_item_attachment_is_not_public(client, login, personas, published):
    closed = published.items.get(closed=True)
    a = services.attachment_add(
        item=closed, upload=SimpleUploadedFile("x.pdf", b"%PDF-1 x"), by=personas["secretariat"]
    )
    client.logout()
    assert client.get(url("public_attachment", a.public_id)).status_code == 404
    open_item = published.items.get(closed=False)
    b = services.attachment_add(
        item=open_item, upload=SimpleUploadedFile("y.pdf", b"%PDF-1 y"), by=personas["secretariat"]
    )
    assert client.get(url("public_attachment", b.public_id)).status_code == 200


def test_publish_late_needs_reason(client, login, personas, council):
    m = services.meeting_plan(
        council=council, starts_at=at(timezone.localdate() + datetime.timedelta(days=3))
    )
    services.item_add(meeting=m, title="Beskæftigelse")
    approve(m)
    login(personas["secretariat"])
    assert b"needs a reason" in client.get(url("agenda_publish", m.pk)).content
    response = client.post(url("agenda_publish", m.pk), {"reason": ""})
    assert response.status_code == 200 and b"give the reason" in response.content
    response = client.post(url("agenda_publish", m.pk), {"reason": "Ny lov"})
    assert response.status_code == 302
    assert "Ny lov" in client.get(url("detail", m.pk)).content.decode()


def test_member_proposes_and_chair_declines(client, login, personas, meeting):
    login(personas["member"])
    response = client.post(
        url("proposal_create", meeting.pk), {"title": "Letbane", "description": "Drøftelse"}
    )
    assert response.status_code == 302
    p = ItemProposal.objects.get()
    login(personas["chair"])
    client.post(url("proposal_decide", p.pk), {"action": "decline", "reason": "Hører under regionen"})
    p.refresh_from_db()
    assert p.status == "declined"
    login(personas["member"])
    assert "Hører under regionen" in client.get(url("detail", meeting.pk)).content.decode()


def test_proposal_decide_is_refused_to_members(client, login, personas, meeting):
    p = services.proposal_submit(
        meeting=meeting,
        politician=personas["member"].politician,
        user=personas["member"],
        title="T",
        description="D",
    )
    login(personas["member"])
    assert client.post(url("proposal_decide", p.pk), {"action": "place"}).status_code == 403
    login(personas["chair"])
    assert client.get(url("proposal_decide", p.pk)).status_code == 405


def test_member_reports_absence_and_substitute_is_notified(client, login, personas, meeting):
    login(personas["member"])
    assert b"Sune Substitute" in client.get(url("absence_report", meeting.pk)).content
    response = client.post(url("absence_report", meeting.pk), {"note": "Byrådsmøde"})
    assert response.status_code == 302 and AbsenceReport.objects.get().note == "Byrådsmøde"
    assert Notice.objects.filter(user=personas["substitute"]).exists()
    login(personas["substitute"])
    assert client.get(reverse("home")).status_code == 200


def test_attendance_register_with_live_quorum(client, login, personas, begun, council):
    published = begun
    login(personas["secretariat"])
    assert b"Not quorate" in client.get(url("attendance", published.pk)).content
    response = client.post(url("attendance", published.pk), {"seat-1": "present", "seat-3": "substitute"})
    assert response.status_code == 302
    body = client.get(url("attendance", published.pk)).content.decode()
    assert "Sune Substitute" in body and "Quorate" in body and "2 of 4 seats present" in body
    assert Attendance.objects.filter(meeting=published).count() == 2


def test_attendance_of_foreign_seat_is_not_registered(client, login, personas, begun, other_council):
    """The register names seats by their number on this meeting's council: a seat of another
    KKR cannot be named (it was a 404 when each row posted its seat id)."""
    login(personas["secretariat"])
    other = seat(other_council, 1)
    client.post(
        url("attendance", begun.pk), {f"seat-{other.pk}": "present", "seat": other.pk, "status": "present"}
    )
    assert not Attendance.objects.filter(seat=other).exists()
    assert not Attendance.objects.filter(meeting=begun).exists()


def test_vote_refused_when_not_quorate_is_explained(client, login, personas, published, council):
    register(published, {1: "p"})
    login(personas["secretariat"])
    item = published.items.first()
    response = client.post(url("vote", item.pk), {"mode": "count", "yes": 1, "no": 0, "abstain": 0})
    assert response.status_code == 400 and b"not quorate" in response.content
    assert not Vote.objects.exists()


def test_vote_by_count_and_by_name(client, login, personas, held, council):
    login(personas["secretariat"])
    item = held.items.first()
    assert client.get(url("vote", item.pk)).status_code == 200
    response = client.post(
        url("vote", item.pk), {"mode": "count", "yes": 1, "no": 1, "abstain": 1, "leader_vote": "yes"}
    )
    assert response.status_code == 302 and Vote.objects.get().passed
    ballots = {f"ballot_{seat(council, n).pk}": c for n, c in [(1, "no"), (2, "yes"), (3, "no")]}
    client.post(url("vote", item.pk), {"mode": "name", **ballots})
    vote = Vote.objects.get()
    assert (vote.by_name, vote.yes, vote.no, vote.passed) == (True, 1, 2, False)


def test_minutes_workflow_through_views(client, login, personas, held):
    item = held.items.first()
    login(personas["secretariat"])
    response = client.post(url("minutes", held.pk), {f"decision_{item.pk}": "Indstillingen godkendt"})
    assert response.status_code == 302
    login(personas["member"])
    assert client.get(url("minutes", held.pk)).status_code == 404  # nothing published yet
    login(personas["chair"])
    client.post(url("minutes_approve", held.pk))
    assert Minutes.objects.get().status == "approved"
    login(personas["secretariat"])
    client.post(url("minutes_publish", held.pk))
    assert Minutes.objects.get().status == "published"
    client.post(url("minutes_revise", held.pk), {"reason": ""})
    assert Minutes.objects.get().version == 1  # refused: no reason
    client.post(url("minutes_revise", held.pk), {"reason": "Rettelse"})
    assert Minutes.objects.get().version == 2
    login(personas["member"])
    page = client.get(url("minutes", held.pk)).content.decode()
    assert "Indstillingen godkendt" in page and "Mona Member" not in page.split("Absent")[1].split("</p>")[0]


def test_public_pages_show_published_agendas_without_closed_items(client, published, meeting, council):
    client.logout()
    page = client.get(url("public_council", council.region.slug)).content.decode()
    assert f'href="{url("public_meeting", published.pk)}"' in page
    page = client.get(url("public_meeting", published.pk)).content.decode()
    assert "Sundhedsaftale 2027" in page and "Udpegning" not in page


def test_public_cannot_see_unpublished_meeting(client, meeting):
    assert client.get(url("public_meeting", meeting.pk)).status_code == 404


def test_public_calendar_has_no_closed_items(client, published, council):
    response = client.get(url("public_calendar", council.region.slug))
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in body and "Sundhedsaftale 2027" in body and "Udpegning" not in body


def test_personal_calendar_feed_uses_secret_token(client, login, personas, published):
    from meetings.models import CalendarToken

    login(personas["member"])
    client.get(url("calendar"))
    assert not CalendarToken.objects.exists()  # a GET changes nothing
    client.post(url("calendar"))
    page = client.get(url("calendar")).content.decode()
    token = CalendarToken.objects.get(user=personas["member"]).token
    assert token in page
    client.logout()
    body = client.get(url("calendar_feed", token)).content.decode()
    assert "Sundhedsaftale 2027" in body and "Udpegning" not in body
    assert client.get(url("calendar_feed", "wrong")).status_code == 404
    login(personas["member"])
    client.post(url("calendar"))
    client.logout()
    assert client.get(url("calendar_feed", token)).status_code == 404


def test_extraordinary_request_and_call(client, login, personas, council):
    login(personas["member"])
    client.post(url("extraordinary_request", council.pk), {"topic": "Akutmodtagelse"})
    assert b"1 member has asked" in client.get(url("plan", council.pk)).content
    login(personas["chair"])
    response = client.post(
        url("extraordinary_call", council.pk), {"starts_at": "2027-01-05T09:00", "location": "KL"}
    )
    assert response.status_code == 302
    assert Meeting.objects.get(location="KL").kind == Meeting.Kind.EXTRAORDINARY


def test_index_and_nav(client, login, personas, meeting):
    login(personas["member"])
    page = client.get(url("index")).content.decode()
    assert url("detail", meeting.pk) in page and 'href="/moeder/"' in page


def test_public_index(client):
    assert client.get(url("public_index")).status_code == 200


def test_dashboard_panels(client, login, personas, meeting, council):
    services.proposal_submit(
        meeting=meeting,
        politician=personas["member"].politician,
        user=personas["member"],
        title="Cykelstier",
        description="D",
    )
    login(personas["secretariat"])
    page = client.get(reverse("home")).content.decode()
    assert "Upcoming meetings" in page and "Agenda deadlines" in page and "Cykelstier" in page
    login(personas["member"])
    page = client.get(reverse("home")).content.decode()
    assert "Your item proposals" in page and "Agenda deadlines" not in page
    login(personas["clerk_a"])
    assert "Upcoming meetings" not in client.get(reverse("home")).content.decode()


PUBLIC = [
    ("public_index", lambda m: []),
    ("public_council", lambda m: [m.council.region.slug]),
    ("public_meeting", lambda m: [m.pk]),
    ("public_document", lambda m: [m.pk, "agenda"]),
    ("public_calendar", lambda m: [m.council.region.slug]),
]


@pytest.mark.parametrize(("name", "args"), PUBLIC, ids=[p[0] for p in PUBLIC])
def test_public_views_refuse_changes(client, published, name, args):
    assert client.post(url(name, *args(published))).status_code == 405


def test_calendar_feed_refuses_post(client, login, personas):
    token = services.calendar_token_reset(user=personas["member"]).token
    assert client.post(url("calendar_feed", token)).status_code == 405


def test_plan_page_queries_are_bounded(client, login, personas, council, django_assert_max_num_queries):
    for month in range(1, 13):
        m = services.meeting_plan(council=council, starts_at=at(datetime.date(2027, month, 10)))
        Minutes.objects.create(meeting=m)  # the plan shows the minutes' state of each meeting
    services.extraordinary_request(council=council, politician=seat(council, 3).holder, topic="x")
    login(personas["secretariat"])
    with django_assert_max_num_queries(12):
        response = client.get(url("plan", council.pk) + "?year=2027")
    assert response.content.count(b"<tr><td><a") == 12


def test_member_sees_decline_reason_on_dashboard(client, login, personas, meeting):
    p = services.proposal_submit(
        meeting=meeting,
        politician=personas["member"].politician,
        user=personas["member"],
        title="Havne",
        description="D",
    )
    services.proposal_decide(proposal=p, action="decline", by=personas["chair"], reason="Ikke regionalt")
    login(personas["member"])
    assert "Ikke regionalt" in client.get(reverse("home")).content.decode()


def test_secretariat_cancels_a_published_meeting(client, login, personas, published):
    login(personas["chair"])
    assert client.post(url("cancel", published.pk)).status_code == 403
    login(personas["secretariat"])
    assert client.get(url("cancel", published.pk)).status_code == 405
    assert client.post(url("cancel", published.pk)).status_code == 302
    assert Meeting.objects.get(pk=published.pk).status == Meeting.Status.CANCELLED
    assert Notice.objects.filter(key__startswith="meetings:cancelled").count() == 2  # chair and member
    client.logout()
    assert client.get(url("public_meeting", published.pk)).status_code == 404
    client.post(url("cancel", published.pk))  # anonymous: to login, nothing changes


def test_held_meeting_cannot_be_cancelled(personas, held):
    from django.core.exceptions import ValidationError

    Meeting.objects.filter(pk=held.pk).update(status=Meeting.Status.HELD)
    held.refresh_from_db()
    with pytest.raises(ValidationError):
        services.meeting_cancel(meeting=held)


def test_admin_lists_meetings_read_only(client, meeting):
    from accounts.models import User

    admin_user = User.objects.create_superuser(email="root@example.dk", password="x")
    from tests.conftest import log_in

    log_in(client, admin_user)
    response = client.get("/admin/meetings/meeting/")
    assert response.status_code == 200 and b"KKR Hovedstaden" in response.content
    assert client.get(f"/admin/meetings/meeting/{meeting.pk}/delete/").status_code == 403


def test_secretariat_moves_a_meeting(client, login, personas, meeting):
    login(personas["secretariat"])
    assert b'value="' in client.get(url("edit", meeting.pk)).content
    response = client.post(url("edit", meeting.pk), {"starts_at": "2027-05-06T13:00", "location": "Hillerød"})
    assert response.status_code == 302 and Meeting.objects.get(pk=meeting.pk).location == "Hillerød"


def test_chair_removes_an_item(client, login, personas, meeting):
    login(personas["chair"])
    first = meeting.items.get(order=1)
    assert client.post(url("item_remove", first.pk)).status_code == 302
    assert list(meeting.items.values_list("order", flat=True)) == [1]


def test_plan_refuses_absurd_years(client, login, personas, council):
    login(personas["member"])
    assert client.get(url("plan", council.pk) + "?year=99999").status_code == 404
    assert client.get(url("plan", council.pk) + "?year=abc").status_code == 200


def test_substitute_registered_as_attending_sees_closed_items_without_absence_report(
    client, login, personas, published, council
):
    closed = published.items.get(closed=True)
    login(personas["substitute"])
    assert "Udpegning" not in client.get(url("detail", published.pk)).content.decode()
    register(published, {3: "s"})  # at the meeting, no absence report beforehand
    assert not AbsenceReport.objects.exists()
    login(personas["substitute"])
    assert "Udpegning" in client.get(url("detail", published.pk)).content.decode()
    # Registered back as the member attending in person: the substitute no longer sees it.
    register(published, {3: "p"})
    login(personas["substitute"])
    assert "Udpegning" not in client.get(url("detail", published.pk)).content.decode()
    assert client.get(url("item_edit", closed.pk)).status_code in {403, 404}


def test_substitute_of_another_seat_attending_does_not_open_closed_items(
    client, login, personas, published, council
):
    register(published, {4: "s"})  # Sigrid attends for seat 4; the persona is seat 3's substitute
    login(personas["substitute"])
    assert "Udpegning" not in client.get(url("detail", published.pk)).content.decode()


def test_public_minutes_page_never_shows_a_decision_on_a_closed_item(client, login, personas, held):
    open_item, closed_item = held.items.order_by("order")
    services.minutes_save(
        meeting=held,
        by=personas["secretariat"],
        texts={open_item.pk: "Aftalen godkendt", closed_item.pk: "Hemmelig beslutning om udpegning"},
    )
    minutes = Minutes.objects.get()
    services.minutes_approve(minutes=minutes, by=personas["chair"])
    services.minutes_publish(minutes=minutes, by=personas["secretariat"])
    login(personas["member"])
    assert "Hemmelig beslutning" in client.get(url("minutes", held.pk)).content.decode()
    client.logout()
    page = client.get(url("public_meeting", held.pk)).content.decode()
    assert "Aftalen godkendt" in page
    assert "Hemmelig beslutning" not in page and "Udpegning" not in page


def test_moving_a_published_meeting_at_short_notice_asks_for_the_reason(client, login, personas, published):
    login(personas["secretariat"])
    soon = (timezone.localdate() + datetime.timedelta(days=3)).isoformat() + "T10:00"
    response = client.post(url("edit", published.pk), {"starts_at": soon, "location": "Kbh"})
    assert response.status_code == 200 and b"give the reason" in response.content
    assert Meeting.objects.get(pk=published.pk).date != timezone.localdate() + datetime.timedelta(days=3)
    response = client.post(
        url("edit", published.pk), {"starts_at": soon, "location": "Kbh", "reason": "Ny lov"}
    )
    assert response.status_code == 302
    assert "Ny lov" in client.get(url("detail", published.pk)).content.decode()
    client.logout()
    assert "Ny lov" in client.get(url("public_meeting", published.pk)).content.decode()
