"""Shared people selectors: who holds a role, who a politician's portal users are.

Every app asks "the active users holding role X in a region" through here (notices to the
secretariat, the region officers, the clerks), so deactivating a user stops them everywhere.
"""

from __future__ import annotations

from django.db.models import QuerySet

from .models import User
from .roles import RoleKind


def users_with_role(
    kind: RoleKind, *, region_id: int | None = None, municipality_id: int | None = None
) -> QuerySet[User]:
    """The active users holding role ``kind`` (in the region / municipality when given)."""
    roles = {"roles__kind": kind}
    if region_id is not None:
        roles["roles__region_id"] = region_id
    if municipality_id is not None:
        roles["roles__municipality_id"] = municipality_id
    return User.objects.filter(is_active=True, **roles).distinct()


def politician_users(politician_id: int | None) -> QuerySet[User]:
    """The active portal users of a politician (none for None)."""
    return (
        User.objects.filter(is_active=True, politician_id=politician_id)
        if politician_id
        else User.objects.none()
    )
