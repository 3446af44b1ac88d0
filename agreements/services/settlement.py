"""Settlement runs (docs/rules.md §4.1): the run itself, and the jobs that ask the worker for one."""

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

import core.time
from core.errors import Refused, refuse
from core.tasks import enqueue_on_commit

from .. import rules, settling, tariffs
from ..models import (
    Agreement,
    Course,
    SettlementJob,
    SettlementLine,
    SettlementRun,
    Statement,
    billable_q,
    settled_exists,
    settled_revision_expression,
)
from ..tasks import settle
from .agreement import agreement_of_region
from .statements import statement_pdf_request
from .tariff_years import tariff_rates

log = logging.getLogger(__name__)


def missing_tariff_years(years) -> None:
    """Refuse a settlement that needs a year without a tariff table (nothing is settled)."""
    names = ", ".join(str(y) for y in sorted(years))
    refuse(
        _("No tariff table for %(years)s: enter the year's price index first. Nothing was settled.")
        % {"years": names}
    )


@dataclass(slots=True)
class _Candidate:
    """The fields of a course a settlement run needs (plain values: a year of courses is read)."""

    FIELDS = (
        "id",
        "municipality_id",
        "treatment",
        "decision",
        "start_date",
        "end_date",
        "created_at",
        "withdrawn",
        "revision",
    )
    id: int
    municipality_id: int
    treatment: str
    decision: str
    start_date: datetime.date | None
    end_date: datetime.date | None
    created_at: datetime.datetime
    withdrawn: bool
    revision: int

    def is_billable(self, as_of: datetime.date) -> bool:
        return rules.is_billable(
            decision=self.decision, withdrawn=self.withdrawn, end_date=self.end_date, as_of=as_of
        )

    def ends_after(self, as_of: datetime.date) -> bool:
        return rules.ends_after(
            decision=self.decision, withdrawn=self.withdrawn, end_date=self.end_date, as_of=as_of
        )


@dataclass
class _Line:
    course: _Candidate
    kind: str
    year: int
    ordinal: int
    step: int
    days: int
    extra: int
    rate: tariffs.Rate
    amount: Decimal
    original_id: int | None = None


def settlement_run(
    *, agreement: Agreement | None = None, as_of: datetime.date | None = None, user=None
) -> SettlementRun | None:
    """Settle every completed, accepted course not yet settled, and correct settled courses that
    changed since (docs/rules.md §4.1). Returns the run, or None when there was nothing to settle.

    Runs are serialised by a lock on the agreement row, so two runs at once cannot hand out the
    same ordinal; the unique constraints on the lines are the last line of defence. The number of
    queries does not grow with the number of courses.
    """
    agreement = agreement or agreement_of_region(None)
    as_of = as_of or core.time.today()
    with transaction.atomic():
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        region_courses = Course.objects.filter(municipality__region_id=agreement.region_id)
        # Unsettled means "has no course line" (so settling writes no course row); changed means a
        # settled course whose revision moved past the one its lines price, which only a course
        # changed since its first version can be. Each is one plain query (an anti-join, and a
        # join of the few courses with a later revision), so neither scans with the other's test.
        new = region_courses.filter(billable_q(as_of)).exclude(settled_exists())
        changed = (
            region_courses.filter(revision__gt=1)
            .annotate(settled_revision=settled_revision_expression())
            .filter(settled_revision__isnull=False)
            .exclude(revision=F("settled_revision"))
        )
        set_based = settling.set_based()
        new_courses, changed = _lock_candidates(new, changed, set_based)
        # On PostgreSQL the new courses are priced in the database (agreements/settling.py).
        staged = settling.stage_new_lines(new, agreement.pk) if set_based else None
        originals, billed = _billed_so_far([c.id for c in changed])
        rates = tariff_rates()
        _check_tariff_years(new_courses, staged, rates)
        lines = _new_lines(agreement, new_courses, rates)
        corrections, unchanged_price = _corrections(changed, originals, billed, rates, as_of)
        lines += corrections
        # Changed courses whose price did not change (e.g. a new note) are priced as they are.
        Course.objects.filter(pk__in=unchanged_price).update(priced_revision=F("revision"))
        staged = staged or settling.Staged()
        if not lines and not staged.count:
            return None
        run, statement_of = _create_run(agreement, as_of, user, lines, staged)
        _write_lines(run, agreement, statement_of, lines, staged)
    return run


def _lock_candidates(new, changed, set_based: bool) -> tuple[list[_Candidate], list[_Candidate]]:
    """(new courses in staircase order, changed courses), the changed ones locked.

    The changed courses are locked in one statement in id order (as courses_register locks its
    rows), so runs and uploads at the same time cannot deadlock, and a change arriving meanwhile
    waits for the run and is corrected by the next one. The new ones are not written by the run
    (their lines record the revision they price), so a change arriving while they are priced is
    found by the next run as any other change. On PostgreSQL they stay in the database (priced
    there); elsewhere they are read here, in the order of tariffs.py."""
    if set_based:
        rows = changed.select_for_update(of=("self",)).order_by("id").values_list(*_Candidate.FIELDS)
        return [], [_Candidate(*values) for values in rows]
    candidates = (
        Course.objects.filter(Q(pk__in=new.values("pk")) | Q(pk__in=changed.values("pk")))
        .annotate(settled=settled_exists())
        .select_for_update(of=("self",))
        .order_by("id")
        .values_list(*_Candidate.FIELDS, "settled")
    )
    new_courses, changed_courses = [], []
    for *values, settled in candidates:
        (changed_courses if settled else new_courses).append(_Candidate(*values))
    new_courses.sort(key=lambda c: (c.start_date, c.end_date, c.created_at, c.id))
    return new_courses, changed_courses


def _billed_so_far(changed_ids: list[int]) -> tuple[dict[int, SettlementLine], dict[int, Decimal]]:
    """For the changed courses (locked, a handful): their original course line, and what has been
    billed in all."""
    originals = {
        line.course_id: line
        for line in SettlementLine.objects.filter(course__in=changed_ids, kind=SettlementLine.Kind.COURSE)
    }
    billed = dict(
        SettlementLine.objects.filter(course__in=changed_ids)
        .values("course")
        .annotate(total=Sum("amount"))
        .values_list("course", "total")
    )
    return originals, billed


def _check_tariff_years(new_courses: list[_Candidate], staged, rates) -> None:
    """Refuse the run, settling nothing, when a new course's year has no tariff table."""
    known_years = {year for year, _t, _s in rates}
    missing = {c.start_date.year for c in new_courses} - known_years
    if staged:
        missing |= staged.missing_years
    if missing:
        missing_tariff_years(missing)


def _new_lines(agreement: Agreement, new_courses: list[_Candidate], rates) -> list[_Line]:
    """The course lines of the new courses: each year's ordinals continue from the last one
    settled, and the step follows the ordinal (tariffs.py, the reference staircase)."""
    lines: list[_Line] = []
    years = {c.start_date.year for c in new_courses}
    last = dict(
        SettlementLine.objects.filter(agreement=agreement, kind=SettlementLine.Kind.COURSE, year__in=years)
        .values("year")
        .annotate(last=Max("ordinal"))
        .values_list("year", "last")
    )
    for course in new_courses:
        year = tariffs.course_year(course.start_date)
        ordinal = last.get(year, 0) + 1
        last[year] = ordinal
        step = tariffs.step_of(ordinal)
        rate = rates[(year, course.treatment, step)]
        days = tariffs.course_days(course.start_date, course.end_date)
        lines.append(
            _Line(
                course,
                "course",
                year,
                ordinal,
                step,
                days,
                tariffs.extra_days(course.treatment, days),
                rate,
                tariffs.price(course.treatment, days, rate),
            )
        )
    return lines


def _corrections(changed, originals, billed, rates, as_of) -> tuple[list[_Line], list[int]]:
    """(correction lines of the changed courses, the changed courses whose price did not change).

    A changed course keeps its original year, ordinal and step; the correction is the difference
    between its price now and what was billed."""
    lines: list[_Line] = []
    unchanged_price: list[int] = []
    for course in changed:
        original = originals[course.id]
        rate = rates[(original.year, course.treatment, original.step)]
        # The same rule as for new courses (billable_q): a course whose end date moved past
        # as_of has not ended yet, so it is not corrected now (days that have not happened
        # are never debited) and stays unpriced: the first run after its end corrects it.
        if course.is_billable(as_of):
            days = tariffs.course_days(course.start_date, course.end_date)
            current = tariffs.price(course.treatment, days, rate)
        elif course.ends_after(as_of):
            continue
        else:  # withdrawn, declined or no longer completed: credit everything billed
            days, current = 0, Decimal("0.00")
        difference = current - billed.get(course.id, Decimal(0))
        if difference == 0:
            unchanged_price.append(course.id)
            continue
        lines.append(
            _Line(
                course,
                "correction",
                original.year,
                original.ordinal,
                original.step,
                days,
                tariffs.extra_days(course.treatment, days),
                rate,
                difference,
                original.pk,
            )
        )
    return lines, unchanged_price


def _create_run(agreement: Agreement, as_of, user, lines: list[_Line], staged) -> tuple[SettlementRun, dict]:
    """The run with its totals, and one statement per municipality with lines:
    (run, {municipality id: statement id})."""
    number = (SettlementRun.objects.filter(agreement=agreement).aggregate(n=Max("number"))["n"] or 0) + 1
    run = SettlementRun.objects.create(
        agreement=agreement,
        number=number,
        as_of=as_of,
        created_by=user,
        course_count=staged.count + sum(1 for line in lines if line.kind == "course"),
        correction_count=sum(1 for line in lines if line.kind == "correction"),
        total=staged.total + sum((line.amount for line in lines), Decimal(0)),
    )
    per_municipality = defaultdict(lambda: [Decimal(0), 0])
    for municipality_id, (total, count) in staged.per_municipality.items():
        per_municipality[municipality_id] = [total, count]
    for line in lines:
        per_municipality[line.course.municipality_id][0] += line.amount
        per_municipality[line.course.municipality_id][1] += 1
    statements = Statement.objects.bulk_create(
        Statement(run=run, municipality_id=municipality_id, total=total, line_count=count)
        for municipality_id, (total, count) in sorted(per_municipality.items())
    )
    return run, {s.municipality_id: s.pk for s in statements}


def _write_lines(
    run: SettlementRun, agreement: Agreement, statement_of: dict, lines: list[_Line], staged
) -> None:
    """Write the lines onto the run's statements, and record the revision each line priced."""
    SettlementLine.objects.bulk_create(
        SettlementLine(
            run_id=run.pk,
            agreement_id=agreement.pk,
            statement_id=statement_of[line.course.municipality_id],
            course_id=line.course.id,
            kind=line.kind,
            original_id=line.original_id,
            year=line.year,
            ordinal=line.ordinal,
            step=line.step,
            treatment=line.course.treatment,
            days=line.days,
            extra_days=line.extra,
            course_tariff=line.rate.course,
            day_tariff=line.rate.day,
            amount=line.amount,
            course_revision=line.course.revision,
        )
        for line in lines
    )
    if staged.count:
        settling.insert_staged_lines(run, agreement.pk)
    # A new course's line records the revision it priced, so its row is not written. A corrected
    # course records on its row the revision the correction priced (not the current one: a change
    # that arrived meanwhile stays unpriced and is corrected by the next run); one UPDATE per
    # distinct revision (a handful), not per course.
    for revision in sorted({line.course.revision for line in lines if line.kind == "correction"}):
        Course.objects.filter(
            lines__run=run, lines__kind=SettlementLine.Kind.CORRECTION, lines__course_revision=revision
        ).update(priced_revision=revision)


# A job still "running" this long after it started lost its worker (the task time limit is shorter).
STALE_JOB = datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)


def settlement_request(*, agreement: Agreement, user=None) -> tuple[SettlementJob, bool]:
    """Ask the worker to settle the agreement: (job, created). While a job is open (queued or
    running) the open one is returned and nothing new starts; the partial unique constraint makes
    that hold for two clicks at the same moment too. Takes no lock (a run holds the agreement's)."""
    open_jobs = SettlementJob.objects.filter(agreement=agreement, status__in=SettlementJob.OPEN)
    job = open_jobs.first()
    if job is not None:
        return job, False
    try:
        with transaction.atomic():
            job = SettlementJob.objects.create(agreement=agreement, requested_by=user)
    except IntegrityError:
        return open_jobs.get(), False
    enqueue_on_commit(settle, job.pk)
    return job, True


def settlement_job_run(job_id: int) -> SettlementJob | None:
    """The worker's side: claim the job (a second delivery of the task finds it claimed and does
    nothing), settle, record the outcome, and have the pdf worker render the new statements."""
    now = timezone.now()
    claimed = (
        SettlementJob.objects.filter(pk=job_id)
        .filter(
            Q(status=SettlementJob.Status.QUEUED)
            | Q(status=SettlementJob.Status.RUNNING, started_at__lt=now - STALE_JOB)
        )
        .update(status=SettlementJob.Status.RUNNING, started_at=now)
    )
    if not claimed:
        return None
    job = SettlementJob.objects.select_related("agreement", "requested_by").get(pk=job_id)
    try:
        run = settlement_run(agreement=job.agreement, user=job.requested_by)
    except Refused as exc:
        job.status, job.message = SettlementJob.Status.FAILED, " ".join(exc.messages)
    except Exception:
        log.exception("settlement job %s failed", job_id)
        job.status = SettlementJob.Status.FAILED
        job.message = _("The settlement failed; nothing was settled. Try again, or ask the administrator.")
    else:
        job.run = run
        job.status = SettlementJob.Status.DONE if run else SettlementJob.Status.NOTHING
        if run:
            for statement in run.statements.all():
                statement_pdf_request(statement=statement)
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "message", "run", "finished_at"])
    return job


def settlement_jobs_resume() -> int:
    """When a worker starts: send again the jobs still queued (the broker may have been down when
    they were asked for) and those whose worker died while running."""
    jobs = list(
        SettlementJob.objects.filter(
            Q(status=SettlementJob.Status.QUEUED)
            | Q(status=SettlementJob.Status.RUNNING, started_at__lt=timezone.now() - STALE_JOB)
        ).values_list("pk", flat=True)
    )
    for pk in jobs:
        enqueue_on_commit(settle, pk)
    return len(jobs)
