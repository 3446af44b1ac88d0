"""Demo data of meetings (seed_demo runs it; idempotent): a year of KKR Hovedstaden meetings
around today, with published agendas, attendance, votes and minutes for the past ones, a
published agenda with a reported absence and a planned meeting with a pending proposal."""

import datetime

from django.utils import timezone

import core.time
from accounts.models import RoleKind, User
from appointments.models import Council, Seat

from . import services
from .models import AgendaItem, Attendance, Meeting
from .selectors import meeting_seat_of

K = AgendaItem.Kind
# (title, kind, indstilling, case text, closed)
THEMES = [
    (
        "Sundhedsaftalen 2024-2027: status på implementering",
        K.DECISION,
        "Det indstilles, at KKR Hovedstaden godkender statusrapporten og de fælles indsatser for 2027.",
        "Sundhedskoordinationsudvalget har fulgt op på de fire indsatsområder i sundhedsaftalen: "
        "sammenhængende forløb, forebyggelse, psykiatri og data. Kommunerne og Region Hovedstaden "
        "har i fællesskab prioriteret det nære sundhedsvæsen.",
        False,
    ),
    (
        "Rammeaftale 2027 for det specialiserede socialområde og specialundervisning",
        K.DECISION,
        "Det indstilles, at KKR anbefaler kommunalbestyrelserne og regionsrådet at godkende rammeaftalen.",
        "Rammeaftalen sætter rammerne for samarbejdet om højt specialiserede tilbud og takstudviklingen. "
        "Styringsaftalen fastholder, at taksterne højst må stige med pris- og lønudviklingen minus 1 pct.",
        False,
    ),
    (
        "Infrastruktur: fælles kommunale prioriteringer for hovedstadsregionen",
        K.DISCUSSION,
        "Det indstilles, at KKR drøfter udkast til fælles infrastrukturudspil.",
        "Kommunerne i hovedstadsregionen har i Trafikkommissionen peget på en ny Ring 5, udbygning af "
        "S-banen og bedre kollektiv trafik på tværs af kommunegrænser.",
        False,
    ),
    (
        "Beskæftigelse: den regionale arbejdsmarkedssituation og rekruttering",
        K.ORIENTATION,
        "Det indstilles, at KKR tager orienteringen til efterretning.",
        "Ledigheden i regionen er lav, og rekrutteringsudfordringerne på det kommunale område vokser, "
        "særligt inden for sundhed, ældrepleje og pædagogik.",
        False,
    ),
    (
        "IV-behandling i kommunalt regi: opfølgning på aftalen",
        K.DECISION,
        "Det indstilles, at KKR godkender opfølgningen og tager stilling til forlængelse af aftalen.",
        "Aftalen om intravenøs behandling i kommunalt regi trådte i kraft 4. oktober 2021. Antallet af "
        "forløb følges kvartalsvist, og aftalen evalueres efter to år.",
        False,
    ),
    (
        "Udpegning af kommunal repræsentant til bestyrelsen for Professionshøjskolen",
        K.DECISION,
        "Det indstilles, at KKR udpeger en repræsentant efter drøftelse af de indstillede kandidater.",
        "Punktet behandles lukket, da det vedrører enkeltpersoner.",
        True,
    ),
    (
        "Klima: status på DK2020-planerne og fælles regionale indsatser",
        K.ORIENTATION,
        "Det indstilles, at KKR tager orienteringen til efterretning.",
        "Alle kommuner i regionen har vedtaget klimahandleplaner efter DK2020-metoden.",
        False,
    ),
    (
        "Uddannelse: flere unge i erhvervsuddannelse",
        K.DISCUSSION,
        "Det indstilles, at KKR drøfter de fælles mål for ungdomsuddannelse.",
        "Uddannelsesdækningen for de 25-årige ligger under målet i flere kommuner.",
        False,
    ),
    ("Meddelelser og eventuelt", K.ORIENTATION, "", "Orientering fra formandskabet og sekretariatet.", False),
]


def _weekday(day: datetime.date) -> datetime.date:
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def _at(day: datetime.date, hour: int = 15) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(_weekday(day), datetime.time(hour)))


def _add_items(meeting: Meeting, picks: list[int]) -> list[AgendaItem]:
    return [
        services.item_add(meeting=meeting, title=t, kind=k, recommendation=r, case_text=c, closed=cl)
        for t, k, r, c, cl in (THEMES[i] for i in picks)
    ]


def seed() -> list[str]:
    council = Council.objects.filter(region__code="1084").order_by("-term_start").first()
    if council is None:
        return ["meetings: no KKR Hovedstaden council, nothing seeded"]
    if Meeting.objects.filter(council=council).exists():
        return [f"meetings: {council.name} already has meetings"]
    secretariat = User.objects.filter(roles__kind=RoleKind.SECRETARIAT, roles__region=council.region).first()
    chair = User.objects.filter(politician=council.chair).first() or secretariat
    member = User.objects.filter(email="medlem@demo.kkr.dk").first()
    if secretariat is None:
        return ["meetings: no secretariat user, nothing seeded"]
    today = core.time.today()
    seats = list(Seat.objects.current().filter(council=council).order_by("number"))
    past = [-300, -210, -120, -40]
    for n, offset in enumerate(past):
        meeting = services.meeting_plan(
            council=council,
            starts_at=_at(today + datetime.timedelta(days=offset)),
            location="KL-huset, Weidekampsgade 10",
        )
        items = _add_items(meeting, [(n + i) % (len(THEMES) - 1) for i in range(5)] + [len(THEMES) - 1])
        services.agenda_approve(
            meeting=meeting, by=chair, now=_at(meeting.date - datetime.timedelta(days=9), 9)
        )
        services.agenda_publish(
            meeting=meeting, by=secretariat, now=_at(meeting.date - datetime.timedelta(days=8), 9)
        )
        present = 0
        for i, seat in enumerate(seats):
            status = (
                Attendance.Status.ABSENT
                if i % 9 == 4
                else Attendance.Status.SUBSTITUTE
                if i % 9 == 7 and seat.substitute_id
                else Attendance.Status.PRESENT
            )
            present += status != Attendance.Status.ABSENT
            services.attendance_record(meeting=meeting, seat=seat, status=status)
        if n == len(past) - 1:  # Bilag 1 1.4: a KL board member attends without a vote
            services.guest_add(meeting=meeting, name="Birgitte Holm", role="Medlem af KL's bestyrelse")
        texts = {}
        for item in items:
            if item.kind == K.DECISION:
                services.vote_record(
                    item=item, by=secretariat, yes=present - 12, no=4, abstain=2, leader_vote="yes"
                )
                texts[item.pk] = "Indstillingen blev godkendt."
            elif item.kind == K.DISCUSSION:
                texts[item.pk] = "KKR drøftede sagen og gav sekretariatet input til det videre arbejde."
            else:
                texts[item.pk] = "Orienteringen blev taget til efterretning."
        minutes = services.minutes_save(meeting=meeting, by=secretariat, texts=texts)
        services.minutes_approve(minutes=minutes, by=chair)
        services.minutes_publish(minutes=minutes, by=secretariat)

    soon = services.meeting_plan(
        council=council, starts_at=_at(today + datetime.timedelta(days=9)), location="Hillerød Rådhus"
    )
    _add_items(soon, [0, 1, 4, 5, 8])
    services.agenda_approve(meeting=soon, by=chair, now=timezone.now() - datetime.timedelta(days=2))
    services.agenda_publish(meeting=soon, by=secretariat, now=timezone.now() - datetime.timedelta(days=1))
    if member and member.politician_id:
        seat = meeting_seat_of(soon, member.politician_id)
        if seat:
            services.absence_report(meeting=soon, seat=seat, by=member, note="Byrådsmøde samme dag")

    later = services.meeting_plan(
        council=council,
        starts_at=_at(today + datetime.timedelta(days=45)),
        location="KL-huset, Weidekampsgade 10",
    )
    _add_items(later, [2, 3, 8])
    if member and member.politician_id:
        services.proposal_submit(
            meeting=later,
            politician=member.politician,
            user=member,
            title="Fælles indsats for rekruttering af sosu-personale",
            description="Jeg foreslår, at KKR drøfter en fælles regional rekrutteringskampagne.",
        )
    # The draft is ready: the chair is asked to approve it (the chair's notice, the page's note).
    if chair != secretariat:
        services.agenda_approval_request(meeting=later, by=secretariat)
    services.meeting_plan(
        council=council, starts_at=_at(today + datetime.timedelta(days=110)), location="KL-huset"
    )
    return [f"meetings: {council.name}: 7 meetings, 4 with published minutes and votes"]
