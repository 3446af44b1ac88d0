"""`manage.py healthcheck web|worker|beat`: the container healthchecks of docker-compose.yml.

Exit status 0 when healthy, 1 otherwise (with the reason on stderr), as Docker expects.

- web: GET /healthz from inside the container, presenting the first ALLOWED_HOSTS name and
  `X-Forwarded-Proto: https` as the TLS proxy does, so neither the host check nor the SSL
  redirect needs an exception; healthy when the database answers (Redis down is "degraded").
- worker: the Celery node `NODE@<this host>` answers a ping over the broker.
- beat: the scheduler touched its heartbeat file (kkr_portal/beat.py) recently.
"""

import http.client
import json
import socket
import time
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Container healthcheck of the web, a Celery worker or beat (exit status 1 when unhealthy)."

    def add_arguments(self, parser):
        parser.add_argument("part", choices=["web", "worker", "beat"])
        parser.add_argument("--url", default="http://127.0.0.1:8000/healthz", help="web: the health URL")
        parser.add_argument("--node", default="celery", help="worker: the node name before @host")
        parser.add_argument("--timeout", type=float, default=5.0)

    def handle(self, *args, part, url, node, timeout, **options):
        message = getattr(self, f"check_{part}")(url=url, node=node, timeout=timeout)
        self.stdout.write(f"{part}: {message}")

    def check_web(self, *, url, timeout, **_):
        parts = urlsplit(url)
        host = next((h for h in settings.ALLOWED_HOSTS if h and not h.startswith(".") and h != "*"), None)
        headers = {"Host": host or parts.netloc, "X-Forwarded-Proto": "https"}
        connection = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=timeout)
        try:
            connection.request("GET", parts.path or "/", headers=headers)
            response = connection.getresponse()
            body = response.read()
        except OSError as exc:
            raise CommandError(f"web: {url} unreachable: {exc}") from exc
        finally:
            connection.close()
        if response.status != 200:
            raise CommandError(f"web: {url} answered {response.status}: {body[:200]!r}")
        return json.loads(body).get("status", "?")

    def check_worker(self, *, node, timeout, **_):
        # The project's Celery app, set as current when the project package loads (core does not
        # import kkr_portal: the layers point downwards).
        from celery import current_app as app

        name = f"{node}@{socket.gethostname()}"
        replies = app.control.ping(destination=[name], timeout=timeout)
        if not any(name in reply for reply in replies):
            raise CommandError(f"worker: {name} did not answer a ping")
        return f"{name} pong"

    def check_beat(self, **_):
        path = Path(settings.BEAT_HEARTBEAT_FILE)
        if not path.exists():
            raise CommandError(f"beat: no heartbeat at {path}")
        age = time.time() - path.stat().st_mtime
        if age > settings.BEAT_HEARTBEAT_MAX_AGE:
            raise CommandError(f"beat: last heartbeat {age:.0f} s ago")
        return f"heartbeat {age:.0f} s ago"
