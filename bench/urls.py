"""The portal's URLs plus the baseline page: the smallest logged-in page through base.html, so each
timed page can be compared with what the framework, the middleware and the base template cost."""

from django.http import HttpResponse
from django.template import engines
from django.urls import path
from django.views.decorators.http import require_GET

from accounts.access import any_user
from kkr_portal.urls import urlpatterns as portal_urlpatterns

BASELINE_URL = "/__bench__/baseline/"
BARE_URL = "/__bench__/bare/"
_TEMPLATE = engines["django"].from_string(
    '{% extends "base.html" %}{% block title %}Baseline{% endblock %}'
    "{% block content %}<h1>Baseline</h1><p>The base template and nothing else.</p>{% endblock %}"
)


@any_user
@require_GET
def baseline(request):
    return HttpResponse(_TEMPLATE.render({}, request))


@any_user
@require_GET
def bare(request):
    """A bare HttpResponse through the same middleware (session, login, roles): what any page costs."""
    return HttpResponse("bare")


urlpatterns = [
    path(BASELINE_URL.strip("/") + "/", baseline, name="bench-baseline"),
    path(BARE_URL.strip("/") + "/", bare, name="bench-bare"),
    *portal_urlpatterns,
]
