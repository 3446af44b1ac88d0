import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from core.charts import Bar, bar_chart, column_chart
from core.pdf import render_pdf
from core.xlsx import Sheet, xlsx_bytes


def test_render_pdf_makes_a_tagged_pdf_with_text():
    pdf = render_pdf("pdf/base.html", {})
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    assert "/StructTreeRoot" in reader.trailer["/Root"]


def test_render_pdf_refuses_remote_resources():
    from core.pdf import _static_only_fetcher

    with pytest.raises(ValueError):
        _static_only_fetcher().fetch("https://example.com/x.css")


def test_xlsx_has_header_and_rows():
    data = xlsx_bytes([Sheet("Kurser", ["a", "b"], [[1, "x"], [2, "y"]])])
    ws = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in ws[1]] == ["a", "b"] and ws.max_row == 3


def test_bar_chart_escapes_and_describes_values():
    svg = bar_chart("Svar <1>", [Bar("I høj grad", 12), Bar("Ved ikke", 3, muted=True)])
    assert "<title>Svar &lt;1&gt;</title>" in svg
    assert "I høj grad: 12" in svg and "#8c8c8c" in svg


def test_column_chart_lists_series_in_desc():
    svg = column_chart("Forløb", ["K1", "K2"], [("Hjem", [3, 4]), ("Klinik", [1, 0])])
    assert "Hjem: K1 3, K2 4" in svg


def test_chart_attributes_escape_quotes():
    """Issue 12 point 11: a question text with quotes broke out of the SVG's aria-label."""
    from xml.dom.minidom import parseString

    title = 'Er "KKR" godt? \' onload="alert(1)'
    for svg in (bar_chart(title, [Bar('Ja "helt"', 1)]), column_chart(title, ["K1"], [("A", [1])])):
        root = parseString(str(svg)).documentElement  # noqa: S318 - our own output
        assert root.getAttribute("aria-label") == title
        assert not root.hasAttribute("onload")
