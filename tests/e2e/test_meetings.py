"""Browser journeys of meetings (issue 7): the secretariat runs a meeting from plan to PDF, with the
chair approving the agenda before it is published; a member
proposes an item and reports absence (also keyboard-only) and the substitute sees the notice; the
public reads published minutes and cannot reach a closed item.

Issue 13: nothing of the meeting day is offered before the meeting starts (13.2); approved minutes
keep their attendance and a correction goes through a new version with a reason while the public
keeps the published version (13.1); a member withdraws an absence report, the called-in substitute
reports their own absence, an attachment of a published agenda is removed with a reason (13.10)."""

import datetime
import io
import re

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from pypdf import PdfReader

from accounts.models import Notice
from appointments.models import Seat
from meetings import services
from meetings.models import AbsenceReport, Attachment, Attendance, Meeting, Minutes
from tests.meetings.conftest import at

from .conftest import log_in, shoot, visit

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.e2e]


def t(english: str, danish: str):
    """A name in the Danish UI, or in English until the lead has compiled the translations."""
    return re.compile(f"^\\s*({re.escape(danish)}|{re.escape(english)})\\s*$")


def staff(user):
    TOTPDevice.objects.get_or_create(user=user, name="e2e", defaults={"confirmed": True})
    return user


def test_secretariat_runs_a_meeting_from_plan_to_pdf(page, personas, council):
    log_in(page, staff(personas["secretariat"]))
    visit(page, f"/moeder/kkr/{council.pk}/", shot="meetings-plan")
    page.locator("#id_starts_at").fill("2027-03-04T10:00")
    page.locator("#id_location").fill("KL-huset")
    page.get_by_role("button", name=t("Plan meeting", "Planlæg møde")).click()
    page.wait_for_url(re.compile(r"/moeder/\d+/$"))
    meeting = Meeting.objects.get(location="KL-huset")
    for title, closed in [("Sundhedsaftale 2027", False), ("Udpegning til Vækstforum", True)]:
        page.get_by_role("link", name=t("New agenda item", "Nyt dagsordenspunkt")).click()
        page.wait_for_load_state()
        shoot(page, "meetings-item-new")
        page.locator("#id_title").fill(title)
        page.locator("#id_recommendation").fill("Det indstilles, at KKR godkender.")
        if closed:
            page.locator("#id_closed").check()
        page.get_by_role("button", name=t("Add item", "Tilføj punkt")).click()
        page.wait_for_load_state()
    visit(page, f"/moeder/{meeting.pk}/", shot="meetings-detail-draft")
    first = meeting.items.get(closed=False)
    visit(page, f"/moeder/punkter/{first.pk}/", shot="meetings-item-edit")
    page.locator("#id_file").set_input_files(
        files=[{"name": "notat.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.7 notat"}]
    )
    page.get_by_role("button", name=t("Attach file", "Vedhæft fil")).click()
    page.wait_for_load_state()
    assert Attachment.objects.filter(item=first).exists()
    visit(page, "/moeder/", shot="meetings-index")
    visit(page, f"/moeder/{meeting.pk}/", shot="meetings-detail-draft")
    assert page.locator("#agenda-approval").count() == 1  # the secretariat sees it awaits the chair
    page.get_by_role(
        "button", name=t("Ask the chair to approve the agenda", "Bed formanden om at godkende dagsordenen")
    ).click()
    page.wait_for_load_state()
    assert Notice.objects.filter(
        key__startswith=f"meetings:agenda-approval:{meeting.pk}:", to_email=personas["chair"].email
    ).exists()
    # The chair approves the agenda draft (FO 3.2) before the secretariat can publish it.
    page.context.clear_cookies()
    log_in(page, personas["chair"])
    visit(page, f"/moeder/{meeting.pk}/", shot="meetings-detail-chair-approves")
    page.get_by_role("button", name=t("Approve the agenda", "Godkend dagsordenen")).click()
    page.wait_for_load_state()
    assert Meeting.objects.get(pk=meeting.pk).agenda_approved_by == personas["chair"]
    page.context.clear_cookies()
    log_in(page, staff(personas["secretariat"]))
    visit(page, f"/moeder/{meeting.pk}/", shot="meetings-detail-approved")
    page.get_by_role("link", name=t("Publish the agenda", "Offentliggør dagsordenen")).click()
    page.wait_for_load_state()
    visit(page, page.url, shot="meetings-publish")
    page.get_by_role("button", name=t("Publish agenda", "Offentliggør dagsorden")).click()
    page.wait_for_load_state()
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.PUBLISHED

    # 13.10: an attachment of a published agenda is removed only with a reason, shown on the agenda.
    page.on("dialog", lambda dialog: dialog.accept())
    visit(page, f"/moeder/punkter/{first.pk}/", shot="meetings-attachment-remove")
    page.locator("input[name='reason']").fill("Forkert version vedhæftet")
    page.get_by_role("button", name=re.compile("(Remove|Fjern) notat.pdf")).click()
    page.wait_for_load_state()
    assert Attachment.objects.get(item=first).removal_reason == "Forkert version vedhæftet"
    visit(page, f"/moeder/offentlig/moede/{meeting.pk}/", shot="meetings-public-attachment-removed")
    assert "Forkert version vedhæftet" in page.content()

    # 13.2: before the meeting starts, nothing of the meeting day is offered (nor accepted).
    page.goto(f"/moeder/{meeting.pk}/")
    assert page.get_by_role("link", name=t("Attendance register", "Fremmøderegistrering")).count() == 0
    assert page.get_by_role("link", name=t("Minutes", "Referat")).count() == 0
    visit(page, f"/moeder/{meeting.pk}/fremmoede/", shot="meetings-attendance-not-started")
    assert page.locator("#register-closed").count() == 1 and page.locator("input[type='radio']").count() == 0
    # The day comes: the meeting began an hour ago.
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - datetime.timedelta(hours=1))
    visit(page, f"/moeder/{meeting.pk}/")
    page.get_by_role("link", name=t("Attendance register", "Fremmøderegistrering")).click()
    page.wait_for_load_state()
    visit(page, f"/moeder/{meeting.pk}/fremmoede/", shot="meetings-attendance")
    # Issue 16: one form for the whole register, started from "all present"; one save.
    page.get_by_role("button", name=t("All present", "Alle til stede")).click()
    page.wait_for_load_state()
    visit(page, page.url, shot="meetings-attendance-all-present")
    seats = list(Seat.objects.filter(council=council).order_by("number"))
    assert all(page.locator(f"#s{s.number}-present").is_checked() for s in seats)
    page.locator("#s3-substitute").check()
    page.locator("#s4-absent").check()
    page.get_by_role("button", name=t("Save the register", "Gem fremmøderegistreringen")).click()
    page.wait_for_load_state()
    assert dict(Attendance.objects.filter(meeting=meeting).values_list("seat__number", "status")) == {
        1: "present",
        2: "present",
        3: "substitute",
        4: "absent",
    }
    assert "3" in page.locator("#quorum").inner_text()
    shoot(page, "meetings-attendance-quorate")

    item = meeting.items.get(closed=False)
    visit(page, f"/moeder/punkter/{item.pk}/afstemning/", shot="meetings-vote")
    page.locator("#id_yes").fill("2")
    page.locator("#id_no").fill("1")
    page.locator("#id_abstain").fill("0")
    page.get_by_role("button", name=t("Record vote", "Registrér afstemning")).click()
    page.wait_for_url(re.compile(r"/referat/"))
    visit(page, page.url.split("#")[0], shot="meetings-minutes-draft")
    page.locator(f"#id_decision_{item.pk}").fill("Indstillingen blev godkendt.")
    page.get_by_role("button", name=t("Save minutes", "Gem referat")).click()
    page.wait_for_load_state()
    services.minutes_approve(
        minutes=Minutes.objects.get(meeting=meeting), by=personas["chair"]
    )  # the chair's step
    visit(page, f"/moeder/{meeting.pk}/referat/")
    page.get_by_role("button", name=t("Publish minutes", "Offentliggør referat")).click()
    page.wait_for_load_state()
    visit(page, page.url, shot="meetings-minutes-published")
    link = page.get_by_role("link", name=t("Minutes as PDF", "Referat som PDF")).first
    response = page.request.get(link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert "Indstillingen blev godkendt." in text and "Carl Member" in text  # seat 4 was absent

    # 13.1: the published minutes keep their attendance; a correction is a new version with a reason.
    visit(page, f"/moeder/{meeting.pk}/fremmoede/", shot="meetings-attendance-frozen")
    assert page.locator("#register-closed").count() == 1 and page.locator("input[type='radio']").count() == 0
    visit(page, f"/moeder/{meeting.pk}/referat/")
    page.locator("#id_reason").fill("Carl Member kom efter punkt 1")
    page.get_by_role(
        "button", name=t("Change the minutes (new version)", "Ret referatet (ny version)")
    ).click()
    page.wait_for_load_state()
    visit(page, f"/moeder/{meeting.pk}/fremmoede/")
    page.locator("#s4-present").check()
    page.get_by_role("button", name=t("Save the register", "Gem fremmøderegistreringen")).click()
    page.wait_for_load_state()
    page.wait_for_function("document.querySelector('#quorum').textContent.includes('4')")
    visit(page, f"/moeder/offentlig/moede/{meeting.pk}/", shot="meetings-public-keeps-published-version")
    absent = page.locator("#minutes").locator("xpath=..").inner_text()
    assert "Carl Member" in absent  # the public still reads version 1 as approved


def _tab_to(page, pattern: re.Pattern, limit: int = 80) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        text = page.evaluate("document.activeElement && document.activeElement.textContent || ''")
        if pattern.search(text.strip()):
            return
    raise AssertionError(f"no focusable element matching {pattern.pattern}")


def test_member_proposes_and_reports_absence_by_keyboard_and_substitute_sees_notice(page, personas, council):
    meeting = services.meeting_plan(
        council=council, starts_at=at(timezone.localdate() + datetime.timedelta(days=12))
    )
    services.item_add(meeting=meeting, title="Rammeaftale 2027")
    services.agenda_approve(meeting=meeting, by=personas["chair"])
    services.agenda_publish(meeting=meeting, by=personas["secretariat"])
    log_in(page, personas["member"])
    visit(page, f"/moeder/{meeting.pk}/", shot="meetings-member-detail")
    page.get_by_role("link", name=t("Propose an item", "Foreslå et punkt")).click()
    page.wait_for_load_state()
    visit(page, page.url, shot="meetings-proposal")
    page.locator("#id_title").fill("Fælles rekruttering af sosu-personale")
    page.locator("#id_description").fill("KKR bør drøfte en fælles kampagne.")
    page.get_by_role("button", name=t("Send proposal", "Send forslag")).click()
    page.wait_for_load_state()
    assert "Fælles rekruttering" in page.content()

    # Keyboard only: Tab to the link, Enter, Tab to the note, type, Tab to the button, Enter.
    _tab_to(page, re.compile("Report absence|Meld afbud"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/afbud/$"))
    visit(page, page.url, shot="meetings-absence")
    _tab_to_field = page.locator("#id_note")
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_note":
            break
    assert _tab_to_field.evaluate("el => el === document.activeElement")
    page.keyboard.type("Byrådsmøde samme dag")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/moeder/{meeting.pk}/$"))
    shoot(page, "meetings-absence-reported")

    visit(page, "/moeder/kalender/", shot="meetings-calendar")
    page.context.clear_cookies()
    log_in(page, personas["substitute"])
    visit(page, "/", shot="meetings-substitute-home")
    notices = page.locator(".notices")
    assert "KKR Hovedstaden" in notices.inner_text()
    notices.get_by_role("link").first.click()
    page.wait_for_url(re.compile(rf"/moeder/{meeting.pk}/$"))
    visit(page, page.url, shot="meetings-substitute-detail")
    assert "Rammeaftale 2027" in page.content()

    # 13.10: the called-in substitute cannot attend either and says so.
    page.get_by_role("link", name=t("Report absence", "Meld afbud")).click()
    page.wait_for_url(re.compile(r"/afbud/$"))
    page.locator("#id_note").fill("Ferie")
    page.get_by_role("button", name=t("Report absence", "Meld afbud")).click()
    page.wait_for_url(re.compile(rf"/moeder/{meeting.pk}/$"))
    shoot(page, "meetings-substitute-absent")
    assert AbsenceReport.objects.get(meeting=meeting).substitute_note == "Ferie"

    # 13.10: the member can come after all and withdraws the report before the meeting starts.
    page.context.clear_cookies()
    log_in(page, personas["member"])
    page.on("dialog", lambda dialog: dialog.accept())
    visit(page, f"/moeder/{meeting.pk}/")
    page.get_by_role("button", name=t("Withdraw absence report", "Tilbagekald afbud")).click()
    page.wait_for_load_state()
    shoot(page, "meetings-absence-withdrawn")
    assert not AbsenceReport.objects.filter(meeting=meeting).exists()
    assert page.get_by_role("link", name=t("Report absence", "Meld afbud")).count() == 1


def test_public_reads_published_minutes_and_cannot_reach_a_closed_item(page, personas, council):
    sec = personas["secretariat"]
    meeting = services.meeting_plan(
        council=council, starts_at=at(timezone.localdate() + datetime.timedelta(days=10))
    )
    open_item = services.item_add(meeting=meeting, title="Infrastrukturudspil")
    closed = services.item_add(meeting=meeting, title="Lukket personsag", closed=True)
    from django.core.files.uploadedfile import SimpleUploadedFile

    services.attachment_add(item=closed, upload=SimpleUploadedFile("fortrolig.pdf", b"%PDF-1.7 x"), by=sec)
    services.agenda_approve(meeting=meeting, by=personas["chair"])
    services.agenda_publish(meeting=meeting, by=sec)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - datetime.timedelta(hours=2))
    meeting.refresh_from_db()
    for n, status in enumerate(["present", "present", "present", "absent"], start=1):
        services.attendance_record(
            meeting=meeting, seat=Seat.objects.get(council=council, number=n), status=status
        )
    minutes = services.minutes_save(
        meeting=meeting, by=sec, texts={open_item.pk: "KKR bakkede op om udspillet.", closed.pk: "Hemmeligt"}
    )
    services.minutes_publish(minutes=services.minutes_approve(minutes=minutes, by=personas["chair"]), by=sec)

    visit(page, "/moeder/offentlig/", shot="meetings-public-index")
    page.get_by_role("link", name="KKR Hovedstaden").click()
    page.wait_for_load_state()
    visit(page, page.url, shot="meetings-public-council")
    page.locator(f"a[href='/moeder/offentlig/moede/{meeting.pk}/#minutes']").click()
    page.wait_for_load_state()
    visit(page, page.url.split("#")[0], shot="meetings-public-minutes")
    content = page.content()
    assert "KKR bakkede op om udspillet." in content
    assert "Lukket personsag" not in content and "Hemmeligt" not in content and "fortrolig" not in content
    secret = Attachment.objects.get(item=closed)
    assert page.request.get(f"/moeder/offentlig/bilag/{secret.public_id}/").status == 404
    assert page.request.get(f"/moeder/bilag/{secret.pk}/", max_redirects=0).status == 302  # login first
    ics = page.request.get(f"/moeder/offentlig/{council.region.slug}/kalender.ics").text()
    assert "Infrastrukturudspil" in ics and "Lukket" not in ics
