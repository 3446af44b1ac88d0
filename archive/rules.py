"""The archive's rules as pure functions: Danish stemming (the Snowball algorithm PostgreSQL's
`danish` configuration uses, for the SQLite fallback), query words, snippets with the matched
words marked, the caps on extracted text, and the follow-up states of a decision."""

import re
import unicodedata

VOWELS = set("aeiouyæåø")
S_ENDINGS = set("abcdfghjklmnoprtvyzå")
# Step 1 suffixes of the Snowball Danish stemmer, longest first.
STEP1_SUFFIXES = """hed ethed ered e erede ende erende ene erne ere en heden eren er heder erer heds es
endes erendes enes ernes eres ens hedens erens ers ets erets et eret"""
STEP1 = sorted(STEP1_SUFFIXES.split(), key=len, reverse=True)
STEP3 = ["elig", "løst", "lig", "els", "ig"]
WORD = re.compile(r"[0-9a-zæøåéü]+", re.IGNORECASE)

# Extraction bounds: what an attachment may give the index (the rest is cut off, not refused).
MAX_TEXT_CHARS = 200_000
MAX_PDF_PAGES = 300
MAX_ENTRY_BYTES = 25 * 1024 * 1024  # declared uncompressed size of one XML part of an office file
MAX_ENTRIES = 2_000
SNIPPET_CHARS = 240
MAX_QUERY_WORDS = 8

FOLLOW_UP_STATES = ("open", "in_progress", "done")


def _r1(word: str) -> int:
    """Start of region R1: after the first non-vowel following a vowel, at least 3 letters in."""
    for i in range(1, len(word)):
        if word[i] not in VOWELS and word[i - 1] in VOWELS:
            return max(i + 1, 3)
    return len(word)


def _undouble_consonant_pair(word: str, r1: int) -> str:
    if word[-2:] in ("gd", "dt", "gt", "kt") and len(word) - 2 >= r1:
        return word[:-1]
    return word


def stem(word: str) -> str:
    """The Snowball Danish stem of one lower-case word ("aftalen", "aftaler" → "aftal")."""
    word = word.lower()
    if len(word) < 3:
        return word
    r1 = _r1(word)
    # Step 1: the longest inflection suffix inside R1; or an s after a valid s-ending.
    for suffix in STEP1:
        if word.endswith(suffix) and len(word) - len(suffix) >= r1:
            word = word[: -len(suffix)]
            break
    else:
        if word.endswith("s") and len(word) - 1 >= r1 and len(word) > 1 and word[-2] in S_ENDINGS:
            word = word[:-1]
    # Step 2
    word = _undouble_consonant_pair(word, r1)
    # Step 3
    if word.endswith("igst"):
        word = word[:-2]
    for suffix in STEP3:
        if word.endswith(suffix) and len(word) - len(suffix) >= r1:
            word = word[:-1] if suffix == "løst" else _undouble_consonant_pair(word[: -len(suffix)], r1)
            break
    # Step 4: undouble a final double consonant whose last letter is in R1.
    if len(word) - 1 >= r1 and len(word) >= 2 and word[-1] == word[-2] and word[-1] not in VOWELS:
        word = word[:-1]
    return word


def words(text: str) -> list[str]:
    return [w.lower() for w in WORD.findall(unicodedata.normalize("NFC", text or ""))]


def stems_of(text: str) -> str:
    """The text as a space-padded string of distinct stems, for matching " stem " in SQL."""
    distinct = dict.fromkeys(stem(w) for w in words(text))
    return " " + " ".join(distinct) + " " if distinct else ""


def query_stems(query: str) -> list[str]:
    """The distinct stems of a search query, at most MAX_QUERY_WORDS."""
    return list(dict.fromkeys(stem(w) for w in words(query)))[:MAX_QUERY_WORDS]


def snippet(text: str, stems: list[str], width: int = SNIPPET_CHARS) -> list[tuple[str, bool]]:
    """A piece of `text` around its first matched word, as (segment, matched) pairs."""
    text = " ".join((text or "").split())
    wanted = set(stems)
    matches = [m for m in WORD.finditer(text) if stem(m.group()) in wanted]
    start = 0
    if matches and matches[0].start() > width // 3:
        start = text.rfind(" ", 0, matches[0].start() - width // 3) + 1
    end = min(len(text), start + width)
    if end < len(text):
        end = max(text.rfind(" ", start, end), start + width // 2)
    pieces, at = [], start
    for m in matches:
        if m.start() < start or m.end() > end:
            continue
        if m.start() > at:
            pieces.append((text[at : m.start()], False))
        pieces.append((m.group(), True))
        at = m.end()
    if at < end:
        pieces.append((text[at:end], False))
    if start > 0:
        pieces.insert(0, ("… ", False))
    if end < len(text):
        pieces.append((" …", False))
    return pieces


def marked(text: str, start: str, stop: str) -> list[tuple[str, bool]]:
    """Split a headline with start/stop markers (PostgreSQL's ts_headline) into pairs."""
    pieces = []
    for n, part in enumerate(re.split(f"{re.escape(start)}|{re.escape(stop)}", text or "")):
        if part:
            pieces.append((part, n % 2 == 1))
    return pieces


def cap_text(text: str, limit: int | None = None) -> str:
    """Whitespace folded and cut to `limit` characters (MAX_TEXT_CHARS by default)."""
    return " ".join(text.split())[: limit or MAX_TEXT_CHARS]
