import datetime

import pytest

from appointments import demo, services
from appointments.models import Appointment, Body, Council, Election, Seat

pytestmark = pytest.mark.django_db


def test_demo_composition_is_computed_and_seeding_is_idempotent():
    demo.seed()
    council = Council.objects.get(region__code="1084", term_start=demo.TERM_START)
    composition = services.council_composition(council)
    current = Seat.objects.current(demo.TERM_START).filter(council=council)
    assert current.count() == composition.members == 54
    assert current.filter(kind=Seat.Kind.MAYOR).count() == 29
    assert council.chair is not None and council.vice_chair is not None and council.convener is not None
    assert Election.objects.filter(council=council, kind=Election.Kind.CHAIR).count() == 1
    assert Body.objects.filter(region=council.region).count() >= 10
    appointments = Appointment.objects.count()
    assert appointments >= 25
    demo.seed()
    assert Seat.objects.filter(council=council).count() == 54 + 1  # one replaced member in the history
    assert Appointment.objects.count() == appointments


def test_demo_shows_a_body_with_a_renewed_term():
    """Issue 13.6: the demo's Greater Copenhagen committee ran out on 31.1.2026; its new term is
    recorded and staffed, and the earlier term keeps its appointments."""
    demo.seed()
    old, new = Body.objects.get(name=demo.RENEWED_BODY, term_start=demo.BODY_TERM_START).terms()
    assert new.term_start == old.term_end + datetime.timedelta(days=1)
    assert Appointment.objects.current().filter(post__body=new).count() == 3
    assert Appointment.objects.filter(post__body=old).count() == 3
    assert not Appointment.objects.current().filter(post__body=old).exists()
