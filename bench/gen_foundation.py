"""Production-scale foundation data for the benchmarks: councils with 60 seats each for the current
term and the three terms before it (more than ten years of history), seat history, election results,
plain council members and the persona logins the app plugins use.

Runs on an empty, migrated database (regions, municipalities and parties come from the migrations).
Everything goes in with bulk_create; on this machine it takes a few seconds.
"""

import datetime
import random

from django.contrib.auth.hashers import make_password
from django_otp.plugins.otp_totp.models import TOTPDevice

import core.time
from accounts.models import Role, RoleKind, User
from appointments.allocation import dhondt
from appointments.demo import FIRST, LAST
from appointments.models import Council, Seat
from register.models import ElectionResult, Municipality, Party, Politician, Region

PASSWORD = "bench-password-123"  # every persona's password
SEATS_PER_COUNCIL = 60
TERMS = 4  # the current term and three before it: 2014 onwards
PLAIN_MEMBERS_PER_MUNICIPALITY = 20
# The persona logins (BRIEF.md); chair@ and substitute@ are extra for the meetings journeys.
SECRETARIAT = "secretariat@bench.dk"
MEMBER = "member@bench.dk"
SUBSTITUTE = "substitute@bench.dk"
CHAIR = "chair@bench.dk"
CLERK = "clerk@bench.dk"
REGION_OFFICER = "region@bench.dk"
HOVEDSTADEN = "1084"
CLERK_MUNICIPALITY = "101"

# The demo's invented names (appointments/demo.py): one list for the demo and the bench.
SHARES = {"A": 235, "C": 170, "V": 100, "Ø": 125, "F": 105, "B": 75, "O": 40, "D": 30, "I": 25, "Å": 25}


def election_years(today: datetime.date) -> list[int]:
    """The municipal election years of the last TERMS terms, oldest first (elections 2013, 2017 ...)."""
    latest = 2013 + 4 * ((today.year - 2013) // 4)
    if term_start(latest) > today:
        latest -= 4
    return [latest - 4 * i for i in reversed(range(TERMS))]


def term_start(election_year: int) -> datetime.date:
    return datetime.date(election_year + 1, 2, 1)


class _People:
    """Builds unsaved Politician rows with plausible names, emails and birth dates."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.count = 0

    def make(self, municipality, party, start, end, office="", mayor_since=None) -> Politician:
        self.count += 1
        name = f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"
        return Politician(
            name=name,
            email=f"politiker{self.count}@{municipality.code}.bench.dk",
            birth_date=datetime.date(
                self.rng.randint(1950, 1995), self.rng.randint(1, 12), self.rng.randint(1, 28)
            ),
            municipality=municipality,
            party=party,
            council_from=start,
            council_to=end,
            office=office,
            mayor_since=mayor_since,
        )


def _election_results(rng, years, municipalities, parties) -> None:
    rows = []
    for year in years:
        for muni in municipalities:
            turnout = int(muni.population * 0.53)
            weights = {letter: share * rng.uniform(0.5, 1.5) for letter, share in SHARES.items()}
            total = sum(weights.values())
            votes = {letter: int(turnout * w / total) for letter, w in weights.items()}
            size = 55 if muni.population > 500_000 else 31 if muni.population > 100_000 else 25
            seats = dhondt(votes, size)
            rows += [
                ElectionResult(year=year, municipality=muni, party=parties[p], votes=v, seats=seats[p])
                for p, v in votes.items()
            ]
    ElectionResult.objects.bulk_create(rows, batch_size=2000)


def _council(rng, people, region, election_year, end, municipalities, parties) -> Council:
    """One council with SEATS_PER_COUNCIL seats: every mayor of the region, the rest party-elected;
    about one seat in six changes holder during the term (closed row + new row)."""
    start = term_start(election_year)
    current = end is None
    letters = list(SHARES)
    specs = []  # (kind, municipality, party, holder, substitute)
    for muni in municipalities[:SEATS_PER_COUNCIL]:
        party = parties[rng.choice(["A", "A", "C", "V"])]
        mayor = people.make(muni, party, start, end, "mayor" if current else "", start if current else None)
        deputy = people.make(muni, parties[rng.choice(letters)], start, end, "deputy1" if current else "")
        specs.append((Seat.Kind.MAYOR, muni, party, mayor, deputy))
    while len(specs) < SEATS_PER_COUNCIL:
        muni = rng.choice(municipalities)
        party = parties[rng.choices(letters, weights=list(SHARES.values()))[0]]
        specs.append(
            (
                Seat.Kind.ELECTED,
                muni,
                party,
                people.make(muni, party, start, end),
                people.make(muni, party, start, end),
            )
        )
    changes = {}  # seat number -> (day of change, new holder)
    last_day = end or core.time.today()
    for number, (_kind, muni, party, *_rest) in enumerate(specs, start=1):
        if number > 2 and rng.random() < 1 / 6:
            day = start + datetime.timedelta(days=rng.randint(60, max(61, (last_day - start).days - 1)))
            changes[number] = (day, people.make(muni, party, start, end))
    Politician.objects.bulk_create(
        [p for spec in specs for p in spec[3:]] + [holder for _day, holder in changes.values()],
        batch_size=2000,
    )
    council = Council.objects.create(
        region=region, term_start=start, term_end=end, election_year=election_year
    )
    seats = []
    for number, (kind, muni, party, holder, substitute) in enumerate(specs, start=1):
        common = {"council": council, "number": number, "kind": kind, "party": party, "municipality": muni}
        if number in changes:
            day, new_holder = changes[number]
            seats.append(
                Seat(
                    **common,
                    holder=holder,
                    substitute=substitute,
                    valid_from=start,
                    valid_to=day - datetime.timedelta(days=1),
                )
            )
            seats.append(
                Seat(**common, holder=new_holder, substitute=substitute, valid_from=day, valid_to=end)
            )
        else:
            seats.append(Seat(**common, holder=holder, substitute=substitute, valid_from=start, valid_to=end))
    Seat.objects.bulk_create(seats, batch_size=2000)
    council.chair, council.vice_chair = specs[0][3], specs[1][3]
    council.save(update_fields=["chair", "vice_chair"])
    return council


def _user(email, name, politician=None, password=None) -> User:
    return User.objects.create(email=email, name=name, politician=politician, password=password)


def _personas(hovedstaden: Council, password: str) -> dict[str, User]:
    region = hovedstaden.region
    seat = (
        Seat.objects.current()
        .filter(council=hovedstaden, kind=Seat.Kind.ELECTED)
        .select_related("holder", "substitute")
        .order_by("number")
        .first()
    )
    users = {
        SECRETARIAT: _user(SECRETARIAT, "Sara Sekretær", password=password),
        MEMBER: _user(MEMBER, seat.holder.name, seat.holder, password),
        SUBSTITUTE: _user(SUBSTITUTE, seat.substitute.name, seat.substitute, password),
        CHAIR: _user(CHAIR, hovedstaden.chair.name, hovedstaden.chair, password),
        CLERK: _user(CLERK, "Karl Kommunal", password=password),
        REGION_OFFICER: _user(REGION_OFFICER, "Rikke Regionsøkonom", password=password),
    }
    Role.objects.bulk_create(
        [
            Role(user=users[SECRETARIAT], kind=RoleKind.SECRETARIAT, region=region),
            Role(user=users[REGION_OFFICER], kind=RoleKind.REGION_OFFICER, region=region),
            Role(
                user=users[CLERK],
                kind=RoleKind.CLERK,
                municipality=Municipality.objects.get(code=CLERK_MUNICIPALITY),
            ),
        ]
    )
    for email in (SECRETARIAT, REGION_OFFICER):
        TOTPDevice.objects.create(user=users[email], name="Bench", confirmed=True)
    return users


def generate(rng: random.Random) -> None:
    today = core.time.today()
    parties = {p.letter: p for p in Party.objects.all()}
    years = election_years(today)
    municipalities = list(Municipality.objects.order_by("-population", "code"))
    _election_results(rng, years, municipalities, parties)
    people = _People(rng)
    current = {}
    for region in Region.objects.order_by("code"):
        munis = [m for m in municipalities if m.region_id == region.id]
        for i, year in enumerate(years):
            end = term_start(years[i + 1]) - datetime.timedelta(days=1) if i + 1 < len(years) else None
            council = _council(rng, people, region, year, end, munis, parties)
        current[region.code] = council
    plain = [
        people.make(muni, parties[rng.choice(list(SHARES))], term_start(years[-1]), None)
        for muni in municipalities
        for _ in range(PLAIN_MEMBERS_PER_MUNICIPALITY)
    ]
    Politician.objects.bulk_create(plain, batch_size=2000)
    _personas(current[HOVEDSTADEN], make_password(PASSWORD))


def pages() -> list[tuple[str, str, str | None]]:
    hovedstaden = Council.objects.current().get(region__code=HOVEDSTADEN)
    return [
        ("start: secretariat", "/", SECRETARIAT),
        ("start: member", "/", MEMBER),
        ("start: clerk", "/", CLERK),
        ("start: region officer", "/", REGION_OFFICER),
        ("login page", "/konto/login/", None),
        ("council list", "/kkr/", SECRETARIAT),
        ("council with 60 seats", f"/kkr/{hovedstaden.pk}/", MEMBER),
    ]


def measures() -> dict:
    return {}
