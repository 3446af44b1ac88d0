"""Bilag 1 1.8: the council page flags seats whose member the register says has left."""

import datetime

import pytest
from django.urls import reverse

from appointments import rules
from appointments.models import Seat
from register.models import Politician
from tests.conftest import TODAY

from .conftest import party, seat

pytestmark = pytest.mark.django_db
D = datetime.date


def warnings(**overrides):
    values = {
        "elected": True,
        "seat_list_unit": "A",
        "holder_unit": "A",
        "holder_council_to": None,
        "substitute_council_to": None,
        "today": D(2026, 5, 1),
    } | overrides
    return rules.seat_holder_warnings(**values)


def test_rule_boundaries():
    assert warnings() == []
    assert warnings(holder_council_to=D(2026, 5, 1)) == []  # still a member on their last day
    assert "left the municipal council on 30.04.2026" in warnings(holder_council_to=D(2026, 4, 30))[0]
    assert "no longer belongs to list A" in warnings(holder_unit="F")[0]
    assert "no longer belongs" in warnings(holder_unit=None)[0]
    assert warnings(elected=False, holder_unit="F") == []  # a mayor sits as mayor, whatever the list
    assert "substitute left" in warnings(substitute_council_to=D(2026, 4, 30))[0]


def page(client, council):
    return client.get(reverse("appointments:council_detail", args=[council.pk])).content.decode()


def test_council_page_flags_a_member_who_left_council_or_list(login, client, personas, council):
    login(personas["secretariat"])
    assert "should be replaced" not in page(client, council)
    left = seat(council, 3).holder
    Politician.objects.filter(pk=left.pk).update(council_to=TODAY - datetime.timedelta(days=1))
    switched = seat(council, 4).holder
    Politician.objects.filter(pk=switched.pk).update(party=party("V"))
    html = page(client, council)
    assert "2 seats&#x27; members should be replaced" in html or "2 seats' members should be replaced" in html
    assert "left the municipal council" in html and "no longer belongs to list C" in html
    # a warning only: the seats are unchanged
    assert Seat.objects.current().get(council=council, number=3).holder == left
    edit = client.get(reverse("appointments:seat_edit", args=[council.pk, 4])).content.decode()
    assert "no longer belongs to list C" in edit


def test_cooperation_partner_is_not_flagged(login, client, personas, council):
    coop = council.cooperations.create(name="C+V")
    coop.parties.set([party("C"), party("V")])
    Politician.objects.filter(pk=seat(council, 4).holder_id).update(party=party("V"))
    login(personas["secretariat"])
    assert "no longer belongs" not in page(client, council)


def test_members_do_not_see_the_warnings(login, client, personas, council):
    Politician.objects.filter(pk=seat(council, 4).holder_id).update(party=party("V"))
    login(personas["member"])
    assert "no longer belongs" not in page(client, council)
