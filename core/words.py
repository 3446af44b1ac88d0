"""How values read to users: yes/no answers, Danish numbers with thousand separators and the
Danish alphabetical order.

ja/nej is for yes/no answers; "for"/"imod" (the msgids "yes"/"no" and "Yes"/"No") belong to
votes only. Numbers are grouped in the active language ("1.007.846" in Danish) without turning on
USE_THOUSAND_SEPARATOR globally, which would also group ids in URLs.
"""

import unicodedata
from decimal import Decimal

from django.template.defaultfilters import yesno
from django.utils.formats import get_format, number_format
from django.utils.translation import gettext


def yes_no(value) -> str:
    """A yes/no answer as the user reads it: "ja"/"nej" in Danish (never "for"/"imod")."""
    return yesno(bool(value), gettext("yes,no"))


def number(value, decimals: int | None = None) -> str:
    """value with the language's decimal mark and thousand separators; decimals=None keeps
    integers whole and shows other values with one decimal."""
    if decimals is None:
        whole = not isinstance(value, float | Decimal) or value == int(value)
        decimals = 0 if whole else 1
    return number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def number_formatter(decimals: int):
    """A function giving `number(value, decimals)` for many values, with the active language's
    separators looked up once: number_format looks them up for every cell, which was a third of
    the IV statement page's time (issue 15). For values with at most `decimals` places (amounts
    in øre, whole counts), which need no rounding."""
    decimal = get_format("DECIMAL_SEPARATOR")
    thousands = get_format("THOUSAND_SEPARATOR")
    if get_format("NUMBER_GROUPING") != 3:  # not the plain groups of three: the general path
        return lambda value: number(value, decimals)
    swap = str.maketrans({",": thousands, ".": decimal})
    spec = f",.{decimals}f"
    return lambda value: format(value, spec).translate(swap)


# Danish alphabetical order (DS 377): Æ, Ø, Å come after Z, and a double "aa" is the letter Å
# (Aabenraa sorts with Åbenrå, last). Letters after "z" in ASCII stand in for the three; other
# accented letters sort with their base letter (é with e), ü and ö as y and ø, ä as æ.
_DANISH = str.maketrans({"æ": "{", "ä": "{", "ø": "|", "ö": "|", "å": "}", "ü": "y"})


def danish_key(text: str) -> tuple[str, str]:
    """A sort key giving the Danish alphabetical order of names, case-insensitive; ties keep a
    stable order by the text itself."""
    folded = unicodedata.normalize("NFC", text or "").casefold().replace("aa", "å").translate(_DANISH)
    base = "".join(c for c in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(c))
    return base, text or ""
