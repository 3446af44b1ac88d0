"""make prod-check reads README, Dockerfile and docker-compose.yml; these tests run its readers and
show that it fails when the README's example .env loses a required variable."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import prod_check  # noqa: E402

README = (ROOT / "README.md").read_text()


def test_readme_example_env_has_every_required_secret():
    env = prod_check.readme_env(README)
    for name in ("SECRET_KEY", "CPR_HASH_KEY", "SURVEY_LINK_KEY", "ALLOWED_HOSTS", "POSTGRES_PASSWORD"):
        assert env[name]
    assert not env["SECRET_KEY"].startswith("<")  # placeholders become random secrets


def test_dockerfile_build_commands_get_every_required_secret():
    stage = prod_check.dockerfile((ROOT / "Dockerfile").read_text())
    assert stage["lock"] == "requirements/prod.txt" and stage["healthcheck"] and stage["cmd"]
    [(inline, argv)] = prod_check.build_commands(stage)
    assert argv[1:3] == ["manage.py", "collectstatic"]
    assert {"DEBUG", "SECRET_KEY", "CPR_HASH_KEY", "SURVEY_LINK_KEY"} <= set(inline)


def test_compose_services_have_commands_healthchecks_and_restart():
    services = prod_check.compose_services(
        (ROOT / "docker-compose.yml").read_text(), prod_check.readme_env(README)
    )
    assert set(services) == {"migrate", "web", "worker", "worker-pdf", "beat"}
    for name in ("web", "worker", "worker-pdf", "beat"):
        assert services[name]["healthcheck"] and services[name]["restart"] == "unless-stopped"
    assert "--max-tasks-per-child" in services["worker-pdf"]["command"]
    assert services["web"]["ports"] == ["127.0.0.1:8000:8000"]
    assert services["web"]["environment"]["DEBUG"] == "0"


def test_compose_needs_postgres_password_from_the_env():
    env = prod_check.readme_env(README)
    del env["POSTGRES_PASSWORD"]
    with pytest.raises(prod_check.CheckFailed, match="POSTGRES_PASSWORD"):
        prod_check.compose_services((ROOT / "docker-compose.yml").read_text(), env)


@pytest.mark.postgres
@pytest.mark.redis
def test_prod_check_fails_when_the_readme_env_loses_a_required_variable(tmp_path):
    """The real script, with the README's .env missing SURVEY_LINK_KEY: it stops at migrate
    (settings refuse to load), says why, and exits 1."""
    readme = tmp_path / "README.md"
    readme.write_text(
        "\n".join(line for line in README.splitlines() if not line.startswith("SURVEY_LINK_KEY=")) + "\n"
    )
    result = subprocess.run(
        [sys.executable, "scripts/prod_check.py", "--readme", str(readme), "--skip-build"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "FAILED: migrate failed" in result.stdout
    assert "SURVEY_LINK_KEY must be set when DEBUG is off" in result.stdout
