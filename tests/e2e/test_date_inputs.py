"""Date and time inputs show the value they hold (issue 16): the browser drops a Danish-formatted
value from <input type=date/datetime-local>, so these journeys read what Chromium kept."""

import datetime

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

import core.time
from accounts.models import Role, RoleKind, User

from .conftest import SCREENSHOTS, TEST_PASSWORD, log_in, shoot, visit

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def secretariat(hovedstaden):
    user = User.objects.create_user(email="sek@example.dk", password=TEST_PASSWORD, name="Sara Sekretær")
    Role.objects.create(user=user, kind=RoleKind.SECRETARIAT, region=hovedstaden)
    TOTPDevice.objects.create(user=user, name="e2e", confirmed=True)
    return user


def test_the_seat_forms_from_fields_hold_today(page, secretariat, council):
    log_in(page, secretariat)
    visit(page, f"/kkr/{council.pk}/pladser/1/")
    today = core.time.today().isoformat()
    assert page.locator("#id_sub-on").input_value() == today
    assert page.locator("#id_rep-on").input_value() == today
    SCREENSHOTS.mkdir(exist_ok=True)
    page.locator("form:has(#id_sub-on)").screenshot(path=str(SCREENSHOTS / "date-inputs-seat-form.png"))


def test_the_constituent_meetings_start_shows_in_its_input(page, secretariat, council):
    start = timezone.make_aware(datetime.datetime(2027, 1, 27, 10, 0))
    council.constituent_meeting_at = start
    council.save(update_fields=["constituent_meeting_at"])
    log_in(page, secretariat)
    visit(page, f"/kkr/{council.pk}/konstituering/")
    assert page.locator("#id_m-meeting_at").input_value() == "2027-01-27T10:00"
    shoot(page, "date-inputs-constituent")
