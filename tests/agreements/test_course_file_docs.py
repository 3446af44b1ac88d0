"""The course file documented in README and docs/agreements.md is the one the upload reads (issue 16)."""

import re
from pathlib import Path

import pytest

from agreements.importing import HEADER, courses_import

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def _example(path: str) -> str:
    text = (ROOT / path).read_text(encoding="utf-8")
    return re.search(r"```csv\n(.*?)```", text, re.S).group(1)


@pytest.mark.parametrize("path", ["README.md", "docs/agreements.md"])
def test_the_documented_course_file_imports(path, kbh):
    example = _example(path)
    assert example.splitlines()[0] == ",".join(HEADER)
    rows = len(example.splitlines()) - 1
    result = courses_import(name="example.csv", data=example.encode())
    assert len(result.created) == rows
