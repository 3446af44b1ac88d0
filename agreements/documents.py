"""What the IV agreement puts out: statement PDFs and spreadsheets, the settlement CSV."""

import io

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from core.charts import Bar, bar_chart, column_chart
from core.documents import is_current
from core.pdf import render_pdf
from core.words import number_formatter
from core.xlsx import Sheet, csv_writer

from . import selectors as monitoring
from .models import QuarterReport, SettlementLine, SettlementRun, Statement, Treatment

# The CSV columns of `iv_settlement_csv` and the line fields they come from.
SETTLEMENT_CSV_COLUMNS = {
    "run": "run__number",
    "external_id": "course__external_id",
    "municipality_code": "course__municipality__code",
    "treatment": "treatment",
    "year": "year",
    "ordinal": "ordinal",
    "step": "step",
    "days": "days",
    "extra_days": "extra_days",
    "course_tariff": "course_tariff",
    "day_tariff": "day_tariff",
    "amount": "amount",
    "kind": "kind",
}
SETTLEMENT_CSV_HEADER = tuple(SETTLEMENT_CSV_COLUMNS)


def money_format():
    """A formatter giving what `floatformat:"2g"` gives in the active language (grouped, two
    decimals), with the separators looked up once (core.words.number_formatter)."""
    return number_formatter(2)


def statement_lines(statement: Statement):
    """The statement's lines in the order they are shown (a queryset: pages take a slice)."""
    return statement.lines.select_related("course", "original__run").order_by("kind", "year", "ordinal", "id")


def step_totals(statement: Statement) -> list[dict]:
    """Lines and amount per step, summed by the database."""
    return list(
        statement.lines.values("step").annotate(count=Count("id"), amount=Sum("amount")).order_by("step")
    )


def treatment_totals(statement: Statement) -> list[dict]:
    """Lines and amount per treatment (with its label), summed by the database."""
    labels = dict(SettlementLine._meta.get_field("treatment").choices)
    rows = statement.lines.values("treatment").annotate(count=Count("id"), amount=Sum("amount"))
    return [
        {**row, "label": labels.get(row["treatment"], row["treatment"])} for row in rows.order_by("treatment")
    ]


def statement_context(statement: Statement) -> dict:
    """Everything the PDF shows: sender and recipient, all lines, the totals by step and treatment."""
    agreement = statement.run.agreement
    return {
        "statement": statement,
        "lines": list(statement_lines(statement)),
        "steps": step_totals(statement),
        "treatments": treatment_totals(statement),
        "agreement": agreement,
        "region": agreement.region,
    }


def statement_pdf_store(statement_id: int) -> bool:
    """Render and keep the statement's PDF unless the stored one already shows this state."""
    statement = (
        Statement.objects.select_related("run__agreement", "municipality", "finalised_by")
        .filter(pk=statement_id)
        .first()
    )
    if statement is None or is_current(statement.pdf, statement.pdf_key, statement.render_key):
        return False
    pdf = render_pdf("agreements/pdf/statement.html", statement_context(statement))
    with transaction.atomic():
        locked = Statement.objects.select_for_update().get(pk=statement_id)
        if is_current(locked.pdf, locked.pdf_key, locked.render_key):
            return False
        locked.pdf.save(f"opgoerelse-{locked.pk}-{locked.render_key}.pdf", ContentFile(pdf), save=False)
        locked.pdf_key = locked.pdf_requested_key = locked.render_key
        locked.save(update_fields=["pdf", "pdf_key", "pdf_requested_key"])
    return True


def monitoring_charts(data) -> dict:
    """The monitoring charts (server-side SVG), the same on the page and in the PDF."""
    return {
        "chart_quarters": column_chart(
            _("Accepted courses per quarter of %(year)s, at home and in clinic") % {"year": data.year},
            [a.name for a in data.quarters],
            [
                (_("At home"), [a.home for a in data.quarters]),
                (_("Municipal clinic"), [a.accepted - a.home for a in data.quarters]),
            ],
        ),
        "chart_municipalities": bar_chart(
            _("Accepted courses per municipality, Q%(q)s %(year)s") % {"q": data.quarter, "year": data.year},
            [Bar(a.name, a.accepted) for a in data.rows],
        ),
        "chart_treatments": bar_chart(
            _("Accepted courses by treatment, Q%(q)s %(year)s") % {"q": data.quarter, "year": data.year},
            [Bar(str(label), data.total.by_treatment[t]) for t, label in Treatment.choices],
        ),
    }


def quarter_report_store(report_id: int) -> bool:
    """Render and keep the quarterly report's PDF unless the stored one shows the current data."""
    report = QuarterReport.objects.select_related("agreement").filter(pk=report_id).first()
    if report is None:
        return False
    key = monitoring.data_key(report.agreement, report.year)
    if is_current(report.pdf, report.data_key, key):
        return False
    data = monitoring.monitoring(report.agreement, report.year, report.quarter)
    context = {"agreement": report.agreement, "data": data, "header": monitoring.monitoring_header()}
    context.update(monitoring_charts(data))
    pdf = render_pdf("agreements/pdf/monitoring.html", context)
    report.pdf.save(
        f"iv-monitorering-{report.year}-K{report.quarter}-{report.pk}.pdf", ContentFile(pdf), save=False
    )
    report.data_key = key
    report.rendered_at = timezone.now()
    report.save(update_fields=["pdf", "data_key", "rendered_at"])
    return True


def statement_heading(statement: Statement) -> list[list]:
    """The statement's heading as label/value rows, as the PDF's first page gives it: sender,
    recipient with its EAN number, statement number and period, the amount to pay (issue 16)."""
    agreement = statement.run.agreement
    number = statement.number if statement.is_final else _("Draft, not finalised")
    rows = [
        [_("Statement of IV treatment")],
        [_("Sender"), agreement.region.name, agreement.name],
        [_("Recipient"), f"{statement.municipality.name} {_('Municipality')}"],
        [_("EAN number"), statement.municipality.ean or "—"],
        [_("Statement number"), number],
    ]
    if statement.is_final:
        rows.append([_("Finalised"), timezone.localdate(statement.finalised_at)])
    rows += [
        [_("Settlement run"), statement.run.number],
        [capfirst(SettlementRun._meta.get_field("as_of").verbose_name), statement.run.as_of],
        [_("Amount to pay"), statement.total],
        [
            _("Payment"),
            _(
                "The region invoices the amount electronically to the municipality's EAN number with "
                "reference to the statement number. Questions go to the region's billing officer."
            ),
        ],
    ]
    return rows


def statement_sheets(statement: Statement) -> list[Sheet]:
    """The statement as a workbook: its lines below the same heading as the PDF, then the totals
    by step and by treatment."""
    lines = list(statement_lines(statement))
    header = [
        _("Case reference"),
        _("Treatment"),
        _("Year"),
        _("Ordinal"),
        _("Step"),
        _("Days"),
        _("Extra days"),
        _("Course tariff"),
        _("Day tariff"),
        _("Amount"),
        _("Kind"),
        _("Corrects run"),
    ]
    rows = [
        [
            line.course.external_id,
            line.get_treatment_display(),
            line.year,
            line.ordinal,
            line.step,
            line.days,
            line.extra_days,
            line.course_tariff,
            line.day_tariff,
            line.amount,
            line.get_kind_display(),
            line.original.run.number if line.original_id else "",
        ]
        for line in lines
    ]
    steps = [[s["step"], s["count"], s["amount"]] for s in step_totals(statement)]
    steps.append([_("Total"), len(lines), statement.total])
    treatments = [[t["label"], t["count"], t["amount"]] for t in treatment_totals(statement)]
    totals = [_("Lines"), _("Amount")]
    return [
        Sheet(_("Lines"), header, rows, preamble=statement_heading(statement), formats={2: "0", 3: "0"}),
        Sheet(_("Steps"), [_("Step"), *totals], steps),
        Sheet(_("Treatments"), [_("Treatment"), *totals], treatments),
    ]


def settlement_csv(year: int, agreement) -> str:
    """Every settlement line of an agreement's year as CSV (the CLI contract of issue 5)."""
    buffer = io.StringIO()
    writer = csv_writer(buffer, lineterminator="\n")
    writer.writerow(SETTLEMENT_CSV_HEADER)
    lines = (
        SettlementLine.objects.filter(year=year, agreement=agreement)
        .select_related("run")
        .order_by("run__number", "kind", "ordinal", "id")
        .values_list(*SETTLEMENT_CSV_COLUMNS.values())
    )
    for row in lines.iterator(chunk_size=5000):
        *head, course_tariff, day_tariff, amount, kind = row
        writer.writerow([*head, f"{course_tariff:.2f}", f"{day_tariff:.2f}", f"{amount:.2f}", kind])
    return buffer.getvalue()
