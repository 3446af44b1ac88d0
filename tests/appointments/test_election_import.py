"""Import of the official KV25 results (valg.dk open data) and the per-list reference figures."""

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from register.models import ElectionList, ElectionResult

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[2] / "register" / "fixtures"
SAMPLE = FIXTURES / "kv25"


def published(codes):
    """The figures of kv25_lists.csv (the published result) for these municipalities."""
    with (FIXTURES / "kv25_lists.csv").open(encoding="utf-8") as f:
        return {
            (r["municipality_code"], r["list"]): (int(r["votes"]), int(r["seats"]))
            for r in csv.DictReader(f)
            if r["municipality_code"] in codes
        }


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def stored():
    return sorted(
        ElectionList.objects.values_list(
            "id",
            "municipality__code",
            "letter",
            "name",
            "party__letter",
            "alliance",
            "votes",
            "seats",
            "candidates",
        )
    )


def test_import_of_the_sample_reproduces_the_published_seats_and_votes():
    output = run("import_election", str(SAMPLE))
    assert "Albertslund (165) 2025: 21 seats, 10 lists, 13585 votes, 5 counts: stored" in output
    assert "Frederiksberg (147) 2025: 31 seats, 16 lists, 63074 votes, 8 counts: stored" in output
    assert (
        "Bornholm (400) 2025: 23 seats, 14 lists, 22728 votes, 9 counts: stored" in output
    )  # Aakirkeby once
    rows = {
        (code, letter): (votes, seats)
        for code, letter, votes, seats in ElectionList.objects.values_list(
            "municipality__code", "letter", "votes", "seats"
        )
    }
    assert rows == published({"165", "147", "400"})
    albertslund_f = ElectionList.objects.get(municipality__code="165", letter="F")
    assert albertslund_f.alliance == "B+F+L+T+Ø" and albertslund_f.party.letter == "F"
    assert albertslund_f.candidates == len(
        next(
            k["Kandidater"]
            for k in json.loads(
                (SAMPLE / "kandidat-data" / "kandidat-data-Kommunalvalg-Albertslund.json").read_text()
            )["Kandidatlister"]
            if k["Bogstavbetegnelse"] == "F"
        )
    )


def test_letters_are_lists_per_municipality_and_linked_to_national_parties():
    run("import_election", str(SAMPLE))
    ham_stokken = ElectionList.objects.get(municipality__code="147", letter="D")
    assert ham_stokken.name == "Ham Stokken" and ham_stokken.party.letter == "L"  # not Nye Borgerlige
    assert ElectionList.objects.get(municipality__code="165", letter="L").name == "Albertslund-Listen"
    # Party totals for the composition: local lists count together under L.
    local = ElectionResult.objects.get(year=2025, municipality__code="147", party__letter="L")
    assert local.votes == 32 + 43 + 139 + 29  # D, E, J, T


def test_importing_twice_changes_nothing():
    run("import_election", str(SAMPLE))
    before = stored()
    output = run("import_election", str(SAMPLE))
    assert "3 councils read, 0 stored, 3 unchanged" in output
    assert stored() == before


def test_any_subset_of_municipalities(tmp_path):
    for sub in ("kandidat-data", "mandatfordeling", "valgresultater"):
        (tmp_path / sub).mkdir()
        for f in (SAMPLE / sub).glob("*Albertslund*"):
            shutil.copy(f, tmp_path / sub / f.name)
    assert "1 councils read, 1 stored" in run("import_election", str(tmp_path))
    assert set(ElectionList.objects.values_list("municipality__code", flat=True)) == {"165"}


def broken_copy(tmp_path, relative, change):
    target = tmp_path / "data"
    shutil.copytree(SAMPLE, target)
    path = target / relative
    text = path.read_text(encoding="utf-8")
    if callable(change):
        data = json.loads(text)
        change(data)
        text = json.dumps(data, ensure_ascii=False)
    else:
        text = change
    path.write_text(text, encoding="utf-8")
    return target


BORNHOLM_M = "mandatfordeling/mandatfordeling-Kommunalvalg-Bornholm.json"
ALBERTSLUND_V = "valgresultater/valgresultater-Kommunalvalg-Albertslund_Kommune-Egelundskolen.json"


def _steal_a_seat(data):
    """Give Bornholm's seat 1 to another list: the engine no longer agrees."""
    a = next(e for e in data["ListeMandater"] if e["Bogstavbetegnelse"] == "A")
    o = next(e for e in data["ListeMandater"] if e["Bogstavbetegnelse"] == "O")
    a["KandidatlisteId"], a["Bogstavbetegnelse"] = o["KandidatlisteId"], "O"


def _drop_a_count(data):
    data["BaseretPåOptællinger"][0]["GodkendelsesDatoUTC"] = "01-01-2025 00:00:00"


def _add_votes(data):
    data["Kandidatlister"][0]["Stemmer"] += 7


def _remove_field(data):
    del data["GyldigeStemmer"]


@pytest.mark.parametrize(
    ("relative", "change", "message"),
    [
        (ALBERTSLUND_V, "{not json", f"{ALBERTSLUND_V}: not valid JSON"),
        (
            ALBERTSLUND_V,
            _add_votes,
            f"{ALBERTSLUND_V}: the lists' votes add up to 2650, not the 2643 valid votes",
        ),
        (ALBERTSLUND_V, _remove_field, f"{ALBERTSLUND_V}: the field GyldigeStemmer is missing"),
        (BORNHOLM_M, _drop_a_count, f"{BORNHOLM_M}: the count of polling area"),
        (
            BORNHOLM_M,
            _steal_a_seat,
            f"{BORNHOLM_M}: Bornholm (400): the allocation engine does not reproduce the published seats "
            "(A: published 4, engine 5; O: published 7, engine 6)",
        ),
    ],
)
def test_a_broken_file_names_itself_and_nothing_is_stored(tmp_path, relative, change, message):
    directory = broken_copy(tmp_path, relative, change)
    with pytest.raises(CommandError) as error:
        run("import_election", str(directory))
    assert message in str(error.value)
    assert not ElectionList.objects.exists() and not ElectionResult.objects.exists()


def test_a_refused_reimport_keeps_what_was_stored(tmp_path):
    run("import_election", str(SAMPLE))
    before = stored()
    with pytest.raises(CommandError):
        run("import_election", str(broken_copy(tmp_path, BORNHOLM_M, _steal_a_seat)))
    assert stored() == before


def test_election_seats_csv():
    run("import_election", str(SAMPLE))
    lines = run("election_seats_csv", "--year", "2025").splitlines()
    assert lines[0] == "municipality_code,list,votes,seats"
    assert "165,A,3804,6" in lines and "400,O,4515,6" in lines
    assert len(lines) == 1 + 10 + 16 + 14
    assert run("election_seats_csv", "--year", "2021").splitlines() == ["municipality_code,list,votes,seats"]


def test_reference_figures_of_all_98_councils_load_once():
    path = str(FIXTURES / "kv25_lists.csv")
    assert "98 councils read, 98 stored" in run("load_election_lists", "--year", "2025", path)
    assert ElectionList.objects.count() == 1165
    assert ElectionList.objects.filter(municipality__code="101", letter="L").get().party.letter == "L"
    assert "98 councils read, 0 stored, 98 unchanged" in run("load_election_lists", "--year", "2025", path)
    # The official files then add what the figures lack (candidates, valg.dk ids), same votes and seats.
    run("import_election", str(SAMPLE))
    assert ElectionList.objects.count() == 1165
    assert ElectionList.objects.get(municipality__code="165", letter="A").candidates > 0
