"""The portal's URLs plus the baseline page: the smallest logged-in page through base.html, so each
timed page can be compared with what the framework, the middleware and the base template cost."""

from django.template import engines
from django.urls import path
from django.views.decorators.http import require_GET

from accounts.access import any_user
from kkr_portal.urls import urlpatterns as portal_urlpatterns

BASELINE_URL = "/__bench__/baseline/"
_TEMPLATE = engines["django"].from_string(
    '{% extends "base.html" %}{% block title %}Baseline{% endblock %}'
    "{% block content %}<h1>Baseline</h1><p>The base template and nothing else.</p>{% endblock %}"
)


@any_user
@require_GET
def baseline(request):
    from django.http import HttpResponse

    return HttpResponse(_TEMPLATE.render({}, request))


urlpatterns = [path(BASELINE_URL.strip("/") + "/", baseline, name="bench-baseline"), *portal_urlpatterns]
