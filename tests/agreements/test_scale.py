"""Issue 5 acceptance at full size on PostgreSQL: the import of 5,000 rows and a settlement of
thousands of courses take a fixed number of queries (SQLite batches inserts by its parameter
limit, so the size-independent check there is in test_services.py)."""

import datetime

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from agreements.importing import courses_import
from agreements.models import Course, SettlementLine
from agreements.services import settlement_run

from .conftest import make_courses
from .test_services import HEADER

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_import_of_5000_rows_takes_a_fixed_number_of_queries(agreement):
    rows = [
        f"S-{i},101,{('antibiotics', 'fluids', 'pump')[i % 3]},2024-03-01,accepted,02-03-2024,2024-03-0{2 + i % 7},home,{1 + i % 4},30"
        for i in range(5000)
    ]
    data = ("\n".join([HEADER, *rows]) + "\n").encode()
    with CaptureQueriesContext(connection) as ctx:
        result = courses_import(name="big.csv", data=data)
    assert len(result.created) == 5000 and len(ctx.captured_queries) <= 8
    with CaptureQueriesContext(connection) as ctx:  # the same file again: nothing duplicated
        result = courses_import(name="big.csv", data=data)
    assert len(result.unchanged) == 5000 and Course.objects.count() == 5000
    assert len(ctx.captured_queries) <= 8


def test_imported_courses_read_back_as_registered_with_the_fields_defaults(agreement):
    """The upload inserts its new courses itself (services.courses._insert): every column,
    defaults and auto_now included, reads back as the course it returned."""
    rows = [
        f"D-{i},101,pump,2024-03-01,accepted,02-03-2024,,clinic,2,45,note {i},010190-1234" for i in range(3)
    ]
    data = ("\n".join([HEADER + ",note,cpr", *rows]) + "\n").encode()
    created = courses_import(name="d.csv", data=data).created
    assert all(c.pk and not c._state.adding for c in created)
    for course in created:
        stored = Course.objects.get(pk=course.pk)
        for field in Course._meta.concrete_fields:
            assert getattr(stored, field.attname) == getattr(course, field.attname), field.name
    assert stored.revision == 1 and not stored.withdrawn and stored.cpr_hash and stored.created_at
    assert stored.end_date is None and stored.note == "note 2" and stored.minutes_per_visit == 45


def test_settlement_of_6000_courses_takes_a_fixed_number_of_queries(kbh, frb, tariff_years):
    make_courses(kbh, 3000, prefix="k", days=8)
    make_courses(frb, 3000, prefix="f", treatment="pump", days=3)
    with CaptureQueriesContext(connection) as ctx:
        run = settlement_run(as_of=datetime.date(2030, 1, 1))
    assert run.course_count == 6000 and len(ctx.captured_queries) <= 16
    steps = dict(
        SettlementLine.objects.filter(year=2024).values_list("step").annotate(n=Count("id")).order_by()
    )
    assert steps == {1: 1500, 2: 1500, 3: 3000}
