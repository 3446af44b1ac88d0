"""Formula injection (issue 12.7): every XLSX and CSV export writes user text as text. The OWASP
rule: a cell starting with =, +, -, @, tab or carriage return gets a leading apostrophe; numbers
(also negative amounts written as text, e.g. in the settlement CSV) stay as they are."""

import csv
import io

import pytest
from openpyxl import load_workbook

from core.xlsx import Sheet, csv_writer, neutralise, xlsx_bytes

DANGEROUS = [
    "=1+1",
    '=HYPERLINK("http://evil","x")',
    "+SUM(A1)",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    "=cmd|' /C calc'!A0",
]


@pytest.mark.parametrize("text", DANGEROUS)
def test_neutralise_prefixes_a_dangerous_start(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize(
    "value", ["", "Godt møde", "a=b", "-12", "-1234.50", "+45", "-3,5", 7, -7, None, 2.5]
)
def test_neutralise_leaves_other_values(value):
    assert neutralise(value) == value


@pytest.mark.parametrize("text", DANGEROUS)
def test_xlsx_writes_user_text_as_text(text):
    data = xlsx_bytes([Sheet("Svar", ["=header"], [[text, -5, "ok"]])])
    sheet = load_workbook(io.BytesIO(data)).active
    for cell in (sheet.cell(1, 1), sheet.cell(2, 1)):
        assert cell.data_type == "s" and str(cell.value).startswith("'")
    assert sheet.cell(2, 2).value == -5 and sheet.cell(2, 3).value == "ok"


def test_csv_writer_writes_user_text_as_text():
    buffer = io.StringIO()
    writer = csv_writer(buffer, delimiter=";")
    writer.writerow(["=1+1", "-100.00", "@x"])
    writer.writerows([["+A1", "tekst"]])
    rows = list(csv.reader(io.StringIO(buffer.getvalue()), delimiter=";"))
    assert rows == [["'=1+1", "-100.00", "'@x"], ["'+A1", "tekst"]]


def test_no_csv_writer_bypasses_the_one_place():
    """Every CSV export in the code goes through core.xlsx.csv_writer."""
    import pathlib

    root = pathlib.Path(__file__).resolve().parents[2]
    offenders = [
        str(path.relative_to(root))
        for app in (
            "accounts",
            "agreements",
            "appointments",
            "evaluations",
            "meetings",
            "register",
            "kkr_portal",
        )
        for path in (root / app).rglob("*.py")
        if "csv.writer(" in path.read_text() and path.name != "xlsx.py"
    ]
    assert offenders == []
