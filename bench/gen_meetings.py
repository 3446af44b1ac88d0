"""Production-scale meetings: ten years of meetings for all five KKR (5 a year), 25 agenda items
each (every fifth closed), published agendas, attendance for every seat, votes on decision items
and published minutes with a decision per item.

pages() names the key pages to time; measures() times the PDF of a 25-item minutes (members' and
public versions) and the quorum of a 60-seat meeting.
"""

import datetime
import random

from django.utils import timezone

import core.time
from appointments.models import Council, Seat
from meetings.models import (
    AgendaItem,
    Attendance,
    Decision,
    Document,
    Meeting,
    Minutes,
    MinutesVersion,
    Vote,
)

SECRETARIAT = "secretariat@bench.dk"
MEMBER = "member@bench.dk"
YEARS = 10
MEETINGS_PER_YEAR = 5
ITEMS = 25
THEMES = [
    "Sundhedsaftale: status og fælles indsatser",
    "Rammeaftale for det specialiserede socialområde",
    "Infrastruktur og kollektiv trafik",
    "Beskæftigelse og rekruttering",
    "IV-behandling i kommunalt regi",
    "Klima og DK2020",
    "Uddannelse: ungdomsuddannelser",
    "Udpegning til regionalt organ",
    "Praksisplan for almen praksis",
    "Meddelelser",
]
KINDS = [AgendaItem.Kind.DECISION, AgendaItem.Kind.DISCUSSION, AgendaItem.Kind.ORIENTATION]


def _meeting_days(year: int, rng: random.Random) -> list[datetime.date]:
    days = []
    for month in (2, 4, 6, 9, 11)[:MEETINGS_PER_YEAR]:
        day = datetime.date(year, month, rng.randint(3, 24))
        while day.weekday() >= 5:
            day += datetime.timedelta(days=1)
        days.append(day)
    return days


def _council_on(councils: list[Council], day: datetime.date) -> Council:
    for council in councils:
        if council.term_start <= day and (council.term_end is None or day <= council.term_end):
            return council
    return councils[0]  # before the first term we have: the earliest council


def generate(rng: random.Random) -> None:
    from accounts.models import User

    today = core.time.today()
    secretariat = User.objects.get(email=SECRETARIAT)
    tz = timezone.get_current_timezone()
    meetings = []
    for region_id in Council.objects.values_list("region_id", flat=True).distinct().order_by("region_id"):
        councils = list(Council.objects.filter(region_id=region_id).order_by("term_start"))
        for year in range(today.year - YEARS + 1, today.year + 1):
            for day in _meeting_days(year, rng):
                if day >= today:
                    continue
                starts = datetime.datetime.combine(day, datetime.time(15), tzinfo=tz)
                meetings.append(
                    Meeting(
                        council=_council_on(councils, day),
                        starts_at=starts,
                        location="KL-huset",
                        status=Meeting.Status.HELD,
                        agenda_published_at=starts - datetime.timedelta(days=8),
                    )
                )
    Meeting.objects.bulk_create(meetings, batch_size=1000)

    items = [
        AgendaItem(
            meeting=m,
            order=n + 1,
            title=f"{THEMES[(n + m.starts_at.month) % len(THEMES)]} ({n + 1})",
            kind=KINDS[n % 3],
            recommendation="Det indstilles, at KKR godkender indstillingen.",
            case_text="Sagsfremstilling. " * rng.randint(20, 80),
            closed=n % 5 == 4,
        )
        for m in meetings
        for n in range(ITEMS)
    ]
    AgendaItem.objects.bulk_create(items, batch_size=2000)

    seats_by_council: dict[int, list[Seat]] = {}
    for seat in Seat.objects.order_by("council_id", "number"):
        seats_by_council.setdefault(seat.council_id, []).append(seat)
    attendance, present_count = [], {}
    for m in meetings:
        seats = [
            s
            for s in seats_by_council.get(m.council_id, [])
            if s.valid_from <= m.starts_at.date() and (s.valid_to is None or m.starts_at.date() <= s.valid_to)
        ]
        present = 0
        for seat in seats:
            roll = rng.random()
            if roll < 0.1:
                attendance.append(Attendance(meeting=m, seat=seat, status=Attendance.Status.ABSENT))
            elif roll < 0.2 and seat.substitute_id:
                attendance.append(
                    Attendance(
                        meeting=m,
                        seat=seat,
                        status=Attendance.Status.SUBSTITUTE,
                        attendee_id=seat.substitute_id,
                    )
                )
                present += 1
            else:
                attendance.append(
                    Attendance(
                        meeting=m, seat=seat, status=Attendance.Status.PRESENT, attendee_id=seat.holder_id
                    )
                )
                present += 1
        present_count[m.pk] = present
    Attendance.objects.bulk_create(attendance, batch_size=5000)

    votes = []
    for item in items:
        if item.kind != AgendaItem.Kind.DECISION:
            continue
        present = present_count[item.meeting.pk]
        no = rng.randint(0, present // 3)
        abstain = rng.randint(0, 2) if present - no > 2 else 0
        votes.append(
            Vote(
                item=item,
                yes=present - no - abstain,
                no=no,
                abstain=abstain,
                passed=present - no - abstain > no,
                present_seats=present,
                recorded_by=secretariat,
            )
        )
    Vote.objects.bulk_create(votes, batch_size=5000)

    minutes = [
        Minutes(
            meeting=m,
            status=Minutes.Status.PUBLISHED,
            version=1,
            published_version=1,
            approved_by=secretariat,
            approved_at=m.starts_at + datetime.timedelta(days=7),
            published_at=m.starts_at + datetime.timedelta(days=8),
        )
        for m in meetings
    ]
    Minutes.objects.bulk_create(minutes, batch_size=1000)
    MinutesVersion.objects.bulk_create(
        (
            MinutesVersion(minutes=r, number=1, created_by=secretariat, approved_at=r.approved_at)
            for r in minutes
        ),
        batch_size=1000,
    )
    by_meeting = {r.meeting.pk: r for r in minutes}
    Decision.objects.bulk_create(
        (
            Decision(
                minutes=by_meeting[item.meeting.pk],
                version=1,
                item=item,
                text="Indstillingen blev godkendt."
                if item.kind == AgendaItem.Kind.DECISION
                else "Taget til efterretning.",
            )
            for item in items
        ),
        batch_size=5000,
    )


def _latest(region_code: str = "1084") -> Meeting | None:
    return (
        Meeting.objects.filter(council__region__code=region_code, minutes__published_version__isnull=False)
        .order_by("-starts_at")
        .first()
    )


def pages() -> list[tuple[str, str, str | None]]:
    meeting = _latest()
    council = Council.objects.filter(region__code="1084").order_by("-term_start").first()
    result = [
        ("meetings: index (member)", "/moeder/", MEMBER),
        ("meetings: public KKR list", "/moeder/offentlig/hovedstaden/", None),
        ("meetings: public calendar", "/moeder/offentlig/hovedstaden/kalender.ics", None),
    ]
    if council:
        result.append(("meetings: year plan (secretariat)", f"/moeder/kkr/{council.pk}/", SECRETARIAT))
    if meeting:
        result += [
            ("meetings: 25-item meeting (secretariat)", f"/moeder/{meeting.pk}/", SECRETARIAT),
            ("meetings: 25-item minutes (secretariat)", f"/moeder/{meeting.pk}/referat/", SECRETARIAT),
            ("meetings: attendance register", f"/moeder/{meeting.pk}/fremmoede/", SECRETARIAT),
            ("meetings: public meeting with minutes", f"/moeder/offentlig/moede/{meeting.pk}/", None),
        ]
    return result


def measures() -> dict:
    from core.pdf import render_pdf
    from meetings.documents import pdf_context
    from meetings.selectors import quorum_state

    meeting = _latest()

    def minutes_pdf(kind):
        return lambda: render_pdf("meetings/pdf/document.html", pdf_context(meeting, kind))

    return {
        "meetings: minutes PDF, 25 items (members)": minutes_pdf(Document.Kind.MINUTES),
        "meetings: minutes PDF, 25 items (public)": minutes_pdf(Document.Kind.MINUTES_PUBLIC),
        "meetings: agenda PDF, 25 items (members)": minutes_pdf(Document.Kind.AGENDA),
        "meetings: quorum of a full meeting": lambda: quorum_state(meeting),
    }
