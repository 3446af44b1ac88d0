"""Start-page panels of appointments: the user's councils, what comes next for the secretariat,
and an appointee's own appointments."""

import datetime

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

import core.time
from accounts.roles import RoleKind
from core.panels import panel, panel_if

from . import rules
from .access import councils_for_user
from .models import Appointment, Council, Post


def panels(request, roles) -> list[dict]:
    today = core.time.today()
    result = []
    councils = list(councils_for_user(roles).current())
    result += panel_if(_("Your KKR"), "appointments/_partials/councils_panel.html", councils=councils)
    if roles.has(RoleKind.SECRETARIAT):
        horizon = today + datetime.timedelta(days=60)
        ending = list(
            Post.objects.filter(body__region_id__in=roles.secretariat_regions)
            .filter(
                Q(term_end__range=(today, horizon))
                | Q(term_end__isnull=True, body__term_end__range=(today, horizon))
            )
            .select_related("body")
            .order_by("body__name")[:10]
        )
        unconstituted = [
            (c, rules.constituent_deadline(c.election_year))
            for c in Council.objects.filter(
                region_id__in=roles.secretariat_regions, constituent_meeting_at__isnull=True
            ).select_related("region")
            if rules.constituent_reminder_due(c.election_year, today, constituted=c.is_constituted(today))
        ]
        result += panel_if(
            _("Appointments: what comes next"),
            "appointments/_partials/secretariat_panel.html",
            ending=ending,
            unconstituted=unconstituted,
        )
    if roles.has(RoleKind.APPOINTEE) and request.user.politician_id:
        mine = list(
            Appointment.objects.current(today)
            .filter(politician_id=request.user.politician_id)
            .select_related("post__body")
        )
        result.append(panel(_("My appointments"), "appointments/_partials/my_panel.html", appointments=mine))
    return result
