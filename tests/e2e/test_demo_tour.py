"""A tour of the demo (`seed_demo`) as each kind of user sees it: every page passes the axe check,
and the screenshots of the README (docs/screenshots/) come from here, in Danish."""

import pathlib

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User

from .conftest import log_in, visit

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DOCS = pathlib.Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DEMO_PASSWORD = "demo-kkr-2026"  # noqa: S105 - the documented demo password
MAX_HEIGHT = 1800


def readme_shot(page, name: str) -> None:
    """A README picture: the top of the page (at most MAX_HEIGHT pixels), so it stays readable."""
    DOCS.mkdir(parents=True, exist_ok=True)
    height = min(page.evaluate("document.documentElement.scrollHeight"), MAX_HEIGHT)
    width = page.evaluate("document.documentElement.scrollWidth")
    page.screenshot(
        path=str(DOCS / f"{name}.png"),
        full_page=True,
        clip={"x": 0, "y": 0, "width": width, "height": height},
    )


def tour(page, email: str, stops: list[tuple[str, str]]) -> None:
    page.context.clear_cookies()
    log_in(page, User.objects.get(email=email), password=DEMO_PASSWORD)
    for name, url in stops:
        visit(page, url)
        readme_shot(page, name)


def test_demo_tour(page):
    call_command("seed_demo", verbosity=0)
    from appointments.models import Council
    from evaluations.models import Survey
    from meetings.models import Meeting

    council = Council.objects.current().get(region__code="1084")
    minuted = Meeting.objects.filter(minutes__status="published").order_by("-starts_at").first()
    coming = Meeting.objects.filter(status="published").order_by("starts_at").first() or minuted
    survey = Survey.objects.exclude(responses=None).order_by("opens_on").first()

    tour(
        page,
        "sekretariat@demo.kkr.dk",
        [
            ("start-secretariat", "/"),
            ("meeting-agenda", reverse("meetings:detail", args=[coming.pk])),
            ("meeting-minutes", reverse("meetings:minutes", args=[minuted.pk])),
            ("council-composition", reverse("appointments:council_composition", args=[council.pk])),
            ("regional-bodies", reverse("appointments:body_list")),
            ("survey-report", reverse("evaluations:report", args=[survey.pk])),
        ],
    )
    tour(page, "medlem@demo.kkr.dk", [("start-member", "/")])
    tour(page, "klerk.kbh@demo.kkr.dk", [("iv-courses-clerk", reverse("agreements:course_list"))])
    tour(
        page,
        "region@demo.kkr.dk",
        [
            ("iv-staircase", reverse("agreements:staircase")),
            ("iv-monitoring", reverse("agreements:monitoring")),
        ],
    )
    page.context.clear_cookies()
    visit(page, reverse("meetings:public_index"))
    readme_shot(page, "public-minutes")
