"""Who may see and do what in the IV agreement: the only place that decides access for the app.

A clerk sees and edits only the courses of their own municipality; a region billing officer
sees all courses of the region's municipalities and settles them, but does not edit them.
"""

from django.db.models import Q
from django.shortcuts import get_object_or_404

from accounts.roles import RoleKind, roles_of
from register.models import Municipality, Region

from .models import Agreement, Course, SettlementRun, Statement

COURSE_READERS = (RoleKind.CLERK, RoleKind.REGION_OFFICER)
SETTLERS = (RoleKind.REGION_OFFICER,)
FOLLOWERS = (RoleKind.CLERK, RoleKind.REGION_OFFICER, RoleKind.SECRETARIAT)
REGION_WIDE = (RoleKind.REGION_OFFICER, RoleKind.SECRETARIAT)


def readable_municipality_filter(roles, prefix: str = "") -> Q:
    return Q(**{f"{prefix}id__in": roles.clerk_municipalities}) | Q(
        **{f"{prefix}region_id__in": roles.officer_regions}
    )


def writable_municipalities(roles):
    """The municipalities whose courses the user may register: a clerk's own."""
    return Municipality.objects.filter(id__in=roles.clerk_municipalities).order_by("code")


def readable_municipalities(roles):
    return Municipality.objects.filter(readable_municipality_filter(roles)).order_by("code")


def courses_for_user(roles):
    return Course.objects.filter(readable_municipality_filter(roles, "municipality__"))


def get_course_for_user(request, pk: int, write: bool = False) -> Course:
    roles = roles_of(request)
    if write:
        queryset = Course.objects.filter(municipality_id__in=roles.clerk_municipalities)
    else:
        queryset = courses_for_user(roles)
    return get_object_or_404(queryset.select_related("municipality"), pk=pk)


def agreements_for_user(roles):
    """The agreements a user follows: their region's (officer, secretariat) or their municipality's."""
    return Agreement.objects.filter(
        Q(region_id__in=roles.officer_regions | roles.secretariat_regions)
        | Q(region__municipalities__id__in=roles.clerk_municipalities)
    ).distinct()


def cost_sharing_regions(roles):
    """The regions whose cost sharing a user may work out (FO 4.3; every KKR, with or without an
    IV agreement): the region officer's and the secretariat's own."""
    return Region.objects.filter(id__in=roles.officer_regions | roles.secretariat_regions).order_by("code")


def runs_for_user(roles):
    return SettlementRun.objects.filter(agreement__region_id__in=roles.officer_regions)


def get_run_for_user(request, pk: int) -> SettlementRun:
    return get_object_or_404(runs_for_user(roles_of(request)).select_related("agreement"), pk=pk)


def statements_for_user(roles):
    return Statement.objects.filter(
        Q(run__agreement__region_id__in=roles.officer_regions)
        | Q(municipality_id__in=roles.clerk_municipalities)
    )


def get_statement_for_user(request, pk: int, write: bool = False) -> Statement:
    roles = roles_of(request)
    if write:
        queryset = Statement.objects.filter(run__agreement__region_id__in=roles.officer_regions)
    else:
        queryset = statements_for_user(roles)
    return get_object_or_404(queryset.select_related("run__agreement", "municipality", "finalised_by"), pk=pk)
