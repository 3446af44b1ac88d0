"""core.documents.is_current: a stored document is current only with a file and the same key."""

import pytest

from core.documents import is_current


class _File:
    def __init__(self, name):
        self.name = name

    def __bool__(self):
        return bool(self.name)


@pytest.mark.parametrize(
    ("name", "stored_key", "key", "current"),
    [
        ("1-agenda.pdf", "v2", "v2", True),
        ("1-agenda.pdf", "v1", "v2", False),  # content changed since the render
        ("", "v2", "v2", False),  # no file stored (yet, or it was removed)
        ("1-agenda.pdf", "", "", False),  # no key: never trust an unkeyed file
    ],
)
def test_is_current(name, stored_key, key, current):
    assert is_current(_File(name), stored_key, key) is current
