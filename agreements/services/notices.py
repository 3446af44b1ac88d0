"""The agreement's key dates: notices of the extension deadline (IV 5.2) and the quarterly follow-up
(IV 4.2), and the quarterly report it brings."""

import datetime

from django.urls import reverse

import core.time
from accounts.messaging import queue_notice
from accounts.models import Role, RoleKind
from core.documents import is_current
from core.tasks import enqueue_on_commit

from .. import rules, selectors
from ..models import (
    Agreement,
    QuarterReport,
)
from ..tasks import render_quarter_report

# How long before the extension deadline the region and the secretariat are reminded.
EXTENSION_NOTICE_DAYS = 60


def key_date_notices_queue(*, today: datetime.date | None = None) -> int:
    """Queue the agreement's key-date notices (IV 5.2 extension decision; IV 4.2 quarterly
    follow-up) for the region officers and the secretariat. Idempotent: one notice per key."""
    today = today or core.time.today()
    queued = 0
    for agreement in Agreement.objects.select_related("region"):
        if today < agreement.starts_on:
            continue
        users = [
            role.user
            for role in Role.objects.filter(
                region=agreement.region, kind__in=[RoleKind.REGION_OFFICER, RoleKind.SECRETARIAT]
            ).select_related("user")
            if role.user.is_active
        ]
        notices = []
        days_left = (agreement.extension_decision_by - today).days
        if 0 <= days_left <= EXTENSION_NOTICE_DAYS:
            notices.append(
                (
                    f"iv-extension-{agreement.pk}-{agreement.extension_decision_by.isoformat()}",
                    "agreements/mail/extension",
                    {"agreement": agreement, "days_left": days_left},
                    reverse("agreements:monitoring"),
                )
            )
        year, quarter = rules.previous_quarter(today)
        if rules.quarter_bounds(year, quarter)[1] >= agreement.starts_on:
            quarter_report_request(agreement=agreement, year=year, quarter=quarter)
            notices.append(
                (
                    f"iv-follow-up-{agreement.pk}-{year}-q{quarter}",
                    "agreements/mail/follow_up",
                    {"agreement": agreement, "year": year, "quarter": quarter},
                    reverse("agreements:monitoring") + f"?year={year}&quarter={quarter}",
                )
            )
        for key, template, context, url in notices:
            for user in users:
                queue_notice(
                    key=f"{key}-{user.pk}",
                    to_email=user.email,
                    template=template,
                    context={**context, "user": user, "url": url},
                    user=user,
                    url=url,
                )
                queued += 1
    return queued


def quarter_report_request(*, agreement: Agreement, year: int, quarter: int) -> QuarterReport:
    """Have the pdf worker render the quarter's report unless the stored PDF shows the current
    data, recording that it is owed. The quarterly follow-up asks for the past quarter's report
    when it falls due; the monitoring PDF page's button asks when the data changed since (its GET
    only reads). Rendering is idempotent, so asking twice costs only time."""
    key = selectors.data_key(agreement, year)
    report, _created = QuarterReport.objects.get_or_create(agreement=agreement, year=year, quarter=quarter)
    if not is_current(report.pdf, report.data_key, key):
        QuarterReport.objects.filter(pk=report.pk).update(requested_key=key)
        enqueue_on_commit(render_quarter_report, report.pk)
    return report
