from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.access import require_roles
from accounts.roles import RoleKind

from .access import get_meeting_for_user

READERS = (RoleKind.SECRETARIAT, RoleKind.CHAIR, RoleKind.MEMBER, RoleKind.SUBSTITUTE)


@require_roles(*READERS)
@require_GET
def detail(request, pk):
    meeting = get_meeting_for_user(request, pk)
    return render(request, "meetings/detail.html", {"meeting": meeting})
