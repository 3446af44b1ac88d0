from celery import shared_task

from .services import notices_prune_links, notices_send_due


@shared_task(name="accounts.tasks.send_due_notices")
def send_due_notices() -> int:
    return notices_send_due()


@shared_task(name="accounts.tasks.prune_link_notices")
def prune_link_notices() -> int:
    return notices_prune_links()
