import datetime
import io
import time

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import Notice
from meetings import rules, services, tasks
from meetings.models import Document, Meeting
from meetings.schedule import BEAT

from .conftest import approve, at, register, seat


def pdf_text(document: Document) -> str:
    with document.file.open("rb") as f:
        reader = PdfReader(io.BytesIO(f.read()))
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged (PDF/UA)
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def rendered_agenda(meeting, personas, django_capture_on_commit_callbacks):
    approve(meeting)
    with django_capture_on_commit_callbacks(execute=True):
        services.agenda_publish(meeting=meeting, by=personas["secretariat"])
    return Meeting.objects.get(pk=meeting.pk)


@pytest.mark.django_db
def test_public_agenda_pdf_leaves_closed_items_out(rendered_agenda):
    public = Document.objects.get(meeting=rendered_agenda, kind=Document.Kind.AGENDA_PUBLIC)
    members = Document.objects.get(meeting=rendered_agenda, kind=Document.Kind.AGENDA)
    assert public.status == members.status == Document.Status.READY
    public_text, members_text = pdf_text(public), pdf_text(members)
    assert "Sundhedsaftale 2027" in public_text and "Udpegning" not in public_text
    assert "Udpegning til bestyrelse" in members_text
    assert "KKR Hovedstaden" in public_text


@pytest.mark.django_db
def test_minutes_pdf_names_absentees_and_substitutes(
    rendered_agenda, personas, council, django_capture_on_commit_callbacks
):
    register(rendered_agenda, {1: "p", 2: "p", 3: "s", 4: "a"})
    item = rendered_agenda.items.get(closed=False)
    closed = rendered_agenda.items.get(closed=True)
    services.vote_record(item=item, by=personas["secretariat"], yes=2, no=1, abstain=0)
    minutes = services.minutes_save(
        meeting=rendered_agenda,
        by=personas["secretariat"],
        texts={item.pk: "Godkendt", closed.pk: "Hemmelig beslutning"},
    )
    minutes = services.minutes_approve(minutes=minutes, by=personas["chair"])
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_publish(minutes=minutes, by=personas["secretariat"])
    members = pdf_text(Document.objects.get(meeting=rendered_agenda, kind=Document.Kind.MINUTES))
    public = pdf_text(Document.objects.get(meeting=rendered_agenda, kind=Document.Kind.MINUTES_PUBLIC))
    for text in (members, public):
        assert "Carl Member" in text.split("Fraværende")[1]  # seat 4 absent (the PDF is in Danish)
        assert "Sune Substitute" in text and "Godkendt" in text
    assert "Hemmelig beslutning" in members and "Hemmelig" not in public and "Udpegning" not in public


@pytest.mark.django_db
def test_render_task_twice_renders_once(rendered_agenda):
    doc = Document.objects.get(meeting=rendered_agenda, kind=Document.Kind.AGENDA)
    first = (doc.file.name, doc.rendered_at)
    tasks.render_agenda_pdf(rendered_agenda.pk)
    doc.refresh_from_db()
    assert (doc.file.name, doc.rendered_at) == first


@pytest.mark.django_db
def test_pdf_download_for_members_and_public(client, login, personas, rendered_agenda):
    login(personas["member"])
    response = client.get(reverse("meetings:document", args=[rendered_agenda.pk, "agenda"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    client.logout()
    response = client.get(reverse("meetings:public_document", args=[rendered_agenda.pk, "agenda"]))
    assert response.status_code == 200
    assert (
        client.get(reverse("meetings:public_document", args=[rendered_agenda.pk, "minutes"])).status_code
        == 404
    )


@pytest.mark.django_db
def test_status_is_shown_while_rendering(client, login, personas, meeting):
    approve(meeting)
    services.agenda_publish(meeting=meeting, by=personas["secretariat"])  # on_commit not run: still rendering
    login(personas["member"])
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "being made" in page and "hx-trigger" in page
    fragment = client.get(reverse("meetings:documents_status", args=[meeting.pk])).content.decode()
    assert "being made" in fragment
    assert client.get(reverse("meetings:document", args=[meeting.pk, "agenda"])).status_code == 404


def test_render_tasks_go_to_the_pdf_queue():
    from django.conf import settings

    for task in (tasks.render_agenda_pdf, tasks.render_minutes_pdf):
        assert task.name.split(".")[-1].startswith("render_")
    assert settings.CELERY_TASK_ROUTES["*.render_*"] == {"queue": "pdf"}
    assert BEAT["meetings-deadline-notices"]["task"] == tasks.queue_deadline_notices.name


@pytest.mark.django_db
def test_deadline_task_twice_queues_each_notice_once(council, personas):
    day = timezone.localdate() + datetime.timedelta(days=30)
    services.meeting_plan(council=council, starts_at=at(day))
    today = rules.reminder_day(day).isoformat()
    tasks.queue_deadline_notices(today)
    tasks.queue_deadline_notices(today)
    assert Notice.objects.filter(key__startswith="meetings:reminder").count() == 2


# --- With the real worker, through Redis ------------------------------------------------------


@pytest.mark.redis
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_deadline_notices_sent_exactly_once_by_real_worker(real_worker, council, personas):
    day = timezone.localdate() + datetime.timedelta(days=30)
    m = services.meeting_plan(council=council, starts_at=at(day))
    today = rules.agenda_deadline(day).isoformat()
    # Beat fires twice; each run queues notices and enqueues the sender.
    tasks.queue_deadline_notices.delay(today)
    tasks.queue_deadline_notices.delay(today)
    deadline = time.monotonic() + 60  # generous: CI machines are busy
    keys = {f"meetings:deadline-day:{m.pk}:{u.pk}" for u in (personas["secretariat"], personas["chair"])}
    while time.monotonic() < deadline:
        if Notice.objects.filter(key__in=keys, status=Notice.Status.SENT).count() == 2:
            break
        time.sleep(0.1)
    time.sleep(1)  # let the other deliveries run too
    assert Notice.objects.filter(key__in=keys, status=Notice.Status.SENT, attempts=1).count() == 2
    assert Notice.objects.filter(key__startswith="meetings:").count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["chair@example.dk", "secretariat@example.dk"]
    assert seat(council, 1).holder_id == council.chair_id


@pytest.mark.django_db
def test_failed_render_is_shown(
    client, login, personas, meeting, monkeypatch, django_capture_on_commit_callbacks
):
    import core.pdf

    def broken(*args, **kwargs):
        raise RuntimeError("font missing")

    monkeypatch.setattr(core.pdf, "render_pdf", broken)
    approve(meeting)
    with pytest.raises(RuntimeError), django_capture_on_commit_callbacks(execute=True):
        services.agenda_publish(meeting=meeting, by=personas["secretariat"])
    assert Document.objects.get(meeting=meeting, kind=Document.Kind.AGENDA).status == Document.Status.FAILED
    login(personas["secretariat"])
    assert b"could not be made" in client.get(reverse("meetings:detail", args=[meeting.pk])).content
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("meetings:documents_render", args=[meeting.pk]))
    assert response.status_code == 302
    assert Document.objects.get(meeting=meeting, kind=Document.Kind.AGENDA).status == Document.Status.READY


@pytest.mark.django_db
def test_documents_left_pending_are_rendered_by_the_periodic_retry(meeting, personas):
    approve(meeting)
    services.agenda_publish(meeting=meeting, by=personas["secretariat"])  # on_commit never ran: broker "down"
    assert tasks.retry_pending_documents() == 0  # too fresh
    Document.objects.update(requested_at=timezone.now() - datetime.timedelta(minutes=6))
    assert tasks.retry_pending_documents() == 1
    assert set(Document.objects.values_list("status", flat=True)) == {Document.Status.READY}
    assert BEAT["meetings-retry-pending-documents"]["task"] == tasks.retry_pending_documents.name


@pytest.mark.django_db
def test_a_starting_worker_renders_every_pending_document_at_once(meeting, personas, settings):
    from kkr_portal.celery import app, resume_unfinished_work

    approve(meeting)
    services.agenda_publish(meeting=meeting, by=personas["secretariat"])  # its task died with a worker
    assert (
        "meetings.tasks.retry_pending_documents",
        {"older_than_seconds": 0},
    ) in settings.WORKER_START_TASKS
    sent = []
    app.loader.import_default_modules()  # every app's tasks, as a starting worker has them
    original = app.send_task
    app.send_task = lambda name, kwargs: sent.append(app.tasks[name].apply(kwargs=kwargs).get())
    try:
        resume_unfinished_work()
    finally:
        app.send_task = original
    assert sent and sent[0] == 1  # rendered though requested only now, not 5 minutes ago
    assert set(Document.objects.values_list("status", flat=True)) == {Document.Status.READY}
