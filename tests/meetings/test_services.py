import datetime
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from accounts.models import Notice
from meetings import notices, rules, services
from meetings.attachments import MAX_ATTACHMENT_BYTES, sniff
from meetings.models import (
    AgendaItem,
    Decision,
    Document,
    ExtraordinaryRequest,
    ItemProposal,
    Meeting,
    Minutes,
    MinutesVersion,
)
from tests.conftest import make_user

from .conftest import approve, at, register, seat

pytestmark = pytest.mark.django_db


def publish_days_before(meeting, days, reason="", by=None):
    now = at(meeting.date - datetime.timedelta(days=days), 15)
    approve(meeting)
    return services.agenda_publish(meeting=meeting, by=by, reason=reason, now=now)


def test_items_get_the_next_place_and_move(meeting):
    first, second = meeting.items.order_by("order")
    third = services.item_add(meeting=meeting, title="Infrastruktur")
    assert third.order == 3
    services.item_move(item=third, step=-1)
    assert list(meeting.items.order_by("order").values_list("title", flat=True)) == [
        first.title,
        "Infrastruktur",
        second.title,
    ]
    services.item_move(item=first, step=-1)  # already first: nothing happens
    assert AgendaItem.objects.get(pk=first.pk).order == 1


def test_agenda_published_exactly_seven_days_before_needs_no_reason(meeting, personas):
    published = publish_days_before(meeting, 7, by=personas["secretariat"])
    assert published.status == Meeting.Status.PUBLISHED and published.late_reason == ""


def test_agenda_six_days_before_without_reason_is_refused(meeting, personas):
    with pytest.raises(ValidationError) as error:
        publish_days_before(meeting, 6, by=personas["secretariat"])
    assert "reason" in error.value.message_dict
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.PLANNED


def test_agenda_six_days_before_with_reason_records_it(meeting, personas):
    published = publish_days_before(meeting, 6, reason="Ny bekendtgørelse", by=personas["secretariat"])
    assert published.late_reason == "Ny bekendtgørelse"


def test_extraordinary_agenda_may_come_late(council, personas):
    m = services.meeting_call_extraordinary(
        council=council, starts_at=at(timezone.localdate() + datetime.timedelta(days=2))
    )
    services.item_add(meeting=m, title="Akut sag")
    approve(m)
    assert services.agenda_publish(meeting=m, by=personas["secretariat"]).status == Meeting.Status.PUBLISHED


def test_empty_agenda_is_not_published(council, personas):
    m = services.meeting_plan(
        council=council, starts_at=at(timezone.localdate() + datetime.timedelta(days=20))
    )
    with pytest.raises(ValidationError):
        services.agenda_publish(meeting=m, by=personas["secretariat"])


def test_publishing_notifies_members_and_called_in_substitutes(meeting, personas, council):
    services.absence_report(meeting=meeting, seat=seat(council, 3), by=personas["member"])
    approve(meeting)
    services.agenda_publish(meeting=meeting, by=personas["secretariat"])
    told = set(
        Notice.objects.filter(key__startswith="meetings:agenda-published").values_list(
            "user__email", flat=True
        )
    )
    assert told == {"chair@example.dk", "member@example.dk", "substitute@example.dk"}
    assert Document.objects.filter(meeting=meeting, kind=Document.Kind.AGENDA_PUBLIC).exists()


def test_absence_report_notifies_the_personal_substitute_once(meeting, personas, council):
    services.absence_report(meeting=meeting, seat=seat(council, 3), by=personas["member"])
    services.absence_report(meeting=meeting, seat=seat(council, 3), by=personas["member"])
    notices = Notice.objects.filter(user=personas["substitute"])
    assert notices.count() == 1
    assert "substitute" in notices.get().subject.lower() or "stedfortræder" in notices.get().subject.lower()


def test_absence_cannot_be_reported_after_the_start(meeting, personas, council):
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - datetime.timedelta(hours=1))
    meeting.refresh_from_db()
    with pytest.raises(ValidationError):
        services.absence_report(meeting=meeting, seat=seat(council, 3), by=personas["member"])


def test_quorum_with_exactly_half_present(meeting):
    from meetings.selectors import quorum_state

    register(meeting, {1: "p", 2: "p", 3: "a", 4: "a"})
    assert quorum_state(meeting).quorate
    register(meeting, {2: "a"})
    assert not quorum_state(meeting).quorate  # one short


def test_a_substitute_makes_the_quorum(meeting):
    from meetings.selectors import quorum_state

    register(meeting, {1: "p", 2: "a", 3: "a", 4: "a"})
    assert not quorum_state(meeting).quorate
    register(meeting, {3: "s"})
    state = quorum_state(meeting)
    assert state.quorate and state.present == 2


def test_leader_is_chair_else_vice_chair(meeting, council):
    register(meeting, {1: "p", 2: "p"})
    assert meeting.leader_id == council.chair_id
    register(meeting, {1: "a"})
    assert meeting.leader_id == council.vice_chair_id
    register(meeting, {2: "s"})  # the vice-chair's substitute does not lead
    assert meeting.leader_id is None


def test_tie_decided_by_the_chair(held, personas):
    item = held.items.first()
    vote = services.vote_record(
        item=item, by=personas["secretariat"], yes=1, no=1, abstain=1, leader_vote="yes"
    )
    assert vote.passed
    vote = services.vote_record(
        item=item, by=personas["secretariat"], yes=1, no=1, abstain=1, leader_vote="no"
    )
    assert not vote.passed


def test_tie_decided_by_the_vice_chair_when_leading_by_name(held, personas, council):
    register(held, {1: "a", 4: "p"})
    assert held.leader_id == council.vice_chair_id
    item = held.items.first()
    ballots = {seat(council, 2).pk: "yes", seat(council, 3).pk: "no", seat(council, 4).pk: "abstain"}
    vote = services.vote_record(item=item, by=personas["secretariat"], ballots=ballots)
    assert (vote.yes, vote.no, vote.abstain, vote.leader_vote, vote.passed) == (1, 1, 1, "yes", True)
    assert vote.ballots.count() == 3


def test_vote_refused_when_not_quorate(meeting, personas):
    register(meeting, {1: "p", 2: "a", 3: "a", 4: "a"})
    with pytest.raises(ValidationError, match="not quorate"):
        services.vote_record(item=meeting.items.first(), by=personas["secretariat"], yes=1)


def test_vote_cannot_exceed_present_seats(held, personas):
    with pytest.raises(ValidationError):
        services.vote_record(item=held.items.first(), by=personas["secretariat"], yes=3, no=1)


def test_absent_seat_cannot_vote_by_name(held, personas, council):
    with pytest.raises(ValidationError):
        services.vote_record(
            item=held.items.first(), by=personas["secretariat"], ballots={seat(council, 4).pk: "yes"}
        )


def test_decision_refused_when_not_quorate(meeting, personas):
    register(meeting, {1: "p", 2: "a", 3: "a", 4: "a"})
    item = meeting.items.first()
    with pytest.raises(ValidationError):
        services.minutes_save(meeting=meeting, by=personas["secretariat"], texts={item.pk: "Godkendt"})


def test_minutes_workflow_freezes_and_keeps_history(held, personas):
    item = held.items.first()
    sec = personas["secretariat"]
    minutes = services.minutes_save(meeting=held, by=sec, texts={item.pk: "Godkendt"})
    minutes = services.minutes_approve(minutes=minutes, by=personas["chair"])
    with pytest.raises(ValidationError, match="frozen"):
        services.minutes_save(meeting=held, by=sec, texts={item.pk: "Ændret"})
    minutes = services.minutes_publish(minutes=minutes, by=sec)
    assert minutes.published_version == 1
    with pytest.raises(ValidationError):
        services.minutes_revise(minutes=minutes, by=sec, reason=" ")
    minutes = services.minutes_revise(minutes=minutes, by=sec, reason="Stavefejl")
    services.minutes_save(meeting=held, by=sec, texts={item.pk: "Godkendt med ændring"})
    minutes.refresh_from_db()
    assert (minutes.version, minutes.status, minutes.published_version) == (2, Minutes.Status.DRAFT, 1)
    texts = dict(Decision.objects.filter(item=item).values_list("version", "text"))
    assert texts == {1: "Godkendt", 2: "Godkendt med ændring"}
    assert list(MinutesVersion.objects.filter(minutes=minutes).values_list("number", "reason")) == [
        (1, ""),
        (2, "Stavefejl"),
    ]


def test_minutes_cannot_be_published_before_approval(held, personas):
    minutes = services.minutes_save(
        meeting=held, by=personas["secretariat"], texts={held.items.first().pk: "x"}
    )
    with pytest.raises(ValidationError):
        services.minutes_publish(minutes=minutes, by=personas["secretariat"])


def test_proposal_flow(meeting, personas):
    member = personas["member"]
    p = services.proposal_submit(
        meeting=meeting,
        politician=member.politician,
        user=member,
        title="Trafik",
        description="Lad os drøfte",
    )
    with pytest.raises(ValidationError):
        services.proposal_decide(proposal=p, action="decline", by=personas["secretariat"])
    p = services.proposal_decide(proposal=p, action="place", by=personas["secretariat"])
    assert p.status == ItemProposal.Status.PLACED and p.item.meeting_id == meeting.pk
    assert Notice.objects.filter(user=member, key__startswith="meetings:proposal").count() == 1
    with pytest.raises(ValidationError):
        services.proposal_decide(proposal=p, action="decline", by=personas["secretariat"], reason="x")


def test_declined_proposal_keeps_reason(meeting, personas):
    member = personas["member"]
    p = services.proposal_submit(
        meeting=meeting, politician=member.politician, user=member, title="T", description="D"
    )
    p = services.proposal_decide(
        proposal=p, action="decline", by=personas["chair"], reason="Ikke regionalpolitisk"
    )
    assert p.reason == "Ikke regionalpolitisk" and p.status == ItemProposal.Status.DECLINED


def test_extraordinary_requests_tell_chair_and_secretariat_at_a_third(council, personas):
    # 4 seats: a third rounded up is 2.
    services.extraordinary_request(council=council, politician=seat(council, 3).holder, topic="Sygehus")
    assert not Notice.objects.filter(key__startswith="meetings:extraordinary").exists()
    with pytest.raises(ValidationError):
        services.extraordinary_request(council=council, politician=seat(council, 3).holder, topic="igen")
    services.extraordinary_request(council=council, politician=seat(council, 4).holder, topic="Sygehus")
    told = set(
        Notice.objects.filter(key__startswith="meetings:extraordinary").values_list("user__email", flat=True)
    )
    assert told == {"secretariat@example.dk", "chair@example.dk"}
    m = services.meeting_call_extraordinary(
        council=council, starts_at=at(timezone.localdate() + datetime.timedelta(days=5))
    )
    assert ExtraordinaryRequest.objects.filter(meeting=m).count() == 2


def test_deadline_notices_are_queued_once(council, personas):
    day = timezone.localdate() + datetime.timedelta(days=30)
    m = services.meeting_plan(council=council, starts_at=at(day))
    reminder = rules.reminder_day(day)
    assert notices.deadline_notices_queue(today=reminder - datetime.timedelta(days=1)) == 0
    notices.deadline_notices_queue(today=reminder)
    notices.deadline_notices_queue(today=reminder)
    keys = sorted(Notice.objects.values_list("key", flat=True))
    assert keys == sorted(
        f"meetings:reminder:{m.pk}:{u.pk}" for u in (personas["secretariat"], personas["chair"])
    )
    notices.deadline_notices_queue(today=rules.agenda_deadline(day))
    assert Notice.objects.filter(key__startswith="meetings:deadline-day").count() == 2


def test_no_deadline_notice_once_published(meeting, personas):
    approve(meeting)
    services.agenda_publish(meeting=meeting, by=personas["secretariat"])
    assert notices.deadline_notices_queue(today=rules.agenda_deadline(meeting.date)) == 0


# --- Attachments -----------------------------------------------------------------------------


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("a.pdf", b"%PDF-1.7\n...", None),
        ("a.docx", docx_bytes(), None),
        ("a.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", None),
        ("a.pdf", b"<html>not a pdf", "content_mismatch"),
        ("a.docx", b"PK\x03\x04broken", "content_mismatch"),
        ("a.xlsx", docx_bytes(), "content_mismatch"),
        ("a.exe", b"MZ", "type_not_allowed"),
        ("a.pdf", b"", "empty"),
    ],
)
def test_sniff_judges_content(name, data, problem):
    assert sniff(name, data).problem == problem


def test_sniff_refuses_too_large():
    assert sniff("a.pdf", b"%PDF-" + b"0" * MAX_ATTACHMENT_BYTES).problem == "too_large"


def test_attachment_stored_outside_web_root(meeting, personas, settings):
    item = meeting.items.first()
    a = services.attachment_add(
        item=item, upload=SimpleUploadedFile("bilag.pdf", b"%PDF-1.7 x"), by=personas["secretariat"]
    )
    assert a.content_type == "application/pdf" and a.size == 10
    assert a.file.path.startswith(str(settings.MEDIA_ROOT)) and "bilag" not in a.file.name
    with pytest.raises(ValidationError, match="does not match"):
        services.attachment_add(
            item=item, upload=SimpleUploadedFile("x.pdf", b"GIF89a"), by=personas["secretariat"]
        )


def test_agenda_of_held_meeting_is_frozen(meeting):
    Meeting.objects.filter(pk=meeting.pk).update(
        status=Meeting.Status.HELD, agenda_published_at=timezone.now()
    )
    meeting.refresh_from_db()
    with pytest.raises(ValidationError):
        services.item_add(meeting=meeting, title="x")


def test_user_without_politician_gets_no_absence_notice(meeting, council, personas):
    make_user("other@example.dk")
    services.absence_report(meeting=meeting, seat=seat(council, 4), by=personas["secretariat"])
    assert not Notice.objects.filter(key__startswith="meetings:called-in").exists()


def test_accepted_proposal_moves_to_the_next_meeting(meeting, personas, council):
    member = personas["member"]
    p = services.proposal_submit(
        meeting=meeting, politician=member.politician, user=member, title="T", description="D"
    )
    with pytest.raises(ValidationError, match="Plan the next meeting"):
        services.proposal_decide(proposal=p, action="accept", by=personas["secretariat"])
    later = services.meeting_plan(council=council, starts_at=at(meeting.date + datetime.timedelta(days=60)))
    p = services.proposal_decide(proposal=p, action="accept", by=personas["secretariat"])
    assert p.status == ItemProposal.Status.ACCEPTED and p.meeting_id == later.pk
    p = services.proposal_decide(proposal=p, action="place", by=personas["chair"])
    assert p.item.meeting_id == later.pk


def test_vote_with_leader_vote_not_in_counts_is_refused(held, personas):
    with pytest.raises(ValidationError, match="not in the counts"):
        services.vote_record(
            item=held.items.first(), by=personas["secretariat"], yes=0, no=2, leader_vote="yes"
        )


def test_removing_an_item_closes_the_gap_and_reopens_its_proposal(meeting, personas):
    member = personas["member"]
    p = services.proposal_submit(
        meeting=meeting, politician=member.politician, user=member, title="T", description="D"
    )
    p = services.proposal_decide(proposal=p, action="place", by=personas["chair"])
    first = meeting.items.get(order=1)
    services.item_remove(item=first)
    assert list(meeting.items.order_by("order").values_list("order", flat=True)) == [1, 2]
    services.item_remove(item=p.item)
    p.refresh_from_db()
    assert p.status == ItemProposal.Status.PENDING and p.item is None


def test_meeting_moves_until_it_is_held(meeting):
    new_time = at(meeting.date + datetime.timedelta(days=1), 9)
    assert (
        services.meeting_move(meeting=meeting, starts_at=new_time, location="Roskilde").starts_at == new_time
    )
    Meeting.objects.filter(pk=meeting.pk).update(
        status=Meeting.Status.HELD, agenda_published_at=timezone.now()
    )
    with pytest.raises(ValidationError):
        services.meeting_move(meeting=meeting, starts_at=new_time)


@given(
    st.sampled_from(["a.pdf", "a.docx", "a.xlsx", "a.odt", "a.doc", "a.exe", "a"]), st.binary(max_size=2000)
)
def test_sniff_never_fails_on_any_bytes(name, data):
    verdict = sniff(name, data)
    assert (verdict.content_type is None) != (verdict.problem is None)


# --- Moving a published meeting (FO 3.3) ----------------------------------------------------------


def move_to_days_away(meeting, days, reason="", location="Kbh"):
    """Move the meeting to `days` after the day of the move (today), at 10:00."""
    today = timezone.localdate()
    return services.meeting_move(
        meeting=meeting, starts_at=at(today + datetime.timedelta(days=days)), location=location, reason=reason
    )


def test_published_meeting_moved_to_exactly_seven_days_away_needs_no_reason(published):
    moved = move_to_days_away(published, 7)
    assert moved.date == timezone.localdate() + datetime.timedelta(days=7) and moved.move_reason == ""


def test_published_meeting_moved_to_six_days_away_without_reason_is_refused(published):
    before = published.starts_at
    with pytest.raises(ValidationError) as error:
        move_to_days_away(published, 6)
    assert "reason" in error.value.message_dict
    assert Meeting.objects.get(pk=published.pk).starts_at == before
    assert not Notice.objects.filter(key__startswith="meetings:moved").exists()


def test_published_meeting_moved_to_six_days_away_records_the_reason(published):
    moved = move_to_days_away(published, 6, reason="Ministeren kan kun denne dag")
    assert moved.move_reason == "Ministeren kan kun denne dag"
    # Moved again to a date 7 days or more away: the short notice no longer applies.
    assert move_to_days_away(moved, 10).move_reason == ""


def test_unpublished_and_extraordinary_meetings_move_without_reason(meeting, council, personas):
    assert move_to_days_away(meeting, 2).move_reason == ""
    extra = services.meeting_call_extraordinary(
        council=council, starts_at=at(timezone.localdate() + datetime.timedelta(days=5))
    )
    services.item_add(meeting=extra, title="Hastesag")
    approve(extra)
    services.agenda_publish(meeting=extra, by=personas["secretariat"])
    assert move_to_days_away(extra, 1).move_reason == ""


def test_new_hour_or_place_on_the_same_day_needs_no_reason(published):
    moved = move_to_days_away(published, 6, reason="Kort varsel")
    same_day = services.meeting_move(
        meeting=moved, starts_at=moved.starts_at + datetime.timedelta(hours=3), location="Hillerød"
    )
    assert same_day.location == "Hillerød" and same_day.move_reason == "Kort varsel"


def test_members_are_told_of_each_move_of_a_published_meeting(published, personas, council):
    services.absence_report(meeting=published, seat=seat(council, 3), by=personas["member"])
    move_to_days_away(published, 10)
    told = set(Notice.objects.filter(key__startswith="meetings:moved").values_list("user__email", flat=True))
    assert told == {"chair@example.dk", "member@example.dk", "substitute@example.dk"}
    move_to_days_away(published, 11)
    assert Notice.objects.filter(key__startswith="meetings:moved").count() == 6
    # Saving without a change tells nobody.
    unchanged = Meeting.objects.get(pk=published.pk)
    services.meeting_move(meeting=unchanged, starts_at=unchanged.starts_at, location=unchanged.location)
    assert Notice.objects.filter(key__startswith="meetings:moved").count() == 6


def test_moving_an_unpublished_meeting_tells_nobody(meeting):
    move_to_days_away(meeting, 20)
    assert not Notice.objects.filter(key__startswith="meetings:moved").exists()
