"""What the benchmark, the load test and the fault tests share: the environment of a production-like
run on loopback, a fresh PostgreSQL database, the data generators, server-side sessions for the
persona logins, gunicorn, and a small HTTP client timing each request.

Import this module before Django: `configure()` sets the environment, then `django_setup()`.
"""

import contextlib
import http.client
import importlib
import json
import math
import os
import platform
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
RESULTS = ROOT / "bench" / "results"
BENCH_DB = "postgres://postgres@127.0.0.1:5432/kkr_bench"
GENERATED_MARK = "secretariat@bench.dk"

# Production settings (DEBUG off) but plain http on loopback: no TLS redirect, no HSTS.
PRODUCTION_LIKE = {
    "DEBUG": "0",
    "SECRET_KEY": "bench-secret-key-" + "b" * 40,
    "CPR_HASH_KEY": "bench-cpr-hash-key",
    "SURVEY_LINK_KEY": "bench-survey-link-key",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_HSTS_SECONDS": "0",
    "SITE_URL": "http://127.0.0.1:8000",
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    "LOG_LEVEL": "WARNING",
    "AXES_ENABLED": "0",  # the load generator would otherwise trip the login throttle
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "KKR_TESTING": "0",
}


def configure(database_url: str | None = None, **extra: str) -> dict[str, str]:
    """Set the environment of this process (before Django starts) and return it for subprocesses."""
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DATABASE_URL", BENCH_DB)
    for key, value in PRODUCTION_LIKE.items():
        os.environ.setdefault(key, value)
    if "REDIS_URL" not in extra:
        os.environ.pop("REDIS_URL", None)  # this process runs tasks eagerly; the server gets Redis
    os.environ.update(extra)
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    return dict(os.environ)


def _admin_dsn(url: str) -> tuple[str, str]:
    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    return parsed._replace(path="/postgres").geturl(), name


def recreate_database(url: str) -> None:
    import psycopg

    admin, name = _admin_dsn(url)
    if not any(word in name for word in ("bench", "proof")):
        raise SystemExit(f"refusing to drop the database {name!r}: its name must contain 'bench' or 'proof'")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def database_name(url: str) -> str:
    return _admin_dsn(url)[1]


def copy_database(source: str, target: str) -> None:
    """Recreate target as a copy of source (CREATE DATABASE ... TEMPLATE: a file copy, seconds for
    the bench's data). Nobody may be connected to source; PostgreSQL may need a moment to see a
    client that just disconnected as gone."""
    import psycopg

    admin, name = _admin_dsn(target)
    if not any(word in name for word in ("bench", "proof")):
        raise SystemExit(f"refusing to drop the database {name!r}: its name must contain 'bench' or 'proof'")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        for attempt in range(20):
            try:
                conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{database_name(source)}"')
                return
            except psycopg.errors.ObjectInUse:
                if attempt == 19:
                    raise
                time.sleep(0.5)


def switch_database(url: str) -> None:
    """Point this process's Django connection at another database of the same server."""
    from django.db import connections

    connections.close_all()
    connections["default"].settings_dict["NAME"] = database_name(url)


def clear_cache(redis_url: str, prefix: str) -> None:
    """Delete the cache keys a server with KEY_PREFIX prefix left in the bench's Redis database."""
    import redis

    client = redis.Redis.from_url(redis_url, socket_connect_timeout=1)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    for start in range(0, len(keys), 1000):
        client.delete(*keys[start : start + 1000])


def database_exists(url: str) -> bool:
    import psycopg

    admin, name = _admin_dsn(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def django_setup() -> None:
    import django

    django.setup()


def migrate_and_collect() -> None:
    """Migrate; collect static files (hashed, compressed) unless they are newer than every source."""
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from django.contrib.staticfiles.finders import get_finders

    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    newest = max(
        (
            os.path.getmtime(storage.path(path))
            for finder in get_finders()
            for path, storage in finder.list([])
        ),
        default=0,
    )
    if not manifest.exists() or manifest.stat().st_mtime < newest:
        call_command("collectstatic", verbosity=0, interactive=False)


def plugins() -> list[str]:
    """Module names of the data generators: the foundation first, then every app's bench/gen_*.py."""
    apps = sorted(p.stem for p in (ROOT / "bench").glob("gen_*.py") if p.stem != "gen_foundation")
    return ["gen_foundation", *apps]


def load_plugin(name: str):
    return importlib.import_module(f"bench.{name}")


def is_generated() -> bool:
    from accounts.models import User

    return User.objects.filter(email=GENERATED_MARK).exists()


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def row_counts() -> dict[str, int]:
    """Rows per table (exact for the big tables of each app, after ANALYZE)."""
    from django.apps import apps
    from django.db import connection

    counts = {}
    with connection.cursor() as cursor:
        for model in apps.get_models():
            if model._meta.app_label not in {
                "register",
                "accounts",
                "appointments",
                "meetings",
                "agreements",
                "evaluations",
            }:
                continue
            table = model._meta.db_table
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            counts[f"{model._meta.app_label}.{model.__name__}"] = cursor.fetchone()[0]
    return {k: v for k, v in sorted(counts.items()) if v}


def session_cookie(email: str) -> str:
    """A logged-in session for the user, created server-side; staff have passed the second factor."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import User

    user = User.objects.get(email=email)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        store[DEVICE_ID_SESSION_KEY] = device.persistent_id
    store.save(must_create=True)
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn serving the portal on loopback with the current environment."""

    def __init__(self, env: dict[str, str], workers: int | None = None, log: Path | None = None):
        self.env = {**env, "DB_CONN_MAX_AGE": env.get("DB_CONN_MAX_AGE", "60")}
        self.workers = workers or 2 * (os.cpu_count() or 1) + 1
        self.port = free_port()
        self.log = log or RESULTS / "gunicorn.log.tmp"
        self.process = None

    def start(self) -> "Server":
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "kkr_portal.wsgi:application",
                f"--bind=127.0.0.1:{self.port}",
                f"--workers={self.workers}",
                "--timeout=90",
                "--backlog=2048",
                f"--error-logfile={self.log}",
            ],
            cwd=ROOT,
            env=self.env,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}; see {self.log}")
            with contextlib.suppress(OSError):
                if Client(self.port).get("/healthz").status == 200:
                    return self
            time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer /healthz within 60 s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


@dataclass
class Response:
    status: int
    seconds: float
    headers: dict[str, str]
    body: bytes = field(repr=False)


class Client:
    """One HTTP/1.1 client connection with its own cookie jar (Secure cookies included: this is
    loopback http); reconnects when the server closes the connection."""

    def __init__(self, port: int, cookie: str = "", timeout: float = 60):
        self.port = port
        self.timeout = timeout
        self.jar = dict(part.strip().split("=", 1) for part in cookie.split(";") if "=" in part)
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, data: dict) -> Response:
        from urllib.parse import urlencode

        body = urlencode(data).encode()
        return self.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})

    def csrf_token(self, html: bytes) -> str:
        import re

        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        return match.group(1).decode() if match else ""

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ) -> Response:
        headers = {"Host": "127.0.0.1", **(headers or {})}
        if self.jar:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.jar.items())
        for attempt in range(2):
            start = time.perf_counter()
            try:
                self.conn.request(method, path, body=body, headers=headers)
                raw = self.conn.getresponse()
                data = raw.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.conn.close()
                if attempt:
                    raise
                continue
            seconds = time.perf_counter() - start
            for key, value in raw.getheaders():
                if key.lower() == "set-cookie" and "=" in value:
                    name, rest = value.split("=", 1)
                    self.jar[name.strip()] = rest.split(";", 1)[0]
            result = Response(raw.status, seconds, {k.lower(): v for k, v in raw.getheaders()}, data)
            if raw.will_close:
                self.conn.close()
            return result
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.conn.close()


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(pct / 100 * len(ordered))))
    return ordered[rank - 1]


def machine() -> dict:
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem_gb = None
    with contextlib.suppress(OSError, ValueError, IndexError):
        kb = int(Path("/proc/meminfo").read_text().split("\n")[0].split()[1])
        mem_gb = round(kb / 1024 / 1024, 1)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    pg = None
    with contextlib.suppress(Exception):
        from django.db import connection

        version = connection.cursor().connection.info.server_version
        pg = f"{version // 10000}.{version % 100}"
    return {
        "load_average": load_average(),
        "cpus": os.cpu_count(),
        "cpu_model": cpu,
        "memory_gb": mem_gb,
        "python": platform.python_version(),
        "postgresql": pg,
        "kernel": platform.release(),
        "commit": commit,
    }


def load_average() -> str | None:
    """The 1, 5 and 15 minute load averages (the machine is shared: they say how loaded it was)."""
    with contextlib.suppress(OSError):
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    return None


def write_json(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
    tmp.replace(path)


def read_json(path: Path):
    return json.loads(path.read_text())
