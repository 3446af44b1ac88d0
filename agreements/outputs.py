"""What the IV agreement puts out: statement PDFs and spreadsheets, the settlement CSV."""

import csv
import io
from collections.abc import Iterable

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from kkr_portal.pdf import render_pdf
from kkr_portal.xlsx import Sheet

from .models import SettlementLine, Statement

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


def statement_lines(statement: Statement) -> list[SettlementLine]:
    return list(
        statement.lines.select_related("course", "original__run").order_by("kind", "year", "ordinal", "id")
    )


def step_totals(lines: Iterable[SettlementLine]) -> list[dict]:
    totals: dict[int, dict] = {}
    for line in lines:
        entry = totals.setdefault(line.step, {"step": line.step, "count": 0, "amount": 0})
        entry["count"] += 1
        entry["amount"] += line.amount
    return [totals[k] for k in sorted(totals)]


def statement_context(statement: Statement) -> dict:
    lines = statement_lines(statement)
    return {
        "statement": statement,
        "lines": lines,
        "steps": step_totals(lines),
        "agreement": statement.run.agreement,
    }


def statement_pdf_store(statement_id: int) -> bool:
    """Render and keep the statement's PDF unless the stored one already shows this state."""
    statement = (
        Statement.objects.select_related("run__agreement", "municipality", "finalised_by")
        .filter(pk=statement_id)
        .first()
    )
    if statement is None or (statement.pdf and statement.pdf_key == statement.render_key):
        return False
    pdf = render_pdf("agreements/pdf/statement.html", statement_context(statement))
    with transaction.atomic():
        locked = Statement.objects.select_for_update().get(pk=statement_id)
        if locked.pdf and locked.pdf_key == locked.render_key:
            return False
        locked.pdf.save(f"opgoerelse-{locked.pk}-{locked.render_key}.pdf", ContentFile(pdf), save=False)
        locked.pdf_key = locked.render_key
        locked.save(update_fields=["pdf", "pdf_key"])
    return True


def statement_sheets(statement: Statement) -> list[Sheet]:
    lines = statement_lines(statement)
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
    steps = [[s["step"], s["count"], s["amount"]] for s in step_totals(lines)]
    steps.append([_("Total"), len(lines), statement.total])
    return [
        Sheet(_("Lines"), header, rows),
        Sheet(_("Steps"), [_("Step"), _("Lines"), _("Amount")], steps),
    ]


def settlement_csv(year: int) -> str:
    """Every settlement line of a year as CSV (the CLI contract of issue 5)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(SETTLEMENT_CSV_HEADER)
    lines = (
        SettlementLine.objects.filter(year=year)
        .select_related("run")
        .order_by("run__number", "kind", "ordinal", "id")
        .values_list(*SETTLEMENT_CSV_COLUMNS.values())
    )
    for row in lines.iterator(chunk_size=5000):
        *head, course_tariff, day_tariff, amount, kind = row
        writer.writerow([*head, f"{course_tariff:.2f}", f"{day_tariff:.2f}", f"{amount:.2f}", kind])
    return buffer.getvalue()
