"""API fuzzing: schemathesis generates requests from /api/schema/ (OpenAPI by drf-spectacular) and
sends them to the WSGI application.

- anonymous requests to every operation are refused (401/403): authentication is enforced;
- with a clerk's token, no request gives a 5xx and every response matches the schema (status code,
  content type, headers and body).
"""

from urllib.parse import urlsplit

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.urls import Resolver404, resolve
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
FUZZ = hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None
)


def load_schema():
    return schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


@pytest.fixture(autouse=True)
def _keep_test_connection():
    """Requests go to the WSGI application directly, whose request_finished signal would close the
    database connection the test's transaction lives on; Django's test client detaches it the same
    way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def clerk_token(personas):
    return Token.objects.create(user=personas["clerk_a"]).key


# Loaded at collection: serving the schema touches no database. (schemathesis.pytest.from_fixture
# would be lazier but does not work with pytest 9.)
schema = load_schema()
OPERATIONS = bool(schema.raw_schema.get("paths"))


def routable(case) -> bool:
    """False for generated path parameters the URLconf does not route (e.g. /courses/AAA/): Django
    answers those 404 before any API code runs."""
    try:
        resolve(urlsplit(case.formatted_path).path)
    except Resolver404:
        return False
    return True


@pytest.mark.django_db
def test_the_schema_is_served_and_names_token_authentication(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    document = load_schema().raw_schema
    assert document["openapi"].startswith("3.")
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                names = {name for requirement in operation.get("security", []) for name in requirement}
                assert "tokenAuth" in names, f"{method.upper()} {path} does not declare token authentication"


if OPERATIONS:  # schemathesis refuses a parametrized test without operations (before the API lands)

    @pytest.mark.django_db
    @schema.parametrize()
    @FUZZ
    def test_anonymous_requests_are_refused(case):
        response = case.call()
        where = f"{case.method} {case.formatted_path}: {response.status_code}"
        assert response.status_code in ({401, 403} if routable(case) else {404}), where

    @pytest.mark.django_db
    @schema.parametrize()
    @FUZZ
    def test_clerk_requests_never_fail_and_match_the_schema(case, clerk_token):
        headers = {"Authorization": f"Token {clerk_token}"}
        if not routable(case):
            assert case.call(headers=headers).status_code == 404
            return
        case.call_and_validate(headers=headers, checks=CHECKS)
