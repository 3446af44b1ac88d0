"""Appointments journeys: the secretariat runs the chair election and a proportional election to
a regional body, and sees the quotient table; an appointee sees their appointments."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role, RoleKind, User
from register.models import ElectionResult, Municipality, Party

from .conftest import TEST_PASSWORD, choose, log_in, visit

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def secretariat(council, hovedstaden):
    user = User.objects.create_user(email="sek@example.dk", password=TEST_PASSWORD, name="Sara Sekretær")
    Role.objects.create(user=user, kind=RoleKind.SECRETARIAT, region=hovedstaden)
    TOTPDevice.objects.create(user=user, name="e2e", confirmed=True)
    for code in ("101", "147"):
        for letter, votes in {"A": 25000, "C": 31000, "V": 11000, "F": 16000}.items():
            ElectionResult.objects.create(
                year=council.election_year,
                municipality=Municipality.objects.get(code=code),
                party=Party.objects.get(letter=letter),
                votes=votes,
                seats=3,
            )
    return user


def submit(page, action):
    page.locator(f"form:has(input[name=action][value={action}]) button[type=submit]").click()
    page.wait_for_load_state()


def test_secretariat_runs_chair_election_and_sees_quotient_table(page, secretariat, council):
    log_in(page, secretariat)
    visit(page, f"/kkr/{council.pk}/", shot="appointments-council")
    visit(page, f"/kkr/{council.pk}/sammensaetning/", shot="appointments-composition")
    visit(page, f"/kkr/{council.pk}/konstituering/", shot="appointments-constituent")
    submit(page, "run")
    assert "/kkr/valg/" in page.url
    visit(page, page.url, shot="appointments-chair-election")
    table = page.locator("table.quotients").first
    assert "÷ 2" in table.inner_text()
    assert table.locator("strong").count() >= 2  # the two winning quotients are marked
    page.locator(f"a[href='/kkr/{council.pk}/konstituering/']").first.click()
    page.wait_for_load_state()
    page.locator("#id_n-chair").select_option(index=1)
    page.locator("#id_n-vice_chair").select_option(index=1)
    submit(page, "name")
    visit(page, page.url, shot="appointments-chair-named")
    council.refresh_from_db()
    assert council.chair is not None and council.vice_chair is not None


def test_secretariat_appoints_to_a_body_by_proportional_election(page, secretariat, council):
    log_in(page, secretariat)
    visit(page, "/kkr/organer/", shot="appointments-bodies")
    page.locator("#id_name").fill("Sundhedskoordinationsudvalget")
    page.locator("#id_term_start").fill("2026-01-01")
    page.locator("#id_term_end").fill("2029-12-31")
    page.locator("form:has(#id_term_start) button[type=submit]").click()
    page.wait_for_load_state()
    visit(page, page.url, shot="appointments-body")
    page.locator("#id_name").fill("Kommunale medlemmer")
    page.locator("#id_seats").fill("3")
    page.locator("form:has(#id_seats) button[type=submit]").click()
    page.wait_for_load_state()
    visit(page, page.url, shot="appointments-post")
    page.locator("#id_p-present").fill("12")
    page.locator("#id_p-groups").fill("Rød blok;7;\nBlå blok;5;")
    submit(page, "proportional")
    visit(page, page.url, shot="appointments-post-elected")
    page.locator("#id_g-group").select_option("Blå blok")
    choose(page, "id_g-politician", "Carl")
    submit(page, "appoint")
    assert "Carl Member" in page.locator("table").first.inner_text()
    page.locator("a[href^='/kkr/valg/']").first.click()
    page.wait_for_load_state()
    visit(page, page.url, shot="appointments-proportional-election")
    assert "Rød blok" in page.locator("table.quotients").first.inner_text()
    visit(page, "/kkr/udpegninger/?by=municipality", shot="appointments-overview")


def test_appointee_sees_their_appointments_from_the_start_page(page, council, hovedstaden):
    import datetime

    from appointments import services
    from tests.conftest import make_politician

    person = make_politician(
        Municipality.objects.get(code="101"), Party.objects.get(letter="B"), "Asta Appointee"
    )
    user = User.objects.create_user(
        email="asta@example.dk", password=TEST_PASSWORD, name="Asta", politician=person
    )
    body = services.body_create(
        region=hovedstaden,
        name="Praksisplanudvalget",
        term_start=datetime.date.today() - datetime.timedelta(days=30),
        term_end=None,
        posts=[("Kommunale repræsentanter", 2)],
    )
    services.appointment_create(post=body.posts.get(), politician=person, on=datetime.date.today())
    log_in(page, user)
    visit(page, "/", shot="appointments-appointee-start")
    page.locator("a[href='/kkr/mine-udpegninger/']").first.click()
    page.wait_for_load_state()
    visit(page, page.url, shot="appointments-my-appointments")
    assert "Praksisplanudvalget" in page.locator("table").inner_text()


def test_secretariat_pages_for_seats_and_majority_elections_are_accessible(
    page, secretariat, council, hovedstaden
):
    import datetime

    from appointments import services

    body = services.body_create(
        region=hovedstaden,
        name="Vandrådet",
        term_start=datetime.date.today() - datetime.timedelta(days=10),
        term_end=None,
        posts=[("Medlem", 1)],
    )
    post = body.posts.get()
    log_in(page, secretariat)
    visit(page, f"/kkr/{council.pk}/pladser/3/", shot="appointments-seat-edit")
    visit(page, f"/kkr/{council.pk}/pladser/ny/", shot="appointments-seat-add")
    visit(page, f"/kkr/{council.pk}/historik/", shot="appointments-history")
    visit(page, f"/kkr/poster/{post.pk}/", shot="appointments-majority-post")
    page.locator("#id_r-present").fill("9")
    choose(page, "id_r-candidate_1", "Mona Member")
    page.locator("#id_r-votes_1").fill("4")
    choose(page, "id_r-candidate_2", "Carl M")
    page.locator("#id_r-votes_2").fill("4")
    page.locator("form:has(input[name=action][value=round]) button[type=submit]").click()
    page.wait_for_load_state()
    visit(page, page.url, shot="appointments-majority-round-2")
    page.locator("a[href^='/kkr/valg/']").first.click()
    page.wait_for_load_state()
    visit(page, page.url, shot="appointments-majority-election")
    assert "Mona Member" in page.locator("table").first.inner_text()


def test_secretariat_records_a_bodys_new_term_and_appoints_to_it(page, secretariat, council, hovedstaden):
    """Issue 13.6: a body whose term has ended is re-staffed: the new term is recorded on the body
    page, the earlier term stays listed, and the new term's post is filled by election."""
    import datetime

    from appointments import services
    from appointments.models import Appointment, Body

    today = datetime.date.today()
    body = services.body_create(
        region=hovedstaden,
        name="Greater Copenhagen, komitéen",
        term_start=today - datetime.timedelta(days=800),
        term_end=today - datetime.timedelta(days=1),
        posts=[("Medlemmer", 2)],
    )
    log_in(page, secretariat)
    visit(page, f"/kkr/organer/{body.pk}/", shot="appointments-body-term-ended")
    assert page.locator("#body-term-ended").is_visible()
    page.locator("#id_t-term_start").fill(today.isoformat())
    page.locator("#id_t-term_end").fill((today + datetime.timedelta(days=1400)).isoformat())
    submit(page, "term")
    new = Body.objects.get(name=body.name, term_start=today)
    assert page.url.endswith(f"/kkr/organer/{new.pk}/")
    visit(page, page.url, shot="appointments-body-new-term")
    assert page.locator(f"a[href='/kkr/organer/{body.pk}/']").count() == 1  # the earlier term
    page.locator("a[href^='/kkr/poster/']").first.click()
    page.wait_for_load_state()
    page.locator("#id_p-present").fill("12")
    page.locator("#id_p-groups").fill("Rød blok;7;\nBlå blok;5;")
    submit(page, "proportional")
    page.locator("#id_g-group").select_option("Blå blok")
    choose(page, "id_g-politician", "Carl")
    submit(page, "appoint")
    visit(page, page.url, shot="appointments-new-term-appointed")
    assert "Carl Member" in page.locator("table").first.inner_text()
    assert Appointment.objects.current(today).get(post__body=new).politician.name == "Carl Member"


def test_secretariat_voids_an_abandoned_proportional_election_and_elects_again(
    page, secretariat, council, hovedstaden
):
    """Issue 13.10: an election abandoned before the groups named anyone is voided with a reason;
    the post then holds a new election."""
    import datetime

    from appointments import services
    from appointments.models import Election

    body = services.body_create(
        region=hovedstaden,
        name="Praksisplanudvalget",
        term_start=datetime.date.today() - datetime.timedelta(days=30),
        term_end=None,
        posts=[("Kommunale repræsentanter", 2)],
    )
    post = body.posts.get()
    log_in(page, secretariat)
    visit(page, f"/kkr/poster/{post.pk}/")
    page.locator("#id_p-present").fill("12")
    page.locator("#id_p-groups").fill("Rød blok;7;\nBlå blok;5;")
    submit(page, "proportional")
    page.locator("summary#h-void").click()
    page.locator("#id_v-reason").fill("Mødet blev hævet, før grupperne udpegede.")
    submit(page, "void")
    visit(page, page.url, shot="appointments-election-voided")
    assert page.locator("input[name=action][value=appoint]").count() == 0
    voided = Election.objects.get(post=post)
    assert voided.void_reason.startswith("Mødet blev hævet")
    page.locator("#id_p-present").fill("12")
    page.locator("#id_p-groups").fill("Rød blok;6;\nBlå blok;6;")
    submit(page, "proportional")
    assert page.locator("input[name=action][value=appoint]").count() == 1
    visit(page, f"/kkr/valg/{voided.pk}/", shot="appointments-voided-election-record")
    assert "Mødet blev hævet" in page.locator("#election-voided").inner_text()
