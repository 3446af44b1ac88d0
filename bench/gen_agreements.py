"""Production-scale IV agreement data: ten times the region's expected volume, 57,000 courses a
year for three years (the last one up to today), with the first year settled in monthly runs.

pages() names the key pages to time; measures() times the settlement of a year of 57,000 courses
(committed, then undone untimed) and the import of a 5,000-row file (rolled back).
"""

import datetime
import io
import os
import random
import time

from django.db import transaction

import core.time
from agreements.demo import course_rows, tariff_tables
from agreements.models import Agreement, Course, SettlementRun, Statement
from register.models import Municipality

CLERK = "clerk@bench.dk"
REGION_OFFICER = "region@bench.dk"
SECRETARIAT = "secretariat@bench.dk"
# Ten times the region's expected volume; the growth mode of bench/run.py sets other sizes.
COURSES_PER_YEAR = int(os.environ.get("BENCH_COURSES_PER_YEAR", "57000"))
IMPORT_ROWS = 5_000


def _years(today: datetime.date) -> list[int]:
    return [today.year - 2, today.year - 1, today.year]


def generate(rng: random.Random) -> None:
    from agreements.services import settlement_run

    today = core.time.today()
    agreement = Agreement.objects.get(region__code="1084")
    years = _years(today)
    if agreement.ends_on < datetime.date(years[-1], 12, 31):
        # Three years of courses up to today: under the agreement as its parties extended it (the
        # upload measured below is checked against the agreement's period, IV 5.2).
        agreement.ends_on = datetime.date(years[-1] + 1, 12, 31)
        agreement.save(update_fields=["ends_on"])
    municipalities = list(Municipality.objects.filter(region=agreement.region).order_by("code"))
    tariff_tables(years)
    for year in years:
        first = datetime.date(year, 1, 1)
        last = min(datetime.date(year, 12, 31), today)
        rows = course_rows(
            rng, municipalities, first, last, COURSES_PER_YEAR, prefix=f"B{year}-", today=today
        )
        Course.objects.bulk_create(rows, batch_size=5000)
    # The first year is settled month by month, as the region would.
    first_year = years[0]
    for month in range(1, 13):
        month_end = (datetime.date(first_year + (month == 12), month % 12 + 1, 1)) - datetime.timedelta(
            days=1
        )
        settlement_run(agreement=agreement, as_of=month_end)


def pages() -> list[tuple[str, str, str | None]]:
    today = core.time.today()
    course = Course.objects.filter(municipality__code="101").order_by("id").first()
    run = SettlementRun.objects.order_by("-number").first()
    statement = Statement.objects.filter(run=run, municipality__code="101").first() if run else None
    result = [
        ("iv: course list (clerk)", "/iv/", CLERK),
        ("iv: course list page 100 (region)", "/iv/?page=100", REGION_OFFICER),
        (
            "iv: course list filtered (region)",
            f"/iv/?status=completed&year={today.year - 1}&treatment=pump",
            REGION_OFFICER,
        ),
        ("iv: staircase (region)", "/iv/trappe/", REGION_OFFICER),
        (
            "iv: monitoring quarter (region)",
            f"/iv/monitorering/?year={today.year - 1}&quarter=2",
            REGION_OFFICER,
        ),
        ("iv: monitoring quarter (clerk)", f"/iv/monitorering/?year={today.year - 1}&quarter=2", CLERK),
        ("iv: settlement runs", "/iv/afregning/", REGION_OFFICER),
        ("iv: tariffs", "/iv/takster/", REGION_OFFICER),
        ("iv: cost sharing", "/iv/fordeling/?amount=1234567.89", SECRETARIAT),
        ("iv: API course list (clerk)", "/api/iv/courses/", CLERK),
    ]
    if course:
        result.append(("iv: course detail", f"/iv/forloeb/{course.pk}/", CLERK))
    if run:
        result.append(("iv: settlement run detail", f"/iv/afregning/{run.pk}/", REGION_OFFICER))
    if statement:
        result.append(("iv: statement København", f"/iv/opgoerelse/{statement.pk}/", REGION_OFFICER))
    return result


class _Rollback(Exception):
    pass


def _rolled_back(work) -> None:
    try:
        with transaction.atomic():
            work()
            raise _Rollback
    except _Rollback:
        pass


def settle_a_year() -> dict:
    """Settle the second year (57,000 courses) in one run, COMMITTED with its deferred FK checks
    (timed), then undo it (not timed) so the measure can be repeated."""
    from agreements.models import SettlementLine
    from agreements.services import settlement_run

    year = _years(core.time.today())[1]
    agreement = Agreement.objects.get(region__code="1084")
    start, cpu = time.perf_counter(), time.process_time()
    run = settlement_run(agreement=agreement, as_of=datetime.date(year, 12, 31))  # commits
    timed = {"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu, "committed": True}
    assert run is not None and run.course_count > COURSES_PER_YEAR * 0.8, run and run.course_count
    with transaction.atomic():
        SettlementLine.objects.filter(run=run).delete()
        Statement.objects.filter(run=run).delete()
        run.delete()
    return timed


def import_file() -> None:
    """Import a 5,000-row CSV for København (all new courses), then roll back."""
    from agreements.importing import HEADER, courses_import

    year = core.time.today().year - 1
    buffer = io.StringIO()
    buffer.write(",".join(HEADER) + "\n")
    start = datetime.date(year, 3, 1)
    for i in range(IMPORT_ROWS):
        day = start + datetime.timedelta(days=i % 200)
        end = day + datetime.timedelta(days=i % 9)
        buffer.write(
            f"IMP-{i},101,{('antibiotics', 'fluids', 'pump')[i % 3]},{day:%Y-%m-%d},accepted,"
            f"{day:%d-%m-%Y},{end:%Y-%m-%d},{('home', 'clinic')[i % 2]},{1 + i % 4},{15 + i % 45}\n"
        )
    data = buffer.getvalue().encode()

    def work():
        result = courses_import(name="bench.csv", data=data)
        assert len(result.created) == IMPORT_ROWS

    _rolled_back(work)


def measures() -> dict:
    return {
        f"iv: settlement of a year ({COURSES_PER_YEAR:,} courses, committed)": settle_a_year,
        "iv: import of 5,000 rows": import_file,
    }
