"""The REST API: schema and docs here; each app adds its endpoints in its api.py."""

from django.urls import path
from django.views.decorators.csp import csp_override
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from accounts.access import public
from agreements import api as agreements_api

# The Swagger UI page bootstraps itself with an inline script.
DOCS_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
}

urlpatterns = [
    path("schema/", public(SpectacularAPIView.as_view()), name="api-schema"),
    path(
        "docs/",
        public(csp_override(DOCS_CSP)(SpectacularSwaggerView.as_view(url_name="api-schema"))),
        name="api-docs",
    ),
    path("iv/courses/", agreements_api.course_list_create, name="iv-course-list"),
    path("iv/courses/<int:pk>/", agreements_api.course_detail, name="iv-course-detail"),
]
