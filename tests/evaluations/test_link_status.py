"""Issue 13 point 8: "Link sent: yes" was shown for invitees whose mails still waited in the
outbox. The invitee list shows the truth per invitee from the notice outbox: queued, sent (when),
failed; in a bounded number of queries."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import Notice
from evaluations import rules
from evaluations.models import Invitation

pytestmark = pytest.mark.django_db


def test_invitee_list_shows_queued_sent_and_failed(
    client, login, personas, open_survey, django_assert_max_num_queries
):
    invitations = list(Invitation.objects.filter(survey=open_survey).order_by("affiliation", "name"))
    sent, failed = invitations[0], invitations[1]
    Notice.objects.filter(key=f"evaluations:invite:{sent.pk}").update(
        status=Notice.Status.SENT, sent_at=datetime.datetime(2026, 3, 2, 7, 5, tzinfo=datetime.UTC)
    )
    Notice.objects.filter(key=f"evaluations:invite:{failed.pk}").update(
        status=Notice.Status.FAILED, last_error="550 mailbox unavailable"
    )
    login(personas["secretariat"])
    with django_assert_max_num_queries(12):
        page = client.get(reverse("evaluations:invitation_list", args=[open_survey.pk])).text
    rows = {i.name: row for i in invitations for row in page.split("<tr") if i.name in row}
    assert "Sent 2. March 2026" in rows[sent.name]
    assert "Failed" in rows[failed.name] and "550" not in page
    waiting = [rows[i.name] for i in invitations[2:]]
    assert waiting and all("Queued" in row for row in waiting)
    assert ">yes<" not in page.split("<tbody>")[1].split("</tbody>")[0].replace("Completed", "")


@pytest.mark.parametrize(
    ("invitation_sent", "status", "expected"),
    [
        (False, None, rules.LINK_NOT_SENT),
        (True, None, rules.LINK_SENT),  # the sent notice was pruned from the outbox
        (True, "pending", rules.LINK_QUEUED),
        (True, "sending", rules.LINK_QUEUED),
        (True, "sent", rules.LINK_SENT),
        (True, "failed", rules.LINK_FAILED),
    ],
)
def test_link_state(invitation_sent, status, expected):
    assert rules.link_state(invitation_sent, status) == expected


def test_the_invitee_table_escapes_names_and_says_each_state_once():
    """The rows are made in one pass in Python (issue 15): names are still escaped."""
    from types import SimpleNamespace

    from evaluations.views import _invitee_table

    def row(name, link, completed=False):
        invitation = SimpleNamespace(name=name, affiliation="member", completed=completed)
        return SimpleNamespace(invitation=invitation, link=link, sent_at=None, due_at=None)

    html = _invitee_table(
        [row("<b>Æ</b>", rules.LINK_SENT, True), row("Bo", rules.LINK_FAILED), row("Al", rules.LINK_NOT_SENT)]
    )
    assert "&lt;b&gt;Æ&lt;/b&gt;" in html and "<b>" not in html
    assert html.count("<tr>") == 3 and '<span class="text-danger">Failed</span>' in html
    assert "Not sent (the survey has not opened)" in html
