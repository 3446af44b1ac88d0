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


def test_demo_records_an_extension_so_its_clerk_can_register_today(monkeypatch, agreement, kbh):
    import datetime

    from django.utils import timezone

    from agreements.services import course_register

    from .conftest import course_input

    monkeypatch.setattr(demo, "COURSES_PER_YEAR", 40)
    agreement.ends_on = datetime.date(2023, 10, 3)  # as made (IV 5.2)
    agreement.save(update_fields=["ends_on"])
    demo.seed()
    agreement.refresh_from_db()
    today = timezone.localdate()
    assert agreement.ends_on > today
    extension = agreement.extensions.get()  # recorded as the region officer would, history shown
    assert extension.previous_ends_on == datetime.date(2023, 10, 3) and extension.ends_on == agreement.ends_on
    assert course_register(item=course_input(kbh, "today", start_date=today, end_date=None))[1]
