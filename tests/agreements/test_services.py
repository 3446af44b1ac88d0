import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError

from agreements.importing import courses_import, row_errors
from agreements.models import Course, SettlementLine, Statement
from agreements.services import (
    course_register,
    course_withdraw,
    settlement_run,
    statement_finalise,
    tariff_year_create,
)
from core.errors import Refused

from .conftest import course_input, make_courses

HEADER = "external_id,municipality_code,treatment,referred_on,decision,start_date,end_date,setting,visits_per_day,minutes_per_visit"
AS_OF = datetime.date(2030, 1, 1)


def test_register_creates_then_updates_by_external_id(kbh, frb):
    course, created = course_register(item=course_input(kbh, "K-1"))
    assert created and course.revision == 1
    again, created = course_register(item=course_input(kbh, "K-1", visits_per_day=3))
    assert not created and again.pk == course.pk and again.revision == 2
    same, _ = course_register(item=course_input(kbh, "K-1", visits_per_day=3))
    assert same.revision == 2  # nothing changed, nothing bumped
    other, created = course_register(item=course_input(frb, "K-1"))
    assert created and other.pk != course.pk
    assert Course.objects.count() == 2


def test_register_refuses_ineligible_course_with_reason(kbh):
    with pytest.raises(Refused) as info:
        course_register(item=course_input(kbh, visits_per_day=5, minutes_per_visit=61))
    assert list(info.value.message_dict) == ["visits_per_day", "minutes_per_visit"]
    assert "hospital" in info.value.message_dict["visits_per_day"][0]
    assert not Course.objects.exists()


def test_database_refuses_ineligible_course(kbh):
    with pytest.raises(IntegrityError):
        Course.objects.create(
            municipality=kbh,
            external_id="x",
            treatment="pump",
            referred_on=AS_OF,
            decision="accepted",
            start_date=AS_OF,
            setting="home",
            visits_per_day=5,
            minutes_per_visit=10,
        )


def test_cpr_is_kept_only_as_keyed_hash_and_flags_duplicates(kbh):
    course_register(item=course_input(kbh, "K-1", cpr="010190-1234"))
    course = Course.objects.get()
    assert course.cpr_hash and "0101901234" not in course.cpr_hash
    assert "0101901234" not in str(Course.objects.values().get())
    from agreements.services import courses_register

    result = courses_register(items=[course_input(kbh, "K-2", cpr="0101901234")])
    assert result.possible_duplicates and result.possible_duplicates[0][1].external_id == "K-1"
    with pytest.raises(Refused) as info:
        course_register(item=course_input(kbh, "K-3", cpr="310290-1234"))
    assert list(info.value.message_dict)[0] == "cpr"


def test_municipality_outside_the_agreement_is_refused(db):
    from register.models import Municipality

    with pytest.raises(Refused):
        course_register(item=course_input(Municipality.objects.get(code="265")))


# --- import ---------------------------------------------------------------------------------


def csv_bytes(*rows, delimiter=",", bom=False):
    text = "\n".join([HEADER.replace(",", delimiter), *(r.replace(",", delimiter) for r in rows)]) + "\n"
    return ("\ufeff" if bom else "").encode() + text.encode()


GOOD = [
    "A-1,101,antibiotics,2024-03-01,accepted,2024-03-02,2024-03-09,home,2,30",
    "A-2,101,væske,01-03-2024,accepteret,02-03-2024,,klinik,1,45",
    "A-3,147,pumpe,2024-03-01,afvist,,,hjem,1,20",
]


@pytest.mark.parametrize(("delimiter", "bom"), [(",", False), (";", False), (",", True), (";", True)])
def test_import_reads_csv_variants(agreement, delimiter, bom):
    result = courses_import(name="f.csv", data=csv_bytes(*GOOD, delimiter=delimiter, bom=bom))
    assert len(result.created) == 3
    fluids = Course.objects.get(external_id="A-2")
    assert (fluids.treatment, fluids.decision, fluids.setting) == ("fluids", "accepted", "clinic")
    assert fluids.start_date == datetime.date(2024, 3, 2) and fluids.end_date is None


def test_import_reads_xlsx(agreement):
    from core.xlsx import Sheet, xlsx_bytes

    rows = [r.split(",") for r in GOOD]
    rows[0][3] = datetime.date(2024, 3, 1)  # a real date cell
    data = xlsx_bytes([Sheet("Forløb", HEADER.split(","), rows)])
    result = courses_import(name="f.xlsx", data=data)
    assert len(result.created) == 3


def test_bad_file_lists_every_error_and_stores_nothing(agreement):
    bad = csv_bytes(
        GOOD[0],
        "B-1,999,antibiotics,2024-13-01,maybe,2024-03-02,2024-03-01,garden,x,30",
        "B-2,101,fluids,2024-03-01,accepted,2024-03-02,2024-03-03,home,5,90",
        "A-1,101,antibiotics,2024-03-01,accepted,2024-03-02,2024-03-09,home,2,30",
    )
    with pytest.raises(Refused) as info:
        courses_import(name="f.csv", data=bad)
    found = {(e.row, e.column) for e in row_errors(info.value)}
    assert {
        (3, "municipality_code"),
        (3, "referred_on"),
        (3, "decision"),
        (3, "setting"),
        (3, "visits_per_day"),
    } <= found
    assert {(4, "visits_per_day"), (4, "minutes_per_visit"), (5, "external_id")} <= found
    assert not Course.objects.exists()


def test_import_refuses_missing_columns(agreement):
    with pytest.raises(Refused) as info:
        courses_import(name="f.csv", data=b"external_id,treatment\nx,pump\n")
    assert row_errors(info.value)[0].row == 1 and "municipality_code" in {
        e.column for e in row_errors(info.value)
    }


def test_import_refuses_other_municipalities_of_a_clerk(agreement, kbh):
    with pytest.raises(Refused) as info:
        courses_import(name="f.csv", data=csv_bytes(*GOOD), allowed_municipalities={kbh.pk})
    assert [(e.row, e.column) for e in row_errors(info.value)] == [(4, "municipality_code")]
    assert not Course.objects.exists()


def test_repeated_file_duplicates_nothing(agreement):
    courses_import(name="f.csv", data=csv_bytes(*GOOD))
    result = courses_import(name="f.csv", data=csv_bytes(*GOOD))
    assert Course.objects.count() == 3 and len(result.unchanged) == 3 and not result.created


def _many_rows(n):
    return [f"Q-{i},101,antibiotics,2024-03-01,accepted,2024-03-02,2024-03-09,home,2,30" for i in range(n)]


def test_import_query_count_does_not_grow_with_rows(agreement, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for n in (15, 45):
        with CaptureQueriesContext(connection) as ctx:
            courses_import(name="f.csv", data=csv_bytes(*_many_rows(n)))
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    with CaptureQueriesContext(connection) as ctx:  # the same rows again: updates in bulk
        courses_import(name="f.csv", data=csv_bytes(*[r.replace("2,30", "3,30") for r in _many_rows(45)]))
    assert len(ctx.captured_queries) <= counts[0] + 2


# --- settlement --------------------------------------------------------------------------------


def test_settlement_hands_out_ordinals_in_order_and_prices_by_step(kbh, frb, tariff_years, monkeypatch):
    monkeypatch.setattr("agreements.tariffs.STEP_LIMITS", ((1, 2), (2, 4)))
    day = datetime.date(2024, 5, 1)
    for i in range(6):
        course_register(
            item=course_input(
                kbh if i % 2 else frb, f"S-{i}", start_date=day + datetime.timedelta(days=6 - i)
            )
        )
    run = settlement_run(as_of=AS_OF)
    lines = list(SettlementLine.objects.order_by("ordinal").select_related("course"))
    assert [line.ordinal for line in lines] == [1, 2, 3, 4, 5, 6]
    assert [line.course.external_id for line in lines] == ["S-5", "S-4", "S-3", "S-2", "S-1", "S-0"]
    assert [line.step for line in lines] == [1, 1, 2, 2, 3, 3]
    rate_2024 = Decimal(6915) * Decimal("1.0810")
    assert lines[0].amount == rate_2024.quantize(Decimal(1))
    assert run.course_count == 6 and run.total == sum(line.amount for line in lines)
    assert Statement.objects.filter(run=run).count() == 2
    assert sum(s.total for s in run.statements.all()) == run.total


def test_settlement_is_idempotent(kbh, tariff_years):
    course_register(item=course_input(kbh, "S-1"))
    assert settlement_run(as_of=AS_OF) is not None
    assert settlement_run(as_of=AS_OF) is None
    assert SettlementLine.objects.count() == 1


def test_only_completed_accepted_courses_are_settled(kbh, tariff_years):
    course_register(item=course_input(kbh, "open", end_date=None))
    course_register(item=course_input(kbh, "declined", decision="declined", start_date=None, end_date=None))
    course_register(item=course_input(kbh, "future", end_date=datetime.date(2031, 1, 1)))
    withdrawn, _ = course_register(item=course_input(kbh, "withdrawn"))
    course_withdraw(course=withdrawn)
    assert settlement_run(as_of=AS_OF) is None


def test_missing_tariff_year_names_the_year_and_settles_nothing(kbh, tariff_years, monkeypatch):
    import core.time

    # Registered once it has begun (a start after today is refused): on a day in 2028.
    monkeypatch.setattr(core.time, "today", lambda: datetime.date(2028, 12, 31))
    course_register(item=course_input(kbh, "ok"))
    course_register(item=course_input(kbh, "late", start_date=datetime.date(2028, 2, 1)))
    with pytest.raises(Refused) as info:
        settlement_run(as_of=AS_OF)
    assert "2028" in str(info.value)
    assert not SettlementLine.objects.exists()
    tariff_year_create(year=2028, index=Decimal("1.2"))
    assert settlement_run(as_of=AS_OF).course_count == 2


def test_course_over_new_year_is_settled_in_its_start_year(kbh, tariff_years):
    course_register(
        item=course_input(
            kbh, "ny", start_date=datetime.date(2024, 12, 30), end_date=datetime.date(2025, 1, 5)
        )
    )
    settlement_run(as_of=AS_OF)
    line = SettlementLine.objects.get()
    assert (line.year, line.days, line.extra_days) == (2024, 7, 1)


def test_each_year_counts_from_one(kbh, tariff_years):
    course_register(item=course_input(kbh, "a", start_date=datetime.date(2024, 6, 1)))
    course_register(item=course_input(kbh, "b", start_date=datetime.date(2025, 6, 1)))
    settlement_run(as_of=AS_OF)
    assert sorted(SettlementLine.objects.values_list("year", "ordinal")) == [(2024, 1), (2025, 1)]


def test_corrections_at_original_step_on_the_next_statement(kbh, tariff_years, monkeypatch):
    monkeypatch.setattr("agreements.tariffs.STEP_LIMITS", ((1, 1), (2, 2)))
    first, _ = course_register(item=course_input(kbh, "c1", start_date=datetime.date(2024, 1, 1)))
    course_register(item=course_input(kbh, "c2", start_date=datetime.date(2024, 1, 2)))
    run1 = settlement_run(as_of=AS_OF)
    statement1 = run1.statements.get()
    statement_finalise(statement=statement1)
    course_register(
        item=course_input(kbh, "c2", start_date=datetime.date(2024, 1, 2), end_date=datetime.date(2024, 1, 9))
    )
    course_withdraw(course=first)
    course_register(item=course_input(kbh, "c3", start_date=datetime.date(2024, 2, 1)))
    run2 = settlement_run(as_of=AS_OF)
    assert (run2.course_count, run2.correction_count) == (1, 2)
    corrections = {
        line.course.external_id: line
        for line in run2.lines.filter(kind="correction").select_related("course", "original")
    }
    assert corrections["c1"].amount == -corrections["c1"].original.amount and corrections["c1"].step == 1
    assert corrections["c2"].step == 2 and corrections["c2"].extra_days == 2
    assert corrections["c2"].amount == 2 * corrections["c2"].day_tariff
    assert corrections["c2"].ordinal == 2 and corrections["c2"].original.run_id == run1.pk
    statement1.refresh_from_db()
    assert statement1.lines.count() == 2 and statement1.is_final  # never edited
    assert settlement_run(as_of=AS_OF) is None  # the corrections are priced: nothing left
    new_line = run2.lines.get(kind="course")
    assert (new_line.ordinal, new_line.step) == (3, 3)


def test_finalise_numbers_statements_once(kbh, frb, tariff_years):
    course_register(item=course_input(kbh, "a"))
    course_register(item=course_input(frb, "b"))
    run = settlement_run(as_of=AS_OF)
    a, b = run.statements.order_by("municipality__code")
    assert statement_finalise(statement=b).number == 1
    assert statement_finalise(statement=a).number == 2
    assert statement_finalise(statement=b).number == 1


def test_tariff_year_create(db):
    table = tariff_year_create(year=2024, index=Decimal("1.0520"))
    rate = table.rates.get(treatment="fluids", step=1)
    assert rate.course_tariff == Decimal(1413) and rate.day_tariff == Decimal(359)
    assert table.rates.count() == 9
    with pytest.raises(Refused) as info:
        tariff_year_create(year=2024, index=Decimal("1.1"))
    assert list(info.value.message_dict) == ["year"]
    with pytest.raises(Refused) as info:
        tariff_year_create(year=2025, index=Decimal("0"))
    assert list(info.value.message_dict) == ["index"]


def test_settlement_query_count_does_not_grow_with_courses(kbh, frb, tariff_years):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for n, prefix in ((20, "x"), (80, "y")):
        make_courses(kbh, n, prefix=prefix + "k", days=8)
        make_courses(frb, n, prefix=prefix + "f", days=3)
        with CaptureQueriesContext(connection) as ctx:
            settlement_run(as_of=AS_OF)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    Course.objects.filter(external_id__startswith="y").update(revision=5)  # all changed: corrections
    with CaptureQueriesContext(connection) as ctx:
        settlement_run(as_of=AS_OF)
    assert len(ctx.captured_queries) <= counts[0] + 1
