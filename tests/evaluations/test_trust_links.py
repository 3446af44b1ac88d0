"""Issue 12.9: the notices carrying a respondent's personal link are marked, so the admin never
shows them and the beat task prunes them once sent."""

import pytest

from accounts.models import Notice

pytestmark = pytest.mark.django_db


def test_invitation_and_reminder_notices_hold_a_personal_link(open_survey):
    notices = Notice.objects.filter(key__startswith="evaluations:")
    assert notices.exists()
    assert all(n.personal_link for n in notices)
    assert not Notice.objects.filter(personal_link=True).exclude(key__startswith="evaluations:").exists()
