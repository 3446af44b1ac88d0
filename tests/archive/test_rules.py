"""The archive's pure rules: Danish stemming (Snowball, as PostgreSQL's `danish`), query words,
snippets with marked words, headline markers, text caps."""

import pytest
from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st

from archive import rules

DANISH = st.text(alphabet="abcdefghijklmnoprstuvyzæøå", min_size=1, max_size=16)


@pytest.mark.parametrize(
    "word, expected",
    [
        ("aftale", "aftal"),
        ("aftalen", "aftal"),
        ("aftaler", "aftal"),
        ("aftalerne", "aftal"),
        ("beslutningen", "beslutning"),
        ("kommunerne", "kommun"),
        ("budgettet", "budget"),  # step 4: "budgett" undoubled
        ("lykkelig", "lyk"),  # step 3 "elig", then step 4
        ("lykkeligst", "lyk"),  # "igst" → "ig" first
        ("kørsels", "kørsel"),  # s after a valid s-ending (l)
        ("løst", "løst"),  # "løst" not in R1
        ("forløst", "forløs"),  # "løst" → "løs" in R1
        ("opløst", "opløst"),  # "løst" starts before R1
        ("og", "og"),  # shorter than three letters: unchanged
        ("IV", "iv"),
    ],
)
def test_stem(word, expected):
    assert rules.stem(word) == expected


@given(DANISH)
def test_stem_is_a_prefix_of_the_word(word):
    assert word.startswith(rules.stem(word))


@pytest.mark.postgres
@pytest.mark.django_db
@settings(max_examples=300, deadline=None)
@given(st.lists(DANISH, min_size=1, max_size=40))
def test_stem_agrees_with_postgresql_danish(words):
    """The SQLite fallback stems exactly as PostgreSQL's `danish` configuration does."""
    with connection.cursor() as cursor:
        cursor.execute("select w, ts_lexize('danish_stem', w) from unnest(%s::text[]) w", [words])
        for word, lexemes in cursor.fetchall():
            if lexemes:  # stop words give no lexeme
                assert rules.stem(word) == lexemes[0], word


def test_query_stems_are_distinct_and_bounded():
    assert rules.query_stems("Aftalen aftaler AFTALE om IV") == ["aftal", "om", "iv"]
    assert len(rules.query_stems(" ".join(f"ord{n}" for n in range(30)))) == rules.MAX_QUERY_WORDS
    assert rules.query_stems('"!!" - &') == []


def test_stems_of_is_space_padded_for_whole_stem_matching():
    stems = rules.stems_of("Aftalen om kommunerne")
    assert " aftal " in stems and " kommun " in stems and " om " in stems
    assert " afta " not in stems
    assert rules.stems_of("") == ""


def test_snippet_marks_every_inflected_form_around_the_first_match():
    text = "Indledning. " * 40 + "KKR godkendte aftalen; aftaler følger."
    pieces = rules.snippet(text, ["aftal"], width=80)
    assert [p for p, hit in pieces if hit] == ["aftalen", "aftaler"]
    assert pieces[0] == ("… ", False)  # cut in front
    assert "".join(p for p, _ in pieces).replace("… ", "") in " ".join(text.split())


def test_snippet_without_a_match_is_the_beginning():
    pieces = rules.snippet("Kort tekst uden fund", ["aftal"])
    assert pieces == [("Kort tekst uden fund", False)]
    assert rules.snippet("", ["aftal"]) == []


@given(st.text(max_size=400), st.lists(st.sampled_from(["aftal", "kommun", "iv"]), max_size=3))
def test_snippet_never_invents_text(text, stems):
    pieces = rules.snippet(text, stems)
    joined = "".join(p for p, _ in pieces).removeprefix("… ").removesuffix(" …")
    assert joined in " ".join(text.split())


def test_marked_splits_headline_markers():
    assert rules.marked("a \ue000b\ue001 c", "\ue000", "\ue001") == [
        ("a ", False),
        ("b", True),
        (" c", False),
    ]
    assert rules.marked("", "\ue000", "\ue001") == []


def test_cap_text_folds_whitespace_and_cuts():
    assert rules.cap_text("a\n\n b\tc", limit=3) == "a b"
    assert rules.cap_text("x" * 10, limit=4) == "xxxx"
