"""Project-wide pages: the start page per role, health, the accessibility statement."""

from django.conf import settings
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.access import public, require_roles
from accounts.models import Notice
from accounts.roles import RoleKind, roles_of
from meetings.public_views import public_front


@public
@require_GET
def home(request):
    """`/`: a visitor sees the public start page; a user what comes next for them: each app
    contributes panels for the roles it serves. (A half-finished staff login never gets here: the
    second-factor middleware stops it on every path, public ones included.)"""
    if not request.user.is_authenticated:
        return public_front(request)
    roles = roles_of(request)
    panels = []
    for dotted in settings.DASHBOARD_PANELS:
        panels.extend(import_string(dotted)(request, roles))
    notices = list(Notice.objects.filter(user=request.user).only("subject", "created_at", "url")[:8])
    return render(request, "home.html", {"panels": panels, "notices": notices})


@require_roles(RoleKind.SECRETARIAT)
@require_GET
def dev_outbox(request):
    """Development only (DEBUG, `make run`): the mails the portal has queued, as rendered, with
    their links, so a newcomer can follow a survey invitation without an SMTP server or the admin.
    Never in production: personal links must not be shown to anyone there."""
    if not settings.DEV_OUTBOX:
        raise Http404
    notices = Notice.objects.only("to_email", "subject", "body", "status", "created_at", "sent_at")[:100]
    return render(request, "dev_outbox.html", {"notices": notices})


@public
@require_GET
def accessibility(request):
    return render(request, "accessibility.html")


@public
@require_GET
@never_cache
def healthz(request):
    """Database and (when configured) Redis status as JSON: 'ok', 'degraded' (Redis down) or 'down'."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"error: {exc.__class__.__name__}"
    if settings.REDIS_URL:
        import redis

        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1).ping()
            checks["redis"] = "ok"
        except Exception as exc:
            checks["redis"] = f"error: {exc.__class__.__name__}"
    else:
        checks["redis"] = "not configured (tasks run eagerly)"
    if checks["database"] != "ok":
        status, code = "down", 503
    elif str(checks["redis"]).startswith("error"):
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    return JsonResponse({"status": status, "checks": checks}, status=code)
