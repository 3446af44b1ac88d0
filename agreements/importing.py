"""Reading an upload of courses (CSV or XLSX) into CourseInput rows, with every error by row and
column. The header is row 1. Values may be in English or Danish; dates YYYY-MM-DD or DD-MM-YYYY
(agreements.parsing, the one course parser, reads them)."""

import csv
import datetime
import io
import itertools
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.archives import ArchiveRefused, check_archive
from core.errors import Refused
from register.models import Municipality

from .parsing import COURSE_FIELDS, CourseInput, parse_course
from .services import agreement_periods, courses_register

# The file contract of issue 5: the course fields (without the note) after the two keys. Columns
# added later are optional, so files made for the first contract still read the same.
LATER_COLUMNS = ("night_visits",)
HEADER = (
    "external_id",
    "municipality_code",
    *(name for name in COURSE_FIELDS if name not in ("note", *LATER_COLUMNS)),
)
OPTIONAL = ("note", "cpr", *LATER_COLUMNS)

MAX_ROWS = 50_000
# Bounds of an upload (docs/agreements.md): the file itself, an XLSX's declared unpacked size and
# its shared strings (held whole by openpyxl), and the cells kept per row.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_UPLOAD_UNPACKED = 128 * 1024 * 1024
SHARED_STRINGS = "xl/sharedStrings.xml"
MAX_SHARED_STRINGS = 32 * 1024 * 1024
MAX_COLUMNS = 32


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self):
        return self.as_error().messages[0]

    def as_error(self) -> ValidationError:
        """The error as one item of the upload's refusal; the row and column travel as params."""
        return ValidationError(
            _("row %(row)s, %(column)s: %(message)s"),
            code="upload_row",
            params={"row": self.row, "column": self.column, "message": self.message},
        )


def rejected(errors: list[RowError]) -> Refused:
    """The refusal of the whole file (nothing is stored), every error with its row and column."""
    return Refused([error.as_error() for error in errors])


def row_errors(refusal: ValidationError) -> list[RowError]:
    """An upload's refusal as rows and columns, for the page and the command."""
    errors = []
    for error in refusal.error_list:
        params = error.params or {}
        if "row" in params:
            errors.append(RowError(params["row"], params["column"], params["message"]))
        else:
            errors.append(RowError(1, "-", next(iter(error))))
    return errors


def read_table(name: str, data: bytes) -> list[list[str]]:
    """The rows of a CSV (comma or semicolon, UTF-8 with or without BOM) or an XLSX file, read one
    at a time: reading stops after the header and MAX_ROWS + 1 rows (parse_rows then refuses the
    file for its length), and only the first MAX_COLUMNS cells of a row are kept. An XLSX is
    judged by its declared unpacked sizes before anything is inflated (core.archives)."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise rejected(
            [
                RowError(
                    1,
                    "-",
                    _("The file is larger than %(mb)s MB.") % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
                )
            ]
        )
    if name.lower().endswith(".xlsx") or data[:2] == b"PK":
        from openpyxl import load_workbook

        try:
            check_archive(
                data, max_unpacked=MAX_UPLOAD_UNPACKED, max_entry={SHARED_STRINGS: MAX_SHARED_STRINGS}
            )
        except ArchiveRefused as exc:
            raise rejected([RowError(1, "-", exc.messages[0])]) from exc
        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            rows = _first_rows(
                [_cell(v) for v in row[:MAX_COLUMNS]] for row in workbook.active.iter_rows(values_only=True)
            )
            workbook.close()
            return rows
        except Exception as exc:
            raise rejected([RowError(1, "-", _("The file is not a readable XLSX workbook."))]) from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise rejected([RowError(1, "-", _("The file is not UTF-8 text; save it as CSV UTF-8."))]) from exc
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return _first_rows(row[:MAX_COLUMNS] for row in csv.reader(io.StringIO(text), delimiter=delimiter))


def _first_rows(rows) -> list[list[str]]:
    """The header and at most MAX_ROWS + 1 more rows of a stream of rows; the rest is not read."""
    return list(itertools.islice(rows, MAX_ROWS + 2))


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _positions(rows: list[list[str]]) -> dict[str, int]:
    """The column of each known name, or refuse a file without rows, a full header or room."""
    if not rows or not any(c.strip() for c in rows[0]):
        raise rejected([RowError(1, "-", _("The file is empty."))])
    header = [c.strip().lower() for c in rows[0]]
    missing = [name for name in HEADER if name not in header]
    if missing:
        raise rejected([RowError(1, name, _("The column is missing from the header.")) for name in missing])
    if len(rows) - 1 > MAX_ROWS:
        raise rejected([RowError(1, "-", _("At most %(n)s rows per file.") % {"n": MAX_ROWS})])
    return {name: header.index(name) for name in (*HEADER, *OPTIONAL) if name in header}


def _municipality(
    code: str, municipalities: dict, allowed: set[int] | None
) -> tuple[Municipality | None, list]:
    """The row's municipality by its code, and why it cannot be used (unknown, or not the user's)."""
    if not code:
        return None, [("municipality_code", _("A value is required."))]
    municipality = municipalities.get(code.zfill(3))
    if municipality is None:
        return None, [("municipality_code", _("Unknown municipality code %(code)s.") % {"code": code})]
    if allowed is not None and municipality.pk not in allowed:
        return None, [
            (
                "municipality_code",
                _("You cannot register courses for %(name)s.") % {"name": municipality.name},
            )
        ]
    return municipality, []


def parse_rows(rows: list[list[str]], allowed_municipalities: set[int] | None) -> list[CourseInput]:
    """Turn table rows into course inputs, or refuse the file listing every error (row_errors reads
    them). Each row goes through the one course parser and is checked once against the rules
    (CourseInput.problems, which the register service then finds done)."""
    position = _positions(rows)
    municipalities = {m.code: m for m in Municipality.objects.all()}
    periods = agreement_periods()
    errors: list[RowError] = []
    items: list[CourseInput] = []
    seen: dict[tuple[str, str], int] = {}
    for number, raw in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in raw):
            continue
        cells = {name: (raw[i].strip() if i < len(raw) else "") for name, i in position.items()}
        municipality, problems = _municipality(
            cells["municipality_code"], municipalities, allowed_municipalities
        )
        values, parse_problems = parse_course(cells)
        problems += parse_problems
        if not problems:
            key = (municipality.code, values["external_id"])
            if key in seen:
                problems = [
                    ("external_id", _("The same case reference is on row %(row)s.") % {"row": seen[key]})
                ]
            else:
                seen[key] = number
                item = CourseInput(municipality=municipality, **values)
                problems = item.problems(periods.get(municipality.region_id))
                items.append(item)
        errors.extend(RowError(number, column, str(message)) for column, message in problems)
    if errors:
        raise rejected(errors)
    if not items:
        raise rejected([RowError(2, "-", _("The file has no courses."))])
    return items


def courses_import(*, name: str, data: bytes, user=None, allowed_municipalities: set[int] | None = None):
    """Import a file all or nothing: one bad row rejects the file and nothing is stored."""
    items = parse_rows(read_table(name, data), allowed_municipalities)
    try:
        return courses_register(items=items, user=user)
    except Refused as exc:  # rules that need the database (party to the agreement), by field
        raise rejected(
            [
                RowError(1, column, message)
                for column, messages in exc.message_dict.items()
                for message in messages
            ]
        ) from exc
