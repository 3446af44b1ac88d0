"""The IV statement XLSX carries the PDF's heading (issue 16): sender, recipient with its EAN number,
statement number and period, amount to pay; numbers as numbers with formats; a frozen header row."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from agreements import services

from ..conftest import log_in
from .conftest import make_courses

pytestmark = pytest.mark.django_db


def _workbook(client, statement):
    client.cookies["django_language"] = "da"
    response = client.get(f"/iv/opgoerelse/{statement.pk}/xlsx/")
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def _heading(sheet) -> dict:
    rows = sheet.iter_rows(min_row=2, max_row=sheet.freeze_panes and int(sheet.freeze_panes[1:]) - 3)
    return {row[0].value: row[1].value for row in rows}


def test_statement_xlsx_has_the_pdf_heading_number_formats_and_a_frozen_header(
    client, personas, agreement, kbh, tariff_years
):
    kbh.ean = "5798009811578"
    kbh.save()
    make_courses(kbh, 30)
    run = services.settlement_run(agreement=agreement, as_of=datetime.date(2025, 1, 31))
    statement = services.statement_finalise(statement=run.statements.get(municipality=kbh))
    log_in(client, personas["officer"])
    workbook = _workbook(client, statement)
    assert workbook.sheetnames == ["Linjer", "Trin", "Behandlinger"]
    sheet = workbook["Linjer"]
    assert sheet["A1"].value == "Opgørelse over IV-behandling"
    heading = _heading(sheet)
    assert heading["Afsender"] == "Region Hovedstaden"
    assert heading["Modtager"] == "København Kommune"
    assert heading["EAN-nummer"] == "5798009811578"
    assert heading["Opgørelsesnummer"] == statement.number
    assert heading["Afregningskørsel"] == run.number
    assert heading["Afregnet til og med"].date() == datetime.date(2025, 1, 31)
    assert heading["Godkendt"].date() == statement.finalised_at.date()
    assert Decimal(str(heading["Beløb til betaling"])) == statement.total
    # The header row is frozen: the rows scroll beneath it.
    header_row = int(sheet.freeze_panes[1:]) - 1
    assert sheet.cell(header_row, 1).value == "Sagsreference" and sheet.cell(header_row, 1).font.bold
    first = list(sheet[header_row + 1])
    assert first[0].value.startswith("C-")
    assert first[2].value == 2024 and first[2].number_format == "0"  # a year, not 2.024
    assert first[9].number_format == "#,##0.00" and isinstance(first[9].value, int | float)
    assert sheet.max_row - header_row == 30


def test_a_draft_statement_xlsx_says_it_is_a_draft(client, personas, agreement, kbh, tariff_years):
    make_courses(kbh, 3)
    run = services.settlement_run(agreement=agreement, as_of=datetime.date(2025, 1, 31))
    statement = run.statements.get(municipality=kbh)
    log_in(client, personas["clerk_a"])
    heading = _heading(_workbook(client, statement)["Linjer"])
    assert heading["Opgørelsesnummer"] == "Udkast, ikke godkendt"
    assert heading["EAN-nummer"] == "—" and "Godkendt" not in heading
