"""Zip containers (XLSX, DOCX, ODT …) judged by what they declare before anything is unpacked.

A decompression bomb is a small file whose entries unpack to gigabytes. Every entry in a zip
declares its unpacked size in the central directory; `check_archive` refuses an archive whose
declared sizes add up to more than the caller's bound (or that has too many entries) before a
single byte is inflated. Python's zipfile never returns more than an entry declares (an entry that
lies about its size fails its CRC check when read), so the declared total is a true bound.
"""

import io
import zipfile

from django.utils.translation import gettext as _

from .errors import Refused

MAX_ENTRIES = 10_000


class ArchiveRefused(Refused):
    """The archive cannot be opened safely; the message says why, the code is "not_zip" or
    "too_large_unpacked"."""


def check_archive(
    data: bytes, *, max_unpacked: int, max_entry: dict[str, int] | None = None
) -> zipfile.ZipFile:
    """The opened archive, when its declared unpacked sizes stay within `max_unpacked` in total and
    within `max_entry[name]` for the named entries; otherwise ArchiveRefused. Nothing is inflated."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError) as exc:
        raise ArchiveRefused(_("The file is not a readable zip container."), code="not_zip") from exc
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise ArchiveRefused(
            _("The file holds %(n)s entries; at most %(max)s are allowed.")
            % {"n": len(infos), "max": MAX_ENTRIES},
            code="too_large_unpacked",
        )
    total = sum(info.file_size for info in infos)
    limits = max_entry or {}
    too_big = [info for info in infos if info.file_size > limits.get(info.filename, max_unpacked)]
    if total > max_unpacked or too_big:
        raise ArchiveRefused(
            _("The file would unpack to %(mb)s MB; at most %(max)s MB unpacked are allowed.")
            % {"mb": total // (1024 * 1024), "max": max_unpacked // (1024 * 1024)},
            code="too_large_unpacked",
        )
    return archive
