import pytest
from django.core import mail
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import make_user


@pytest.mark.django_db
def test_email_login_reaches_start_page(client, personas):
    response = client.post(
        reverse("accounts:login"), {"username": "member@example.dk", "password": "pw-for-tests-123"}
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.django_db
def test_staff_must_pass_totp_before_any_page(client, personas, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no back-off between the wrong and the right code here
    client.post(
        reverse("accounts:login"), {"username": "secretariat@example.dk", "password": "pw-for-tests-123"}
    )
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:otp"))
    # First visit sets up a device; a wrong code is refused, the right one lets the user in.
    page = client.get(reverse("accounts:otp"))
    assert b"data:image/svg+xml" in page.content
    device = TOTPDevice.objects.get(user=personas["secretariat"])
    assert client.post(reverse("accounts:otp"), {"token": "000000"}).status_code == 200
    code = f"{totp(device.bin_key):06d}"
    response = client.post(reverse("accounts:otp") + "?next=/", {"token": code})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.django_db
def test_members_do_not_need_totp(client, personas):
    client.post(reverse("accounts:login"), {"username": "member@example.dk", "password": "pw-for-tests-123"})
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.django_db
def test_repeated_failed_logins_are_throttled(client, personas, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "member@example.dk", "password": "wrong"})
    response = client.post(
        reverse("accounts:login"), {"username": "member@example.dk", "password": "pw-for-tests-123"}
    )
    assert response.status_code == 429
    assert "Too many" in response.content.decode() or "For mange" in response.content.decode()


@pytest.mark.django_db
def test_lockout_is_per_username_so_colleagues_on_one_ip_can_log_in(client, personas, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "member@example.dk", "password": "wrong"})
    response = client.post(
        reverse("accounts:login"), {"username": "clerk-a@example.dk", "password": "pw-for-tests-123"}
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_password_reset_sends_mail(client):
    make_user("someone@example.dk")
    response = client.post(reverse("accounts:password_reset"), {"email": "someone@example.dk"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/konto/adgangskode/" in mail.outbox[0].body


@pytest.mark.django_db
def test_language_switch_to_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/konto/login/"})
    assert response.status_code == 302
    page = client.get("/konto/login/")
    assert page.status_code == 200 and 'lang="en"' in page.content.decode()


@pytest.mark.django_db
def test_pages_send_a_csp_header_with_nonce(client):
    response = client.get(reverse("accounts:login"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "'nonce-" in csp


@pytest.mark.django_db
def test_portal_speaks_danish_whatever_the_browser_asks(client, settings):
    settings.LANGUAGE_CODE = "da"
    page = client.get("/konto/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="da"' in page.content.decode() and "Log ind" in page.content.decode()
