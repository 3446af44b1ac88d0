"""The PDF record of an election is rendered by a real Celery worker on the pdf queue, via Redis."""

import time

import pytest

from appointments import services
from appointments.models import Election
from appointments.tasks import render_election_record


@pytest.mark.redis
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_election_record_is_rendered_by_the_worker_and_twice_is_harmless(council, results, real_worker):
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
