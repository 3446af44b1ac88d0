"""Start-page panels of agreements: what comes next for the user's roles."""

from django.utils.translation import gettext_lazy as _

import core.time
from accounts.roles import RoleKind
from core import paging

from . import selectors
from .access import agreements_for_user, courses_for_user
from .models import SettlementLine, Statement


def panels(request, roles) -> list[dict]:
    result = []
    if roles.has(RoleKind.CLERK):
        open_courses = courses_for_user(roles).filter(municipality_id__in=roles.clerk_municipalities).open()
        result.append(
            {
                "title": _("Your open IV courses"),
                "template": "agreements/_partials/clerk_panel.html",
                "count": open_courses.count(),
                "courses": list(open_courses.select_related("municipality").order_by("start_date")[:5]),
            }
        )
    if roles.has(RoleKind.REGION_OFFICER):
        agreement = agreements_for_user(roles).first()
        if agreement is not None:
            today = core.time.today()
            # Counted up to a cap: with a year or two unsettled the exact count read every
            # billable course (275 ms at 114,000 courses a year; issue 15). Newest first: the
            # unsettled courses are the newest, oldest first walked every settled one (74 ms).
            due = paging.capped_count(
                courses_for_user(roles).billable(today).exclude(lines__kind=SettlementLine.Kind.COURSE),
                "-pk",
            )
            drafts = Statement.objects.filter(run__agreement=agreement, status=Statement.Status.DRAFT).count()
            result.append(
                {
                    "title": _("IV agreement: the staircase"),
                    "template": "agreements/_partials/region_panel.html",
                    "stairs": selectors.staircase(agreement, today),
                    "due": due,
                    "due_capped": due > paging.COUNT_CAP,
                    "cap": paging.COUNT_CAP,
                    "drafts": drafts,
                }
            )
    return result
