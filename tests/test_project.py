import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from accounts.models import User
from appointments.models import Council, Seat
from register.models import Municipality, Region

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_reference_data_has_all_municipalities():
    assert Region.objects.count() == 5
    assert Municipality.objects.count() == 98
    assert Municipality.objects.filter(region__code="1084").count() == 29
    assert Municipality.objects.get(code="101").name == "København"
    assert Municipality.objects.get(code="400").name == "Bornholm"


@pytest.mark.django_db
def test_healthz_reports_database(client, settings):
    settings.REDIS_URL = None
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"]["database"] == "ok"


@pytest.mark.django_db
def test_healthz_says_degraded_when_redis_is_unreachable(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    body = client.get("/healthz").json()
    assert body["status"] == "degraded"


@pytest.mark.redis
@pytest.mark.django_db
def test_healthz_ok_with_redis(client):
    assert client.get("/healthz").json()["status"] == "ok"


@pytest.mark.django_db
def test_seed_demo_is_idempotent():
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    counts = (Council.objects.count(), Seat.objects.count(), User.objects.count())
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert (Council.objects.count(), Seat.objects.count(), User.objects.count()) == counts
    council = Council.objects.current().get(region__code="1084")  # the demo holds 2022-2025 and 2026-2029
    assert council.seats.filter(kind=Seat.Kind.MAYOR).count() == 29


def test_check_deploy_is_clean_with_production_settings():
    env = {
        **os.environ,
        "DEBUG": "0",
        "KKR_TESTING": "0",
        "SECRET_KEY": "x" * 64 + "production-like-secret-Key-1234567890",
        "CPR_HASH_KEY": "another-secret",
        "SURVEY_LINK_KEY": "third-secret",
        "ALLOWED_HOSTS": "kkr.example.dk",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"} | {"DEBUG": "0", "KKR_TESTING": "0"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", True),
        ("true", True),
        (" Yes ", True),
        ("on", True),
        ("0", False),
        ("false", False),
        ("No", False),
    ]
    + [("off", False), ("", "default"), (None, "default")],
)
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    from kkr_portal.settings import env_bool

    if raw is None:
        monkeypatch.delenv("KKR_FLAG", raising=False)
    else:
        monkeypatch.setenv("KKR_FLAG", raw)
    assert env_bool("KKR_FLAG", "default") == expected


@pytest.mark.parametrize("raw", ["flase", "ture", "2", "enabled", "yes please"])
def test_env_bool_refuses_what_it_cannot_read(monkeypatch, raw):
    """A typo must stop the start-up, not silently mean false (issue 11)."""
    from django.core.exceptions import ImproperlyConfigured

    from kkr_portal.settings import env_bool

    monkeypatch.setenv("KKR_FLAG", raw)
    with pytest.raises(ImproperlyConfigured, match="KKR_FLAG"):
        env_bool("KKR_FLAG", False)


def test_the_date_library_the_code_imports_is_declared():
    import tomllib

    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert any(d.split(">")[0].split("<")[0].split("=")[0].strip() == "python-dateutil" for d in dependencies)


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["manage.py", "runserver"], "http://127.0.0.1:8000"),
        (["manage.py", "runserver", "8001"], "http://127.0.0.1:8001"),
        (["manage.py", "runserver", "--noreload", "localhost:8002"], "http://localhost:8002"),
        (["manage.py", "runserver", "0.0.0.0:8003"], "http://127.0.0.1:8003"),
        (["manage.py", "runserver", "[::1]:8004"], "http://[::1]:8004"),
        (["manage.py", "seed_demo"], None),
        (["pytest"], None),
    ],
)
def test_development_links_follow_the_address_runserver_serves(argv, expected):
    """Issue 16: a link in a development mail or feed reaches the server actually running."""
    from kkr_portal.settings import runserver_url

    assert runserver_url(argv) == expected


def test_make_run_gives_its_address_to_the_links():
    dry = subprocess.run(
        ["make", "-n", "run", "ADDR=127.0.0.1:8765"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert "SITE_URL=${SITE_URL:-http://127.0.0.1:8765} .venv/bin/python manage.py seed_demo" in dry
    assert "manage.py runserver 127.0.0.1:8765" in dry
