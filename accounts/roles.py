"""Which roles a user has, with their scopes (docs/rules.md §0).

Assigned roles (secretariat, region officer, clerk) come from accounts.Role. The roles that follow
from the register (member, substitute, chair, appointee) are not known here: the app that owns the
register registers a *role source* in its ``AppConfig.ready()`` (``register_role_source``), so
accounts never imports the apps above it.

Every request needs its user's roles, so they are computed once per user, day and version and kept
in the cache: ``roles_changed()`` moves the version on, and the apps connect it to the signals of
every model a role follows from (``invalidate_roles_on``). A change therefore takes effect on the
next request, and a new day (a seat's period ending at midnight) needs no signal at all.
"""

import datetime
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

import core.time

from .models import Role, RoleKind

STAFF_ROLES = frozenset({RoleKind.SECRETARIAT, RoleKind.REGION_OFFICER})


@dataclass(frozen=True)
class UserRoles:
    secretariat_regions: frozenset[int] = frozenset()
    officer_regions: frozenset[int] = frozenset()
    clerk_municipalities: frozenset[int] = frozenset()
    member_councils: frozenset[int] = frozenset()
    substitute_councils: frozenset[int] = frozenset()
    chair_councils: frozenset[int] = frozenset()
    appointee: bool = False
    kinds: frozenset[str] = field(default=frozenset())

    def has(self, *kinds: str) -> bool:
        return any(kind in self.kinds for kind in kinds)

    @property
    def labels(self) -> list[str]:
        return [str(RoleKind(kind).label) for kind in RoleKind.values if kind in self.kinds]

    @property
    def is_staff_role(self) -> bool:
        return bool(self.kinds & STAFF_ROLES)


NO_ROLES = UserRoles()

# Which scope field of UserRoles makes which role (a role is held when its scope is not empty).
SCOPE_KINDS = {
    "secretariat_regions": RoleKind.SECRETARIAT,
    "officer_regions": RoleKind.REGION_OFFICER,
    "clerk_municipalities": RoleKind.CLERK,
    "member_councils": RoleKind.MEMBER,
    "substitute_councils": RoleKind.SUBSTITUTE,
    "chair_councils": RoleKind.CHAIR,
    "appointee": RoleKind.APPOINTEE,
}

# A role source: (politician id, day) -> scopes of UserRoles it provides (e.g. member_councils).
RoleSource = Callable[[int, datetime.date], Mapping[str, object]]
_SOURCES: list[RoleSource] = []


def register_role_source(source: RoleSource) -> RoleSource:
    """Register the roles a politician holds through the register (called from AppConfig.ready())."""
    if source not in _SOURCES:
        _SOURCES.append(source)
    return source


def compute_roles(user, today: datetime.date | None = None) -> UserRoles:
    """The user's roles on a day, from the database (uncached; see roles_for)."""
    if not user.is_authenticated:
        return NO_ROLES
    today = today or core.time.today()
    assigned = list(Role.objects.filter(user=user).values_list("kind", "region_id", "municipality_id"))
    scopes: dict[str, object] = {
        "secretariat_regions": frozenset(r for k, r, _m in assigned if k == RoleKind.SECRETARIAT),
        "officer_regions": frozenset(r for k, r, _m in assigned if k == RoleKind.REGION_OFFICER),
        "clerk_municipalities": frozenset(m for k, _r, m in assigned if k == RoleKind.CLERK),
    }
    if user.politician_id:
        for source in _SOURCES:
            scopes.update(source(user.politician_id, today))
    kinds = frozenset(str(kind) for name, kind in SCOPE_KINDS.items() if scopes.get(name))
    return UserRoles(**scopes, kinds=kinds)


def _prefix() -> str:
    # Named by database so installations (and parallel test databases) sharing a Redis never mix.
    return f"kkr:roles:{settings.DATABASES['default']['NAME']}"


def _version_key() -> str:
    return f"{_prefix()}:version"


def _version() -> int:
    version = cache.get(_version_key())
    if version is None:
        # A fresh (or evicted) version never equals one an old cache entry was stored under.
        cache.add(_version_key(), time.time_ns(), None)
        version = cache.get(_version_key())
    return version


def forget_roles() -> None:
    """Every cached role set is stale from now on (no transaction involved)."""
    _bump()


def _bump() -> None:
    try:
        cache.incr(_version_key())
    except ValueError:  # no version yet, or evicted
        cache.set(_version_key(), time.time_ns(), None)


def roles_changed(**_signal) -> None:
    """Every cached role set is stale from now on, and again once the transaction commits (so a
    request that recomputed them from the uncommitted state in between cannot keep them)."""
    _bump()
    transaction.on_commit(_bump)


def invalidate_roles_on(*models) -> None:
    """Connect roles_changed to saving and deleting the models roles follow from. Bulk updates do
    not send signals: a service that bulk-updates such a model calls roles_changed() itself."""
    for model in models:
        post_save.connect(roles_changed, sender=model, dispatch_uid=f"roles-{model._meta.label}-save")
        post_delete.connect(roles_changed, sender=model, dispatch_uid=f"roles-{model._meta.label}-delete")


ROLES_TTL = 24 * 3600


def roles_for(user) -> UserRoles:
    """The user's roles today, computed once per user, day and version (one cache round trip)."""
    if not user.is_authenticated:
        return NO_ROLES
    today = core.time.today()
    version_key = _version_key()
    key = f"{_prefix()}:{user.pk}:{user.politician_id}:{today.isoformat()}"
    found = cache.get_many([version_key, key])
    version = found.get(version_key)
    stored = found.get(key)
    if version is not None and stored is not None and stored[0] == version:
        return stored[1]
    version = version if version is not None else _version()
    roles = compute_roles(user, today)
    cache.set(key, (version, roles), ROLES_TTL)
    return roles


def roles_of(request) -> UserRoles:
    """The roles of the request's user, looked up once per request."""
    cached = getattr(request, "_kkr_roles", None)
    if cached is None:
        cached = roles_for(request.user)
        request._kkr_roles = cached
    return cached
