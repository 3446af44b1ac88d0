"""Two settlement runs at once on PostgreSQL hand out every ordinal exactly once."""

import datetime
import threading

import pytest
from django.db import connection

from agreements.models import SettlementLine
from agreements.services import settlement_run
from tests.conftest import ensure_reference_data

from .conftest import make_courses

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    ensure_reference_data()


def test_two_concurrent_runs_hand_out_each_ordinal_once(kbh, frb, tariff_years):
    make_courses(kbh, 300, prefix="k")
    make_courses(frb, 300, prefix="f", treatment="fluids")
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(settlement_run(as_of=datetime.date(2030, 1, 1)))
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(r is None for r in results) == [False, True]  # one settled all, the other nothing
    ordinals = sorted(SettlementLine.objects.filter(year=2024).values_list("ordinal", flat=True))
    assert ordinals == list(range(1, 601))
    assert SettlementLine.objects.values("course").distinct().count() == 600


def test_ten_uploads_while_settlements_run(kbh, frb, tariff_years):
    """Issue 7: ten clerks upload at once (overlapping case references) while runs settle: every
    course is stored once and every ordinal handed out once."""
    from agreements.importing import courses_import

    from .test_services import HEADER

    make_courses(kbh, 200, prefix="old")  # settled below while changes arrive
    settlement_run(as_of=datetime.date(2030, 1, 1))

    def file_for(n):
        rows = []
        for i in range(n * 40, n * 40 + 60):  # 20 references shared with the next file
            day = datetime.date(2024, 1, 1) + datetime.timedelta(days=i % 300)
            end = day + datetime.timedelta(days=i % 9)
            rows.append(f"U-{i},{'101' if i % 2 else '147'},pump,{day},accepted,{day},{end},home,1,30")
        # and a change to settled courses, which becomes a correction
        rows += [
            f"old-{j},101,antibiotics,{datetime.date(2024, 1, 1) + datetime.timedelta(days=j)},accepted,"
            f"{datetime.date(2024, 1, 1) + datetime.timedelta(days=j)},"
            f"{datetime.date(2024, 1, 1) + datetime.timedelta(days=j + 8)},home,1,30"
            for j in range(n * 5, n * 5 + 5)
        ]
        return ("\n".join([HEADER, *rows]) + "\n").encode()

    barrier = threading.Barrier(11)
    errors = []

    def upload(n):
        try:
            barrier.wait()
            courses_import(name=f"f{n}.csv", data=file_for(n))
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    def settle():
        try:
            barrier.wait()
            for _ in range(3):
                settlement_run(as_of=datetime.date(2030, 1, 1))
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=upload, args=(n,)) for n in range(10)]
    threads.append(threading.Thread(target=settle))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    settlement_run(as_of=datetime.date(2030, 1, 1))
    from agreements.models import Course

    assert Course.objects.filter(external_id__startswith="U-").count() == 9 * 40 + 60
    ordinals = sorted(
        SettlementLine.objects.filter(kind="course", year=2024).values_list("ordinal", flat=True)
    )
    assert ordinals == list(range(1, len(ordinals) + 1)) and len(ordinals) == 200 + 420
    corrected = SettlementLine.objects.filter(kind="correction").values_list("course__external_id", flat=True)
    assert sorted(corrected) == sorted(f"old-{j}" for j in range(50))
