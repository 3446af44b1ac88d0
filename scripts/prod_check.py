#!/usr/bin/env python
"""make prod-check: the production path of README/Dockerfile/docker-compose.yml, without Docker.

Everything it runs is read from the files themselves, so they cannot drift apart:
- the example `.env` from README.md (placeholders `<...>` become random secrets, as a deployer's);
- the Dockerfile's lock file (the installed packages must be exactly the locked ones), its ENV,
  its build-time `manage.py` commands (run with the Dockerfile's values only: no .env at build
  time), its HEALTHCHECK and CMD;
- the compose services built from the image: command, environment (env_file + environment, with
  ${VAR:?} interpolation from the .env) and healthcheck test.

Only what Docker would provide is replaced, and said so: the database and Redis URLs point at the
local PostgreSQL (a database of its own) and Redis (REDIS_URL's database), MEDIA_ROOT and beat's
heartbeat file at a temporary directory, port 8000 at a free port, `python`/`celery`/`gunicorn` at
the virtualenv's. Then: build commands, migrate, demo logins (seed_demo), web + workers + beat,
every healthcheck, and one journey over HTTP through gunicorn (a clerk uploads a course file; the
region officer logs in with TOTP, settles in the worker and downloads the statement PDF the pdf
worker rendered). Everything started is stopped. Exit status 1 with the reason when a step fails.

Options: --readme FILE (another README, e.g. with a variable removed; tests use it), --keep-db,
--skip-build (reuse the static files collected before).
"""

import argparse
import hmac
import http.client
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
from base64 import b32decode
from concurrent.futures import ThreadPoolExecutor
from hashlib import sha1
from html import unescape
from importlib import metadata
from pathlib import Path
from urllib.parse import urlencode, urlsplit
from zoneinfo import ZoneInfo

import yaml

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
STARTED = time.monotonic()
# The demo logins seed_demo creates (README, Demo logins); staff share one TOTP key.
CLERK = ("klerk.kbh@demo.kkr.dk", "demo-kkr-2026")
OFFICER = ("region@demo.kkr.dk", "demo-kkr-2026")
DEMO_TOTP_BASE32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
# The longest a healthcheck may take to pass (Docker's grace, capped to keep the check short).
MAX_GRACE = 150
# What the journey needs of the demo data (seed_demo without its year of courses, meetings, surveys).
SEED = """
import datetime
import core.time
from accounts import demo as accounts_demo
from agreements import demo as agreements_demo
from agreements.models import Agreement
from agreements.services import agreement_extend
accounts_demo.seed()
agreement = Agreement.objects.get(region__code="1084")
today = core.time.today()
if agreement.ends_on < today:
    agreement_extend(agreement=agreement, ends_on=datetime.date(today.year + 1, 12, 31),
                     decided_on=agreement.extension_decision_by, decision="prod-check")
agreements_demo.tariff_tables(range(today.year - 1, today.year + 1))
"""
# What a deployment must not ship into the image (.dockerignore).
NOT_IN_IMAGE = (".git", ".venv", ".env", "db.sqlite3", "var")


class CheckFailed(Exception):
    pass


def say(message: str) -> None:
    print(f"[prod-check {time.monotonic() - STARTED:5.1f}s] {message}", flush=True)


# --- reading the files ---------------------------------------------------------------------------


def readme_env(text: str) -> dict[str, str]:
    """The README's example .env (the heredoc written by `cat > .env <<'ENV'`)."""
    match = re.search(r"cat > \.env <<'ENV'\n(.*?)\nENV\n", text, re.S)
    if not match:
        raise CheckFailed("README.md has no example .env (cat > .env <<'ENV' ... ENV)")
    values = {}
    for line in match.group(1).splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, _, value = line.partition("=")
        value = value.strip()
        if value.startswith("<") and value.endswith(">"):
            value = secrets.token_urlsafe(48)  # a placeholder: the deployer's own secret
        values[name.strip()] = value
    return values


def dockerfile(text: str) -> dict:
    """The final stage's ENV, RUN commands, lock file, HEALTHCHECK and CMD."""
    text = re.sub(r"\\\n\s*", " ", text)
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    last_from = max(i for i, line in enumerate(lines) if line.upper().startswith("FROM "))
    stage = {"env": {}, "run": [], "healthcheck": None, "cmd": None, "lock": None}
    for line in lines[last_from + 1 :]:
        word, _, rest = line.partition(" ")
        word = word.upper()
        if word == "ENV":
            for item in shlex.split(rest):
                name, _, value = item.partition("=")
                stage["env"][name] = value
        elif word == "RUN":
            stage["run"].append(rest)
            lock = re.search(r"--require-hashes.*?-r\s+(\S+)", rest)
            if lock:
                stage["lock"] = lock.group(1)
        elif word == "HEALTHCHECK":
            stage["healthcheck"] = json_list(rest[rest.index("CMD") + 3 :])
        elif word == "CMD":
            stage["cmd"] = json_list(rest)
    if not stage["lock"]:
        raise CheckFailed("Dockerfile: no `pip install --require-hashes -r <lock file>`")
    return stage


def json_list(text: str) -> list[str]:
    import json

    return json.loads(text.strip())


def build_commands(stage: dict) -> list[tuple[dict, list[str]]]:
    """The Dockerfile's `manage.py` commands: (inline variables, argv) for each."""
    commands = []
    for run in stage["run"]:
        for part in run.split("&&"):
            words = shlex.split(part)
            if "manage.py" not in words:
                continue
            inline = {}
            while words and re.match(r"^[A-Z_][A-Z0-9_]*=", words[0]):
                name, _, value = words.pop(0).partition("=")
                inline[name] = value
            commands.append((inline, words))
    return commands


def seconds(duration: str) -> int:
    """A compose duration ("30s", "1m30s") in seconds."""
    units = {"h": 3600, "m": 60, "s": 1}
    return sum(int(n) * units[u] for n, u in re.findall(r"(\d+)([hms])", str(duration)))


def interpolate(value: str, dotenv: dict[str, str]) -> str:
    def one(match):
        name, op, arg = match.group(1), match.group(2), match.group(3)
        found = dotenv.get(name, "")
        if op == ":?" and not found:
            raise CheckFailed(f"docker-compose.yml needs {name}: {arg}")
        if op == ":-" and not found:
            return arg
        return found

    return re.sub(r"\$\{([A-Z_][A-Z0-9_]*)(?:(:\?|:-)([^}]*))?\}", one, value)


def compose_services(text: str, dotenv: dict[str, str]) -> dict[str, dict]:
    """The services run from the image: {name: {command, environment, healthcheck}}."""
    services = {}
    for name, service in yaml.safe_load(text)["services"].items():
        if "build" not in service:
            continue
        environment = {}
        if service.get("env_file"):
            environment.update(dotenv)  # env_file: .env, i.e. the README's example
        for key, value in (service.get("environment") or {}).items():
            environment[key] = interpolate(str(value), dotenv)
        health = service.get("healthcheck") or {}
        test = None if health.get("disable") else health.get("test")
        if test and test[0] != "CMD":
            raise CheckFailed(f'{name}: healthcheck must be an exec form ["CMD", ...]')
        # Docker calls a container unhealthy only after start_period + retries x interval.
        grace = seconds(health.get("start_period", "0s")) + int(health.get("retries", 3)) * seconds(
            health.get("interval", "30s")
        )
        services[name] = {
            "command": service.get("command"),
            "environment": environment,
            "healthcheck": test[1:] if test else None,
            "grace": min(grace, MAX_GRACE),
            "ports": service.get("ports", []),
            "restart": service.get("restart"),
        }
    return services


# --- running -------------------------------------------------------------------------------------


def local_argv(argv: list[str], port: int) -> list[str]:
    """The container's argv on this machine: the virtualenv's programs, the free port."""
    programs = {
        "python": sys.executable,
        "celery": str(VENV_BIN / "celery"),
        "gunicorn": str(VENV_BIN / "gunicorn"),
    }
    out = [programs.get(argv[0], argv[0])]
    for word in argv[1:]:
        out.append(
            word.replace("127.0.0.1:8000", f"127.0.0.1:{port}").replace("0.0.0.0:8000", f"127.0.0.1:{port}")
        )
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def base_environment() -> dict[str, str]:
    """A clean environment (nothing of the caller's settings leaks in: no SECRET_KEY, no CI)."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")
    return {k: os.environ[k] for k in keep if k in os.environ}


def run(argv, env, what, timeout=120) -> str:
    result = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        output = (result.stdout + result.stderr).strip().splitlines()
        raise CheckFailed(f"{what} failed (exit {result.returncode}):\n" + "\n".join(output[-12:]))
    return result.stdout


class Stack:
    def __init__(self, logdir: Path):
        self.logdir = logdir
        self.processes: dict[str, subprocess.Popen] = {}

    def start(self, name, argv, env):
        log = open(self.logdir / f"{name}.log", "w")  # noqa: SIM115
        self.processes[name] = subprocess.Popen(
            argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def assert_running(self):
        for name, process in self.processes.items():
            if process.poll() is not None:
                raise CheckFailed(f"{name} exited with {process.returncode}:\n{self.tail(name)}")

    def tail(self, name, lines=30) -> str:
        path = self.logdir / f"{name}.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""

    def stop(self):
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for name, process in self.processes.items():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                say(f"{name} did not stop on SIGTERM within 15 s; killed")


def healthcheck(name, argv, env, stack, deadline_s) -> str:
    deadline = time.monotonic() + deadline_s
    while True:
        stack.assert_running()
        result = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
        if result.returncode == 0:
            return result.stdout.strip()
        if time.monotonic() > deadline:
            raise CheckFailed(
                f"healthcheck of {name} failed: {shlex.join(argv[1:])}\n{result.stdout}{result.stderr}"
                f"\n--- {name} log ---\n{stack.tail(name)}"
            )
        time.sleep(1)


# --- the journey ---------------------------------------------------------------------------------


class Browser:
    """Just enough of a browser behind the TLS proxy: the proxy's Host and X-Forwarded-Proto,
    cookies (Secure ones too: the proxy speaks https to the user), CSRF tokens from forms."""

    def __init__(self, port: int, site_url: str, host: str):
        self.port, self.origin, self.host = port, site_url.rstrip("/"), host
        self.cookies: dict[str, str] = {}

    def request(self, method, path, body=None, content_type=None):
        headers = {"Host": self.host, "X-Forwarded-Proto": "https", "Referer": self.origin + path}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            headers["Origin"] = self.origin
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
            headers["Content-Type"] = content_type or "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        connection.close()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data

    def get(self, path, expect=200):
        status, headers, data = self.request("GET", path)
        if expect and status != expect:
            raise CheckFailed(f"GET {path}: {status} (expected {expect}) {data[:300]!r}")
        return status, headers, data

    def post(self, path, fields, expect=302):
        status, headers, data = self.request("POST", path, urlencode(fields).encode())
        if status != expect:
            raise CheckFailed(f"POST {path}: {status} (expected {expect}) {data[:500]!r}")
        return headers.get("location", "")

    def upload(self, path, name, content: bytes):
        self.get(path)
        boundary = secrets.token_hex(12)
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                f"Content-Type: text/csv\r\n\r\n"
            ).encode()
            + content
            + f"\r\n--{boundary}--\r\n".encode()
        )
        status, headers, data = self.request("POST", path, body, f"multipart/form-data; boundary={boundary}")
        if status != 302:
            raise CheckFailed(f"upload: {status} {unescape(data.decode(errors='replace'))[-1500:]}")

    def log_in(self, email, password, totp_key=None):
        self.get("/konto/login/")  # the CSRF cookie
        location = self.post("/konto/login/", {"username": email, "password": password})
        if totp_key:
            # Staff are sent to the second factor on their first page.
            _, headers, _ = self.get(urlsplit(location).path or "/", expect=None)
            if "/konto/totp/" not in location + headers.get("location", ""):
                raise CheckFailed(f"login of {email} did not ask for the TOTP code")
            self.get("/konto/totp/")
            self.post("/konto/totp/", {"token": totp_now(totp_key)})
        status, _, data = self.get("/")
        if b"/konto/logout/" not in data:
            raise CheckFailed(f"{email} is not logged in")


def totp_now(base32: str) -> str:
    """RFC 6238 (30 s, 6 digits, SHA-1), as an authenticator app computes it."""
    counter = int(time.time()) // 30
    digest = hmac.new(b32decode(base32), struct.pack(">Q", counter), sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def wait_for(what, probe, timeout=60, every=1.0):
    deadline = time.monotonic() + timeout
    while True:
        result = probe()
        if result:
            return result
        if time.monotonic() > deadline:
            raise CheckFailed(f"timed out waiting for {what}")
        time.sleep(every)


def journey(port: int, dotenv: dict[str, str], stack: Stack) -> None:
    import datetime

    host = dotenv["ALLOWED_HOSTS"].split(",")[0].strip()
    site = dotenv.get("SITE_URL") or f"https://{host}"
    reference = f"PRODCHECK-{secrets.token_hex(3).upper()}"
    # The portal's day is Copenhagen's (core.time.today()); this client runs outside Django.
    start = datetime.datetime.now(ZoneInfo("Europe/Copenhagen")).date() - datetime.timedelta(days=20)
    row = f"{reference},101,antibiotics,{start - datetime.timedelta(days=2)},accepted,{start},{start + datetime.timedelta(days=6)},home,2,30"
    header = "external_id,municipality_code,treatment,referred_on,decision,start_date,end_date,setting,visits_per_day,minutes_per_visit"

    clerk = Browser(port, site, host)
    clerk.log_in(*CLERK)
    clerk.upload("/iv/forloeb/upload/", "forloeb.csv", f"{header}\n{row}\n".encode())
    _, _, data = clerk.get(f"/iv/?q={reference}")
    if reference.encode() not in data:
        raise CheckFailed("the uploaded course is not in the clerk's list")
    say(f"journey: clerk logged in and uploaded {reference} (CSV)")

    officer = Browser(port, site, host)
    officer.log_in(*OFFICER, totp_key=DEMO_TOTP_BASE32)
    say("journey: region officer logged in with password + TOTP")
    job_url = officer.post("/iv/afregning/koer/", {})
    if "/iv/afregning/bestilling/" not in job_url:
        raise CheckFailed(f"settling did not hand the work to the worker ({job_url})")

    def settled():
        stack.assert_running()
        _, _, page = officer.get(urlsplit(job_url).path + "?row=1")
        text = page.decode()
        if "alert-danger" in text:
            raise CheckFailed(f"the settlement failed: {unescape(re.sub('<[^>]+>', ' ', text)).split()}")
        return re.search(r'href="(/iv/afregning/\d+/)"', text)

    run_path = wait_for("the worker to settle", settled).group(1)
    _, _, run_page = officer.get(run_path)
    statement = re.search(r'href="(/iv/opgoerelse/\d+/)"[^>]*>\s*København', run_page.decode())
    if not statement:
        raise CheckFailed("the run has no statement for København")
    say(f"journey: the worker settled ({run_path}); statement {statement.group(1)}")

    def pdf():
        stack.assert_running()
        status, headers, body = officer.get(statement.group(1) + "pdf/", expect=None)
        return (headers, body) if status == 200 else None

    headers, body = wait_for("the pdf worker to render the statement", pdf)
    if not body.startswith(b"%PDF") or "opgoerelse-101-" not in headers.get("content-disposition", ""):
        raise CheckFailed(f"the statement download is not the PDF: {headers}")
    from io import BytesIO

    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(BytesIO(body)).pages)
    if reference not in text:
        raise CheckFailed(f"the statement PDF does not show {reference}")
    say(f"journey: statement PDF rendered by the pdf worker, {len(body):,} bytes, shows {reference}")


# --- main ----------------------------------------------------------------------------------------


def check_lock(lock: str) -> int:
    """Every package of the image's lock file is installed here at exactly its locked version."""
    wrong = []
    count = 0
    for line in (ROOT / lock).read_text().splitlines():
        match = re.match(
            r"^([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==([^\s;\\]+)\s*\\?\s*(?:;\s*(.*?))?\s*\\?$", line
        )
        if not match:
            continue
        name, version, marker = match.groups()
        if marker and not marker_applies(marker):
            continue
        count += 1
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = None
        if installed != version:
            wrong.append(f"{name} {installed} (locked {version})")
    if wrong:
        raise CheckFailed(f"installed packages differ from {lock} (run make setup): " + ", ".join(wrong))
    return count


def marker_applies(marker: str) -> bool:
    from packaging.markers import Marker

    return Marker(marker).evaluate()


def check_dockerignore() -> None:
    path = ROOT / ".dockerignore"
    if not path.exists():
        raise CheckFailed("no .dockerignore: COPY . . would ship .git, .venv, .env and the database")
    patterns = {line.strip().rstrip("/") for line in path.read_text().splitlines()}
    missing = [name for name in NOT_IN_IMAGE if name not in patterns]
    if missing:
        raise CheckFailed(f".dockerignore does not leave out {', '.join(missing)}")


def local_database(keep: bool) -> tuple[str, str]:
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        raise CheckFailed("set DATABASE_URL to a PostgreSQL database (its server gets a database of its own)")
    parts = urlsplit(base)
    name = f"{parts.path.lstrip('/')}_prodcheck"
    admin = parts._replace(path="/postgres").geturl()
    drop_create(admin, name, create=True)
    return parts._replace(path=f"/{name}").geturl(), admin


def drop_create(admin_url: str, name: str, create: bool) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            connection.execute(f'CREATE DATABASE "{name}"')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--readme", default=str(ROOT / "README.md"))
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--skip-build", action="store_true", help="use the static files built before")
    options = parser.parse_args()
    redis_url = os.environ.get("REDIS_URL")
    stack = None
    tmp = Path(tempfile.mkdtemp(prefix="kkr-prod-check-"))
    database = admin = None
    try:
        if not redis_url:
            raise CheckFailed("set REDIS_URL to the local Redis (the check uses its database number)")
        dotenv = readme_env(Path(options.readme).read_text())
        say(f"README example .env: {', '.join(dotenv)}")
        stage = dockerfile((ROOT / "Dockerfile").read_text())
        say(
            f"Dockerfile: {check_lock(stage['lock'])} packages installed exactly as locked in {stage['lock']}"
        )
        check_dockerignore()
        say(f".dockerignore leaves out {', '.join(NOT_IN_IMAGE)}")
        services = compose_services((ROOT / "docker-compose.yml").read_text(), dotenv)
        say(f"docker-compose.yml services from the image: {', '.join(services)}")

        # Build time: only the Dockerfile's values (the .env is not there when the image builds).
        build_env = base_environment() | stage["env"]
        for inline, argv in [] if options.skip_build else build_commands(stage):
            say(f"build: {' '.join(f'{k}=…' for k in inline)} {shlex.join(argv)}")
            run(local_argv(argv, 0), build_env | inline, f"Dockerfile: {shlex.join(argv)}", timeout=300)

        database, admin = local_database(options.keep_db)
        port = free_port()
        heartbeat = tmp / "beat-heartbeat"
        local = {
            "DATABASE_URL": database,
            "REDIS_URL": redis_url,
            "MEDIA_ROOT": str(tmp / "media"),
            "BEAT_HEARTBEAT_FILE": str(heartbeat),
        }
        say(
            f"in place of Docker: database {urlsplit(database).path[1:]}, Redis {redis_url}, "
            f"port 8000 -> {port}, MEDIA_ROOT and beat heartbeat in {tmp}"
        )
        import redis

        redis.Redis.from_url(redis_url).flushdb()

        def environment(service):
            return base_environment() | stage["env"] | services[service]["environment"] | local

        if "migrate" not in services:
            raise CheckFailed("docker-compose.yml has no migrate service")
        run(local_argv(services["migrate"]["command"], port), environment("migrate"), "migrate", timeout=300)
        say("migrate: " + shlex.join(services["migrate"]["command"]))
        run(
            [sys.executable, "manage.py", "shell", "-c", SEED], environment("migrate"), "seeding", timeout=300
        )
        say("seeded the journey's logins (demo clerk, region officer with TOTP), extension, tariffs")

        stack = Stack(tmp)
        long_running = [name for name in services if name != "migrate"]
        for name in long_running:
            service = services[name]
            command = service["command"] or stage["cmd"]
            if service["restart"] not in ("unless-stopped", "always", "on-failure"):
                raise CheckFailed(f"{name} has no restart policy")
            if name == "web" and any(not str(p).startswith("127.0.0.1:") for p in service["ports"]):
                raise CheckFailed(f"web publishes {service['ports']}: bind it to 127.0.0.1 behind the proxy")
            stack.start(name, local_argv(command, port), environment(name))
            say(f"started {name}: {shlex.join(command)}")

        checks = [(name, services[name]["healthcheck"], services[name]["grace"]) for name in long_running]
        checks.append(("web", stage["healthcheck"], services["web"]["grace"]))  # the image's HEALTHCHECK
        missing = [name for name, test, _grace in checks if not test]
        if missing:
            raise CheckFailed(f"no healthcheck for {', '.join(missing)}")
        # Docker runs them side by side too; each starts Django, so this saves most of the wait.
        with ThreadPoolExecutor(len(checks)) as pool:
            answers = [
                (
                    name,
                    test,
                    pool.submit(healthcheck, name, local_argv(test, port), environment(name), stack, grace),
                )
                for name, test, grace in checks
            ]
            for name, test, answer in answers:
                say(f"healthcheck {name}: {shlex.join(test)} -> {answer.result()}")

        journey(port, dotenv, stack)
        stack.assert_running()
        say("prod-check passed")
        return 0
    except (CheckFailed, subprocess.TimeoutExpired) as exc:
        say(f"FAILED: {exc}")
        return 1
    finally:
        if stack:
            stack.stop()
            say("stopped " + ", ".join(stack.processes))
        if database and not options.keep_db:
            drop_create(admin, urlsplit(database).path[1:], create=False)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
