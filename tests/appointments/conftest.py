"""Fixtures of the appointments tests: election results, deputies, regional bodies."""

import datetime

import pytest

from appointments import services
from appointments.models import Seat
from register.models import ElectionResult, Municipality, Party, Politician
from tests.conftest import TODAY, make_politician


def party(letter):
    return Party.objects.get(letter=letter)


@pytest.fixture
def results(council):
    """Regional results at the council's election: A 25, C 31, V 11, F 16 (thousands) in 101/147."""
    kbh, frb = Municipality.objects.get(code="101"), Municipality.objects.get(code="147")
    for letter, votes in {"A": 25000, "C": 31000, "V": 11000, "F": 16000}.items():
        ElectionResult.objects.create(
            year=council.election_year, municipality=kbh, party=party(letter), votes=votes - 1000, seats=5
        )
        ElectionResult.objects.create(
            year=council.election_year, municipality=frb, party=party(letter), votes=1000, seats=1
        )


@pytest.fixture
def ballerup():
    """Ballerup (151) with a mayor and two deputy mayors, none in the KKR yet."""
    muni = Municipality.objects.get(code="151")
    return {
        "muni": muni,
        "mayor": make_politician(
            muni,
            party("A"),
            "Bo Mayor",
            office=Politician.Office.MAYOR,
            mayor_since=datetime.date(2014, 1, 1),
        ),
        "deputy1": make_politician(muni, party("V"), "Dagny First", office=Politician.Office.DEPUTY_1),
        "deputy2": make_politician(muni, party("F"), "Dan Second", office=Politician.Office.DEPUTY_2),
        "other": make_politician(muni, party("A"), "Olga Other"),
    }


@pytest.fixture
def councillors(council):
    """Plain council members of the region, one per list, and one from Sjælland."""
    kbh = Municipality.objects.get(code="101")
    people = {letter: make_politician(kbh, party(letter), f"Plain {letter}") for letter in "ACVF"}
    people["outside"] = make_politician(Municipality.objects.get(code="265"), party("A"), "Roskilde Person")
    return people


@pytest.fixture
def body(hovedstaden):
    return services.body_create(
        region=hovedstaden,
        name="Sundhedskoordinationsudvalget",
        term_start=TODAY - datetime.timedelta(days=100),
        term_end=TODAY + datetime.timedelta(days=30),
        posts=[("Formand", 1), ("Medlem", 3)],
    )


def seat(council, number):
    return Seat.objects.current().get(council=council, number=number)


def seat_beyond_composition(council, holder, substitute):
    """A party-elected seat written directly: the ``results`` fixture gives F no extra member
    (two mayors make a two-seat d'Hondt), so ``seat_fill`` would refuse it (Bilag 1 1.0); the
    chair election tests need F represented."""
    number = Seat.objects.filter(council=council).count() + 1
    return Seat.objects.create(
        council=council,
        number=number,
        kind=Seat.Kind.ELECTED,
        party=holder.party,
        municipality=holder.municipality,
        holder=holder,
        substitute=substitute,
        valid_from=TODAY,
    )
