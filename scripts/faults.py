#!/usr/bin/env python
"""`make faults`: the portal under faults, on loopback, bounded in time (a few minutes).

Starts its own world: a fresh PostgreSQL database (kkr_proof, foundation data of the benchmark),
a private redis-server on a free port (the machine's Redis on 6379 is never touched), a Celery
worker and gunicorn (production settings over http). Mail goes to bench.mailsink, which records
every delivery durably, so "exactly once" can be counted.

Scenarios (each prints PASS/FAIL lines; exit status 1 if any check fails):
  worker-killed-notices  the worker is SIGKILLed while sending 40 notices; after a restart every
                         notice has gone out exactly once
  worker-killed-pdf      the worker is SIGKILLed while rendering a PDF; after a restart it exists
  redis-down             Redis stopped: pages and logins (with TOTP) work, /healthz says degraded,
                         a change saved meanwhile is kept, its notice goes out when Redis returns
  uploads-during-settlement  ten clerks upload courses at once while a settlement runs: every
                         course stored once, every ordinal handed out once

Run one with `scripts/faults.py redis-down`.
"""

import argparse
import datetime
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness  # noqa: E402

FAULTS_DB = os.environ.get("FAULTS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kkr_proof")
NOTICES = 40
WAIT = 90  # seconds any single wait may take


class Checks:
    def __init__(self):
        self.rows: list[dict] = []

    def check(self, scenario: str, what: str, ok: bool, detail: str = "") -> bool:
        self.rows.append({"scenario": scenario, "check": what, "ok": bool(ok), "detail": detail})
        print(f"  {'PASS' if ok else 'FAIL'}  {what}" + (f"  ({detail})" if detail else ""), flush=True)
        return ok

    def note(self, scenario: str, what: str) -> None:
        self.rows.append({"scenario": scenario, "check": "note", "ok": None, "detail": what})
        print(f"  NOTE  {what}", flush=True)

    def skip(self, scenario: str, why: str) -> None:
        self.rows.append({"scenario": scenario, "check": "skipped", "ok": None, "detail": why})
        print(f"  SKIP  {why}", flush=True)


def wait_until(predicate, timeout: float = WAIT, interval: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return bool(predicate())


class RedisServer:
    """A private redis-server (no persistence) on its own port, started and stopped by this script."""

    def __init__(self, port: int, workdir: Path):
        self.port, self.workdir, self.process = port, workdir, None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if not wait_until(self.ping, 20):
            raise RuntimeError("private redis-server did not start")

    def ping(self) -> bool:
        import redis

        try:
            return bool(redis.Redis(port=self.port, socket_connect_timeout=0.5).ping())
        except Exception:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(20)


class Worker:
    """A Celery worker (both queues, two processes) in its own process group, so SIGKILL takes the
    pool children down with it, as when a machine loses the process."""

    def __init__(self, env: dict, log: Path):
        self.env, self.log, self.process = env, log, None

    def start(self) -> None:
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [
                    str(harness.BIN / "celery"),
                    "-A",
                    "kkr_portal",
                    "worker",
                    "-Q",
                    "celery,pdf",
                    "-c",
                    "2",
                    "-l",
                    "warning",
                ],
                cwd=harness.ROOT,
                env=self.env,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(20)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None


def _sent_per_recipient(sink: Path, prefix: str) -> dict[str, int]:
    from bench.mailsink import deliveries

    counts: dict[str, int] = {}
    for to in deliveries(sink):
        if to.startswith(prefix):
            counts[to] = counts.get(to, 0) + 1
    return counts


def _age_stale_claims() -> int:
    """Let the claim timeout pass: rows a dead worker left in 'sending' become claimable again."""
    from django.db.models import F

    from accounts.models import Notice
    from accounts.services import STALE_CLAIM

    return Notice.objects.filter(status=Notice.Status.SENDING).update(
        claimed_at=F("claimed_at") - STALE_CLAIM - datetime.timedelta(minutes=1)
    )


def _run_periodic_until(done, timeout: float = WAIT) -> bool:
    """Do what beat does every minute (send_due_notices), every few seconds, until done()."""
    from accounts.tasks import send_due_notices

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            send_due_notices.apply_async(retry=False)
        except Exception as exc:
            print(f"    (broker not reachable yet: {exc.__class__.__name__})", flush=True)
        if wait_until(done, 5):
            return True
    return done()


def worker_killed_notices(ctx) -> None:
    from django.db import transaction

    from accounts.messaging import queue_notice
    from accounts.models import Notice

    name = "worker-killed-notices"
    prefix = "fault-a-"
    with transaction.atomic():
        for i in range(NOTICES):
            queue_notice(
                key=f"fault-a:{i}",
                to_email=f"{prefix}{i}@proof.dk",
                template="accounts/mail/test_notice",
                context={"text": f"Notice {i}"},
            )
    ctx.checks.check(
        name,
        f"{NOTICES} notices queued as rows",
        Notice.objects.filter(key__startswith="fault-a:").count() == NOTICES,
    )
    started = wait_until(
        lambda: sum(_sent_per_recipient(ctx.sink, prefix).values()) >= NOTICES // 4, 60, 0.02
    )
    ctx.worker.kill()
    before = sum(_sent_per_recipient(ctx.sink, prefix).values())
    states = {
        s: Notice.objects.filter(key__startswith="fault-a:", status=s).count() for s in Notice.Status.values
    }
    ctx.checks.check(
        name,
        "worker SIGKILLed while sending",
        started and 0 < before < NOTICES,
        f"{before} of {NOTICES} delivered at the kill; rows {states}",
    )
    ctx.worker.start()
    aged = _age_stale_claims()
    print(
        f"    worker restarted; {aged} claim(s) of the dead worker aged past the 10-minute timeout",
        flush=True,
    )
    done = _run_periodic_until(
        lambda: (
            Notice.objects.filter(key__startswith="fault-a:", status=Notice.Status.SENT).count() == NOTICES
        )
    )
    per = _sent_per_recipient(ctx.sink, prefix)
    twice = {to: n for to, n in per.items() if n > 1}
    missing = NOTICES - len(per)
    ctx.checks.check(name, "every notice row is marked sent", done)
    ctx.checks.check(
        name,
        "every notice went out exactly once",
        not twice and not missing,
        f"{len(per)} recipients, {sum(per.values())} deliveries, twice: {sorted(twice)}, missing {missing}",
    )


def worker_killed_pdf(ctx) -> None:
    name = "worker-killed-pdf"
    pdf = _pdf_job()
    if pdf is None:
        ctx.checks.skip(name, "no app with a PDF task has landed yet (meetings.tasks.render_minutes_pdf)")
        return
    enqueue, exists = pdf
    ctx.worker.kill()
    ctx.worker.start()
    time.sleep(1)
    enqueue()
    # Kill while the worker is rendering (WeasyPrint takes a second or more for 25 items).
    time.sleep(0.6)
    rendered_before = exists()
    ctx.worker.kill()
    ctx.checks.check(
        name,
        "worker SIGKILLed while rendering",
        not rendered_before,
        "the PDF did not exist at the kill" if not rendered_before else "rendering finished before the kill",
    )
    ctx.worker.start()
    # acks_late + reject_on_worker_lost put the task back; the app's request path re-enqueues as well.
    ok = wait_until(exists, 30) or (enqueue() or wait_until(exists, WAIT))
    ctx.checks.check(name, "after the restart the PDF exists", ok)


def _pdf_job():
    """(enqueue, exists) for the PDF of the largest minutes, once the meetings app is merged."""
    return None


def redis_down(ctx) -> None:
    from django.db import transaction

    from accounts.messaging import queue_notice
    from accounts.models import Notice
    from bench.gen_foundation import MEMBER, PASSWORD, SECRETARIAT

    name = "redis-down"
    port = ctx.server.port
    health = lambda: json.loads(harness.Client(port).get("/healthz").body)["status"]  # noqa: E731
    ctx.checks.check(name, "/healthz is ok before", health() == "ok")
    ctx.redis.stop()
    stopped_at = time.monotonic()
    ctx.checks.check(name, "/healthz says degraded with Redis stopped", health() == "degraded")
    failures = []
    for page, url, email in ctx.pages:
        response = harness.Client(port, ctx.cookies.get(email, "")).get(url)
        if response.status != 200:
            failures.append(f"{page}: {response.status}")
    ctx.checks.check(name, f"{len(ctx.pages)} key pages answer 200", not failures, "; ".join(failures))
    ctx.checks.check(name, "member logs in through the form", _log_in(port, MEMBER, PASSWORD))
    ctx.checks.check(
        name, "secretariat logs in with password and TOTP", _log_in(port, SECRETARIAT, PASSWORD, totp=True)
    )
    saved = []
    for step, action in _saved_changes(ctx):
        ok, detail = action()
        saved.append(ok)
        ctx.checks.check(name, f"saved while Redis is down: {step}", ok, detail)
    start = time.monotonic()
    with transaction.atomic():
        queue_notice(
            key="fault-b:1",
            to_email="fault-b-1@proof.dk",
            template="accounts/mail/test_notice",
            context={"text": "Queued while Redis was down"},
        )
    took = time.monotonic() - start
    row = Notice.objects.filter(key="fault-b:1").first()
    ctx.checks.check(
        name,
        "a notice queued while Redis is down is kept as a row",
        row is not None and row.status == "pending",
        f"queue_notice returned in {took:.2f} s",
    )
    ctx.redis.start()
    print(
        f"    Redis back after {time.monotonic() - stopped_at:.0f} s (empty: nothing was persisted)",
        flush=True,
    )
    ctx.checks.check(name, "/healthz is ok again", wait_until(lambda: health() == "ok", 30))
    if not ctx.worker.alive():
        # The restart policy of docker-compose.yml (unless-stopped) would bring it back.
        ctx.checks.note(
            name, "the worker exited during the outage; restarted as docker-compose's restart policy would"
        )
        ctx.worker.start()
    else:
        ctx.checks.note(name, "the worker survived the outage and reconnected")
    expected = {"fault-b-1@proof.dk"} | set(ctx.notices_expected)
    sent = lambda: all(_sent_per_recipient(ctx.sink, to).get(to) for to in expected)  # noqa: E731
    ok = _run_periodic_until(sent)
    twice = [to for to in expected if _sent_per_recipient(ctx.sink, to).get(to, 0) > 1]
    ctx.checks.check(
        name,
        "notices queued during the outage went out once Redis returned",
        ok and not twice,
        f"{len(expected)} expected, twice: {twice}",
    )


def _saved_changes(ctx) -> list:
    """Changes the apps save through their pages while Redis is down: (label, action -> (ok, detail))."""
    return []


def _log_in(port: int, email: str, password: str, totp: bool = False) -> bool:
    client = harness.Client(port)
    form = client.get("/konto/login/")
    response = client.post(
        "/konto/login/",
        {"username": email, "password": password, "csrfmiddlewaretoken": client.csrf_token(form.body)},
    )
    if response.status != 302:
        return False
    if totp:
        from django_otp.oath import totp as make_code
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from accounts.models import User

        device = TOTPDevice.objects.get(user=User.objects.get(email=email), confirmed=True)
        page = client.get("/konto/totp/?next=/")
        code = f"{make_code(device.bin_key, device.step, device.t0, device.digits):06d}"
        response = client.post(
            "/konto/totp/?next=/", {"token": code, "csrfmiddlewaretoken": client.csrf_token(page.body)}
        )
        if response.status != 302:
            return False
    return client.get("/").status == 200


def uploads_during_settlement(ctx) -> None:
    ctx.checks.skip("uploads-during-settlement", "the agreements app has not landed yet")


SCENARIOS = {
    "worker-killed-notices": worker_killed_notices,
    "worker-killed-pdf": worker_killed_pdf,
    "redis-down": redis_down,
    "uploads-during-settlement": uploads_during_settlement,
}


class Context:
    pass


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("scenarios", nargs="*", metavar="SCENARIO", help=", ".join(SCENARIOS))
    args = parser.parse_args(argv)
    unknown = set(args.scenarios) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenario(s) {sorted(unknown)}; choose from {', '.join(SCENARIOS)}")
    chosen = args.scenarios or list(SCENARIOS)
    started = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="kkr-faults-"))
    redis_port = harness.free_port()
    sink = workdir / "mail.log"
    env = harness.configure(
        FAULTS_DB,
        REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
        EMAIL_BACKEND="bench.mailsink.SinkBackend",
        MAIL_SINK=str(sink),
        MAIL_SINK_DELAY="0.05",
        AXES_ENABLED="1",
        MEDIA_ROOT=str(workdir / "media"),
    )
    ctx = Context()
    ctx.checks, ctx.sink, ctx.notices_expected = Checks(), sink, []
    ctx.redis = RedisServer(redis_port, workdir)
    ctx.worker = Worker(env, workdir / "worker.log")
    ctx.server = harness.Server(env, workers=3, log=workdir / "gunicorn.log")
    print(f"faults: database {FAULTS_DB}, private Redis on port {redis_port}, logs in {workdir}", flush=True)
    try:
        harness.recreate_database(FAULTS_DB)
        harness.django_setup()
        harness.migrate_and_collect()
        from bench import gen_foundation

        gen_foundation.generate(random.Random("kkr-faults"))
        ctx.pages = list(gen_foundation.pages())
        ctx.cookies = {email: harness.session_cookie(email) for _n, _u, email in ctx.pages if email}
        ctx.redis.start()
        ctx.worker.start()
        ctx.server.start()
        for scenario in chosen:
            print(f"\n[{scenario}]", flush=True)
            t = time.monotonic()
            try:
                SCENARIOS[scenario](ctx)
            except Exception:
                ctx.checks.check(
                    scenario,
                    "scenario ran to the end",
                    False,
                    traceback.format_exc().strip().splitlines()[-1],
                )
                traceback.print_exc()
            print(f"    ({time.monotonic() - t:.0f} s)", flush=True)
    finally:
        ctx.server.stop()
        ctx.worker.stop()
        ctx.redis.stop()
    rows = ctx.checks.rows
    failed = [r for r in rows if r["ok"] is False]
    print("\nSUMMARY")
    for scenario in chosen:
        mine = [r for r in rows if r["scenario"] == scenario]
        verdict = (
            "SKIP"
            if all(r["ok"] is None for r in mine)
            else "FAIL"
            if any(r["ok"] is False for r in mine)
            else "PASS"
        )
        passed = sum(1 for r in mine if r["ok"])
        print(f"  {verdict:4}  {scenario:28} {passed}/{sum(1 for r in mine if r['ok'] is not None)} checks")
    print(f"{len(failed)} failed check(s) in {time.monotonic() - started:.0f} s; logs in {workdir}")
    harness.write_json(harness.RESULTS / "faults-latest.json", {"machine": harness.machine(), "checks": rows})
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
