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
