"""The one way to export a spreadsheet: sheets of a header row and data rows, as an XLSX response;
and the one CSV writer. Both write user text as text (formula injection, OWASP): see neutralise."""

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType

from django.http import HttpResponse
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.words import yes_no

# A cell starting with one of these is read as a formula by Excel or LibreOffice.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"^[+-]?\d+([.,]\d+)?$")


def neutralise(value):
    """A value as a spreadsheet must show it: text starting with =, +, -, @, tab or CR gets a
    leading apostrophe, so it is never run as a formula (OWASP CSV injection). A number, also one
    written as text ("-1234.50", e.g. a credit in the settlement CSV), is left as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not PLAIN_NUMBER.match(value):
        return "'" + value
    return value


class _SafeWriter:
    def __init__(self, writer):
        self._writer = writer

    def writerow(self, row):
        return self._writer.writerow([neutralise(v) for v in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_writer(out, **kwargs) -> _SafeWriter:
    """csv.writer whose rows are neutralised; every CSV export uses it."""
    return _SafeWriter(csv.writer(out, **kwargs))


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.00"


def number_format_for(value) -> str | None:
    """The Excel number format of a cell: integers and decimals get thousand separators (Excel
    shows them in the reader's locale, "1.007.846" in Danish); None leaves the cell's format alone
    (dates keep their date format, text stays General)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return INTEGER_FORMAT
    if isinstance(value, float | Decimal):
        return DECIMAL_FORMAT
    return None


def _cell_value(value):
    """A yes/no value reads ja/nej (never True/False or for/imod); numbers stay numbers."""
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, Promise):  # a lazy translation: its text in the active language
        value = str(value)
    return neutralise(value)


@dataclass
class Sheet:
    """A sheet: a header row and data rows, optionally below a preamble (a document's heading,
    e.g. sender, recipient and amount to pay, as label/value rows; the first row is a title).
    The header row is bold and frozen, so it stays in view while the rows scroll."""

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence]
    preamble: Sequence[Sequence] = ()
    # Number formats by column index for columns that are numbers but not amounts (years,
    # ordinals: "0" shows 2025, not 2.025).
    formats: Mapping[int, str] = field(default_factory=dict)


def _append(ws, row, formats: Mapping[int, str] = MappingProxyType({})) -> None:
    ws.append([_cell_value(v) for v in row])
    for index, cell in enumerate(ws[ws.max_row]):
        if (fmt := number_format_for(cell.value)) is not None:
            cell.number_format = formats.get(index, fmt)


def xlsx_bytes(sheets: Sequence[Sheet]) -> bytes:
    workbook = Workbook(write_only=False)
    workbook.remove(workbook.active)
    for sheet in sheets:
        ws = workbook.create_sheet(title=sheet.title[:31])
        for row in sheet.preamble:
            _append(ws, row)
            ws.cell(ws.max_row, 1).font = Font(bold=True)
        if sheet.preamble:
            ws.cell(1, 1).font = Font(bold=True, size=14)
            ws.append([])
        ws.append([neutralise(v) for v in sheet.header])
        header_row = ws.max_row
        for cell in ws[header_row]:
            cell.font = Font(bold=True)
        for row in sheet.rows:
            _append(ws, row, sheet.formats)
        for index, name in enumerate(sheet.header, start=1):
            ws.column_dimensions[get_column_letter(index)].width = max(10, min(50, len(str(name)) + 4))
        ws.freeze_panes = f"A{header_row + 1}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(filename: str, sheets: Sequence[Sheet]) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(sheets), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
