from celery import shared_task

from . import services


@shared_task
def queue_reminders() -> int:
    """Reminders before an event's free cancellation ends and before an initiative's report is due."""
    return services.cancellation_reminders_queue() + services.report_reminders_queue()
