"""Which files may be attached to an agenda item: PDF and office documents, judged by their
content (magic bytes and, for zip containers, the entries inside), not only by their name."""

import zipfile
from dataclasses import dataclass

from core.archives import ArchiveRefused, check_archive

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
# An office document's entries may declare at most this much unpacked in all (decompression
# bombs); the ODF "mimetype" entry is a short line of text.
MAX_ATTACHMENT_UNPACKED = 10 * MAX_ATTACHMENT_BYTES
MAX_MIMETYPE_BYTES = 100

OOXML = {
    ".docx": ("word/", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".xlsx": ("xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".pptx": ("ppt/", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
}
ODF = {
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".odp": "application/vnd.oasis.opendocument.presentation",
}
OLE = {
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".ppt": "application/vnd.ms-powerpoint",
}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class Verdict:
    content_type: str | None
    problem: str | None


def _extension(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot >= 0 else ""


def sniff(name: str, data: bytes) -> Verdict:
    """The content type of an upload, or the problem with it. `data` is the whole file."""
    ext = _extension(name)
    if len(data) == 0:
        return Verdict(None, "empty")
    if len(data) > MAX_ATTACHMENT_BYTES:
        return Verdict(None, "too_large")
    if ext == ".pdf":
        return Verdict("application/pdf", None) if data[:1024].lstrip().startswith(b"%PDF-") else _bad()
    if ext in OLE:
        return Verdict(OLE[ext], None) if data.startswith(OLE_MAGIC) else _bad()
    if ext in OOXML or ext in ODF:
        if not data.startswith(b"PK\x03\x04"):
            return _bad()
        try:
            archive = check_archive(
                data, max_unpacked=MAX_ATTACHMENT_UNPACKED, max_entry={"mimetype": MAX_MIMETYPE_BYTES}
            )
        except ArchiveRefused as exc:
            return Verdict(None, "too_large_unpacked") if exc.code == "too_large_unpacked" else _bad()
        try:
            with archive:
                names = archive.namelist()
                if ext in OOXML:
                    folder, kind = OOXML[ext]
                    ok = "[Content_Types].xml" in names and any(n.startswith(folder) for n in names)
                    return Verdict(kind, None) if ok else _bad()
                ok = "mimetype" in names and archive.read("mimetype").decode("ascii", "replace") == ODF[ext]
                return Verdict(ODF[ext], None) if ok else _bad()
        except (zipfile.BadZipFile, KeyError, OSError):
            return _bad()
    return Verdict(None, "type_not_allowed")


def _bad() -> Verdict:
    return Verdict(None, "content_mismatch")
