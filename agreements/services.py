"""Write paths of the IV agreement. The form, the upload, the API and the CLI all call these."""

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

import core.time
from accounts.models import Role, RoleKind
from core.errors import Refused, refuse
from register.models import Municipality

from . import rules, settling, tariffs
from .models import (
    Agreement,
    AgreementExtension,
    Course,
    QuarterReport,
    SettlementJob,
    SettlementLine,
    SettlementRun,
    Statement,
    TariffRate,
    TariffTable,
    billable_q,
)
from .parsing import COURSE_FIELDS, CourseInput

log = logging.getLogger(__name__)


def missing_tariff_years(years) -> None:
    """Refuse a settlement that needs a year without a tariff table (nothing is settled)."""
    names = ", ".join(str(y) for y in sorted(years))
    refuse(
        _("No tariff table for %(years)s: enter the year's price index first. Nothing was settled.")
        % {"years": names}
    )


@dataclass
class RegisterResult:
    created: list[Course] = field(default_factory=list)
    updated: list[Course] = field(default_factory=list)
    unchanged: list[Course] = field(default_factory=list)
    possible_duplicates: list[tuple[Course, Course]] = field(default_factory=list)

    @property
    def courses(self) -> list[Course]:
        return self.created + self.updated + self.unchanged

    @property
    def across_municipalities(self) -> list[tuple[Course, Course]]:
        """Possible duplicates with a course of another municipality: told only to the region's
        billing officers, who settle both (never to the clerk, who must learn nothing about
        another municipality's citizens, not even that a course overlaps)."""
        return [(c, o) for c, o in self.possible_duplicates if o.municipality_id != c.municipality_id]

    def duplicate_warnings(self) -> list[dict]:
        """The possible duplicates within the course's own municipality, as the form and the API
        show them to the clerk (the courses are saved)."""
        warnings = []
        for course, other in self.possible_duplicates:
            if other.municipality_id != course.municipality_id:
                continue
            values = {"ref": course.external_id, "other": other.external_id}
            warnings.append(
                {
                    "code": "possible_duplicate",
                    "message": _(
                        "Possible duplicate: %(ref)s has the same CPR number and an overlapping period as %(other)s."
                    )
                    % values,
                    "other_external_id": other.external_id,
                }
            )
        return warnings


def agreement_for(municipality: Municipality) -> Agreement | None:
    return Agreement.objects.filter(region_id=municipality.region_id).first()


def agreement_of_region(code: str | None) -> Agreement:
    """The agreement a command works on: the region's (by its code), or the only one there is.
    Raises LookupError saying which codes there are when that is not clear."""
    agreements = list(Agreement.objects.select_related("region").order_by("region__code"))
    if code is not None:
        chosen = [a for a in agreements if a.region.code == code]
    else:
        chosen = agreements if len(agreements) == 1 else []
    if len(chosen) != 1:
        codes = ", ".join(a.region.code for a in agreements) or "none"
        raise LookupError(f"name the region with --region CODE (regions with an IV agreement: {codes})")
    return chosen[0]


def agreement_periods() -> dict[int, tuple[datetime.date, datetime.date]]:
    """{region id: (in force from, in force until)} of every IV agreement (one query)."""
    return {
        region_id: (starts_on, ends_on)
        for region_id, starts_on, ends_on in Agreement.objects.values_list(
            "region_id", "starts_on", "ends_on"
        )
    }


# Uploads that overlap each other can collide on several new external ids in turn.
REGISTER_ATTEMPTS = 10


def courses_register(*, items: list[CourseInput], user=None) -> RegisterResult:
    """Create or update courses by (municipality, external id): sending a course again updates it,
    never duplicates it. All or nothing; a constant number of queries however many items."""
    for _attempt in range(REGISTER_ATTEMPTS - 1):
        try:
            return _courses_register(items, user)
        except IntegrityError:
            # A new external id was committed by a concurrent submission (the unique constraint
            # made us wait for it): try again, and this time update the row it made.
            continue
    return _courses_register(items, user)


def _courses_register(items: list[CourseInput], user) -> RegisterResult:
    errors = []
    periods = agreement_periods()
    for item in items:
        errors.extend(item.problems(periods.get(item.municipality.region_id)))
        if item.municipality.region_id not in periods:
            errors.append(
                (
                    "municipality",
                    _("%(name)s is not a party to an IV agreement.") % {"name": item.municipality.name},
                )
            )
    if errors:
        raise Refused(rules.by_field(errors))
    result = RegisterResult()
    with transaction.atomic():
        keys = {(i.municipality.pk, i.external_id) for i in items}
        existing = {
            (c.municipality_id, c.external_id): c
            for c in Course.objects.select_for_update(of=("self",))
            .filter(municipality_id__in={m for m, _e in keys}, external_id__in={e for _m, e in keys})
            .select_related("municipality")
            .order_by("id")
        }
        new, changed = [], []
        for item in items:
            values = item.values()
            course = existing.get((item.municipality.pk, item.external_id))
            if course is None:
                course = Course(
                    municipality=item.municipality, external_id=item.external_id, created_by=user, **values
                )
                existing[(item.municipality.pk, item.external_id)] = course
                new.append(course)
                continue
            if any(getattr(course, name) != value for name, value in values.items()) or course.withdrawn:
                for name, value in values.items():
                    setattr(course, name, value)
                course.withdrawn = False
                course.revision += 1
                course.updated_at = timezone.now()
                if course not in changed and course not in new:
                    changed.append(course)
            elif course not in changed and course not in new:
                result.unchanged.append(course)
        Course.objects.bulk_create(new)
        if changed:
            Course.objects.bulk_update(
                changed, [*COURSE_FIELDS, "cpr_hash", "withdrawn", "revision", "updated_at"]
            )
        result.created, result.updated = new, changed
        hashes = {c.cpr_hash for c in new + changed if c.cpr_hash}
        if hashes:
            ids = {c.pk for c in new + changed}
            others = defaultdict(list)
            for other in Course.objects.filter(cpr_hash__in=hashes, withdrawn=False).exclude(pk__in=ids):
                others[other.cpr_hash].append(other)
            for course in new + changed:
                for other in others.get(course.cpr_hash, []):
                    if _overlap(course, other):
                        result.possible_duplicates.append((course, other))
        _notify_officers_of_duplicates(result.across_municipalities)
    return result


def _notify_officers_of_duplicates(pairs: list[tuple[Course, Course]]) -> None:
    """Tell the region's billing officers of each possible duplicate across municipalities (one
    notice per pair and officer; queued in the registering transaction)."""
    if not pairs:
        return
    from django.urls import reverse

    from accounts.messaging import queue_notice
    from accounts.models import Role

    ids = {c.municipality_id for pair in pairs for c in pair}
    names = dict(Municipality.objects.filter(pk__in=ids).values_list("pk", "name"))
    regions = dict(Municipality.objects.filter(pk__in=ids).values_list("pk", "region_id"))
    officers = defaultdict(list)
    for role in Role.objects.filter(
        kind=RoleKind.REGION_OFFICER, region_id__in=set(regions.values()), user__is_active=True
    ).select_related("user"):
        officers[role.region_id].append(role.user)
    for course, other in pairs:
        first, second = sorted((course, other), key=lambda c: c.pk)
        url = reverse("agreements:course_detail", args=[course.pk])
        for user in officers[regions[course.municipality_id]]:
            queue_notice(
                key=f"iv-duplicate-{first.pk}-{second.pk}-{user.pk}",
                to_email=user.email,
                template="agreements/mail/duplicate",
                context={
                    "course": course,
                    "course_municipality": names[course.municipality_id],
                    "other": other,
                    "other_municipality": names[other.municipality_id],
                    "url": url,
                },
                user=user,
                url=url,
            )


def _overlap(a: Course, b: Course) -> bool:
    if not a.start_date or not b.start_date:
        return a.referred_on == b.referred_on
    far = datetime.date.max
    return a.start_date <= (b.end_date or far) and b.start_date <= (a.end_date or far)


def course_register(*, item: CourseInput, user=None) -> tuple[Course, bool]:
    """One course: (course, created)."""
    result = courses_register(items=[item], user=user)
    return result.courses[0], bool(result.created)


def course_withdraw(*, course: Course, user=None) -> Course:
    """Withdraw a course registered in error; a settled one is credited in the next run."""
    with transaction.atomic():
        course = Course.objects.select_for_update().get(pk=course.pk)
        if not course.withdrawn:
            course.withdrawn = True
            course.revision += 1
            course.save(update_fields=["withdrawn", "revision", "updated_at"])
    return course


def tariff_year_create(*, year: int, index: Decimal) -> TariffTable:
    """The year's table: the 2020 base times the index, rounded half up to whole kroner."""
    index = Decimal(index)
    if index <= 0:
        refuse(_("The price index must be above zero."), field="index")
    with transaction.atomic():
        if TariffTable.objects.filter(year=year).exists():
            refuse(_("There is already a tariff table for %(year)s.") % {"year": year}, field="year")
        table = TariffTable.objects.create(year=year, index=index)
        TariffRate.objects.bulk_create(
            TariffRate(table=table, treatment=t, step=s, course_tariff=r.course, day_tariff=r.day)
            for t, steps in tariffs.indexed_table(index).items()
            for s, r in steps.items()
        )
    return table


def tariff_rates() -> dict[tuple[int, str, int], tariffs.Rate]:
    """{(year, treatment, step): Rate} for every year with a table."""
    return {
        (year, treatment, step): tariffs.Rate(course, day)
        for year, treatment, step, course, day in TariffRate.objects.values_list(
            "table__year", "treatment", "step", "course_tariff", "day_tariff"
        )
    }


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
        "priced_revision",
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
    priced_revision: int | None

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
        # The candidates, new and changed, are locked in one statement in id order (as
        # courses_register locks its rows), so runs and uploads at the same time cannot deadlock, and
        # a change arriving meanwhile waits for the run and is corrected by the next one.
        region_courses = Course.objects.filter(municipality__region_id=agreement.region_id)
        changed_q = Q(priced_revision__isnull=False) & ~Q(revision=F("priced_revision"))
        new_q = billable_q(as_of) & Q(priced_revision__isnull=True)
        set_based = settling.set_based()
        if set_based:  # the new courses are priced in the database (agreements/settling.py)
            locked = settling.lock_candidates(region_courses.filter(new_q | changed_q), _Candidate.FIELDS)
            candidates = [_Candidate(*values) for values in locked]
        else:
            candidates = [
                _Candidate(*values)
                for values in region_courses.filter(new_q | changed_q)
                .select_for_update(of=("self",))
                .order_by("id")
                .values_list(*_Candidate.FIELDS)
            ]
        new_courses = sorted(
            (c for c in candidates if c.priced_revision is None),
            key=lambda c: (c.start_date, c.end_date, c.created_at, c.id),
        )
        changed = [c for c in candidates if c.priced_revision is not None]
        staged = settling.stage_new_lines(region_courses.filter(new_q), agreement.pk) if set_based else None
        changed_ids = region_courses.filter(changed_q).values("pk")
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
        rates = tariff_rates()
        known_years = {year for year, _t, _s in rates}
        missing = {c.start_date.year for c in new_courses} - known_years
        if staged:
            missing |= staged.missing_years
        if missing:
            missing_tariff_years(missing)
        lines: list[_Line] = []
        years = {c.start_date.year for c in new_courses}
        last = dict(
            SettlementLine.objects.filter(
                agreement=agreement, kind=SettlementLine.Kind.COURSE, year__in=years
            )
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
        corrected: set[int] = set()
        deferred: set[int] = set()
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
                deferred.add(course.id)
                continue
            else:  # withdrawn, declined or no longer completed: credit everything billed
                days, current = 0, Decimal("0.00")
            difference = current - billed.get(course.id, Decimal(0))
            if difference == 0:
                continue
            corrected.add(course.id)
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
        # Changed courses whose price did not change (e.g. a new note) are priced as they are.
        Course.objects.filter(
            pk__in=[c.id for c in changed if c.id not in corrected and c.id not in deferred]
        ).update(priced_revision=F("revision"))
        staged = staged or settling.Staged()
        if not lines and not staged.count:
            return None
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
        statement_of = {s.municipality_id: s.pk for s in statements}
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
        # Record the revision each line priced (not the current one: a change that arrived
        # meanwhile stays unpriced and is corrected by the next run).
        # One UPDATE per distinct revision (a handful), not per course.
        if staged.count:
            settling.insert_staged_lines(run, agreement.pk)
        for revision in sorted({line.course.revision for line in lines} | staged.revisions):
            Course.objects.filter(lines__run=run, lines__course_revision=revision).update(
                priced_revision=revision
            )
    return run


# A job still "running" this long after it started lost its worker (the task time limit is shorter).
STALE_JOB = datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)


def settlement_request(*, agreement: Agreement, user=None) -> tuple[SettlementJob, bool]:
    """Ask the worker to settle the agreement: (job, created). While a job is open (queued or
    running) the open one is returned and nothing new starts; the partial unique constraint makes
    that hold for two clicks at the same moment too. Takes no lock (a run holds the agreement's)."""
    from core.tasks import enqueue_on_commit

    from .tasks import settle

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
    from core.tasks import enqueue_on_commit

    from .tasks import settle

    jobs = list(
        SettlementJob.objects.filter(
            Q(status=SettlementJob.Status.QUEUED)
            | Q(status=SettlementJob.Status.RUNNING, started_at__lt=timezone.now() - STALE_JOB)
        ).values_list("pk", flat=True)
    )
    for pk in jobs:
        enqueue_on_commit(settle, pk)
    return len(jobs)


def statement_finalise(*, statement: Statement, user=None) -> Statement:
    """Number and freeze a statement (idempotent: a finalised statement is returned as it is)."""
    agreement_id = SettlementRun.objects.values_list("agreement_id", flat=True).get(statements=statement)
    with transaction.atomic():
        # The same lock order as settlement_run: the agreement first, then its rows.
        agreement = Agreement.objects.select_for_update().get(pk=agreement_id)
        statement = Statement.objects.select_for_update().get(pk=statement.pk)
        if statement.is_final:
            return statement
        agreement.statement_counter += 1
        agreement.save(update_fields=["statement_counter"])
        statement.status = Statement.Status.FINAL
        statement.number = agreement.statement_counter
        statement.finalised_at = timezone.now()
        statement.finalised_by = user
        statement.save(update_fields=["status", "number", "finalised_at", "finalised_by"])
        statement_pdf_request(statement=statement)
        _notify_clerks_of_statement(statement)
    return statement


def _notify_clerks_of_statement(statement: Statement) -> None:
    """Tell the municipality's clerks that their statement is final (one notice per clerk)."""
    from django.urls import reverse

    from accounts.messaging import queue_notice

    url = reverse("agreements:statement_detail", args=[statement.pk])
    clerks = Role.objects.filter(
        kind=RoleKind.CLERK, municipality_id=statement.municipality_id, user__is_active=True
    ).select_related("user", "municipality")
    for role in clerks:
        queue_notice(
            key=f"iv-statement-{statement.pk}-{role.user_id}",
            to_email=role.user.email,
            template="agreements/mail/statement_final",
            context={"statement": statement, "municipality": role.municipality, "url": url},
            user=role.user,
            url=url,
        )


def agreement_extend(
    *, agreement: Agreement, ends_on: datetime.date, decided_on: datetime.date, decision: str, user=None
) -> AgreementExtension:
    """Record the parties' decision to extend the agreement (IV 5.2): the agreement runs until
    `ends_on`, the next decision on extension falls due as far ahead of it as the first one, and
    the decision is kept in the agreement's history. Courses starting up to the new end are
    accepted from now on."""
    with transaction.atomic():
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        problems = rules.extension_problems(
            ends_on_now=agreement.ends_on, ends_on=ends_on, decided_on=decided_on, today=core.time.today()
        )
        if problems:
            raise Refused(rules.by_field(problems))
        extension = AgreementExtension.objects.create(
            agreement=agreement,
            previous_ends_on=agreement.ends_on,
            ends_on=ends_on,
            decided_on=decided_on,
            decision=decision.strip(),
            recorded_by=user,
        )
        agreement.ends_on = ends_on
        agreement.extension_decision_by = rules.extension_decision_by(ends_on)
        agreement.save(update_fields=["ends_on", "extension_decision_by"])
    log.info("IV agreement %s extended to %s by %s", agreement.pk, ends_on, getattr(user, "pk", None))
    return extension


# How long before the extension deadline the region and the secretariat are reminded.
EXTENSION_NOTICE_DAYS = 60


def key_date_notices_queue(*, today: datetime.date | None = None) -> int:
    """Queue the agreement's key-date notices (IV 5.2 extension decision; IV 4.2 quarterly
    follow-up) for the region officers and the secretariat. Idempotent: one notice per key."""
    from django.urls import reverse

    from accounts.messaging import queue_notice

    today = today or core.time.today()
    queued = 0
    for agreement in Agreement.objects.select_related("region"):
        if today < agreement.starts_on:
            continue
        users = [
            role.user
            for role in Role.objects.filter(
                region=agreement.region, kind__in=[RoleKind.REGION_OFFICER, RoleKind.SECRETARIAT]
            ).select_related("user")
            if role.user.is_active
        ]
        notices = []
        days_left = (agreement.extension_decision_by - today).days
        if 0 <= days_left <= EXTENSION_NOTICE_DAYS:
            notices.append(
                (
                    f"iv-extension-{agreement.pk}-{agreement.extension_decision_by.isoformat()}",
                    "agreements/mail/extension",
                    {"agreement": agreement, "days_left": days_left},
                    reverse("agreements:monitoring"),
                )
            )
        year, quarter = rules.previous_quarter(today)
        if rules.quarter_bounds(year, quarter)[1] >= agreement.starts_on:
            report, created = QuarterReport.objects.get_or_create(
                agreement=agreement, year=year, quarter=quarter
            )
            if created:
                from core.tasks import enqueue_on_commit

                from .tasks import render_quarter_report

                enqueue_on_commit(render_quarter_report, report.pk)
            notices.append(
                (
                    f"iv-follow-up-{agreement.pk}-{year}-q{quarter}",
                    "agreements/mail/follow_up",
                    {"agreement": agreement, "year": year, "quarter": quarter},
                    reverse("agreements:monitoring") + f"?year={year}&quarter={quarter}",
                )
            )
        for key, template, context, url in notices:
            for user in users:
                queue_notice(
                    key=f"{key}-{user.pk}",
                    to_email=user.email,
                    template=template,
                    context={**context, "user": user, "url": url},
                    user=user,
                    url=url,
                )
                queued += 1
    return queued


def statement_pdf_request(*, statement: Statement) -> None:
    """Have the pdf worker render the statement's PDF, recording that it is owed."""
    from core.tasks import enqueue_on_commit

    from .tasks import render_statement_pdf

    Statement.objects.filter(pk=statement.pk).update(pdf_requested_key=statement.render_key)
    enqueue_on_commit(render_statement_pdf, statement.pk)


def statement_pdfs_owed_retry() -> int:
    """Enqueue again every statement PDF asked for but not stored (its task may have died with a
    worker); rendering is idempotent, so a duplicate costs only time."""
    from django.db.models import F

    from core.tasks import enqueue_on_commit

    from .tasks import render_statement_pdf

    owed = list(
        Statement.objects.exclude(pdf_requested_key="")
        .exclude(pdf_key=F("pdf_requested_key"))
        .values_list("pk", flat=True)
    )
    for pk in owed:
        enqueue_on_commit(render_statement_pdf, pk)
    return len(owed)
