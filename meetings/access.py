"""Who may see and do what with meetings: the only place that decides access for this app.

- secretariat of the council's region: everything (plan, agenda, attendance, votes, minutes);
- chair / vice-chair: order the agenda, decide proposals, approve minutes, call an
  extraordinary meeting; sees drafts and closed items; the chair approves the agenda before it
  is published (the vice-chair when the chair is unavailable: selectors.chair_unavailable);
- members: published agendas with closed items, proposals, own absence;
- substitutes: published agendas; closed items only when called in for that meeting (by an
  absence report or registered as attending for the seat), or standing in for a long absence;
- the public: published agendas and minutes without closed items (public views).
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

import core.time
from accounts.roles import roles_of
from appointments.models import Council

from . import rules
from .models import AbsenceReport, AgendaItem, Attachment, Attendance, Guest, ItemProposal, Meeting
from .selectors import chair_unavailable, meeting_seat_of


@dataclass(frozen=True)
class MeetingPerms:
    edit: bool  # secretariat: agenda content, attendance, votes, minutes text, publication
    lead: bool  # chair or secretariat: order, proposals, approval of minutes
    approve: bool  # chair: approve minutes
    approve_agenda: bool  # the chair, or the vice-chair when the chair is unavailable (FO 3.2, 3.5)
    member: bool  # sits on the council: propose, report absence
    sits: bool  # member or substitute: may act for a seat at this meeting (see selectors.meeting_seat_of)
    sees_drafts: bool
    sees_closed: bool


def council_ids_for(roles) -> set[int]:
    """Councils whose meetings the user may read (any of their roles)."""
    return closed_council_ids_for(roles) | set(roles.substitute_councils)


def meetings_for_user(roles):
    return Meeting.objects.filter(council_id__in=council_ids_for(roles))


def closed_council_ids_for(roles) -> set[int]:
    """Councils in all of whose meetings the user sees closed items (perms_for's `sees_closed`
    without the called-in substitute, which is decided per meeting)."""
    ids = set(roles.member_councils | roles.chair_councils)
    if roles.secretariat_regions:
        ids |= set(
            Council.objects.filter(region_id__in=roles.secretariat_regions).values_list("id", flat=True)
        )
    return ids


def visible_items(roles, prefix: str = "") -> Q:
    """Agenda items of published agendas the user may read, as a filter on AgendaItem (or on a
    model reaching it through `prefix`, e.g. "item__"): the public pages' items (agenda
    published, meeting not cancelled, item open) and, for a reader of the council's meetings, its
    published agendas with closed items where the pages show them to every meeting of the
    council. A substitute called in for one meeting reads its closed items on the meeting page,
    not through search or the register (deny by default). The archive uses this one rule."""
    published = Q(**{f"{prefix}meeting__agenda_published_at__isnull": False})
    public = (
        published
        & ~Q(**{f"{prefix}meeting__status": Meeting.Status.CANCELLED})
        & Q(**{f"{prefix}closed": False})
    )
    closed_ok = closed_council_ids_for(roles)
    readable = closed_ok | set(roles.substitute_councils)  # council_ids_for without a second query
    if not readable:
        return public
    own = published & Q(**{f"{prefix}meeting__council_id__in": readable})
    if closed_ok:
        own &= Q(**{f"{prefix}closed": False}) | Q(**{f"{prefix}meeting__council_id__in": closed_ok})
    else:
        own &= Q(**{f"{prefix}closed": False})
    return public | own


def perms_for(request, meeting: Meeting) -> MeetingPerms:
    roles = roles_of(request)
    council = meeting.council
    secretariat = council.region_id in roles.secretariat_regions
    chair = council.pk in roles.chair_councils
    member = council.pk in roles.member_councils
    substitute = council.pk in roles.substitute_councils
    politician_id = request.user.politician_id
    called_in = False
    if substitute and not (secretariat or chair or member):
        # Called in by the member's absence report, or registered as attending for the seat
        # without one (FO 3.9), or standing in for a long absence on the meeting day (Bilag 1 1.5).
        called_in = (
            AbsenceReport.objects.filter(meeting=meeting, seat__substitute_id=politician_id).exists()
            or Attendance.objects.filter(
                meeting=meeting, status=Attendance.Status.SUBSTITUTE, attendee_id=politician_id
            ).exists()
            or meeting_seat_of(meeting, politician_id) is not None
        )
    is_chair = chair and politician_id is not None and politician_id == council.chair_id
    is_vice_chair = chair and politician_id is not None and politician_id == council.vice_chair_id
    return MeetingPerms(
        edit=secretariat,
        lead=secretariat or chair,
        approve=chair,
        approve_agenda=rules.may_approve_agenda(
            is_chair=is_chair,
            is_vice_chair=is_vice_chair,
            # Asked only of the vice-chair, so other pages pay no extra queries.
            chair_unavailable=is_vice_chair
            and not is_chair
            and chair_unavailable(meeting, core.time.today()),
        ),
        member=member,
        sits=member or substitute,
        sees_drafts=secretariat or chair,
        sees_closed=secretariat or chair or member or called_in,
    )


def get_meeting_for_user(request, pk: int, write: bool = False) -> Meeting:
    """The meeting if the user may see it (404 otherwise), with `meeting.perms` set.
    `write=True` needs the secretariat of the council's region."""
    roles = roles_of(request)
    meeting = get_object_or_404(
        meetings_for_user(roles).select_related(
            "council__region", "council__chair", "council__vice_chair", "leader", "agenda_approved_by"
        ),
        pk=pk,
    )
    meeting.perms = perms_for(request, meeting)
    if not meeting.perms.sees_drafts and meeting.status == Meeting.Status.PLANNED:
        # Members see that a meeting is planned, not its agenda before publication.
        meeting.agenda_hidden = True
    else:
        meeting.agenda_hidden = False
    if write and not meeting.perms.edit:
        raise PermissionDenied
    return meeting


def get_item_for_user(request, pk: int, write: bool = False) -> AgendaItem:
    item = get_object_or_404(AgendaItem.objects.only("id", "meeting_id", "closed"), pk=pk)
    meeting = get_meeting_for_user(request, item.meeting_id, write=write)
    if item.closed and not meeting.perms.sees_closed:
        raise Http404
    if meeting.agenda_hidden:
        raise Http404
    item = AgendaItem.objects.get(pk=pk)
    item.meeting = meeting
    return item


def get_attachment_for_user(request, pk: int, write: bool = False) -> Attachment:
    """An attachment not removed, if the user may see its item (`attachment.item.meeting.perms`)."""
    attachment = get_object_or_404(Attachment, pk=pk, removed_at__isnull=True)
    attachment.item = get_item_for_user(request, attachment.item_id, write=write)
    return attachment


def get_public_attachment(public_id) -> Attachment:
    """By its opaque public id (issue 12.11): open items of published agendas only."""
    return get_object_or_404(
        Attachment.objects.filter(
            item__closed=False,
            item__meeting__agenda_published_at__isnull=False,
            removed_at__isnull=True,
        ).exclude(item__meeting__status=Meeting.Status.CANCELLED),
        public_id=public_id,
    )


def get_guest_for_user(request, pk: int, write: bool = False) -> Guest:
    guest = get_object_or_404(Guest, pk=pk)
    guest.meeting = get_meeting_for_user(request, guest.meeting_id, write=write)
    return guest


def get_proposal_for_user(request, pk: int) -> ItemProposal:
    proposal = get_object_or_404(ItemProposal, pk=pk)
    meeting = get_meeting_for_user(request, proposal.meeting_id)
    if not meeting.perms.lead:
        raise PermissionDenied
    proposal.meeting = meeting
    return proposal


def get_council_for_meetings(request, pk: int) -> Council:
    return get_object_or_404(
        Council.objects.select_related("region", "chair", "vice_chair"),
        pk=pk,
        id__in=council_ids_for(roles_of(request)),
    )


def public_meetings():
    """Meetings the public may see: agenda published, not cancelled."""
    return Meeting.objects.agenda_published()


def visible_proposals(request, meeting: Meeting):
    """The secretariat and chair see every proposal; a member sees their own."""
    qs = ItemProposal.objects.filter(meeting=meeting).select_related("proposer", "item")
    if meeting.perms.lead:
        return qs
    return qs.filter(Q(submitted_by=request.user))
