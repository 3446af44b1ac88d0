"""accounts.selectors: the one "active users holding role X in a region" and a politician's users."""

import pytest

from accounts.models import RoleKind
from accounts.selectors import politician_users, users_with_role


@pytest.mark.django_db
def test_users_with_role_in_a_region_are_active_and_listed_once(personas, hovedstaden, sjaelland):
    here = set(users_with_role(RoleKind.SECRETARIAT, region_id=hovedstaden.pk))
    assert personas["secretariat"] in here
    assert personas["secretariat_other"] not in here
    personas["secretariat"].is_active = False
    personas["secretariat"].save(update_fields=["is_active"])
    assert personas["secretariat"] not in set(users_with_role(RoleKind.SECRETARIAT, region_id=hovedstaden.pk))


@pytest.mark.django_db
def test_politician_users(personas):
    member = personas["member"]
    assert list(politician_users(member.politician_id)) == [member]
    assert not politician_users(None).exists()
