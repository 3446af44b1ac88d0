"""The monitoring aggregates (computed by the database) against a plain Python count."""

import datetime
import random

import pytest

from agreements import tariffs
from agreements.demo import course_rows
from agreements.models import Course
from agreements.selectors import monitoring
from register.models import Municipality

pytestmark = pytest.mark.django_db


def expected(courses, municipality_id=None, quarter=None):
    rows = [
        c
        for c in courses
        if not c.withdrawn
        and (municipality_id is None or c.municipality_id == municipality_id)
        and (quarter is None or (c.referred_on.month - 1) // 3 + 1 == quarter)
    ]
    accepted = [c for c in rows if c.decision == "accepted"]
    completed = [c for c in accepted if c.start_date and c.end_date]
    return {
        "referred": len(rows),
        "accepted": len(accepted),
        "by_treatment": {t: sum(c.treatment == t for c in accepted) for t in tariffs.TREATMENTS},
        "home": sum(c.setting == "home" for c in accepted),
        "visits": sum(c.visits_per_day for c in accepted),
        "minutes": sum(c.minutes_per_visit for c in accepted),
        "completed": len(completed),
        "days": sum(tariffs.course_days(c.start_date, c.end_date) for c in completed),
    }


def figures(activity):
    return {
        key: getattr(activity, key)
        for key in ("referred", "accepted", "by_treatment", "home", "visits", "minutes", "completed", "days")
    }


def test_monitoring_matches_a_plain_count(agreement):
    municipalities = list(Municipality.objects.filter(region=agreement.region).order_by("code")[:5])
    rng = random.Random(4)
    today = datetime.date(2024, 12, 31)
    Course.objects.bulk_create(
        course_rows(
            rng, municipalities, datetime.date(2024, 1, 1), today, 400, today=datetime.date(2024, 11, 1)
        )
    )
    Course.objects.filter(pk__in=Course.objects.order_by("id").values("pk")[:10]).update(withdrawn=True)
    courses = list(Course.objects.all())
    data = monitoring(agreement, 2024, 3)
    by_name = {a.name: a for a in data.rows}
    for municipality in municipalities:
        assert figures(by_name[municipality.name]) == expected(courses, municipality.pk, 3), municipality
    assert figures(data.total) == expected(courses, quarter=3)
    for q, activity in enumerate(data.quarters, start=1):
        assert figures(activity) == expected(courses, quarter=q)
    assert data.total.home_share is not None and 0 < data.total.days_avg < 15
