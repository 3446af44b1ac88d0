"""Demo data: municipal election results of Region Hovedstaden and KKR Hovedstaden 2022-2025.

Names are invented; vote shares are plausible, not official figures.
"""

import datetime
import random

from register.models import ElectionResult, Municipality, Party, Politician, Region

from .allocation import dhondt
from .models import Council, Seat

ELECTION_YEAR = 2021
TERM_START = datetime.date(2022, 1, 27)
# Regional vote shares (per mille) the demo results scatter around.
BASE_SHARES = {
    "A": 235,
    "C": 170,
    "V": 100,
    "Ø": 125,
    "F": 105,
    "B": 75,
    "O": 40,
    "D": 30,
    "I": 25,
    "Å": 25,
    "K": 5,
    "L": 30,
}
MAYOR_PARTY = {
    "101": "A",
    "147": "A",
    "151": "A",
    "153": "A",
    "155": "C",
    "157": "C",
    "159": "A",
    "161": "A",
    "163": "A",
    "165": "A",
    "167": "A",
    "169": "C",
    "173": "C",
    "175": "A",
    "183": "A",
    "185": "A",
    "187": "C",
    "190": "C",
    "201": "V",
    "210": "C",
    "217": "A",
    "219": "A",
    "223": "C",
    "230": "C",
    "240": "A",
    "250": "A",
    "260": "A",
    "270": "V",
    "400": "A",
}
# Party-elected members on top of the 29 mayors (54 seats in all, as KKR Hovedstaden 2018-22).
EXTRA_MEMBERS = {"A": 4, "C": 4, "V": 4, "Ø": 5, "F": 4, "B": 2, "O": 1, "D": 1}

FIRST = [
    "Anne",
    "Lars",
    "Mette",
    "Søren",
    "Camilla",
    "Henrik",
    "Louise",
    "Jens",
    "Maria",
    "Peter",
    "Trine",
    "Kasper",
    "Helle",
    "Morten",
    "Sofie",
    "Thomas",
    "Line",
    "Rasmus",
    "Birgitte",
    "Niels",
    "Ida",
    "Jakob",
    "Pernille",
    "Mads",
    "Karina",
    "Anders",
    "Signe",
    "Frederik",
    "Lene",
    "Martin",
]
LAST = [
    "Holm",
    "Kjær",
    "Lund",
    "Bach",
    "Dahl",
    "Skov",
    "Krogh",
    "Juhl",
    "Mørch",
    "Winther",
    "Friis",
    "Brandt",
    "Berg",
    "Vestergaard",
    "Thygesen",
    "Lindberg",
    "Munk",
    "Kragh",
    "Søndergaard",
    "Bang",
    "Eriksen",
    "Toft",
    "Mogensen",
    "Riis",
    "Nygaard",
    "Storm",
    "Ravn",
    "Hjort",
    "Lykke",
    "Boje",
    "Falk",
]


def _name(rng: random.Random, used: set[str]) -> str:
    while True:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if name not in used:
            used.add(name)
            return name


def council_size(population: int) -> int:
    if population > 500000:
        return 55
    if population > 100000:
        return 25
    return 21 if population < 40000 else 23 if population < 60000 else 25


def seed_election_results(region: Region) -> None:
    parties = {p.letter: p for p in Party.objects.all()}
    for municipality in Municipality.objects.filter(region=region):
        if ElectionResult.objects.filter(year=ELECTION_YEAR, municipality=municipality).exists():
            continue
        rng = random.Random(f"votes-{municipality.code}")
        turnout = int(municipality.population * 0.78 * 0.68)
        weights = {letter: share * rng.uniform(0.55, 1.45) for letter, share in BASE_SHARES.items()}
        weights[MAYOR_PARTY[municipality.code]] *= 1.35
        total = sum(weights.values())
        votes = {letter: int(turnout * w / total) for letter, w in weights.items()}
        seats = dhondt(votes, council_size(municipality.population))
        ElectionResult.objects.bulk_create(
            ElectionResult(
                year=ELECTION_YEAR,
                municipality=municipality,
                party=parties[letter],
                votes=v,
                seats=seats[letter],
            )
            for letter, v in votes.items()
        )


def seed() -> list[str]:
    region = Region.objects.get(code="1084")
    seed_election_results(region)
    if Council.objects.filter(region=region, term_start=TERM_START).exists():
        return ["KKR Hovedstaden 2022-2025 exists"]
    parties = {p.letter: p for p in Party.objects.all()}
    rng = random.Random("kkr-hovedstaden-2022")
    used: set[str] = set()
    council = Council.objects.create(region=region, term_start=TERM_START, election_year=ELECTION_YEAR)
    municipalities = list(Municipality.objects.filter(region=region).order_by("code"))

    def politician(municipality, party, office="", mayor_since=None):
        birth = datetime.date(rng.randint(1955, 1992), rng.randint(1, 12), rng.randint(1, 28))
        name = _name(rng, used)
        email = name.lower().replace(" ", ".").replace("ø", "oe").replace("æ", "ae").replace("å", "aa")
        return Politician.objects.create(
            name=name,
            email=f"{email}@{municipality.name.lower().replace(' ', '')}.demo.dk",
            birth_date=birth,
            municipality=municipality,
            party=party,
            council_from=datetime.date(2022, 1, 1),
            office=office,
            mayor_since=mayor_since,
        )

    number = 0
    for municipality in municipalities:
        party = parties[MAYOR_PARTY[municipality.code]]
        since = datetime.date(rng.choice([2010, 2014, 2018, 2022]), 1, 1)
        mayor = politician(municipality, party, Politician.Office.MAYOR, since)
        deputy = politician(
            municipality, parties[rng.choice(["V", "C", "F", "Ø", "A"])], Politician.Office.DEPUTY_1
        )
        politician(municipality, parties[rng.choice(["B", "O", "V"])], Politician.Office.DEPUTY_2)
        number += 1
        Seat.objects.create(
            council=council,
            number=number,
            kind=Seat.Kind.MAYOR,
            party=party,
            municipality=municipality,
            holder=mayor,
            substitute=deputy,
            valid_from=TERM_START,
        )
    for letter, count in EXTRA_MEMBERS.items():
        for _ in range(count):
            municipality = rng.choice(municipalities)
            holder = politician(municipality, parties[letter])
            substitute = politician(rng.choice(municipalities), parties[letter])
            number += 1
            Seat.objects.create(
                council=council,
                number=number,
                kind=Seat.Kind.ELECTED,
                party=parties[letter],
                municipality=municipality,
                holder=holder,
                substitute=substitute,
                valid_from=TERM_START,
            )
    # Plain council members of the region (survey audience, future appointees).
    for municipality in municipalities:
        for _ in range(3):
            politician(municipality, parties[rng.choice(list(BASE_SHARES))])
    chair = Seat.objects.get(council=council, number=1).holder  # the mayor of København
    vice = Seat.objects.get(council=council, number=6).holder  # the mayor of Gentofte
    council.chair, council.vice_chair = chair, vice
    council.save(update_fields=["chair", "vice_chair"])
    return [f"{council.name}: {number} seats, chair {chair}, vice-chair {vice}"]
