"""The IV statement PDF is a document a finance office can book: sender, recipient with its EAN
number, the statement number, totals by step and treatment, and the lines as a compact table."""

import datetime
import io

import pytest
from django.utils import translation
from pypdf import PdfReader

from agreements import documents, services
from core.pdf import render_pdf

from .conftest import make_courses

pytestmark = pytest.mark.django_db


def test_statement_pdf_first_page_names_sender_recipient_number_and_totals(agreement, kbh, tariff_years):
    kbh.ean = "5798009811578"
    kbh.save()
    make_courses(kbh, 300)
    run = services.settlement_run(agreement=agreement, as_of=datetime.date(2025, 1, 31))
    statement = run.statements.get(municipality=kbh)
    statement = services.statement_finalise(statement=statement)
    with translation.override("da"):
        pdf = render_pdf("agreements/pdf/statement.html", documents.statement_context(statement))
    reader = PdfReader(io.BytesIO(pdf))
    first = reader.pages[0].extract_text()
    for text in (
        "Region Hovedstaden",
        "København Kommune",
        "5798009811578",
        "Opgørelsesnummer",
        "I alt pr. trin",
        "I alt pr. behandling",
        "Side 1 af",
    ):
        assert text in first, text
    # 300 lines as a compact table: dozens a page, not one paragraph each (it was 20+ pages).
    assert len(reader.pages) <= 10
