"""A half-finished staff login (password given, TOTP not yet) reaches nothing but the TOTP step, on
every URL pattern of the portal: pages, the REST API (session authentication) and the admin. Every
login that reaches /admin/ needs the second factor, also an is_staff user with no portal role."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import Role
from tests.conftest import make_user
from tests.test_access_walk import to_url

OTP = "/konto/totp/"
# The TOTP step itself, logging out and the language switch on the TOTP page.
ALLOWED = {"konto/totp/", "konto/logout/", "sprog/"}


def every_pattern(resolver=None, prefix=""):
    """Every URL pattern, the admin's included."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from every_pattern(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


PATTERNS = sorted(set(every_pattern()) - ALLOWED)


def half_login(client, user):
    """The password step only: a session for the user, no verified device."""
    client.force_login(user)
    return client


def only_totp_step(response) -> bool:
    if response.status_code == 302:
        return response["Location"].startswith(OTP)
    # API views answer JSON clients with a refusal rather than a redirect.
    return response.status_code in {401, 403} and b"results" not in response.content


@pytest.fixture
def admin_viewer(db):
    """is_staff with view permission on the notice outbox, no portal role."""
    user = make_user("outbox-viewer@example.dk")
    user.is_staff = True
    user.save()
    user.user_permissions.add(*Permission.objects.filter(codename__in=["view_notice", "view_user"]))
    return user


@pytest.mark.django_db
def test_half_finished_login_reaches_nothing_but_the_totp_step(client, personas, admin_viewer):
    half = {"secretariat": personas["secretariat"], "officer": personas["officer"], "admin": admin_viewer}
    leaks = []
    for name, user in half.items():
        half_login(client, user)
        for pattern in PATTERNS:
            url = to_url(pattern)
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                if not only_totp_step(response):
                    leaks.append(f"{name} {method.upper()} {url}: {response.status_code}")
        client.logout()
    assert leaks == [], f"{len(leaks)} of {len(PATTERNS) * 2 * len(half)} probes passed: {leaks[:20]}"


@pytest.mark.django_db
def test_region_officer_api_needs_the_second_factor(client, personas):
    half_login(client, personas["officer"])
    response = client.get("/api/iv/courses/")
    assert response.status_code == 403
    assert "results" not in response.json()


@pytest.mark.django_db
def test_admin_needs_the_second_factor_for_staff_without_portal_role(client, admin_viewer):
    client.post(reverse("admin:login"), {"username": admin_viewer.email, "password": "pw-for-tests-123"})
    response = client.get("/admin/accounts/notice/")
    assert response.status_code == 302 and response["Location"].startswith(OTP)


@pytest.mark.django_db
def test_the_totp_step_itself_and_logout_stay_reachable(client, personas):
    half_login(client, personas["secretariat"])
    assert client.get(OTP).status_code == 200
    assert client.post(reverse("accounts:logout")).status_code == 302


@pytest.mark.django_db
def test_members_and_clerks_are_not_asked_for_a_second_factor(client, personas):
    client.force_login(personas["clerk_a"])
    assert client.get("/api/iv/courses/").status_code == 200
    assert client.get("/").status_code == 200
    assert Role.objects.filter(user=personas["clerk_a"]).exists()
