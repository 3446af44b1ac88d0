"""The term change: a new council from the election results to taking office (issue 17)."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Notice
from appointments import rules, services
from appointments.models import Appointment, Council, Seat, TermChange
from appointments.selectors import bodies_to_restaff
from appointments.services import term
from core.errors import Refused
from register.models import Municipality, Party, Politician
from tests.conftest import TODAY, make_politician

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[2] / "register" / "fixtures"
ELECTION = TODAY.year - 1
TERM_START = datetime.date(TODAY.year, 1, 1)


def load_results():
    call_command(
        "load_election_lists", "--year", str(ELECTION), str(FIXTURES / "kv25_lists.csv"), stdout=io.StringIO()
    )


def mayors_csv(region_code="1084", skip=()):
    lines = [",".join(term.MAYORS_CSV_HEADER)]
    for i, m in enumerate(Municipality.objects.filter(region__code=region_code).order_by("code")):
        if m.code in skip:
            continue
        letter = "C" if i % 3 == 0 else "A"
        lines.append(
            f"{m.code},Mayor {m.name},{letter},{1950 + i % 30}-03-0{1 + i % 9},,Deputy {m.name},V,1980-01-01"
        )
    return "\n".join(lines) + "\n"


@pytest.fixture
def new_council(council, hovedstaden):
    """KKR Hovedstaden for the term after the election ELECTION; ``council`` is the previous one."""
    return term.council_create(region=hovedstaden, election_year=ELECTION, term_start=TERM_START)


# --- rules --------------------------------------------------------------------------------


def facts(**changes):
    base = {
        "municipalities": 29,
        "with_results": 29,
        "with_mayor_seat": 29,
        "members_due": 25,
        "members_named": 25,
        "meeting_set": True,
        "leaders_elected": True,
        "took_office": False,
    }
    return rules.TermFacts(**{**base, **changes})


def test_steps_first_not_done_is_current():
    steps = rules.term_change_steps(facts(with_results=28))
    assert [s.state for s in steps] == ["current"] + ["done"] * 5 + ["waiting"]
    assert steps[0].detail == "28 of 29 municipalities"
    assert rules.term_change_steps(facts(took_office=True))[-1].state == "done"


def test_members_step_done_exactly_when_all_named():
    states = {s.key: s.state for s in rules.term_change_steps(facts(members_named=24))}
    assert states["members"] == "current"
    states = {s.key: s.state for s in rules.term_change_steps(facts(members_named=25))}
    assert states["members"] == "done"


def test_members_reminder_from_five_days_before_the_deadline():
    due = datetime.date(2026, 1, 12)
    assert not rules.members_reminder_due(due, datetime.date(2026, 1, 6))
    assert rules.members_reminder_due(due, datetime.date(2026, 1, 7))
    assert rules.members_reminder_due(due, datetime.date(2026, 1, 20))
    assert rules.members_report_due(2025) == due
    assert rules.previous_term_end(datetime.date(2026, 1, 15)) == datetime.date(2026, 1, 14)


# --- a new council ----------------------------------------------------------------------


def test_council_create_sets_the_parties_deadline(new_council):
    assert new_council.name == f"KKR Hovedstaden {TODAY.year}-{ELECTION + 4}"
    assert TermChange.objects.get(council=new_council).members_due == datetime.date(TODAY.year, 1, 12)


@pytest.mark.parametrize(
    ("year", "start", "message"),
    [
        (ELECTION, datetime.date(ELECTION, 11, 1), "takes office after the election"),
        (ELECTION, datetime.date(ELECTION + 1, 2, 1), "no later than 31.01"),
    ],
)
def test_council_create_refuses_a_start_outside_the_window(council, hovedstaden, year, start, message):
    with pytest.raises(Refused, match=message):
        term.council_create(region=hovedstaden, election_year=year, term_start=start)
    assert Council.objects.count() == 1


def test_one_council_per_election(new_council, hovedstaden):
    with pytest.raises(Refused, match="already has a council"):
        term.council_create(region=hovedstaden, election_year=ELECTION, term_start=TERM_START)


# --- mayors ------------------------------------------------------------------------------


def test_mayors_csv_records_mayors_deputies_and_mayor_seats(new_council):
    assert term.mayors_record(council=new_council, rows=term.parse_mayors_csv(mayors_csv())) == 29
    seats = Seat.objects.current(TERM_START).filter(council=new_council, kind=Seat.Kind.MAYOR)
    assert seats.count() == 29
    albertslund = seats.get(municipality__code="165")
    assert (
        albertslund.holder.name == "Mayor Albertslund" and albertslund.substitute.name == "Deputy Albertslund"
    )
    assert albertslund.holder.office == Politician.Office.MAYOR
    assert albertslund.holder.council_from == datetime.date(ELECTION + 1, 1, 1)
    # Recording again changes nothing; the previous council keeps its seats until the new one takes office.
    before = list(Seat.objects.values_list("pk", "holder_id", "valid_to"))
    term.mayors_record(council=new_council, rows=term.parse_mayors_csv(mayors_csv()))
    assert list(Seat.objects.values_list("pk", "holder_id", "valid_to")) == before


def test_a_new_mayor_replaces_the_previous_holder_of_the_office(new_council, council):
    kbh_mayor = Seat.objects.get(council=council, number=1).holder
    kbh_mayor.office = Politician.Office.MAYOR
    kbh_mayor.save()
    term.mayors_record(council=new_council, rows=term.parse_mayors_csv(mayors_csv()))
    kbh_mayor.refresh_from_db()
    assert kbh_mayor.office == ""
    assert (
        Politician.objects.get(municipality__code="101", office=Politician.Office.MAYOR).name
        == "Mayor København"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("municipality_code,mayor\n", "Line 1: the header must be"),
        (
            ",".join(term.MAYORS_CSV_HEADER) + "\n165,Mayor,A,1970-13-01,,Deputy,V,1980-01-01\n",
            "line 2, mayor_birth_date",
        ),
        (
            ",".join(term.MAYORS_CSV_HEADER) + "\n165,,A,1970-01-01,,Deputy,V,1980-01-01\n",
            "Line 2, column mayor",
        ),
        (",".join(term.MAYORS_CSV_HEADER) + "\n165,Mayor,A\n", "Line 2: expected 8 columns"),
    ],
)
def test_mayors_csv_errors_name_row_and_column(text, message):
    with pytest.raises(Refused, match=message):
        term.parse_mayors_csv(text)


def test_mayors_of_another_region_are_refused_and_nothing_is_stored(new_council):
    rows = term.parse_mayors_csv(
        mayors_csv() + "265,Mayor Roskilde,A,1970-01-01,,Deputy Roskilde,V,1980-01-01\n"
    )
    with pytest.raises(Refused, match="Row 30: 265 is not a municipality of Region Hovedstaden"):
        term.mayors_record(council=new_council, rows=rows)
    assert not Seat.objects.filter(council=new_council).exists()
    assert not Politician.objects.filter(name__startswith="Mayor ").exists()


# --- composition, missing members, reminders ---------------------------------------------


def test_missing_members_are_checked_against_the_composition(new_council):
    load_results()
    term.mayors_record(council=new_council, rows=term.parse_mayors_csv(mayors_csv()))
    composition = services.council_composition(new_council)
    missing = {name: (extra, named) for name, extra, named in term.members_missing(new_council)}
    assert sum(extra for extra, _named in missing.values()) == composition.extra_members > 0
    letter = next(iter(missing))
    herlev = Municipality.objects.get(code="163")
    party = Party.objects.get(letter=letter)
    services.seat_fill(
        council=new_council,
        kind=Seat.Kind.ELECTED,
        party=party,
        municipality=herlev,
        holder=make_politician(herlev, party, "Hanne Herlev", council_from=TERM_START),
        substitute=make_politician(herlev, party, "Sören Herlev", council_from=TERM_START),
        valid_from=TERM_START,
    )
    after = {name: named for name, _extra, named in term.members_missing(new_council)}
    assert after.get(letter, missing[letter][0]) == 1 or letter not in after


def test_reminders_name_the_missing_lists_once_a_day(new_council, personas):
    load_results()
    term.mayors_record(council=new_council, rows=term.parse_mayors_csv(mayors_csv()))
    due = TermChange.objects.get(council=new_council).members_due
    assert term.members_reminders_queue(council=new_council, today=due - datetime.timedelta(days=6)) == 0
    assert term.members_reminders_queue(council=new_council, today=due) == 1  # the one secretariat user
    term.members_reminders_queue(council=new_council, today=due)
    notice = Notice.objects.get(key__startswith=f"appointments:term-members:{new_council.pk}:")
    assert notice.to_email == "secretariat@example.dk"
    first_missing = term.members_missing(new_council)[0][0]
    assert f"- {first_missing}:" in notice.body


# --- taking office -----------------------------------------------------------------------


def test_taking_office_ends_the_previous_council_and_lists_the_bodies_to_restaff(
    new_council, council, hovedstaden
):
    body = services.body_create(
        region=hovedstaden,
        name="Praksisplanudvalget",
        term_start=council.term_start,
        term_end=None,
        posts=[("Medlem", 2)],
    )
    old_member = Seat.objects.get(council=council, number=3).holder
    Appointment.objects.create(post=body.posts.get(), politician=old_member, valid_from=council.term_start)
    assert bodies_to_restaff(new_council) == [("Praksisplanudvalget", "Medlem", 1)]
    term.mayors_record(council=new_council, rows=term.parse_mayors_csv(mayors_csv()))
    with pytest.raises(Refused, match="Elect the chair"):
        term.council_take_office(council=new_council, today=TERM_START)
    seats = Seat.objects.filter(council=new_council, kind=Seat.Kind.MAYOR)
    new_council.chair, new_council.vice_chair = seats[0].holder, seats[1].holder
    new_council.save()
    with pytest.raises(Refused, match="not before"):
        term.council_take_office(council=new_council, today=TERM_START - datetime.timedelta(days=1))
    previous = term.council_take_office(council=new_council, today=TERM_START)
    assert previous == council
    council.refresh_from_db()
    assert council.term_end == TERM_START - datetime.timedelta(days=1)
    assert not Seat.objects.filter(council=council, valid_to__isnull=True).exists()
    assert set(Seat.objects.filter(council=council).values_list("end_reason", flat=True)) == {
        "The new council took office"
    }
    assert list(Council.objects.current(TERM_START)) == [new_council]
    assert not Appointment.objects.current(TERM_START).filter(politician=old_member).exists()
    with pytest.raises(Refused, match="already taken office"):
        term.council_take_office(council=new_council, today=TERM_START)
    with pytest.raises(Refused, match="already taken office"):
        term.mayors_record(council=new_council, rows=term.parse_mayors_csv(mayors_csv()))
    with pytest.raises(Refused, match="already taken office"):
        term.members_due_set(council=new_council, due=TERM_START)


# --- pages -------------------------------------------------------------------------------


def test_new_council_page_creates_and_guides(client, login, personas, council):
    login(personas["secretariat"])
    assert (
        reverse("appointments:council_new")
        in client.get(reverse("appointments:council_list")).content.decode()
    )
    response = client.post(
        reverse("appointments:council_new"),
        {"region": council.region_id, "election_year": ELECTION, "term_start": TERM_START.isoformat()},
    )
    new = Council.objects.get(election_year=ELECTION)
    assert response.status_code == 302 and response.url == reverse("appointments:term_change", args=[new.pk])
    response = client.post(
        reverse("appointments:council_new"),
        {"region": council.region_id, "election_year": ELECTION, "term_start": TERM_START.isoformat()},
    )
    assert response.status_code == 400 and "already has a council" in response.content.decode()


def test_only_the_regions_secretariat_uses_the_term_change(client, login, personas, new_council):
    url = reverse("appointments:term_change", args=[new_council.pk])
    login(personas["secretariat_other"])
    assert client.get(url).status_code == 404
    login(personas["member"])
    assert client.get(url).status_code == 403
    login(personas["secretariat_other"])
    assert client.get(reverse("appointments:council_new")).status_code == 200
    response = client.post(
        reverse("appointments:council_new"),
        {
            "region": new_council.region_id,
            "election_year": ELECTION + 4,
            "term_start": TERM_START.isoformat(),
        },
    )
    assert response.status_code == 400  # not their region: not a choice


def test_term_change_page_imports_results_and_records_mayors(
    client, login, personas, new_council, django_assert_max_num_queries
):
    login(personas["secretariat"])
    url = reverse("appointments:term_change", args=[new_council.pk])
    sample = FIXTURES / "kv25"
    files = [open(path, "rb") for path in sorted(sample.rglob("*.json"))]  # noqa: SIM115
    try:
        response = client.post(url, {"action": "results", "r-files": files}, follow=True)
    finally:
        for f in files:
            f.close()
    page = response.content.decode()
    assert "Albertslund (165) 2025: 21 seats, 10 lists, 13585 votes, 5 counts: stored." in page
    broken = io.BytesIO(b"{broken")
    broken.name = "mandatfordeling-x.json"
    response = client.post(url, {"action": "results", "r-files": [broken]})
    assert (
        response.status_code == 400
        and "000-mandatfordeling-x.json: not valid JSON" in response.content.decode()
    )
    mayors = io.BytesIO(mayors_csv().encode())
    mayors.name = "mayors.csv"
    client.post(url, {"action": "mayors", "mc-file": mayors})
    assert Seat.objects.filter(council=new_council, kind=Seat.Kind.MAYOR).count() == 29
    with django_assert_max_num_queries(60):
        page = client.get(url).content.decode()
    assert "29 of 29 municipalities have recorded their mayor" in page
    assert f'value="{TERM_START.year}-01-12"' in page  # the deadline, shown in the date field
    letter = client.get(reverse("appointments:term_letter", args=[new_council.pk]))
    assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"


def test_results_upload_as_one_zip_archive(client, login, personas, new_council):
    import zipfile

    login(personas["secretariat"])
    url = reverse("appointments:term_change", args=[new_council.pk])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted((FIXTURES / "kv25").rglob("*.json")):
            archive.write(path, f"kv/{path.parent.name}/{path.name}")
    buffer.seek(0)
    buffer.name = "valgdata.zip"
    page = client.post(url, {"action": "results", "r-files": [buffer]}, follow=True).content.decode()
    assert "Bornholm (400) 2025: 23 seats, 14 lists, 22728 votes, 9 counts: stored." in page
    not_zip = io.BytesIO(b"plain text")
    not_zip.name = "x.zip"
    response = client.post(url, {"action": "results", "r-files": [not_zip]})
    assert response.status_code == 400 and "x.zip is not a ZIP archive." in response.content.decode()
