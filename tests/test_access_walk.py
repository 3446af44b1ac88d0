"""Walk every URL pattern (from the URLconf, so new views are covered automatically) as anonymous
and as each persona, and check deny-by-default."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.access import API, PUBLIC
from accounts.roles import compute_roles

from .conftest import log_in

# Converters get values that resolve but point at nothing, or at the fixtures' first rows.
SAMPLE = {"int": "1", "str": "x", "slug": "x", "uuid": "00000000-0000-0000-0000-000000000000", "path": "x"}
DENIED = {401, 403, 404, 405}


def walk(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if getattr(entry, "app_name", None) == "admin" or str(entry.pattern).startswith("admin/"):
                continue  # Django's admin guards itself (staff login); covered below
            yield from walk(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def to_url(pattern: str) -> str:
    url = re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE.get(m.group(1) or "str", "x"), pattern)
    url = url.replace("^", "").replace("$", "")
    return "/" + url


PATTERNS = sorted(walk(), key=lambda item: item[0])


def access_of(callback):
    return getattr(callback, "kkr_access", None)


def test_every_view_states_who_may_see_it():
    missing = [pattern for pattern, callback in PATTERNS if access_of(callback) is None]
    assert missing == [], f"views without @public/@any_user/@require_roles/@api: {missing}"


@pytest.mark.django_db
@pytest.mark.parametrize(("pattern", "callback"), PATTERNS, ids=[p for p, _ in PATTERNS])
def test_anonymous_is_denied_except_public(client, pattern, callback):
    response = client.get(to_url(pattern))
    access = access_of(callback)
    if access == PUBLIC:
        assert response.status_code < 500
        return
    if access == API:
        assert response.status_code in DENIED
        return
    assert response.status_code in DENIED | {302}
    if response.status_code == 302:
        assert response["Location"].startswith("/konto/login/")


@pytest.mark.django_db
def test_admin_needs_staff_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_each_role_reaches_only_views_of_its_roles(client, personas):
    """For each persona and each view: a view restricted to other roles refuses (403/404), and no
    view answers with a server error."""
    failures = []
    for name, user in personas.items():
        log_in(client, user)
        kinds = compute_roles(user).kinds
        for pattern, callback in PATTERNS:
            access = access_of(callback)
            response = client.get(to_url(pattern))
            if response.status_code >= 500:
                failures.append(f"{name} {pattern}: {response.status_code}")
            elif (
                isinstance(access, frozenset) and not (access & kinds) and response.status_code not in DENIED
            ):
                failures.append(f"{name} {pattern}: {response.status_code}, expected refusal")
        client.logout()
    assert failures == []
