#!/usr/bin/env python
"""`make faults`: the portal under faults, on loopback, bounded in time (a few minutes).

Starts its own world: a fresh PostgreSQL database (kkr_proof) with the demo data of every app
(`seed_demo`: meetings with minutes, IV courses and settlements, surveys), a private redis-server on a free port (the machine's Redis on 6379 is never touched), a Celery
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
from urllib.parse import urlsplit

import core.time

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
    # At a random moment of a delivery (each takes 50 ms), as a real crash would come.
    time.sleep(random.SystemRandom().uniform(0, 0.05))
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
    for label, request, ready in (_minutes_pdf_job(), _statement_pdf_job()):
        for how in ("the pool process rendering it", "the whole worker (main process and pool)"):
            attempt = 0
            while attempt < 3:  # a small PDF may finish before the kill lands: try again
                attempt += 1
                before = _cpu_by_child(ctx.worker)
                request()
                busy = []
                wait_until(lambda: busy.extend(_busy_children(ctx.worker, before)) or busy, 30, 0.01)  # noqa: B023
                if how.startswith("the pool"):
                    for pid in busy:
                        os.kill(pid, signal.SIGKILL)
                else:
                    ctx.worker.kill()
                ready_at_kill = ready()
                if not ctx.worker.alive():
                    ctx.worker.start()
                if busy and not ready_at_kill:
                    break
                wait_until(ready, 30, 0.5)
            ctx.checks.check(
                name,
                f"killed {how} while rendering the {label}",
                bool(busy) and not ready_at_kill,
                f"attempt {attempt}: the PDF was not there yet"
                if busy and not ready_at_kill
                else f"no kill mid-render in {attempt} attempts",
            )
            ok = wait_until(ready, 20, 0.5)
            how_back = "the redelivered task rendered it"
            if not ok:  # beat's next tick: every periodic task once (they are idempotent)
                sent = _run_beat_once()
                ok = wait_until(ready, 40, 0.5)
                how_back = f"rendered after one round of the periodic tasks ({', '.join(sent)})"
            ctx.checks.check(
                name,
                "the PDF exists afterwards",
                ok,
                how_back
                if ok
                else "still missing 60 s after the restart, a round of the periodic tasks included: the task "
                "message waits in Redis until the visibility timeout (1 h) and no periodic task re-enqueues "
                "the render",
            )
            if not ok:  # what asking for the PDF again does
                request()
                ctx.checks.check(name, "asking again renders it", wait_until(ready, WAIT, 0.5))


def _run_beat_once() -> list[str]:
    """Send every task of the beat schedule once, as beat does at their next tick."""
    from django.conf import settings

    from kkr_portal.celery import app

    names = sorted({entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()})
    for task in names:
        app.send_task(task)
    return names


def _cpu_by_child(worker) -> dict[int, float]:
    return {pid: _cpu_seconds(pid) for pid in _children(worker.process.pid)}


def _busy_children(worker, before: dict[int, float]) -> list[int]:
    """The pool processes that have started working since `before` (their CPU time grew)."""
    return [pid for pid in _children(worker.process.pid) if _cpu_seconds(pid) - before.get(pid, 0.0) >= 0.03]


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def _minutes_pdf_job():
    """(label, request, ready) for the minutes PDF of the demo meeting with the most items."""
    from django.db import transaction
    from django.db.models import Count

    from meetings.models import Document, Meeting
    from meetings.services import documents_request

    meeting = (
        Meeting.objects.filter(minutes__isnull=False).annotate(n=Count("items")).order_by("-n", "pk").first()
    )
    if meeting is None:
        raise RuntimeError("the demo has no meeting with minutes")

    def request():
        Document.objects.filter(meeting=meeting).delete()
        with transaction.atomic():
            documents_request(meeting=meeting, kinds=[Document.Kind.MINUTES])

    def ready():
        document = Document.objects.filter(meeting=meeting, kind=Document.Kind.MINUTES).first()
        return bool(
            document and document.status == "ready" and document.file and Path(document.file.path).exists()
        )

    return f"minutes of a {meeting.n}-item meeting", request, ready


def _statement_pdf_job():
    """(label, request, ready) for the PDF of the IV statement with the most lines."""
    from django.db import transaction
    from django.db.models import Count

    from agreements.models import Statement
    from agreements.services import statement_pdf_request

    statement = Statement.objects.annotate(n=Count("lines")).order_by("-n", "pk").first()
    if statement is None:
        raise RuntimeError("the demo has no IV statement")

    def request():
        Statement.objects.filter(pk=statement.pk).update(pdf="", pdf_key="")
        with transaction.atomic():
            statement_pdf_request(statement=statement)

    def ready():
        fresh = Statement.objects.get(pk=statement.pk)
        return bool(fresh.pdf and fresh.pdf_key == fresh.render_key and Path(fresh.pdf.path).exists())

    return f"IV statement with {statement.n} lines", request, ready


def redis_down(ctx) -> None:
    from django.db import transaction

    from accounts.messaging import queue_notice
    from accounts.models import Notice

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
    ctx.checks.check(name, "member logs in through the form", _log_in(port, MEMBER, DEMO_PASSWORD))
    ctx.checks.check(
        name,
        "secretariat logs in with password and TOTP",
        _log_in(port, SECRETARIAT, DEMO_PASSWORD, totp=True),
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
    expected = [(row.to_email, row.subject), *ctx.notices_expected]
    sent = lambda: all(_deliveries(ctx.sink, to, subject) for to, subject in expected)  # noqa: E731
    ok = _run_periodic_until(sent)
    twice = [to for to, subject in expected if _deliveries(ctx.sink, to, subject) > 1]
    ctx.checks.check(
        name,
        "notices queued during the outage went out once Redis returned",
        ok and not twice,
        f"{len(expected)} expected ({', '.join(to for to, _s in expected)}), twice: {twice}",
    )


def _deliveries(sink: Path, to: str, subject: str) -> int:
    try:
        lines = sink.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return 0
    return sum(1 for line in lines if line.split("\t")[:2] == [to, subject])


def _saved_changes(ctx) -> list:
    """Changes the apps save through their pages while Redis is down: (label, action -> (ok, detail))."""

    def upload():
        from agreements.models import Course

        response = _upload(ctx, CLERK, _csv("101", "REDIS", 20))
        stored = Course.objects.filter(external_id__startswith="FAULT-REDIS-").count()
        return (
            response.status == 302 and stored == 20,
            f"answer {response.status} in {response.seconds:.1f} s, {stored} of 20 courses stored",
        )

    def absence():
        from accounts.models import Notice

        meeting = _upcoming_meeting_of(MEMBER)
        if meeting is None:
            return False, "the demo member has no upcoming meeting to report absence from"
        client = harness.Client(ctx.server.port, ctx.cookies[MEMBER])
        url = f"/moeder/{meeting.pk}/afbud/"
        form = client.get(url)
        before = set(Notice.objects.values_list("pk", flat=True))
        response = client.post(
            url, {"note": "Afbud under Redis-udfald", "csrfmiddlewaretoken": client.csrf_token(form.body)}
        )
        new = list(Notice.objects.exclude(pk__in=before))
        ctx.notices_expected.extend((n.to_email, n.subject) for n in new)
        detail = f"answer {response.status} in {response.seconds:.1f} s; {len(new)} notice(s) queued as rows"
        return response.status == 302 and len(new) == 1, detail

    return [
        ("a clerk uploads 20 courses", upload),
        ("a member reports absence (their substitute is to be told)", absence),
    ]


def _upcoming_meeting_of(email: str):
    """The next meeting the user sits in as a member and has not reported absence from."""
    from django.utils import timezone

    from accounts.models import User
    from meetings.models import Meeting
    from meetings.selectors import meeting_seat_of

    user = User.objects.filter(email=email).first()
    if user is None or not user.politician_id:
        return None
    for meeting in (
        Meeting.objects.filter(starts_at__gt=timezone.now())
        .exclude(status__in=["held", "cancelled"])
        .order_by("starts_at")
    ):
        seat = meeting_seat_of(meeting, user.politician_id)
        if seat is not None and not meeting.absences.filter(seat=seat).exists():
            return meeting
    return None


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


def _csv(code: str, tag: str, count: int, first: int = 0) -> bytes:
    from agreements.importing import HEADER

    today = core.time.today()
    rows = [",".join(HEADER)]
    for i in range(first, first + count):
        start = today - datetime.timedelta(days=60 + i % 200)
        values = {
            "external_id": f"FAULT-{tag}-{code}-{i}",
            "municipality_code": code,
            "treatment": ("antibiotics", "fluids", "pump")[i % 3],
            "referred_on": (start - datetime.timedelta(days=2)).isoformat(),
            "decision": "accepted",
            "start_date": start.isoformat(),
            "end_date": (start + datetime.timedelta(days=3 + i % 20)).isoformat(),
            "setting": ("home", "clinic")[i % 2],
            "visits_per_day": str(1 + i % 3),
            "minutes_per_visit": str(20 + i % 30),
        }
        rows.append(",".join(values[column] for column in HEADER))
    return ("\n".join(rows) + "\n").encode()


def _upload(ctx, email: str, data: bytes, name: str = "courses.csv") -> harness.Response:
    client = harness.Client(ctx.server.port, ctx.cookies[email])
    form = client.get("/iv/forloeb/upload/")
    boundary = "----kkrfaults" + str(time.monotonic_ns())
    token = client.csrf_token(form.body)
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{token}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: text/csv\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return client.request(
        "POST", "/iv/forloeb/upload/", body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    )


def _settle(ctx) -> harness.Response:
    """Ask for a settlement and wait until the worker has run it (or joined an open one)."""
    client = harness.Client(ctx.server.port, ctx.cookies[OFFICER])
    page = client.get("/iv/afregning/")
    response = client.post("/iv/afregning/koer/", {"csrfmiddlewaretoken": client.csrf_token(page.body)})
    job = urlsplit(response.headers.get("location", "")).path
    if response.status == 302 and "/bestilling/" in job:
        wait_until(lambda: b"hx-trigger" not in client.get(job + "?row=1").body, WAIT * 2)
    return response


CLERKS = 10
ROWS_PER_FILE = 150


def uploads_during_settlement(ctx) -> None:
    """Ten clerks (ten municipalities) each send two overlapping files at once (the second repeats
    half the first: re-sent courses must update, not duplicate) while the region officer runs
    settlements; then one more settlement takes whatever was left."""
    import threading

    from django.db.models import Count

    from accounts.models import Role, RoleKind, User
    from register.models import Municipality

    name = "uploads-during-settlement"
    from agreements.models import Course, SettlementLine

    municipalities = list(Municipality.objects.filter(region__code="1084").order_by("code")[:CLERKS])
    clerks = []
    for muni in municipalities:
        user = User.objects.create_user(email=f"clerk-{muni.code}@faults.dk", password=DEMO_PASSWORD)
        Role.objects.create(user=user, kind=RoleKind.CLERK, municipality=muni)
        ctx.cookies[user.email] = harness.session_cookie(user.email)
        clerks.append((user.email, muni.code))
    before = Course.objects.count()
    answers, lock = [], threading.Lock()

    def send(email, code, first):
        response = _upload(ctx, email, _csv(code, "LOAD", ROWS_PER_FILE, first))
        with lock:
            answers.append(("upload", response.status))

    def settle(times):
        for _ in range(times):
            response = _settle(ctx)
            with lock:
                answers.append(("settlement", response.status))

    threads = [threading.Thread(target=settle, args=(3,))]
    for email, code in clerks:
        threads.append(threading.Thread(target=send, args=(email, code, 0)))
        threads.append(threading.Thread(target=send, args=(email, code, ROWS_PER_FILE // 2)))
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT * 2)
    took = time.monotonic() - started
    bad = [a for a in answers if a[1] != 302]
    uploads = sum(1 for kind, _s in answers if kind == "upload")
    ctx.checks.check(
        name,
        f"{uploads} uploads and 3 settlements at once all succeeded",
        not bad and uploads == 2 * CLERKS,
        f"{took:.1f} s; failures: {bad}",
    )
    settle(1)
    expected = CLERKS * (ROWS_PER_FILE + ROWS_PER_FILE // 2)
    stored = Course.objects.filter(external_id__startswith="FAULT-LOAD-").count()
    dupes = (
        Course.objects.values("municipality_id", "external_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    ctx.checks.check(
        name,
        "every course stored once",
        stored == expected and dupes == 0,
        f"{stored} of {expected} courses, {dupes} duplicated keys; {before} courses before",
    )
    lines = SettlementLine.objects.filter(kind="course")
    twice = lines.values("course_id").annotate(n=Count("id")).filter(n__gt=1).count()
    # Ordinals are numbered per agreement and year.
    ordinal_twice = (
        lines.values("agreement_id", "year", "ordinal").annotate(n=Count("id")).filter(n__gt=1).count()
    )
    gaps = []
    for agreement_id, year in sorted(set(lines.values_list("agreement_id", "year"))):
        ordinals = sorted(
            lines.filter(agreement_id=agreement_id, year=year).values_list("ordinal", flat=True)
        )
        if ordinals != list(range(1, len(ordinals) + 1)):
            gaps.append(year)
    ctx.checks.check(
        name, "every course settled once", twice == 0, f"{lines.count()} course lines, {twice} courses twice"
    )
    ctx.checks.check(
        name,
        "every ordinal handed out once, without gaps",
        ordinal_twice == 0 and not gaps,
        f"{ordinal_twice} ordinals twice; years with gaps: {gaps}",
    )
    unsettled = (
        Course.objects.filter(external_id__startswith="FAULT-LOAD-").exclude(lines__kind="course").count()
    )
    ctx.checks.check(
        name, "the last settlement took every uploaded course", unsettled == 0, f"{unsettled} left"
    )


SCENARIOS = {
    "worker-killed-notices": worker_killed_notices,
    "worker-killed-pdf": worker_killed_pdf,
    "redis-down": redis_down,
    "uploads-during-settlement": uploads_during_settlement,
}


class Context:
    pass


# The demo logins of accounts/demo.py (password DEMO_PASSWORD, staff with the demo TOTP key).
SECRETARIAT = "sekretariat@demo.kkr.dk"
MEMBER = "medlem@demo.kkr.dk"
CLERK = "klerk.kbh@demo.kkr.dk"
OFFICER = "region@demo.kkr.dk"
PERSONAS = [SECRETARIAT, MEMBER, CLERK, OFFICER]
DEMO_PASSWORD = "demo-kkr-2026"  # noqa: S105 - accounts.demo.DEMO_PASSWORD, printed by seed_demo


def seed_demo(ctx) -> None:
    """Every app's demo seeder, each on its own: one failing is reported and the rest still run."""
    from django.conf import settings
    from django.db import transaction
    from django.utils.module_loading import import_string

    for dotted in settings.DEMO_SEEDERS:
        try:
            with transaction.atomic():
                import_string(dotted)()
        except Exception as exc:
            ctx.checks.note(
                "setup", f"demo seeder {dotted} failed: {exc.__class__.__name__}: {str(exc)[:120]}"
            )


def key_pages(ctx) -> list[tuple[str, str, str | None]]:
    """The login page, and for each persona the start page and every entry of their navbar."""
    import re

    pages = [("login page", "/konto/login/", None)]
    for email in PERSONAS:
        home = harness.Client(ctx.server.port, ctx.cookies[email]).get("/")
        pages.append((f"start: {email}", "/", email))
        nav = re.search(rb'id="main-nav".*?</ul>', home.body, re.S)
        for href in re.findall(rb'class="nav-link[^"]*"[^>]*href="([^"]+)"', nav.group(0) if nav else b""):
            pages.append((f"{href.decode()} as {email}", href.decode(), email))
    return pages


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
        seed_demo(ctx)
        ctx.cookies = {email: harness.session_cookie(email) for email in PERSONAS}
        ctx.redis.start()
        ctx.worker.start()
        ctx.server.start()
        ctx.pages = key_pages(ctx)
        print(
            f"    {len(ctx.pages)} key pages: the start page and every navbar entry of each persona",
            flush=True,
        )
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
