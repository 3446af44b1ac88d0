"""Production-scale appointments data: 112 regional bodies across the five regions (002) with
posts, elections (with their quotient tables or rounds) and about 250 current appointees, plus the
previous term's ended appointments; the chair election and declared alliances of each current
council; stand-ins for long absence. The member persona (member@bench.dk) is appointed too, so
"my appointments" can be timed.

Runs after bench/gen_foundation.py (councils with 60 seats and history, plain council members).
"""

import datetime
import random

from django.db.models import Sum
from django.utils import timezone

import core.time
from appointments.allocation import allocate_with_alliances, majority_round
from appointments.models import (
    Appointment,
    Body,
    Council,
    Election,
    ElectionRound,
    ElectoralAlliance,
    Post,
    Seat,
    StandIn,
)
from register.models import ElectionResult, Party, Politician, Region

BODIES = 112
MEMBER = "member@bench.dk"
SECRETARIAT = "secretariat@bench.dk"
HOVEDSTADEN = "1084"
NAMES = [
    "Sundhedskoordinationsudvalget",
    "Praksisplanudvalget",
    "Det regionale arbejdsmarkedsråd",
    "Erhvervshuset, bestyrelsen",
    "Professionshøjskolen, bestyrelsen",
    "Trafikselskabet, repræsentantskabet",
    "Rammeaftalen, styregruppen",
    "Vandrådet",
    "Turistorganisationen, bestyrelsen",
    "Patientinddragelsesudvalget",
    "Erhvervsakademiet, bestyrelsen",
    "Klimasamarbejdet, styregruppen",
    "Uddannelsesrådet",
    "Kulturregionen, styregruppen",
    "Affaldsselskabet, repræsentantskabet",
    "Beredskabskommissionen",
    "Psykiatriudvalget",
    "Naturparkens bestyrelse",
    "Det regionale vækstudvalg",
    "Infrastrukturforum",
    "Forsyningssekretariatet",
    "Ungdomsuddannelsesrådet",
    "Socialtilsynets følgegruppe",
]
POSTS = [("Medlemmer", (2, 3)), ("Formand", (1, 1)), ("Suppleanter", (1, 2))]


def _term(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    start = datetime.date(today.year - 1, 3, 1)
    return start, datetime.date(start.year + 4, 2, 28)


def _chair_elections(rng, now) -> None:
    parties = {p.letter: p for p in Party.objects.all()}
    for council in Council.objects.current().select_related("region"):
        letters = sorted(
            set(Seat.objects.current().filter(council=council).values_list("party__letter", flat=True))
        )
        red = [x for x in letters if x in "AFØBÅ"]
        blue = [x for x in letters if x not in red]
        alliances = {}
        for name, group in (("Rødt forbund", red), ("Blåt forbund", blue)):
            if len(group) >= 2:
                alliance = ElectoralAlliance.objects.create(council=council, name=name, declared_at=now)
                alliance.parties.set([parties[x] for x in group])
                alliances.update(dict.fromkeys(group, name))
        votes = dict(
            ElectionResult.objects.filter(
                year=council.election_year, municipality__region=council.region, party__letter__in=letters
            )
            .values("party__letter")
            .annotate(total=Sum("votes"))
            .values_list("party__letter", "total")
        )
        votes = {letter: votes.get(letter) or rng.randint(1000, 5000) for letter in letters}
        outcome = allocate_with_alliances(votes, 2, alliances, seed=rng.randrange(2**31))
        Election.objects.create(
            council=council,
            kind=Election.Kind.CHAIR,
            seats=2,
            seed=outcome.seed,
            result=outcome.as_dict()
            | {"units": {x: [x] for x in letters}, "winners": list(outcome.groups.order)},
            held_at=now,
            elected_name=f"{council.chair} / {council.vice_chair}",
        )


def _stand_ins(rng) -> None:
    rows = []
    for council in Council.objects.current():
        seats = list(
            Seat.objects.current()
            .filter(council=council, kind=Seat.Kind.ELECTED, substitute__isnull=False)
            .order_by("number")[:40]
        )
        for seat in rng.sample(seats, k=min(3, len(seats))):
            start = seat.valid_from + datetime.timedelta(days=rng.randint(60, 200))
            rows.append(
                StandIn(
                    council=council,
                    seat_number=seat.number,
                    member_id=seat.holder_id,
                    stand_in_id=seat.substitute_id,
                    starts_on=start,
                    ends_on=start + datetime.timedelta(days=rng.randint(95, 200)),
                    decided_on=start - datetime.timedelta(days=7),
                    reason="Orlov",
                )
            )
    StandIn.objects.bulk_create(rows)


def generate(rng: random.Random) -> None:
    today = core.time.today()
    now = timezone.now()
    start, end = _term(today)
    prev_start = start - datetime.timedelta(days=4 * 365)
    regions = list(Region.objects.order_by("code"))
    councils = {c.region_id: c for c in Council.objects.current()}
    pools = {
        r.pk: list(
            Politician.objects.filter(municipality__region=r, council_to__isnull=True, office="").values_list(
                "pk", "name"
            )
        )
        for r in regions
    }
    for pool in pools.values():
        rng.shuffle(pool)
    bodies = []
    for i in range(BODIES):
        region = regions[i % len(regions)]
        name = NAMES[(i // len(regions)) % len(NAMES)]
        ends = end if i % 9 else today + datetime.timedelta(days=rng.randint(10, 55))  # some end soon
        bodies.append(Body(region=region, name=name, description="", term_start=start, term_end=ends))
        bodies.append(
            Body(
                region=region,
                name=name,
                description="",
                term_start=prev_start,
                term_end=start - datetime.timedelta(days=1),
            )
        )
    Body.objects.bulk_create(bodies, batch_size=1000)
    posts = []
    for body in Body.objects.all():
        for name, (low, high) in rng.sample(POSTS, k=rng.choice([1, 1, 2])):
            posts.append(Post(body=body, name=name, seats=rng.randint(low, high)))
    Post.objects.bulk_create(posts, batch_size=1000)
    elections, rounds_by_post, appointments_by_post = [], {}, {}
    for post in Post.objects.select_related("body"):
        region_id = post.body.region_id
        current = post.body.term_start == start
        pool = pools[region_id]
        chosen = rng.sample(pool, post.seats)
        when = datetime.datetime.combine(post.body.term_start, datetime.time(10), tzinfo=datetime.UTC)
        if post.seats == 1:
            pk, name = chosen[0]
            rival = next(other for other, _n in rng.sample(pool, 2) if other != pk)
            ballots = {str(pk): 30, str(rival): 20}
            outcome = majority_round(1, ballots, 52)
            elections.append(
                Election(
                    council=councils[region_id],
                    post=post,
                    kind=Election.Kind.MAJORITY,
                    seats=1,
                    present=52,
                    held_at=when,
                    elected_name=name,
                    result={"elected": str(pk), "name": name, "rounds": 1},
                )
            )
            rounds_by_post[post.pk] = (ballots, outcome.as_dict() | {"names": {str(pk): name}})
        else:
            groups = {
                "Rød blok": rng.randint(20, 30),
                "Blå blok": rng.randint(18, 28),
                "Midten": rng.randint(3, 8),
            }
            outcome = allocate_with_alliances(
                groups, post.seats, {"Midten": "Blå+M", "Blå blok": "Blå+M"}, seed=1
            )
            elections.append(
                Election(
                    council=councils[region_id],
                    post=post,
                    kind=Election.Kind.PROPORTIONAL,
                    seats=post.seats,
                    present=sum(groups.values()),
                    seed=outcome.seed,
                    result=outcome.as_dict(),
                    held_at=when,
                )
            )
        appointments_by_post[post.pk] = (chosen, current)
    Election.objects.bulk_create(elections, batch_size=1000)
    by_post = {e.post_id: e for e in Election.objects.filter(post__isnull=False)}
    ElectionRound.objects.bulk_create(
        [
            ElectionRound(election=by_post[post_id], number=1, present=52, ballots=ballots, result=result)
            for post_id, (ballots, result) in rounds_by_post.items()
        ],
        batch_size=1000,
    )
    rows = []
    posts_by_pk = {p.pk: p for p in Post.objects.select_related("body")}
    for post_id, (chosen, current) in appointments_by_post.items():
        post = posts_by_pk[post_id]
        election = by_post[post_id]
        groups = [g for g, n in election.result.get("seats", {}).items() for _ in range(n)]
        for k, (pk, _name) in enumerate(chosen):
            rows.append(
                Appointment(
                    post=post,
                    politician_id=pk,
                    election=election,
                    group=groups[k] if k < len(groups) else "",
                    valid_from=post.body.term_start,
                    valid_to=None if current else post.body.term_end,
                    end_reason="" if current else "Funktionsperioden udløb",
                )
            )
    Appointment.objects.bulk_create(rows, batch_size=2000)
    # The member persona is appointed too, so "my appointments" has rows.
    from accounts.models import User

    member = User.objects.filter(email=MEMBER).values_list("politician_id", flat=True).first()
    if member:
        extra = Post.objects.filter(body__region__code=HOVEDSTADEN, body__term_start=start).order_by("pk")[:3]
        Appointment.objects.bulk_create(
            Appointment(post=p, politician_id=member, valid_from=start) for p in extra
        )
    _chair_elections(rng, now)
    _stand_ins(rng)


def pages() -> list[tuple[str, str, str | None]]:
    council = Council.objects.current().get(region__code=HOVEDSTADEN)
    body = Body.objects.filter(region__code=HOVEDSTADEN).order_by("pk").first()
    post = Post.objects.filter(body__region__code=HOVEDSTADEN, seats__gt=1).order_by("pk").first()
    election = Election.objects.filter(council=council, kind=Election.Kind.CHAIR).first()
    return [
        ("appointments: composition", f"/kkr/{council.pk}/sammensaetning/", MEMBER),
        ("appointments: seat history", f"/kkr/{council.pk}/historik/", MEMBER),
        ("appointments: constituent meeting", f"/kkr/{council.pk}/konstituering/", SECRETARIAT),
        ("appointments: chair election", f"/kkr/valg/{election.pk}/", MEMBER),
        ("appointments: bodies", "/kkr/organer/", SECRETARIAT),
        ("appointments: body", f"/kkr/organer/{body.pk}/", SECRETARIAT),
        ("appointments: post", f"/kkr/poster/{post.pk}/", SECRETARIAT),
        ("appointments: overview by body", "/kkr/udpegninger/?by=body", SECRETARIAT),
        ("appointments: overview by municipality", "/kkr/udpegninger/?by=municipality", SECRETARIAT),
        ("appointments: export xlsx", "/kkr/udpegninger/eksport.xlsx", SECRETARIAT),
        ("appointments: my appointments", "/kkr/mine-udpegninger/", MEMBER),
    ]


def measures() -> dict:
    from appointments import services
    from appointments.allocation import allocate_with_alliances as alloc

    def dhondt_60_seats():
        rng = random.Random(1)
        votes = {f"L{i}": rng.randint(1000, 300_000) for i in range(12)}
        alloc(votes, 60, {"L1": "x", "L2": "x", "L5": "y", "L6": "y"}, seed=3)

    def composition_hovedstaden():
        services.council_composition(Council.objects.current().get(region__code=HOVEDSTADEN))

    def election_record_pdf():
        election = Election.objects.filter(kind=Election.Kind.PROPORTIONAL).order_by("pk").first()
        services.election_record_render(election_id=election.pk)

    return {
        "appointments: d'Hondt 60 seats with alliances": dhondt_60_seats,
        "appointments: composition of KKR Hovedstaden": composition_hovedstaden,
        "appointments: election record PDF": election_record_pdf,
    }
