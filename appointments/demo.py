"""Demo data: municipal election results of Region Hovedstaden and KKR Hovedstaden 2022-2025,
its composition computed by the engine, the constituent meeting with the chair election, and
regional bodies with appointments made by majority and proportional elections.

Names are invented; vote shares are plausible, not official figures. Every write goes through
the services, so the demo obeys the same rules as the pages.
"""

import datetime
import random

from django.utils import timezone

import core.time
from accounts.demo import demo_user
from register.models import ElectionResult, Municipality, Party, Politician, Region

from . import services
from .allocation import dhondt
from .models import Appointment, Body, Council, Election, Seat

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
MEETING_AT = (2022, 1, 27, 10, 0)
# Blocs as in Danish politics: S (list A) leads the red bloc; C, V, I, O and Æ are the blue. A local
# list (L) and M (the centre) join neither.
ALLIANCES = {"Rødt forbund": ["A", "F", "Ø", "B", "Å"], "Blåt forbund": ["C", "V", "I", "O", "Æ", "D", "K"]}
# Regional bodies (FO 2.2): name, description, term end, posts (name, seats).
BODIES = [
    (
        "Sundhedskoordinationsudvalget",
        "Koordinerer sundhedsaftalen mellem regionen og kommunerne.",
        (2026, 12, 31),
        [("Kommunale medlemmer", 4), ("Næstformand", 1)],
    ),
    (
        "Praksisplanudvalget",
        "Planlægning af almen praksis i regionen.",
        (2027, 3, 31),
        [("Kommunale repræsentanter", 2)],
    ),
    (
        "Det regionale arbejdsmarkedsråd (RAR Hovedstaden)",
        "Beskæftigelsesindsatsen i landsdelen.",
        (2026, 12, 31),
        [("Medlemmer", 3)],
    ),
    (
        "Erhvervshus Hovedstaden, bestyrelsen",
        "Erhvervsfremme i hovedstadsområdet.",
        (2027, 6, 30),
        [("Bestyrelsesmedlemmer", 2), ("Formand", 1)],
    ),
    (
        "Greater Copenhagen, komitéen",
        "Regionalt samarbejde i Øresundsregionen.",
        (2026, 1, 31),
        [("Medlemmer", 3)],
    ),
    ("Trafikselskabet Movia, repræsentantskabet", "Kollektiv bustrafik.", None, [("Repræsentanter", 4)]),
    (
        "Københavns Professionshøjskole, bestyrelsen",
        "Uddannelse af professionsbachelorer.",
        (2027, 3, 31),
        [("Bestyrelsesmedlem", 1)],
    ),
    (
        "Rammeaftalen for det specialiserede socialområde, styregruppen",
        "Koordination af tilbud.",
        (2026, 12, 31),
        [("Politiske repræsentanter", 2)],
    ),
    ("Vandrådet for Øresund", "Rådgivning om vandområdeplaner.", (2027, 12, 31), [("Medlem", 1)]),
    (
        "Wonderful Copenhagen, bestyrelsen",
        "Turisme og erhvervsturisme.",
        (2027, 6, 30),
        [("Bestyrelsesmedlem", 1)],
    ),
    (
        "Det Regionale Vækstforum (afviklet 2019), efterfølgende udvalg",
        "Regional udvikling.",
        (2027, 12, 31),
        [("Medlemmer", 2)],
    ),
    (
        "Patientinddragelsesudvalget",
        "Inddragelse af patienter og pårørende.",
        (2027, 12, 31),
        [("Medlemmer", 2)],
    ),
]
BODY_TERM_START = datetime.date(2022, 3, 1)

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


def _politician(rng, used, municipality, party, office="", mayor_since=None):
    birth = datetime.date(rng.randint(1950, 1992), rng.randint(1, 12), rng.randint(1, 28))
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


def seed_council(region: Region) -> tuple[Council, list[str]]:
    """KKR Hovedstaden 2022-2025: mayors, then the party-elected members the engine computes."""
    existing = Council.objects.filter(region=region, term_start=TERM_START).first()
    if existing:
        return existing, [f"{existing.name} exists"]
    parties = {p.letter: p for p in Party.objects.all()}
    rng = random.Random("kkr-hovedstaden-2022")
    used: set[str] = set(Politician.objects.values_list("name", flat=True))
    municipalities = list(Municipality.objects.filter(region=region).order_by("code"))
    mayors = {}
    for municipality in municipalities:
        since = datetime.date(rng.choice([2006, 2010, 2014, 2018, 2022]), 1, 1)
        mayors[municipality.code] = _politician(
            rng, used, municipality, parties[MAYOR_PARTY[municipality.code]], Politician.Office.MAYOR, since
        )
        _politician(rng, used, municipality, parties[rng.choice("VCFØA")], Politician.Office.DEPUTY_1)
        _politician(rng, used, municipality, parties[rng.choice("BOV")], Politician.Office.DEPUTY_2)
    council = Council.objects.create(region=region, term_start=TERM_START, election_year=ELECTION_YEAR)
    composition = services.council_composition(council)
    deputies = {
        p.municipality_id: p
        for p in Politician.objects.filter(municipality__region=region, office=Politician.Office.DEPUTY_1)
    }
    for municipality in municipalities:
        mayor = mayors[municipality.code]
        services.seat_fill(
            council=council,
            kind=Seat.Kind.MAYOR,
            party=mayor.party,
            municipality=municipality,
            holder=mayor,
            substitute=deputies[municipality.pk],
            valid_from=TERM_START,
        )
    # Each list's council members name its extra members, spread over the municipalities.
    by_votes = {
        r.municipality_id: r.votes
        for r in ElectionResult.objects.filter(year=ELECTION_YEAR, party__letter="A")
    }
    weights = [by_votes.get(m.pk, 1) for m in municipalities]
    for row in composition.rows:
        for _ in range(row.extra_members):
            party = parties[row.members[rng.randrange(len(row.members))]]
            municipality = rng.choices(municipalities, weights)[0]
            services.seat_fill(
                council=council,
                kind=Seat.Kind.ELECTED,
                party=party,
                municipality=municipality,
                holder=_politician(rng, used, municipality, party),
                substitute=_politician(rng, used, rng.choice(municipalities), party),
                valid_from=TERM_START,
            )
    # Plain council members of the region (survey audience, appointees).
    for municipality in municipalities:
        for _ in range(4):
            _politician(rng, used, municipality, parties[rng.choice(list(BASE_SHARES))])
    lines = [
        f"{council.name}: composition computed by d'Hondt: N={composition.size} (cap {composition.cap}), "
        f"{composition.mayors} mayors + {composition.extra_members} party-elected = {composition.members} members"
    ]
    lines += seed_constituent_meeting(council, mayors["101"])
    lines += seed_history(council, rng, used)
    return council, lines


def seed_constituent_meeting(council: Council, preferred_chair, meeting=MEETING_AT) -> list[str]:
    meeting_at = timezone.make_aware(datetime.datetime(*meeting))
    services.council_constituent_meeting_set(council=council, meeting_at=meeting_at)
    represented = set(services.council_lists(council))
    parties = {p.letter: p for p in Party.objects.all()}
    for name, letters in ALLIANCES.items():
        members = [parties[x] for x in letters if x in represented]
        if len(members) >= 2:
            services.alliance_declare(
                council=council,
                name=name,
                parties=members,
                declared_at=meeting_at - datetime.timedelta(minutes=30),
            )
    election = services.chair_election_run(council=council, seed=meeting[0])
    Election.objects.filter(pk=election.pk).update(held_at=meeting_at + datetime.timedelta(minutes=20))
    chairs = services.chair_candidates(election, 1)
    chair = preferred_chair if preferred_chair in chairs else chairs[0]
    vices = [p for p in services.chair_candidates(election, 2) if p != chair]
    mayor_ids = set(
        Seat.objects.filter(council=council, kind=Seat.Kind.MAYOR).values_list("holder_id", flat=True)
    )
    vice = next((p for p in vices if p.pk in mayor_ids), vices[0])
    services.chair_election_name(election=election, chair=chair, vice_chair=vice)
    council.refresh_from_db()
    return [f"Chair election: {' / '.join(election.result['winners'])} -> chair {chair}, vice-chair {vice}"]


def seed_history(council: Council, rng, used) -> list[str]:
    """A member replaced mid-term and a substitute standing in, so the history has content."""
    elected = list(Seat.objects.current().filter(council=council, kind=Seat.Kind.ELECTED).order_by("number"))
    if len(elected) < 3:
        return []
    leaving = elected[-1]
    municipality = leaving.municipality
    services.seat_replace(
        seat=leaving,
        holder=_politician(rng, used, municipality, leaving.party),
        substitute=_politician(rng, used, municipality, leaving.party),
        on=datetime.date(2024, 3, 1),
        reason="Udtrådt af kommunalbestyrelsen (Bilag 1 1.8)",
    )
    absent = elected[-2]
    services.stand_in_create(
        seat=absent,
        starts_on=datetime.date(2023, 9, 1),
        ends_on=datetime.date(2024, 2, 29),
        decided_on=datetime.date(2023, 8, 24),
        reason="Barselsorlov",
    )
    return ["Seat history: one member replaced, one substitute stood in for six months"]


def seed_bodies(region: Region, council: Council) -> list[str]:
    rng = random.Random("kkr-hovedstaden-bodies")
    seated = set(Seat.objects.filter(council=council).values_list("holder_id", flat=True))
    plain = list(
        Politician.objects.filter(municipality__region=region, office="", council_to__isnull=True)
        .exclude(pk__in=seated)
        .exclude(pk__in=Seat.objects.filter(council=council).values("substitute_id"))
        .order_by("id")
    )
    members = list(Politician.objects.filter(pk__in=seated).order_by("id"))
    pool = plain + members  # plain[0] is the demo appointee login (udpeget@)
    created = 0
    today = core.time.today()
    for name, description, end, posts in BODIES:
        if Body.objects.filter(region=region, name=name).exists():
            continue
        body = services.body_create(
            region=region,
            name=name,
            description=description,
            term_start=BODY_TERM_START,
            term_end=datetime.date(*end) if end else None,
            posts=posts,
        )
        created += 1
        # A body whose term has run out shows its appointments as history, made when it began.
        on = today if body.term_end is None or today <= body.term_end else BODY_TERM_START
        for post in body.posts.order_by("name"):
            if post.is_majority:
                first = pool.pop(0)
                second = pool.pop(rng.randrange(len(pool)))
                services.majority_round_record(
                    post=post, present=44, ballots={first: 20, second: 18}, seed=1, on=on
                )
                services.majority_round_record(
                    post=post, present=44, ballots={first: 24, second: 19}, seed=1, on=on
                )
                continue
            groups = [("Rød blok", 26, ""), ("Blå blok", 24, "")]
            election = services.proportional_election_run(post=post, present=50, groups=groups, seed=7, on=on)
            for group, seats in election.result["seats"].items():
                for _ in range(seats):
                    services.appointment_create(
                        post=post,
                        politician=pool.pop(rng.randrange(len(pool))),
                        on=on,
                        election=election,
                        group=group,
                    )
    lines = seed_renewed_term(region, pool, rng) if created else []
    total = Appointment.objects.filter(post__body__region=region).count()
    return [f"Regional bodies: {created} created, {total} appointments in {region.short_name}", *lines]


RENEWED_BODY = "Greater Copenhagen, komitéen"
RENEWED_TERM_END = datetime.date(2030, 1, 31)


def seed_renewed_term(region: Region, pool: list, rng: random.Random) -> list[str]:
    """A body whose term ran out, with its new term recorded and staffed by a proportional
    election (issue 13.6): the body page lists both terms."""
    old = Body.objects.filter(region=region, name=RENEWED_BODY).latest_terms().get()
    today = core.time.today()
    if old.term_end is None or old.term_end >= today:
        return []
    new = services.body_term_record(
        body=old, term_start=old.term_end + datetime.timedelta(days=1), term_end=RENEWED_TERM_END
    )
    for post in new.posts.order_by("name"):
        election = services.proportional_election_run(
            post=post, present=50, groups=[("Rød blok", 27, ""), ("Blå blok", 23, "")], seed=11, on=today
        )
        for group, seats in election.result["seats"].items():
            for _ in range(seats):
                services.appointment_create(
                    post=post,
                    politician=pool.pop(rng.randrange(len(pool))),
                    on=today,
                    election=election,
                    group=group,
                )
    return [
        f"{RENEWED_BODY}: new term {new.term_start:%d.%m.%Y}-{new.term_end:%d.%m.%Y} recorded and staffed"
    ]


def seed_logins(region: Region, council: Council) -> None:
    """The demo logins of politicians (accounts.demo prints them): their roles follow from the
    register this app seeds."""
    demo_user("formand@demo.kkr.dk", council.chair.name, council.chair)
    seat = Seat.objects.current().filter(council=council, kind=Seat.Kind.ELECTED).order_by("number").first()
    demo_user("medlem@demo.kkr.dk", seat.holder.name, seat.holder)
    demo_user("suppleant@demo.kkr.dk", seat.substitute.name, seat.substitute)
    seated = Seat.objects.filter(council=council).values_list("holder_id", flat=True)
    substitutes = Seat.objects.filter(council=council).values_list("substitute_id", flat=True)
    plain = (
        Politician.objects.filter(municipality__region=region, office="", user__isnull=True)
        .exclude(id__in=seated)
        .exclude(id__in=substitutes)
        .order_by("id")
        .first()
    )
    demo_user("udpeget@demo.kkr.dk", plain.name, plain)


def seed() -> list[str]:
    region = Region.objects.get(code="1084")
    seed_election_results(region)
    council, lines = seed_council(region)
    lines += seed_bodies(region, council)
    from .demo_term import seed_term_change  # demo_term builds on this module's seeders

    lines += seed_term_change(region)
    # The politicians' demo logins belong to the council now in office (the term change made it).
    seed_logins(region, Council.objects.filter(region=region).order_by("-term_start").first())
    return lines
