"""The Danish catalogue is the one source of the UI's Danish: every text is translated, nothing is
left fuzzy, and the compiled .mo says what the .po says (`make messages` keeps them together)."""

import pathlib

import polib

LOCALE = pathlib.Path(__file__).resolve().parent.parent / "locale" / "da" / "LC_MESSAGES"


def _done(entry) -> bool:
    return all(entry.msgstr_plural.values()) if entry.msgid_plural else bool(entry.msgstr)


def test_every_text_is_translated_and_none_is_fuzzy():
    catalogue = polib.pofile(str(LOCALE / "django.po"))
    live = [e for e in catalogue if not e.obsolete]
    assert live, "the catalogue is empty"
    assert [e.msgid for e in live if not _done(e)] == []
    assert [e.msgid for e in live if "fuzzy" in e.flags] == []


def test_the_compiled_catalogue_matches_the_source():
    source = {
        (e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural)
        for e in polib.pofile(str(LOCALE / "django.po"))
        if not e.obsolete
    }
    compiled = {
        (e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural)
        for e in polib.mofile(str(LOCALE / "django.mo"))
        if e.msgid
    }
    assert compiled == source
