from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.access import require_roles
from accounts.roles import RoleKind, roles_of

from .access import councils_for_user, get_council_for_user
from .models import Seat

COUNCIL_READERS = (RoleKind.SECRETARIAT, RoleKind.MEMBER, RoleKind.SUBSTITUTE, RoleKind.CHAIR)


@require_roles(*COUNCIL_READERS)
@require_GET
def council_list(request):
    councils = list(councils_for_user(roles_of(request)))
    return render(request, "appointments/council_list.html", {"councils": councils})


@require_roles(*COUNCIL_READERS)
@require_GET
def council_detail(request, pk):
    council = get_council_for_user(request, pk)
    seats = list(
        Seat.objects.current()
        .filter(council=council)
        .select_related("holder", "substitute", "party", "municipality")
        .order_by("kind", "municipality__name", "number")
    )
    return render(request, "appointments/council_detail.html", {"council": council, "seats": seats})
