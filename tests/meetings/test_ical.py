from hypothesis import given
from hypothesis import strategies as st

from meetings.ical import _escape, _fold


def test_escape_special_characters():
    assert _escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


@given(st.text(alphabet="abcæøåÆØÅ €,;", min_size=0, max_size=400))
def test_folded_lines_are_short_and_unfold_to_the_original(text):
    line = "DESCRIPTION:" + text
    folded = _fold(line)
    parts = folded.split("\r\n ")
    assert all(len(p.encode()) <= 75 for p in parts)
    assert "".join(parts) == line
