"""Decompression bombs (issue 12.8): archives are judged by their declared sizes before anything is
read, and an upload's rows are streamed, stopping at the row limit with a clear error."""

import io
import struct
import tracemalloc
import zipfile

import pytest

from agreements import importing
from core.archives import ArchiveRefused, check_archive
from core.errors import Refused
from meetings.attachments import sniff

HUGE = 0xFFFF_FFF0  # about 4 GiB declared


def declaring_huge_entry(entries: dict[str, bytes], liar: str) -> bytes:
    """A small zip whose entry `liar` declares about 4 GiB unpacked (local and central headers)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    data = bytearray(buffer.getvalue())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo(liar)
    # Local header: uncompressed size at offset 22; central directory entry: at offset 24.
    struct.pack_into("<I", data, info.header_offset + 22, HUGE)
    position = 0
    while True:
        central = data.find(b"PK\x01\x02", position)
        name_length = struct.unpack_from("<H", data, central + 28)[0]
        if bytes(data[central + 46 : central + 46 + name_length]).decode() == liar:
            struct.pack_into("<I", data, central + 24, HUGE)
            break
        position = central + 4
    return bytes(data)


def test_the_crafted_zip_declares_a_huge_entry():
    data = declaring_huge_entry({"mimetype": b"application/vnd.oasis.opendocument.text"}, "mimetype")
    assert len(data) < 1000
    assert zipfile.ZipFile(io.BytesIO(data)).getinfo("mimetype").file_size == HUGE


def test_check_archive_refuses_by_declared_size_before_reading():
    data = declaring_huge_entry({"a.xml": b"<a/>"}, "a.xml")
    with pytest.raises(ArchiveRefused, match="unpacked"):
        check_archive(data, max_unpacked=1024 * 1024)
    check_archive(_zip({"a.xml": b"<a/>"}), max_unpacked=1024)  # within the bound: passes
    with pytest.raises(ArchiveRefused):
        check_archive(b"not a zip", max_unpacked=1024)


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_odt_attachment_declaring_a_huge_entry_is_refused_unread():
    data = declaring_huge_entry(
        {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}, "content.xml"
    )
    assert sniff("bilag.odt", data).problem == "too_large_unpacked"
    data = declaring_huge_entry({"mimetype": b"application/vnd.oasis.opendocument.text"}, "mimetype")
    assert sniff("bilag.odt", data).problem == "too_large_unpacked"


def test_a_real_bomb_is_refused_in_bounded_memory():
    """64 MiB of zeros packed to about 64 KiB, in an .odt's mimetype entry."""
    bomb = _zip({"mimetype": bytes(64 * 1024 * 1024)})
    tracemalloc.start()
    try:
        verdict = sniff("bilag.odt", bomb)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert verdict.problem in {"too_large_unpacked", "content_mismatch"}
    assert peak < 4 * 1024 * 1024


def test_docx_and_xlsx_attachments_are_inspected_too():
    data = declaring_huge_entry(
        {"[Content_Types].xml": b"<x/>", "word/document.xml": b"<x/>"}, "word/document.xml"
    )
    assert sniff("a.docx", data).problem == "too_large_unpacked"


def test_xlsx_upload_declaring_a_huge_sheet_is_refused_unread():
    from core.xlsx import Sheet, xlsx_bytes

    good = xlsx_bytes([Sheet("Forløb", list(importing.HEADER), [])])
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    data = declaring_huge_entry(entries, "xl/worksheets/sheet1.xml")
    with pytest.raises(Refused) as info:
        importing.read_table("f.xlsx", data)
    [error] = importing.row_errors(info.value)
    assert error.row == 1 and "unpacked" in error.message


def many_rows_xlsx(rows: int) -> bytes:
    """An xlsx of the upload header and `rows` data rows, its sheet written directly (fast)."""
    from core.xlsx import Sheet, xlsx_bytes

    good = xlsx_bytes([Sheet("Forløb", list(importing.HEADER), [])])
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    header = "".join(f'<c t="inlineStr"><is><t>{name}</t></is></c>' for name in importing.HEADER)
    row = '<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        f"<row>{header}</row>" + row * rows + "</sheetData></worksheet>"
    )
    entries["xl/worksheets/sheet1.xml"] = sheet.encode()
    return _zip(entries)


def test_xlsx_upload_of_many_rows_stops_at_the_limit(monkeypatch):
    """The rows are streamed: reading stops right after the limit, whatever the file holds."""
    from openpyxl.worksheet import _read_only

    monkeypatch.setattr(importing, "MAX_ROWS", 1000)
    read = {"rows": 0}
    original = _read_only.ReadOnlyWorksheet._cells_by_row

    def counting(self, *args, **kwargs):
        for row in original(self, *args, **kwargs):
            read["rows"] += 1
            yield row

    monkeypatch.setattr(_read_only.ReadOnlyWorksheet, "_cells_by_row", counting)
    data = many_rows_xlsx(20_000)
    tracemalloc.start()
    try:
        with pytest.raises(Refused) as info:
            importing.parse_rows(importing.read_table("f.xlsx", data), None)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    [error] = importing.row_errors(info.value)
    assert "1000" in error.message.replace(",", "").replace(".", "")
    assert read["rows"] <= 1000 + 2
    assert peak < 32 * 1024 * 1024


def test_csv_upload_of_many_rows_stops_at_the_limit(monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 1000)
    text = ",".join(importing.HEADER) + "\n" + "x\n" * 5000
    with pytest.raises(Refused) as info:
        importing.parse_rows(importing.read_table("f.csv", text.encode()), None)
    assert "1000" in importing.row_errors(info.value)[0].message.replace(",", "").replace(".", "")


@pytest.mark.django_db
def test_the_limit_itself_is_allowed(monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 10)
    text = ",".join(importing.HEADER) + "\n" + "x\n" * 10
    with pytest.raises(Refused) as info:
        importing.parse_rows(importing.read_table("f.csv", text.encode()), None)
    assert "At most" not in str(info.value)  # refused for its bad values, not for its length
