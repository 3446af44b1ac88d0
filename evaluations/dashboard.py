"""Start-page panels of evaluations: for the secretariat, the surveys being built, running (with
their response count) or just closed; for a politician with a login, the surveys waiting for
their answer (their own invitation; the answers stay anonymous)."""

import datetime

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

import core.time
from accounts.roles import RoleKind
from core.panels import panel_if

from .access import surveys_for_user, with_counts
from .models import Invitation
from .services import invitation_link


def panels(request, roles) -> list[dict]:
    result = []
    today = core.time.today()
    politician = getattr(request.user, "politician_id", None)
    if politician:
        waiting = list(
            Invitation.objects.filter(
                politician_id=politician,
                completed=False,
                sent=True,
                survey__closed=False,
                survey__opens_on__lte=today,
                survey__closes_on__gte=today,
            ).select_related("survey")
        )
        result += panel_if(
            _("Surveys waiting for your answer"),
            "evaluations/_partials/waiting_panel.html",
            surveys=[(i.survey, invitation_link(i)) for i in waiting],
        )
    if roles.has(RoleKind.SECRETARIAT):
        surveys = list(
            with_counts(surveys_for_user(roles, write=True))
            .surveys()
            .filter(Q(closes_on__isnull=True) | Q(closes_on__gte=today - datetime.timedelta(days=60)))
            .order_by("closes_on")[:5]
        )
        for survey in surveys:
            survey.current_status = survey.status(today)
        result += panel_if(
            _("Evaluation surveys"), "evaluations/_partials/surveys_panel.html", surveys=surveys
        )
    return result
