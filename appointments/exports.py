"""Appointments as rows: the secretariat's overview and its CSV/XLSX exports."""

import io
from dataclasses import dataclass
from itertools import groupby

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.xlsx import Sheet, csv_writer, xlsx_response

from .services import appointment_end_dates

GROUPING_LABELS = {
    "body": gettext_lazy("Body"),
    "list": gettext_lazy("List"),
    "municipality": gettext_lazy("Municipality"),
}


@dataclass
class Row:
    body: str
    post: str
    name: str
    list: str
    municipality: str
    group: str
    valid_from: object
    ends_on: object


def appointment_rows(appointments, today) -> list[Row]:
    rows = []
    current = list(
        appointments.current(today)
        .select_related("post__body", "politician__party", "politician__municipality")
        .order_by("post__body__name", "post__name", "politician__name")
    )
    ends = appointment_end_dates(current)
    for a in current:
        rows.append(
            Row(
                body=a.post.body.name,
                post=a.post.name,
                name=a.politician.name,
                list=a.politician.party.letter if a.politician.party else "",
                municipality=a.politician.municipality.name,
                group=a.group,
                valid_from=a.valid_from,
                ends_on=ends[a.pk],
            )
        )
    return rows


def group_rows(rows: list[Row], by: str) -> list[tuple[str, list[Row]]]:
    key = {
        "body": lambda r: r.body,
        "list": lambda r: r.list or "–",
        "municipality": lambda r: r.municipality,
    }[by]
    return [(name, list(items)) for name, items in groupby(sorted(rows, key=key), key=key)]


def header() -> list[str]:
    return [_("Body"), _("Post"), _("Name"), _("List"), _("Municipality"), _("Group"), _("From"), _("Until")]


def values(row: Row) -> list:
    return [
        row.body,
        row.post,
        row.name,
        row.list,
        row.municipality,
        row.group,
        row.valid_from,
        row.ends_on or "",
    ]


def csv_response(rows: list[Row]) -> HttpResponse:
    out = io.StringIO()
    writer = csv_writer(out, delimiter=";")
    writer.writerow(header())
    for row in rows:
        writer.writerow([v.isoformat() if hasattr(v, "isoformat") else v for v in values(row)])
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="udpegninger.csv"'
    return response


def xlsx_export(rows: list[Row]) -> HttpResponse:
    return xlsx_response("udpegninger.xlsx", [Sheet(_("Appointments"), header(), [values(r) for r in rows])])
