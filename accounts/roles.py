"""Which roles a user has, with their scopes (SPEC section 0).

Assigned roles (secretariat, region officer, clerk) come from accounts.Role; member, substitute,
chair and appointee follow from the register through the user's politician.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

import core.time


class RoleKind(TextChoices):
    SECRETARIAT = "secretariat", _("Secretariat")
    CHAIR = "chair", _("Chair / vice-chair")
    MEMBER = "member", _("Member")
    SUBSTITUTE = "substitute", _("Substitute")
    APPOINTEE = "appointee", _("Appointee")
    CLERK = "clerk", _("Municipal billing clerk")
    REGION_OFFICER = "region_officer", _("Region billing officer")


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


def compute_roles(user, today: datetime.date | None = None) -> UserRoles:
    from appointments.access import politician_roles  # appointments owns the register of seats

    from .models import Role

    if not user.is_authenticated:
        return NO_ROLES
    today = today or core.time.today()
    assigned = list(Role.objects.filter(user=user).values_list("kind", "region_id", "municipality_id"))
    secretariat = frozenset(r for k, r, _m in assigned if k == Role.Kind.SECRETARIAT)
    officer = frozenset(r for k, r, _m in assigned if k == Role.Kind.REGION_OFFICER)
    clerk = frozenset(m for k, _r, m in assigned if k == Role.Kind.CLERK)
    derived = politician_roles(user.politician_id, today) if user.politician_id else None
    members = derived.member_councils if derived else frozenset()
    substitutes = derived.substitute_councils if derived else frozenset()
    chairs = derived.chair_councils if derived else frozenset()
    appointee = derived.appointee if derived else False
    kinds = set()
    for kind, present in [
        (RoleKind.SECRETARIAT, secretariat),
        (RoleKind.REGION_OFFICER, officer),
        (RoleKind.CLERK, clerk),
        (RoleKind.MEMBER, members),
        (RoleKind.SUBSTITUTE, substitutes),
        (RoleKind.CHAIR, chairs),
        (RoleKind.APPOINTEE, appointee),
    ]:
        if present:
            kinds.add(str(kind))
    return UserRoles(
        secretariat_regions=secretariat,
        officer_regions=officer,
        clerk_municipalities=clerk,
        member_councils=members,
        substitute_councils=substitutes,
        chair_councils=chairs,
        appointee=appointee,
        kinds=frozenset(kinds),
    )


def roles_of(request) -> UserRoles:
    """The roles of the request's user, computed once per request."""
    cached = getattr(request, "_kkr_roles", None)
    if cached is None:
        cached = compute_roles(request.user)
        request._kkr_roles = cached
    return cached
