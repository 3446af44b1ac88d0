"""Read models of the IV agreement: quarterly monitoring (IV 4.1), the staircase position and
projection, a run's region summary, and cost sharing by population (docs/rules.md §5).

Each function reads with a fixed number of queries and returns plain values for the pages,
spreadsheets and PDFs alike."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DurationField, ExpressionWrapper, F, Max, Q, Sum
from django.db.models.functions import ExtractQuarter
from django.utils.dateformat import format as format_date
from django.utils.formats import get_format
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from core import paging
from core.views import url_by_pk
from core.words import number_formatter
from register.models import Municipality

from . import rules, tariffs
from .models import Agreement, Course, SettlementLine, SettlementRun, Statement


@dataclass
class Activity:
    """Monitoring figures of IV 4.1 for one municipality (or the region) in one period."""

    name: str
    referred: int = 0
    accepted: int = 0
    by_treatment: dict = field(default_factory=lambda: dict.fromkeys(tariffs.TREATMENTS, 0))
    home: int = 0
    visits: int = 0
    minutes: int = 0
    completed: int = 0
    days: int = 0

    def merge(self, other: "Activity") -> None:
        self.referred += other.referred
        self.accepted += other.accepted
        for treatment, n in other.by_treatment.items():
            self.by_treatment[treatment] += n
        self.home += other.home
        self.visits += other.visits
        self.minutes += other.minutes
        self.completed += other.completed
        self.days += other.days

    @property
    def visits_avg(self):
        return round(self.visits / self.accepted, 1) if self.accepted else None

    @property
    def minutes_avg(self):
        return round(self.minutes / self.accepted, 1) if self.accepted else None

    @property
    def days_avg(self):
        return round(self.days / self.completed, 1) if self.completed else None

    @property
    def home_share(self):
        return round(100 * self.home / self.accepted, 1) if self.accepted else None

    def row(self) -> list:
        return [
            self.name,
            self.referred,
            self.accepted,
            *(self.by_treatment[t] for t in tariffs.TREATMENTS),
            self.visits_avg,
            self.minutes_avg,
            self.days_avg,
            self.home_share,
        ]


def monitoring_header() -> list[str]:
    return [
        _("Municipality"),
        _("Referred"),
        _("Accepted"),
        _("Antibiotics"),
        _("Fluids"),
        _("Pump"),
        _("Visits per day (avg.)"),
        _("Minutes per visit (avg.)"),
        _("Course length in days (avg.)"),
        _("Share at home (%)"),
    ]


@dataclass
class Monitoring:
    year: int
    quarter: int
    rows: list[Activity]
    total: Activity
    quarters: list[Activity]  # the region per quarter of the year


def data_key(agreement: Agreement, year: int) -> str:
    """Changes whenever a course of the year changes (a stored quarterly PDF is then stale)."""
    found = Course.objects.filter(
        municipality__region_id=agreement.region_id, referred_on__year=year
    ).aggregate(n=Count("id"), last=Max("updated_at"))
    last = found["last"].isoformat() if found["last"] else "-"
    return f"{found['n']}-{last}"[:80]


def _figures() -> dict:
    """The IV 4.1 figures as aggregates, so the database sums a year of courses in one query."""
    accepted = Q(decision="accepted")
    completed = accepted & Q(start_date__isnull=False, end_date__isnull=False)
    figures = {
        "referred": Count("id"),
        "accepted": Count("id", filter=accepted),
        "home": Count("id", filter=accepted & Q(setting="home")),
        "visits": Sum("visits_per_day", filter=accepted),
        "minutes": Sum("minutes_per_visit", filter=accepted),
        "completed": Count("id", filter=completed),
        # Days between start and end; each completed course adds one more (both dates count).
        "span": Sum(
            ExpressionWrapper(F("end_date") - F("start_date"), output_field=DurationField()), filter=completed
        ),
    }
    for treatment in tariffs.TREATMENTS:
        figures[treatment] = Count("id", filter=accepted & Q(treatment=treatment))
    return figures


def _activity(name: str, row: dict) -> Activity:
    span = row["span"] or datetime.timedelta(0)
    return Activity(
        name,
        referred=row["referred"],
        accepted=row["accepted"],
        by_treatment={t: row[t] for t in tariffs.TREATMENTS},
        home=row["home"],
        visits=row["visits"] or 0,
        minutes=row["minutes"] or 0,
        completed=row["completed"],
        days=span.days + row["completed"],
    )


def monitoring(agreement: Agreement, year: int, quarter: int, municipality_ids=None) -> Monitoring:
    """Per municipality for a quarter (by referral date), and the region per quarter of the year."""
    municipalities = Municipality.objects.filter(region_id=agreement.region_id).order_by("name")
    if municipality_ids is not None:
        municipalities = municipalities.filter(id__in=municipality_ids)
    names = dict(municipalities.values_list("id", "name"))
    per_municipality = {mid: Activity(name) for mid, name in names.items()}
    total = Activity(_("All"))
    quarters = [Activity(_("Q%(n)s") % {"n": q}) for q in (1, 2, 3, 4)]
    groups = (
        Course.objects.filter(municipality_id__in=names, referred_on__year=year, withdrawn=False)
        .values("municipality_id", quarter_of_year=ExtractQuarter("referred_on"))
        .annotate(**_figures())
        .order_by()
    )
    for row in groups:
        activity = _activity("", row)
        quarters[row["quarter_of_year"] - 1].merge(activity)
        if row["quarter_of_year"] == quarter:
            per_municipality[row["municipality_id"]].merge(activity)
            total.merge(activity)
    return Monitoring(year, quarter, list(per_municipality.values()), total, quarters)


@dataclass
class Staircase:
    year: int
    as_of: datetime.date
    count: int  # accepted courses started this year so far
    settled: int  # ordinals handed out so far
    projection: dict
    months: list[int]

    @property
    def step(self) -> int:
        return tariffs.step_of(max(1, self.count))

    def steps(self) -> list[dict]:
        """Each step's range of ordinals, the year's courses on it so far, and when it is reached."""
        bounds = [0, *(last for _step, last in tariffs.STEP_LIMITS)]
        result = []
        for index, step in enumerate(tariffs.STEPS):
            first = bounds[index] + 1
            last = bounds[index + 1] if index + 1 < len(bounds) else None
            upper = self.count if last is None else min(self.count, last)
            result.append(
                {
                    "step": step,
                    "first": first,
                    "last": last,
                    "count": max(0, upper - first + 1),
                    "reached_on": self.projection.get(step) if step > 1 else None,
                }
            )
        return result


def staircase(agreement: Agreement, as_of: datetime.date) -> Staircase:
    courses = Course.objects.filter(
        municipality__region_id=agreement.region_id,
        decision="accepted",
        withdrawn=False,
        start_date__year=as_of.year,
        start_date__lte=as_of,
    )
    months = [0] * 12
    # COUNT(*), not COUNT(id): the partial index course_started then answers alone (issue 15).
    for month, n in courses.values_list("start_date__month").annotate(n=Count("*")).order_by():
        months[month - 1] = n
    count = sum(months)
    settled = (
        SettlementLine.objects.filter(kind="course", year=as_of.year, agreement=agreement).aggregate(
            n=Max("ordinal")
        )["n"]
        or 0
    )
    return Staircase(as_of.year, as_of, count, settled, rules.staircase_projection(count, as_of), months)


def run_summary(run: SettlementRun) -> dict:
    """The region summary of a run: totals by step and by treatment (statements give the rest)."""
    lines = SettlementLine.objects.filter(run=run)
    by_step = list(lines.values("step").annotate(n=Count("id"), amount=Sum("amount")).order_by("step"))
    by_treatment = list(
        lines.values("treatment").annotate(n=Count("id"), amount=Sum("amount")).order_by("treatment")
    )
    labels = dict(Course._meta.get_field("treatment").choices)
    for row in by_treatment:
        row["label"] = str(labels.get(row["treatment"], row["treatment"]))
    return {"by_step": by_step, "by_treatment": by_treatment}


def cost_shares(region_id: int, amount: Decimal) -> list[tuple[Municipality, Decimal]]:
    """Split an amount among the region's municipalities by population (largest remainder, øre).

    A matter of the KKR (FO 4.3), not of the IV agreement: every region has it. Raises
    ValueError when the region's municipalities have no population recorded."""
    municipalities = list(Municipality.objects.filter(region_id=region_id).order_by("code"))
    if not municipalities:
        return []
    shares = rules.largest_remainder(amount, {m.pk: m.population for m in municipalities})
    return [(m, shares[m.pk]) for m in municipalities]


class StatementLines:
    """A statement's lines for the page's Paginator: counted by the statement (its lines are frozen
    when the run writes them), each page read as rows whose cells are formatted here once.

    The page shows 200 lines of 11 cells; model instances with their course and corrected line,
    `get_*_display` and a number_format per cell were most of its time (issue 15)."""

    COLUMNS = (
        "course__external_id",
        "treatment",
        "kind",
        "original__run__number",
        "year",
        "ordinal",
        "step",
        "days",
        "extra_days",
        "course_tariff",
        "day_tariff",
        "amount",
    )

    def __init__(self, statement: Statement):
        self.statement = statement

    def count(self) -> int:
        return self.statement.line_count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[dict]:
        lines = self.statement.lines.order_by("kind", "year", "ordinal", "id").values_list(*self.COLUMNS)
        # Every cell is escaped here, once (labels once per page), and handed to the template as
        # safe text: escaping in the template costs more than formatting (numbers need none).
        money = number_formatter(2)
        treatments = {
            value: escape(label) for value, label in SettlementLine._meta.get_field("treatment").choices
        }
        kinds = {value: escape(label) for value, label in SettlementLine.Kind.choices}
        return [
            {
                "reference": escape(reference),
                "treatment": treatments[treatment],
                "kind": kinds[kind],
                "corrects": corrects,
                # Whole numbers as the page always showed them (no grouping: ordinals and years).
                "year": SafeString(year),
                "ordinal": SafeString(ordinal),
                "step": SafeString(step),
                "days": SafeString(days),
                "extra_days": SafeString(extra_days),
                "course_tariff": SafeString(money(course_tariff)),
                "day_tariff": SafeString(money(day_tariff)),
                "amount": SafeString(money(amount)),
            }
            for (
                reference,
                treatment,
                kind,
                corrects,
                year,
                ordinal,
                step,
                days,
                extra_days,
                course_tariff,
                day_tariff,
                amount,
            ) in lines[index]
        ]


def course_page(courses, *, start_year: int | None, size: int, after=None, before=None) -> paging.KeysetPage:
    """A page of the course list, newest referral first, by keyset (core.paging): page 100 reads
    what page 1 reads, however many courses the region has (issue 15)."""
    if start_year:
        # A course starts on or after its referral (rules.course_problems), so one starting in the
        # year was referred by the year's end: the newest-first walk starts there instead of
        # passing every later course (at 114,000 courses a year: 290 ms to 1 ms).
        courses = courses.filter(referred_on__lte=datetime.date(start_year, 12, 31))
    courses = courses.select_related("municipality")
    return paging.newest_first(courses, "referred_on", size=size, after=after, before=before)


def course_rows(courses) -> list[dict]:
    """The course list's rows with every cell formatted and escaped once: labels translated once
    a page, each date once however many rows share it (a page of 50 courses read 600 values
    through the template engine, get_*_display and the date filter; issue 15)."""
    labels = {
        name: {value: escape(label) for value, label in Course._meta.get_field(name).choices}
        for name in ("treatment", "decision", "setting")
    }
    state = {
        "changed": escape(_("changed: corrected in the next run")),
        "settled": escape(_("settled")),
        "open": escape(_("not yet")),
    }
    ongoing, none = escape(_("ongoing")), SafeString("–")
    date_format = get_format("SHORT_DATE_FORMAT")
    dates = {}

    def day(value):
        if value is None:
            return none
        if value not in dates:
            dates[value] = escape(format_date(value, date_format))
        return dates[value]

    detail = url_by_pk("agreements:course_detail")
    rows = []
    for course in courses:
        if course.changed_since_settled:
            settled = state["changed"]
        else:
            settled = state["settled"] if course.is_settled else state["open"]
        end = day(course.end_date)
        if course.end_date is None and course.decision == "accepted":
            end = ongoing
        rows.append(
            {
                "pk": course.pk,
                "url": detail(course.pk),
                "external_id": escape(course.external_id),
                "withdrawn": course.withdrawn,
                "municipality": escape(course.municipality.name),
                "treatment": labels["treatment"][course.treatment],
                "referred_on": day(course.referred_on),
                "decision": labels["decision"][course.decision],
                "start_date": day(course.start_date),
                "end_date": end,
                "setting": labels["setting"][course.setting],
                "settled": settled,
            }
        )
    return rows
