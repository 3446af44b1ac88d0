"""Attachment text for the index: PDF and office documents, extracted once in the worker and
bounded (pages, declared part sizes, characters); no XML entity is ever expanded."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from archive import extract, rules, tasks
from archive.models import AttachmentText, SearchEntry
from meetings import services
from meetings.models import AgendaItem

from .conftest import docx


def pdf(*pages: str) -> bytes:
    """A minimal PDF with one line of Helvetica text per page."""
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        None,
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    kids = []
    for text in pages:
        stream = f"BT /F1 12 Tf 72 712 Td ({text}) Tj ET"
        objects.append(f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {len(objects)} 0 R "
            "/Resources << /Font << /F1 3 0 R >> >> >>"
        )
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>"
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for n, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{n} 0 obj\n{body}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer << /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def zipped(parts: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def test_pdf_text_of_every_page_up_to_the_page_cap(monkeypatch):
    data = pdf("Aftalen om IV", "Side to", "Side tre")
    assert extract.attachment_text("application/pdf", data) == "Aftalen om IV Side to Side tre"
    monkeypatch.setattr(rules, "MAX_PDF_PAGES", 2)
    assert extract.attachment_text("application/pdf", data) == "Aftalen om IV Side to"


def test_docx_xlsx_odt_pptx_text():
    assert extract.attachment_text("x", docx("Aftale &amp; tarif")) == "Aftale & tarif"
    xlsx = zipped({"xl/sharedStrings.xml": "<sst><si><t>Kommune</t></si><si><t>Forløb</t></si></sst>"})
    assert extract.attachment_text("x", xlsx) == "Kommune Forløb"
    odt = zipped(
        {
            "content.xml": "<office:text><text:p>Første</text:p><text:p>Anden<text:s/>linje</text:p></office:text>"
        }
    )
    assert extract.attachment_text("x", odt) == "Første Anden linje"
    pptx = zipped(
        {
            "ppt/slides/slide2.xml": "<a:p><a:t>to</a:t></a:p>",
            "ppt/slides/slide10.xml": "<a:p><a:t>ti</a:t></a:p>",
            "ppt/slides/slide1.xml": "<a:p><a:t>en</a:t></a:p>",
        }
    )
    assert extract.attachment_text("x", pptx) == "en to ti"  # slides in their natural order


def test_words_split_across_runs_stay_whole():
    # Runs join (Word splits words into runs); paragraphs break.
    assert extract.xml_text("<w:p><w:r><w:t>Af</w:t></w:r><w:r><w:t>tale</w:t></w:r></w:p>").split() == [
        "Aftale"
    ]
    assert extract.xml_text("<w:p><w:t>Af</w:t></w:p><w:p><w:t>tale</w:t></w:p>").split() == ["Af", "tale"]
    assert extract.xml_text("<w:r><w:rPr/>Af</w:r><w:r>tale</w:r>") == "Aftale"


def test_no_entity_of_an_uploaded_file_is_expanded():
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
        "<w:document><w:p><w:t>&lol2; Aftale</w:t></w:p></w:document>"
    )
    text = extract.attachment_text("x", zipped({"word/document.xml": bomb}))
    assert "lollol" not in text and "Aftale" in text


def test_parts_declared_too_large_are_skipped_and_text_is_capped(monkeypatch):
    data = zipped({"word/document.xml": "<w:t>" + "ord " * 500 + "</w:t>", "content.xml": "<t>lille</t>"})
    monkeypatch.setattr(rules, "MAX_ENTRY_BYTES", 100)
    assert extract.attachment_text("x", data) == "lille"
    monkeypatch.setattr(rules, "MAX_ENTRY_BYTES", 10_000)
    monkeypatch.setattr(rules, "MAX_TEXT_CHARS", 11)
    assert extract.attachment_text("x", data) == "lille ord o"  # content.xml sorts first


def test_old_binary_formats_give_no_text():
    assert (
        extract.attachment_text("application/msword", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100) == ""
    )


@pytest.mark.django_db
def test_upload_is_extracted_once_in_the_worker_and_indexed(
    published, personas, django_capture_on_commit_callbacks
):
    item = AgendaItem.objects.get(meeting=published, order=1)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        attachment = services.attachment_add(
            item=item,
            upload=SimpleUploadedFile("notat.pdf", pdf("Tarifferne for IV")),
            by=personas["secretariat"],
        )
    assert len(callbacks) == 1  # enqueued after the commit, not run inside the request's transaction
    row = AttachmentText.objects.get(attachment=attachment)
    assert row.text == "Tarifferne for IV" and not row.failed
    assert SearchEntry.objects.filter(attachment=attachment, kind="attachment").exists()
    # A second delivery does nothing.
    assert tasks.extract_attachment_text(attachment.pk) is False
    assert AttachmentText.objects.filter(attachment=attachment).count() == 1


@pytest.mark.django_db
def test_a_damaged_file_is_recorded_as_failed_not_retried(
    published, personas, django_capture_on_commit_callbacks
):
    item = AgendaItem.objects.get(meeting=published, order=1)
    with django_capture_on_commit_callbacks(execute=True):
        attachment = services.attachment_add(
            item=item,
            upload=SimpleUploadedFile("brudt.pdf", b"%PDF-1.7 not really"),
            by=personas["secretariat"],
        )
    row = AttachmentText.objects.get(attachment=attachment)
    assert row.failed and row.text == ""
    assert tasks.index_missing() == 0  # nothing left to extract or index


@pytest.mark.django_db
def test_index_missing_catches_meetings_published_before_the_archive(published):
    SearchEntry.objects.all().delete()
    assert tasks.index_missing() == 1
    assert SearchEntry.objects.filter(item__meeting=published).count() == 2
    assert tasks.index_missing() == 0
