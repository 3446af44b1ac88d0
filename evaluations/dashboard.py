"""Start-page panels of evaluations: for the secretariat, the surveys that are being built,
running (with their response count) or just closed."""

import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import RoleKind

from .access import surveys_for_user, with_counts


def panels(request, roles) -> list[dict]:
    if not roles.has(RoleKind.SECRETARIAT):
        return []
    today = timezone.localdate()
    surveys = list(
        with_counts(surveys_for_user(roles, write=True))
        .surveys()
        .filter(Q(closes_on__isnull=True) | Q(closes_on__gte=today - datetime.timedelta(days=60)))
        .order_by("closes_on")[:5]
    )
    if not surveys:
        return []
    for survey in surveys:
        survey.current_status = survey.status(today)
    return [
        {
            "title": _("Evaluation surveys"),
            "template": "evaluations/_partials/surveys_panel.html",
            "surveys": surveys,
        }
    ]
