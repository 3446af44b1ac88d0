import datetime

import pytest

from accounts.roles import RoleKind, compute_roles
from appointments.models import Seat


@pytest.mark.django_db
def test_roles_follow_register_and_assignments(personas, council, hovedstaden):
    roles = {name: compute_roles(user) for name, user in personas.items()}
    assert roles["secretariat"].kinds == {RoleKind.SECRETARIAT}
    assert roles["secretariat"].secretariat_regions == {hovedstaden.id}
    assert roles["chair"].kinds == {RoleKind.MEMBER, RoleKind.CHAIR}
    assert roles["chair"].chair_councils == {council.id}
    assert roles["member"].kinds == {RoleKind.MEMBER}
    assert roles["substitute"].kinds == {RoleKind.SUBSTITUTE}
    assert roles["substitute"].substitute_councils == {council.id}
    assert roles["clerk_a"].kinds == {RoleKind.CLERK}
    assert roles["officer"].is_staff_role
    assert roles["council_member"].kinds == frozenset()


@pytest.mark.django_db
def test_member_loses_role_when_seat_period_ends(personas, council):
    seat = Seat.objects.get(council=council, number=3)
    seat.valid_to = datetime.date.today() - datetime.timedelta(days=1)
    seat.save()
    assert RoleKind.MEMBER not in compute_roles(personas["member"]).kinds
