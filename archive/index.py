"""Keeps the search entries current. Follows the services that publish and change agendas and
minutes through meetings.signals (connected in ArchiveConfig.ready(), so meetings never imports the
archive) and the attachment text task; never a page view. A meeting's entries are rebuilt whole: they are few (25 items, their decisions and
attachments), and a rebuild cannot leave a stale entry behind."""

from django.db import connection, transaction
from django.db.models import Exists, OuterRef

from meetings.models import AgendaItem, Attachment, Decision, Meeting, Minutes

from . import rules
from .models import AttachmentText, SearchEntry


def postgres() -> bool:
    return connection.vendor == "postgresql"


def _entry(item, kind, title, body, attachment=None) -> SearchEntry:
    body = rules.cap_text(body)
    return SearchEntry(
        item=item,
        attachment=attachment,
        kind=kind,
        title=title[:250],
        body=body,
        title_stems=rules.stems_of(title),
        stems=rules.stems_of(f"{title} {body}"),
    )


def entries_for(meeting_ids) -> list[SearchEntry]:
    """The entries of published agendas: items, decisions of the published minutes version,
    attachments with extracted text."""
    published = Meeting.objects.filter(pk__in=meeting_ids, agenda_published_at__isnull=False)
    items = list(AgendaItem.objects.filter(meeting__in=published).order_by("meeting_id", "order"))
    entries = [_entry(i, SearchEntry.Kind.ITEM, i.title, f"{i.recommendation}\n{i.case_text}") for i in items]
    by_id = {i.pk: i for i in items}
    versions = dict(
        Minutes.objects.filter(meeting__in=published, published_version__isnull=False).values_list(
            "pk", "published_version"
        )
    )
    for minutes_id, item_id, version, text in Decision.objects.filter(
        minutes_id__in=versions, item_id__in=by_id
    ).values_list("minutes_id", "item_id", "version", "text"):
        if version == versions[minutes_id]:
            entries.append(_entry(by_id[item_id], SearchEntry.Kind.DECISION, by_id[item_id].title, text))
    texts = dict(
        AttachmentText.objects.filter(attachment__item_id__in=by_id, failed=False).values_list(
            "attachment_id", "text"
        )
    )
    for attachment in Attachment.objects.filter(pk__in=texts).only("id", "item_id", "name"):
        entries.append(
            _entry(
                by_id[attachment.item_id],
                SearchEntry.Kind.ATTACHMENT,
                attachment.name,
                texts[attachment.pk],
                attachment=attachment,
            )
        )
    return entries


@transaction.atomic
def index_meetings(meeting_ids) -> int:
    meeting_ids = list(meeting_ids)
    SearchEntry.objects.filter(item__meeting_id__in=meeting_ids).delete()
    entries = SearchEntry.objects.bulk_create(entries_for(meeting_ids), batch_size=2000)
    if postgres() and entries:
        from django.contrib.postgres.search import SearchVector  # PostgreSQL only

        SearchEntry.objects.filter(item__meeting_id__in=meeting_ids).update(
            vector=SearchVector("title", weight="A", config="danish")
            + SearchVector("body", weight="B", config="danish")
        )
    return len(entries)


def index_meeting(meeting: Meeting) -> int:
    """Rebuild one meeting's entries."""
    return index_meetings([meeting.pk])


def on_published_content_changed(sender, meeting: Meeting, **kwargs) -> None:
    """meetings.signals.published_content_changed: an agenda or minutes were published or changed."""
    index_meeting(meeting)


def index_all(batch: int = 200) -> int:
    """Rebuild every entry (the `search_index` command, the bench)."""
    ids = list(Meeting.objects.filter(agenda_published_at__isnull=False).values_list("pk", flat=True))
    return sum(index_meetings(ids[n : n + batch]) for n in range(0, len(ids), batch))


def on_attachment_added(sender, attachment: Attachment, **kwargs) -> None:
    """meetings.signals.attachment_added: the worker extracts the text once the upload is committed."""
    from .tasks import extract_attachment_text  # here: archive.tasks imports this module (a cycle)

    extract_attachment_text.delay_on_commit(attachment.pk)


def meetings_missing() -> list[int]:
    entries = SearchEntry.objects.filter(item__meeting_id=OuterRef("pk"))
    items = AgendaItem.objects.filter(meeting_id=OuterRef("pk"))
    return list(
        Meeting.objects.filter(agenda_published_at__isnull=False)
        .filter(Exists(items))
        .exclude(Exists(entries))
        .values_list("pk", flat=True)
    )


def attachments_missing() -> list[int]:
    return list(
        Attachment.objects.exclude(pk__in=AttachmentText.objects.values("attachment_id")).values_list(
            "pk", flat=True
        )
    )
