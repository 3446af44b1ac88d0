"""Rules of the register: pure functions, no ORM."""

from __future__ import annotations

import re

# Lists with no national party count as one list cooperation (KL: "Lokallisterne"), under this
# party's letter in the regional totals.
LOCAL_LISTS = "L"

# A list is the national party with its letter when its name holds the party's key words; names
# are spelled differently between municipalities ("SF - Socialistisk Folkeparti", "Socialistisk
# Folkeparti - SF"), and letters are reused by local lists (D "Ham Stokken" in Frederiksberg).
NATIONAL_PARTIES = {
    "A": "socialdemokrat",
    "B": "radikale venstre",
    "C": "konservative",
    "D": "nye borgerlige",
    "F": "socialistisk folkeparti",
    "I": "liberal alliance",
    "K": "kristendemokrat",
    "M": "moderaterne",
    "O": "dansk folkeparti",
    "V": "venstre",
    "Æ": "danmarksdemokrat",
    "Ø": "enhedslisten",
    "Å": "alternativet",
}


def normalise(name: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w ]", " ", name.lower())).strip()


def national_party(letter: str, name: str) -> str:
    """The party letter a list counts under: its national party, else the local lists' letter."""
    words = NATIONAL_PARTIES.get(letter)
    if words and words in normalise(name):
        return letter
    return LOCAL_LISTS


def alliance_label(letters: list[str]) -> str:
    """An alliance named by its lists' letters in ballot order, e.g. ``B+F+L+T+Ø``."""
    return "+".join(letters)
