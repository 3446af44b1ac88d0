"""Issue 16: in English every text the portal writes is English, in English formats.

The seeded demo is walked in English as each demo login (the walk of test_access_walk). Its data
is Danish (names, titles, survey questions), so the check looks only where the portal itself
writes: buttons, column headers, navigation and field labels outside the survey forms; and, on the
whole page, for US formats (month-first dates, "a.m."/"p.m.").
"""

import os
import re
from html.parser import HTMLParser

import pytest
from django.core.management import call_command

from .test_access_walk import DEMO_LOGINS, walk_demo_as

# Words of the Danish UI that have no place in an English one (whole words, case-sensitive).
DANISH_UI_WORDS = {
    "og", "ikke", "eller", "til", "af", "fra", "med", "Gem", "Tilbage", "Annullér", "Skift", "Vis",
    "Side", "Dagsorden", "Referat", "Møde", "Møder", "Medlem", "Medlemmer", "Kommune", "Navn",
    "Dato", "Ja", "Nej", "Udpegninger", "Spørgeskemaer", "Økonomi", "Forløb", "Opgørelse",
    "Offentliggør", "Godkend", "Tilmeld", "Søg", "Hent", "Slet", "Afslut", "Registrér",
}  # fmt: skip
# Where the portal writes the words itself (data shows in table bodies, headings and survey forms).
CHROME = {"button", "label", "legend", "th", "nav"}
US_DATE = re.compile(r"\b\d{1,2}/(?:1[3-9]|2\d|3[01])/\d{4}\b")  # 12/17/2026: month first
US_TIME = re.compile(r"\d\s?[ap]\.m\.")
DANISH_LETTERS = re.compile(r"[æøåÆØÅ]")
# Danish in every language: the language's own name in the language switch.
OWN_NAMES = {"Dansk"}


class Chrome(HTMLParser):
    """Collects the text of buttons, labels, legends, column headers and navigation."""

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, bool]] = []
        self.found: list[str] = []
        self.current: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        data_row = tag == "th" and attrs.get("scope") == "row"  # a row header holds data (a name)
        survey = "form-check-label" in (attrs.get("class") or "")  # a survey option is data
        if tag in CHROME and not data_row and not survey and not self.inside():
            self.stack.append((tag, True))
            self.current = []
        elif tag in CHROME:
            self.stack.append((tag, False))

    def inside(self) -> bool:
        return any(collecting for _tag, collecting in self.stack)

    def handle_endtag(self, tag):
        if self.stack and self.stack[-1][0] == tag:
            _tag, collecting = self.stack.pop()
            if collecting:
                text = " ".join(" ".join(self.current).split())
                if text:
                    self.found.append(text)

    def handle_data(self, data):
        if self.inside():
            self.current.append(data)


def problems_of(html: str, names: set[str]) -> list[str]:
    """Danish UI words or US formats in a page rendered in English; ``names`` are the demo's
    data (people, municipalities, bodies, lists) that the chrome may name."""
    found = []
    text = re.sub(r"<[^>]+>", " ", html)
    found += [f"US date {m}" for m in US_DATE.findall(text)]
    found += [f"US time {m!r}" for m in US_TIME.findall(text)]
    parser = Chrome()
    parser.feed(html)
    for chunk in parser.found:
        bare = chunk
        for name in [*names, *OWN_NAMES]:
            if name in bare:
                bare = bare.replace(name, "")
        words = set(re.findall(r"[\wæøåÆØÅ]+", bare))
        danish = words & DANISH_UI_WORDS
        if danish or DANISH_LETTERS.search(bare):
            found.append(f"Danish in {chunk!r}")
    return found


def test_the_checker_sees_danish_chrome_and_us_formats():
    assert problems_of("<button>Gem</button><p>12/17/2026, 1:14 a.m.</p>", set()) == [
        "US date 12/17/2026",
        "US time '4 a.m.'",
        "Danish in 'Gem'",
    ]
    assert problems_of('<label>Tilgængelighedserklæring</label><th scope="row">Søren</th>', set())
    assert not problems_of('<th scope="row">Søren Bang</th><td>17/12/2026 13:14</td>', set())
    assert not problems_of("<button>Register Søren Bang</button>", {"Søren Bang"})


def demo_names() -> set[str]:
    from accounts.models import User
    from appointments.models import Body
    from evaluations.models import Survey
    from register.models import Municipality, Party, Politician

    names = set(Politician.objects.values_list("name", flat=True))
    names |= set(Municipality.objects.values_list("name", flat=True))
    names |= set(Body.objects.values_list("name", flat=True))
    names |= set(User.objects.values_list("name", flat=True))
    names |= set(Survey.objects.values_list("title", flat=True))  # in the breadcrumbs
    names |= {f"{p.letter} – {p.name}" for p in Party.objects.all()} | {"Æ", "Ø", "Å"}
    return names


@pytest.mark.django_db
def test_every_demo_page_in_english_speaks_english(client, settings):
    settings.LANGUAGE_CODE = "en"
    with open(os.devnull, "w") as devnull:
        call_command("seed_demo", stdout=devnull)
    names = sorted(demo_names(), key=len, reverse=True)  # "København S" before "København"
    client.raise_request_exception = False
    failures: dict[str, str] = {}

    def inspect(url, response):
        for problem in problems_of(response.content.decode(), names):
            failures.setdefault(problem, url)

    for email in DEMO_LOGINS:
        client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        walk_demo_as(client, email, inspect)
        client.logout()
    assert failures == {}, "\n".join(f"{url}: {problem}" for problem, url in sorted(failures.items()))
