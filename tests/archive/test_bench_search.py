"""The bench's archive pages at small scale (this year only instead of ten): they exist, answer 200 with
results, and run a bounded number of queries (the per-request counter make bench reads)."""

import random

import pytest
from django.conf import settings
from django.test import override_settings

from archive.models import SearchEntry
from bench import gen_foundation, gen_meetings, gen_search, harness
from bench.middleware import HEADER


@pytest.mark.django_db
@override_settings(
    ROOT_URLCONF="bench.urls",
    MIDDLEWARE=["bench.middleware.QueryCountMiddleware", *settings.MIDDLEWARE],
)
def test_bench_search_pages_at_small_scale(client, monkeypatch):
    monkeypatch.setattr(gen_meetings, "YEARS", 1)
    gen_foundation.generate(random.Random(1))
    gen_meetings.generate(random.Random(2))
    gen_search.generate(random.Random(3))
    assert SearchEntry.objects.filter(kind="decision").exists()
    cookies = {}
    for name, url, email in gen_search.pages():
        client.cookies.clear()
        if email:
            cookies.setdefault(email, harness.session_cookie(email))
            key, value = cookies[email].split("=", 1)
            client.cookies[key] = value
        response = client.get(url)
        assert response.status_code == 200, name
        assert int(response[HEADER]) <= 14, name
        body = response.content.decode()
        assert 'class="mb-3 search-hit"' in body or 'id="decision-' in body, name
    for measure in gen_search.measures().values():
        measure()
