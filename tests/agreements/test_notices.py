import datetime

import pytest

from accounts.models import Notice
from agreements.models import QuarterReport
from agreements.services import key_date_notices_queue

pytestmark = pytest.mark.django_db


def test_extension_and_follow_up_notices_are_queued_once(personas, agreement):
    day = datetime.date(2023, 8, 15)
    assert key_date_notices_queue(today=day) == 4  # officer and secretariat, two notices each
    key_date_notices_queue(today=day)
    subjects = sorted(Notice.objects.filter(user=personas["officer"]).values_list("subject", flat=True))
    assert len(subjects) == 2
    # Notices are written in Danish, whatever language the request speaks.
    assert any("forlængelse" in s for s in subjects) and any("2. kvartal 2023" in s for s in subjects)
    assert Notice.objects.count() == 4
    assert not Notice.objects.filter(user=personas["clerk_a"]).exists()
    assert QuarterReport.objects.filter(year=2023, quarter=2).count() == 1


def test_the_follow_up_has_the_quarter_report_rendered(
    personas, agreement, django_capture_on_commit_callbacks
):
    """The quarter's report is owed when its follow-up falls due (the monitoring PDF page only reads)."""
    with django_capture_on_commit_callbacks(execute=True):
        key_date_notices_queue(today=datetime.date(2023, 8, 15))
    report = QuarterReport.objects.get(year=2023, quarter=2)
    assert report.pdf and report.data_key == report.requested_key
    with django_capture_on_commit_callbacks(execute=True):
        key_date_notices_queue(today=datetime.date(2023, 8, 16))
    again = QuarterReport.objects.get(pk=report.pk)
    assert again.pdf.name == report.pdf.name and again.rendered_at == report.rendered_at  # current: kept


def test_no_extension_notice_outside_the_window(personas, agreement):
    key_date_notices_queue(today=datetime.date(2024, 2, 1))
    subjects = list(Notice.objects.filter(user=personas["officer"]).values_list("subject", flat=True))
    assert subjects == ["IV-aftalen: kvartalsopfølgning for 4. kvartal 2023"]


def test_nothing_before_the_agreement(personas, agreement):
    assert key_date_notices_queue(today=datetime.date(2021, 9, 1)) == 0


def test_beat_entry_is_registered(settings):
    assert (
        settings.CELERY_BEAT_SCHEDULE["iv-key-date-notices"]["task"]
        == "agreements.tasks.queue_key_date_notices"
    )


def test_clerks_hear_when_their_statement_is_final(personas, tariff_years, kbh):
    import datetime

    from agreements.services import course_register, settlement_run, statement_finalise

    from .conftest import course_input

    course_register(item=course_input(kbh, "N-1"))
    run = settlement_run(as_of=datetime.date(2030, 1, 1))
    statement = run.statements.get()
    statement_finalise(statement=statement)
    statement_finalise(statement=statement)
    notices = list(Notice.objects.filter(key__startswith="iv-statement-"))
    assert [n.user for n in notices] == [personas["clerk_a"]]
    assert "opgørelse nr. 1" in notices[0].subject and notices[0].url.endswith(
        f"/iv/opgoerelse/{statement.pk}/"
    )


def test_statement_pdf_owed_after_a_dead_worker_is_rendered_again(
    tariff_years, kbh, django_capture_on_commit_callbacks
):
    import datetime

    from agreements.models import Statement
    from agreements.services import (
        course_register,
        settlement_run,
        statement_finalise,
        statement_pdfs_owed_retry,
    )

    from .conftest import course_input

    course_register(item=course_input(kbh, "W-1"))
    statement = settlement_run(as_of=datetime.date(2030, 1, 1)).statements.get()
    statement_finalise(statement=statement)  # its render task never ran (the worker died)
    statement.refresh_from_db()
    assert not statement.pdf and statement.pdf_requested_key == statement.render_key
    with django_capture_on_commit_callbacks(execute=True):
        assert statement_pdfs_owed_retry() == 1
    statement = Statement.objects.get(pk=statement.pk)
    assert statement.pdf and statement.pdf_key == statement.render_key
    assert statement_pdfs_owed_retry() == 0
