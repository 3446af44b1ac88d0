"""The archive: one search entry per searchable thing of a published agenda (an item, its
decision in the published minutes, an attachment's text), the text extracted from attachments,
and the secretariat's follow-up of each decision (the decision register)."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetings.models import AgendaItem, Attachment


class SearchEntry(models.Model):
    """A stored search document, written only by archive.index (called from the services that
    publish and change items). Who may find it is decided at query time from the item and its
    meeting (meetings.access.visible_items), never from a copy here."""

    class Kind(models.TextChoices):
        ITEM = "item", _("Agenda item")
        DECISION = "decision", _("Decision in the minutes")
        ATTACHMENT = "attachment", _("Attachment")

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="+")
    attachment = models.ForeignKey(
        Attachment, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(max_length=250)
    body = models.TextField(blank=True)
    # SQLite fallback: distinct Snowball stems, space-padded (rules.stems_of).
    title_stems = models.TextField(blank=True)
    stems = models.TextField(blank=True)
    # PostgreSQL: the `danish` tsvector of title (weight A) and body (weight B), GIN-indexed
    # (migration 0002; the column stays empty on SQLite).
    vector = SearchVectorField(null=True, blank=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")

    def __str__(self):
        return f"{self.kind} {self.item_id}"


class AttachmentText(models.Model):
    """The text of an attachment, extracted once after the upload (archive.tasks)."""

    attachment = models.OneToOneField(Attachment, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(blank=True)
    failed = models.BooleanField(default=False)
    extracted_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"text of {self.attachment_id}"


class FollowUp(models.Model):
    """The secretariat's follow-up of a decision (the decision register)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    item = models.OneToOneField(AgendaItem, on_delete=models.CASCADE, related_name="follow_up")
    status = models.CharField(_("follow-up"), max_length=12, choices=Status.choices, default=Status.OPEN)
    note = models.TextField(_("note"), blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("follow-up of a decision")
        verbose_name_plural = _("follow-ups of decisions")

    def __str__(self):
        return f"{self.item_id}: {self.status}"
