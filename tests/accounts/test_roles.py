import datetime

import pytest

from accounts.roles import RoleKind, compute_roles, roles_for
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


# Roles are computed once per user, day and version (accounts.roles.roles_for) and a change to a
# row they follow from takes effect on the next request.


@pytest.mark.django_db
def test_roles_are_computed_once_and_then_cost_no_query(personas, django_assert_num_queries):
    member = personas["member"]
    first = roles_for(member)
    with django_assert_num_queries(0):
        assert roles_for(member) == first
    assert first == compute_roles(member)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    ["seat ends", "role removed", "stand-in", "chair changes", "appointment"],
)
def test_a_change_takes_effect_on_the_next_request(change, personas, council, login, client):
    from django.urls import reverse

    from appointments.models import Appointment, StandIn
    from tests.conftest import TODAY

    index = reverse("meetings:index")
    if change == "seat ends":
        user, before, after = personas["member"], RoleKind.MEMBER, None
    elif change == "role removed":
        user, before, after = personas["secretariat"], RoleKind.SECRETARIAT, None
    elif change == "stand-in":
        user, before, after = personas["substitute"], RoleKind.SUBSTITUTE, RoleKind.MEMBER
    elif change == "chair changes":
        user, before, after = personas["member"], RoleKind.MEMBER, RoleKind.CHAIR
    else:
        user, before, after = personas["council_member"], None, RoleKind.APPOINTEE
    login(user)
    client.get(index)  # the roles are now cached
    assert (before is None) or before in roles_for(user).kinds

    if change == "seat ends":
        seat = Seat.objects.get(council=council, number=3)
        seat.valid_to = TODAY - datetime.timedelta(days=1)
        seat.save()
    elif change == "role removed":
        user.roles.all().delete()
    elif change == "stand-in":
        seat = Seat.objects.get(council=council, number=3)
        StandIn.objects.create(
            council=council,
            seat_number=3,
            member=seat.holder,
            stand_in=seat.substitute,
            starts_on=TODAY,
        )
    elif change == "chair changes":
        council.vice_chair = user.politician
        council.save()
    else:
        from appointments import services

        body = services.body_create(
            region=council.region,
            name="Sundhedskoordinationsudvalget",
            term_start=TODAY - datetime.timedelta(days=10),
            term_end=TODAY + datetime.timedelta(days=30),
            posts=[("Medlem", 1)],
        )
        Appointment.objects.create(post=body.posts.get(), politician=user.politician, valid_from=TODAY)

    response = client.get(index)
    kinds = response.context["roles"].kinds if response.context else roles_for(user).kinds
    assert kinds == compute_roles(user).kinds
    if after:
        assert after in kinds
    if before and before != RoleKind.MEMBER or change == "seat ends":
        assert before not in kinds


def test_appointments_registers_the_roles_of_the_register():
    from accounts import roles
    from appointments.access import register_roles

    assert register_roles in roles._SOURCES
