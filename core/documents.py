"""Stored documents (rendered PDFs): one way to tell whether the stored file is still current.

A rendered document is stored with the key of the content it was rendered from (a version, a
timestamp, a hash of the data). It is current when a file is stored and that key equals the key
of the content as it is now; otherwise it is rendered again.
"""

from __future__ import annotations


def is_current(file, stored_key: str | None, key: str | None) -> bool:
    """True when ``file`` (a FieldFile) is stored and was rendered from the content ``key``."""
    return bool(file) and bool(key) and stored_key == key
