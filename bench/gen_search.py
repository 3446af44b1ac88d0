"""The archive at production scale: the search entries of ten years of meetings (bench/gen_meetings.py
runs first: plugins run in name order), built the way `manage.py search_index` builds them.

pages() times the search page for a member, the public and the secretariat (ranked, newest first,
one kind in one KKR) and the decision register; measures() times indexing one 25-item meeting (the
work a publish adds) and the full rebuild."""

import random

from django.db.models import Count

from appointments.models import Council
from archive import index
from meetings.models import Meeting

from .gen_meetings import MEMBER, SECRETARIAT


def generate(rng: random.Random) -> None:
    index.index_all()


def _region_id(code: str = "1084") -> int | None:
    council = Council.objects.filter(region__code=code).first()
    return council.region_id if council else None


def pages() -> list[tuple[str, str, str | None]]:
    region = _region_id()
    return [
        ("archive: search 'sundhedsaftalen', ten years (member)", "/arkiv/?q=sundhedsaftalen", MEMBER),
        ("archive: search 'IV-behandling' (public)", "/arkiv/?q=IV-behandling", None),
        (
            "archive: search, newest first, page 3 (public)",
            "/arkiv/?q=indstillingen&order=newest&side=3",
            None,
        ),
        (
            "archive: search decisions in one KKR (secretariat)",
            f"/arkiv/?q=godkendt&kind=decision&region={region}",
            SECRETARIAT,
        ),
        (
            "archive: decision register, ten years (secretariat)",
            "/arkiv/beslutninger/hovedstaden/",
            SECRETARIAT,
        ),
        ("archive: decision register, ten years (member)", "/arkiv/beslutninger/hovedstaden/", MEMBER),
    ]


def measures() -> dict:
    meeting = (
        Meeting.objects.filter(agenda_published_at__isnull=False)
        .annotate(n=Count("items"))
        .filter(n__gte=25)
        .order_by("-starts_at")
        .first()
    )
    return {
        "archive: index one 25-item meeting": lambda: index.index_meeting(meeting),
        "archive: rebuild the whole index": index.index_all,
    }
