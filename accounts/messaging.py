"""One way to write to people: render a message from templates and queue it in the outbox.

Templates: ``<name>_subject.txt``, ``<name>.txt`` and, optionally, ``<name>.html``.
Messages are rendered in Danish whatever the language of the request or worker.
"""

import hashlib
import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation

from core.tasks import enqueue_on_commit

from .models import Notice

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Message:
    subject: str
    body: str
    html: str


def render_message(template: str, context: dict) -> Message:
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override("da"):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
        try:
            html = render_to_string(f"{template}.html", context)
        except TemplateDoesNotExist:
            html = ""
    return Message(subject=subject, body=body, html=html)


def deliver(subject: str, body: str, html: str, to: list[str], *, message_id: str = "") -> None:
    """Hand a message to the mail server. A notice passes a Message-ID made from its key: should a
    worker die after the hand-over but before marking the notice sent, the resent copy carries the
    same Message-ID, so mail systems can recognise it as the same message."""
    headers = {"Message-ID": message_id} if message_id else None
    mail = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, to, headers=headers)
    if html:
        mail.attach_alternative(html, "text/html")
    mail.send()


def notice_message_id(key: str) -> str:
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    domain = urlsplit(settings.SITE_URL).hostname or "kkr-portal.local"
    return f"<notice-{digest}@{domain}>"


def queue_notice(
    *,
    key: str,
    to_email: str,
    template: str,
    context: dict,
    user=None,
    url: str = "",
    due_at=None,
    personal_link: bool = False,
) -> Notice:
    """Queue a notice once per key: queuing the same key again returns the existing row."""
    existing = Notice.objects.filter(key=key).first()
    if existing:
        return existing
    message = render_message(template, context)
    notice, _created = Notice.objects.get_or_create(
        key=key,
        defaults={
            "user": user,
            "to_email": to_email,
            "subject": message.subject[:250],
            "body": message.body,
            "html": message.html,
            "url": url,
            "personal_link": personal_link,
            "due_at": due_at or timezone.now(),
        },
    )
    # Here: accounts.tasks imports accounts.services, which imports this module (a real cycle).
    from .tasks import send_due_notices

    enqueue_on_commit(send_due_notices)
    return notice
