"""Write paths of the archive: the secretariat sets the follow-up of a decision."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import refuse
from meetings.models import AgendaItem

from .models import FollowUp
from .selectors import published_decision


@transaction.atomic
def follow_up_set(*, item: AgendaItem, status: str, note: str, by) -> FollowUp:
    """Record the follow-up of a decision in published minutes (open, in progress, done)."""
    if status not in FollowUp.Status.values:
        refuse(_("Choose open, in progress or done."), field="status")
    if published_decision(item) is None:
        refuse(_("The item has no decision in published minutes yet."))
    follow_up, _created = FollowUp.objects.update_or_create(
        item=item,
        defaults={"status": status, "note": note.strip(), "updated_by": by, "updated_at": timezone.now()},
    )
    return follow_up
