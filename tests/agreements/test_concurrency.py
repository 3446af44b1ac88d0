"""Two settlement runs at once on PostgreSQL hand out every ordinal exactly once."""

import datetime
import threading

import pytest
from django.db import connection

from agreements.models import SettlementLine
from agreements.services import settlement_run

from .conftest import make_courses

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


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
