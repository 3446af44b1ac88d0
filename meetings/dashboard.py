"""Start-page panels of meetings: what comes next for the user's roles."""

import datetime

from django.utils.translation import gettext_lazy as _

import core.time
from accounts.roles import RoleKind
from core.panels import panel, panel_if

from . import rules
from .access import meetings_for_user
from .models import ItemProposal, Meeting


def panels(request, roles) -> list[dict]:
    if not roles.has(RoleKind.SECRETARIAT, RoleKind.CHAIR, RoleKind.MEMBER, RoleKind.SUBSTITUTE):
        return []
    mine = meetings_for_user(roles)
    upcoming = list(mine.upcoming().select_related("council__region").order_by("starts_at")[:5])
    result = [
        {
            "title": _("Upcoming meetings"),
            "template": "meetings/_partials/panel_upcoming.html",
            "meetings": upcoming,
        }
    ]
    if roles.has(RoleKind.SECRETARIAT, RoleKind.CHAIR):
        today = core.time.today()
        planned = mine.filter(
            status=Meeting.Status.PLANNED,
            kind=Meeting.Kind.ORDINARY,
            starts_at__date__gte=today,
            starts_at__date__lte=today + datetime.timedelta(days=35),
        ).select_related("council__region")
        deadlines = [
            {"meeting": m, "deadline": rules.agenda_deadline(m.date), "late": rules.is_late(today, m.date)}
            for m in planned.order_by("starts_at")
        ]
        pending = ItemProposal.objects.filter(
            meeting__in=mine, status=ItemProposal.Status.PENDING
        ).select_related("meeting__council__region", "proposer")
        result.append(
            panel(
                _("Agenda deadlines"),
                "meetings/_partials/panel_deadlines.html",
                deadlines=deadlines,
                pending=list(pending[:10]),
            )
        )
    if roles.has(RoleKind.MEMBER):
        proposals = list(
            ItemProposal.objects.filter(submitted_by=request.user)
            .select_related("meeting__council__region")
            .order_by("-created_at")[:5]
        )
        result += panel_if(
            _("Your item proposals"), "meetings/_partials/panel_proposals.html", proposals=proposals
        )
    return result
