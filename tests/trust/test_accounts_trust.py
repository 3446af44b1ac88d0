"""Personal links out of the admin and pruned from the outbox; lockout behind a proxy; email
logins whatever the case; no-store on pages behind login; the staff idle timeout."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from accounts.messaging import queue_notice
from accounts.models import Notice, User
from accounts.network import client_ip
from accounts.services import LINK_NOTICE_KEEP, notices_prune_links
from tests.conftest import log_in, make_user

LINK = "http://127.0.0.1:8000/evaluering/svar/SECRET-TOKEN-abc/"


def _link_notice(key="evaluations:invite:1", **extra):
    return queue_notice(
        key=key,
        to_email="a@example.dk",
        template="accounts/mail/test_notice",
        context={"text": f"Dit link: {LINK}"},
        url=LINK,
        personal_link=True,
        **extra,
    )


@pytest.fixture
def admin_viewer(db):
    user = make_user("outbox-viewer@example.dk")
    user.is_staff = True
    user.save()
    user.user_permissions.add(*Permission.objects.filter(codename="view_notice"))
    return user


# --- 9: the admin never shows a personal link -------------------------------------------------


@pytest.mark.django_db
def test_notice_admin_never_shows_a_personal_link(client, admin_viewer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        notice = _link_notice()
    log_in(client, admin_viewer)
    listing = client.get("/admin/accounts/notice/")
    detail = client.get(f"/admin/accounts/notice/{notice.pk}/change/")
    assert listing.status_code == 200 and detail.status_code == 200
    for page in (listing, detail):
        assert b"SECRET-TOKEN" not in page.content


@pytest.mark.django_db
def test_no_admin_page_shows_a_personal_link(client, django_capture_on_commit_callbacks):
    """Every changelist of the admin, and the notice's page, as a superuser."""
    from django.contrib import admin

    with django_capture_on_commit_callbacks(execute=False):
        notice = _link_notice()
    root = User.objects.create_superuser("root@example.dk", "pw-for-tests-123")
    log_in(client, root)
    pages = [f"/admin/{m._meta.app_label}/{m._meta.model_name}/" for m in admin.site._registry]
    pages += [f"/admin/accounts/notice/{notice.pk}/change/", "/admin/accounts/notice/?q=evaluering"]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"SECRET-TOKEN" not in response.content, url


@pytest.mark.django_db
def test_sent_link_notices_are_pruned_after_the_keep_period(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        old = _link_notice("evaluations:invite:1")
        fresh = _link_notice("evaluations:invite:2")
        plain = queue_notice(
            key="meetings:x",
            to_email="a@example.dk",
            template="accounts/mail/test_notice",
            context={"text": "Hej"},
            url="/moeder/1/",
        )
    now = timezone.now()
    Notice.objects.update(status=Notice.Status.SENT)
    Notice.objects.filter(pk__in=[old.pk, plain.pk]).update(
        sent_at=now - LINK_NOTICE_KEEP - datetime.timedelta(minutes=1)
    )
    Notice.objects.filter(pk=fresh.pk).update(sent_at=now - LINK_NOTICE_KEEP + datetime.timedelta(minutes=1))
    assert notices_prune_links(now=now) == 1
    old.refresh_from_db(), fresh.refresh_from_db(), plain.refresh_from_db()
    assert "SECRET-TOKEN" not in old.body + old.html + old.url
    assert old.key == "evaluations:invite:1"  # the row stays, so the key still makes queuing idempotent
    assert "SECRET-TOKEN" in fresh.body and plain.url == "/moeder/1/"


def test_pruning_runs_from_celery_beat(settings):
    entry = [
        e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "accounts.tasks.prune_link_notices"
    ]
    assert len(entry) == 1


# --- 10: lockout behind the proxy; case-insensitive email ---------------------------------------


class FakeRequest:
    def __init__(self, remote, forwarded=None):
        self.META = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            self.META["HTTP_X_FORWARDED_FOR"] = forwarded


def test_client_ip_trusts_only_the_configured_proxies(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(FakeRequest("10.0.0.1", "1.1.1.1")) == "10.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(FakeRequest("10.0.0.1", "1.1.1.1")) == "1.1.1.1"
    # A client cannot choose its address by sending its own X-Forwarded-For: the proxy appends.
    assert client_ip(FakeRequest("10.0.0.1", "9.9.9.9, 1.1.1.1")) == "1.1.1.1"
    assert client_ip(FakeRequest("10.0.0.1", "")) == "10.0.0.1"
    assert client_ip(FakeRequest("10.0.0.1")) == "10.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(FakeRequest("10.0.0.2", "9.9.9.9, 1.1.1.1, 10.0.0.1")) == "1.1.1.1"
    assert client_ip(FakeRequest("10.0.0.2", "1.1.1.1")) == "10.0.0.2"  # fewer hops than trusted


def _login(client, email, password, forwarded):
    return client.post(
        reverse("accounts:login"),
        {"username": email, "password": password},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR=forwarded,
    )


@pytest.mark.django_db
def test_wrong_passwords_behind_the_proxy_do_not_lock_out_the_real_user(client, personas, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "member@example.dk", "wrong", "203.0.113.9")
    assert _login(client, "member@example.dk", "wrong", "203.0.113.9").status_code == 429
    assert _login(client, "member@example.dk", "pw-for-tests-123", "198.51.100.7").status_code == 302


@pytest.mark.django_db
def test_lockout_cannot_be_dodged_by_changing_the_case_of_the_email(client, personas, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "member@example.dk", "wrong", "")
    assert _login(client, "MEMBER@example.dk", "pw-for-tests-123", "").status_code == 429


@pytest.mark.django_db
def test_email_login_is_case_insensitive(client, personas):
    response = client.post(
        reverse("accounts:login"), {"username": "Member@Example.dk", "password": "pw-for-tests-123"}
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.django_db
def test_two_users_cannot_share_an_email_in_different_case(db):
    make_user("someone@example.dk")
    with pytest.raises(IntegrityError):
        User.objects.create(email="Someone@example.dk")


# --- 11: no-store and the staff idle timeout ---------------------------------------------------


@pytest.mark.django_db
def test_pages_behind_login_are_not_stored(client, personas):
    log_in(client, personas["member"])
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "no-store" in client.get("/api/iv/courses/").get("Cache-Control", "no-store")


@pytest.mark.django_db
def test_public_pages_may_be_cached(client):
    assert "no-store" not in client.get(reverse("accessibility")).get("Cache-Control", "")


@pytest.mark.django_db
def test_staff_session_ends_after_the_idle_timeout(client, personas, settings, monkeypatch):
    import accounts.middleware as middleware

    start = 1_000_000.0
    monkeypatch.setattr(middleware.time, "time", lambda: start)
    log_in(client, personas["secretariat"])
    assert client.get(reverse("home")).status_code == 200
    monkeypatch.setattr(middleware.time, "time", lambda: start + settings.STAFF_IDLE_TIMEOUT - 5)
    assert client.get(reverse("home")).status_code == 200
    # Activity moved the deadline on; now stay idle past it.
    monkeypatch.setattr(middleware.time, "time", lambda: start + 2 * settings.STAFF_IDLE_TIMEOUT + 1)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith("/konto/login/")


@pytest.mark.django_db
def test_members_have_no_idle_timeout(client, personas, settings, monkeypatch):
    import accounts.middleware as middleware

    log_in(client, personas["member"])
    monkeypatch.setattr(middleware.time, "time", lambda: 1_000_000.0)
    client.get(reverse("home"))
    monkeypatch.setattr(middleware.time, "time", lambda: 1_000_000.0 + 10 * settings.STAFF_IDLE_TIMEOUT)
    assert client.get(reverse("home")).status_code == 200
