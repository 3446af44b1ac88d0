"""The PDF record of an election is rendered by a real Celery worker on the pdf queue, via Redis."""

import time

import pytest
from celery.contrib.testing.worker import start_worker

from appointments import services
from appointments.models import Election
from appointments.tasks import render_election_record
from kkr_portal.celery import app


@pytest.fixture
def pdf_worker(settings):
    import celery.contrib.testing.tasks  # noqa: F401 - registers the ping task start_worker waits for

    app.conf.task_always_eager = False
    app.conf.broker_url = settings.REDIS_URL
    try:
        with start_worker(
            app,
            pool="solo",
            perform_ping_check=False,
            loglevel="WARNING",
            shutdown_timeout=10,
            queues=["pdf"],
        ):
            yield
    finally:
        app.conf.task_always_eager = True


@pytest.mark.redis
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_election_record_is_rendered_by_the_worker_and_twice_is_harmless(council, results, pdf_worker):
    election = services.chair_election_run(council=council)
    render_election_record.delay(election.pk)
    render_election_record.delay(election.pk)  # a second delivery renders the same record again
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        election.refresh_from_db()
        if election.record_pdf:
            break
        time.sleep(0.2)
    time.sleep(2)
    election.refresh_from_db()
    assert election.record_pdf.name.endswith(".pdf")
    assert election.record_pdf.open("rb").read(5) == b"%PDF-"
    assert Election.objects.count() == 1
