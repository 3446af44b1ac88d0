"""Text of an attachment for the search index, extracted once in the worker and bounded: at most
MAX_PDF_PAGES pages of a PDF, only XML parts of an office file whose declared size is within
MAX_ENTRY_BYTES (and never more than that read), at most MAX_TEXT_CHARS characters kept.

Office XML is not parsed: tags are stripped with a regular expression, so no entity or DTD of an
uploaded file is ever expanded. The old binary formats (.doc, .xls, .ppt) give no text."""

import html
import io
import re
import zipfile

from . import rules

# Which parts of a zip container hold the document's text.
TEXT_PARTS = re.compile(
    r"^(word/(document|footnotes|endnotes)\.xml|xl/sharedStrings\.xml|xl/worksheets/sheet\d+\.xml"
    r"|ppt/slides/slide\d+\.xml|content\.xml)$"
)
# Tags that end a word (paragraphs, cells, breaks); every other tag is removed without a space.
BREAKING_TAG = re.compile(
    r"</?(?:w:p|w:tab|w:br|w:tc|text:p|text:h|text:s|text:tab|text:line-break|a:p|a:br|si|t|c|v|is)\b[^>]*>"
)
ANY_TAG = re.compile(r"<[^>]*>")


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data), strict=False)
    parts, size = [], 0
    for page in reader.pages[: rules.MAX_PDF_PAGES]:
        text = page.extract_text() or ""
        parts.append(text)
        size += len(text)
        if size >= rules.MAX_TEXT_CHARS:
            break
    return rules.cap_text(" ".join(parts))


def xml_text(xml: str) -> str:
    return html.unescape(ANY_TAG.sub("", BREAKING_TAG.sub(" ", xml)))


def office_text(data: bytes) -> str:
    parts, size = [], 0
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()[: rules.MAX_ENTRIES]
        for info in sorted(infos, key=lambda i: _natural(i.filename)):
            if not TEXT_PARTS.match(info.filename) or info.file_size > rules.MAX_ENTRY_BYTES:
                continue
            with archive.open(info) as part:
                raw = part.read(rules.MAX_ENTRY_BYTES)
            text = xml_text(raw.decode("utf-8", "replace"))
            parts.append(text)
            size += len(text)
            if size >= rules.MAX_TEXT_CHARS:
                break
    return rules.cap_text(" ".join(parts))


def _natural(name: str):
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", name)]


def attachment_text(content_type: str, data: bytes) -> str:
    """The text of a stored attachment ('' for formats we do not read)."""
    if content_type == "application/pdf":
        return pdf_text(data)
    if data.startswith(b"PK\x03\x04"):
        return office_text(data)
    return ""
