import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from core import paging


@pytest.mark.django_db
def test_capped_count_stops_after_the_cap(monkeypatch):
    for n in range(3):
        User.objects.create(email=f"p{n}@example.dk")
    monkeypatch.setattr(paging, "COUNT_CAP", 1)
    assert paging.capped_count(User.objects.all()) == 2
    assert paging.capped_count(User.objects.filter(email="p0@example.dk")) == 1


@pytest.mark.django_db
def test_capped_count_walks_in_the_order_asked():
    """Issue 15: the region officer's unsettled courses are the newest, so the cap's rows are
    found walking newest first; the walk's order reaches the database, and the count is the same."""
    for n in range(3):
        User.objects.create(email=f"p{n}@example.dk")
    with CaptureQueriesContext(connection) as queries:
        assert paging.capped_count(User.objects.order_by("email"), "-pk") == 3
    sql = queries.captured_queries[0]["sql"]
    assert 'ORDER BY "accounts_user"."id" DESC' in sql
    with CaptureQueriesContext(connection) as queries:
        assert paging.capped_count(User.objects.order_by("email")) == 3
    assert "ORDER BY" not in queries.captured_queries[0]["sql"]
