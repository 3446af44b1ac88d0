import pytest

from agreements import demo
from agreements.models import Course, SettlementRun

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent(monkeypatch, agreement):
    monkeypatch.setattr(demo, "COURSES_PER_YEAR", 400)
    demo.seed()
    count = Course.objects.count()
    home = Course.objects.filter(setting="home").count()
    assert count == 400 and 0.35 < home / count < 0.65
    assert SettlementRun.objects.count() == 1
    assert SettlementRun.objects.get().statements.filter(status="final").count() == 2
    demo.seed()
    assert Course.objects.count() == 400 and SettlementRun.objects.count() == 1
