"""Celery tasks of the IV agreement: thin, idempotent wrappers around services."""

from celery import shared_task

from . import documents

# The services enqueue these tasks, so they import this module; a task imports them when it runs.


@shared_task(name="agreements.tasks.settle")
def settle(job_id: int) -> str | None:
    """Run a settlement asked for on the page (SettlementJob); a second delivery does nothing."""
    from . import services  # see above: the services import this module

    job = services.settlement_job_run(job_id)
    return job.status if job else None


@shared_task(name="agreements.tasks.resume_settlements")
def resume_settlements() -> int:
    """When a worker starts: settlement jobs left queued or by a dead worker are sent again."""
    from . import services  # see above: the services import this module

    return services.settlement_jobs_resume()


@shared_task(name="agreements.tasks.render_statement_pdf")
def render_statement_pdf(statement_id: int) -> bool:
    """Render a statement's PDF once per state (draft/final); a second delivery does nothing."""
    return documents.statement_pdf_store(statement_id)


@shared_task(name="agreements.tasks.retry_owed_statement_pdfs")
def retry_owed_statement_pdfs() -> int:
    """When a worker starts: statement PDFs asked for but never stored are rendered again."""
    from . import services  # see above: the services import this module

    return services.statement_pdfs_owed_retry()


@shared_task(name="agreements.tasks.render_quarter_report")
def render_quarter_report(report_id: int) -> bool:
    """Render the quarterly monitoring PDF when its data changed; otherwise do nothing."""
    return documents.quarter_report_store(report_id)


@shared_task(name="agreements.tasks.queue_key_date_notices")
def queue_key_date_notices() -> int:
    """Daily: the extension deadline and the quarterly follow-up, as Notice rows (once per key)."""
    from . import services  # see above: the services import this module

    return services.key_date_notices_queue()
