import io

import pytest
from django.core.management import CommandError, call_command

from tests.appointments.test_allocation_candidates import LOLLAND_ALLIANCES, LOLLAND_VOTES


def run(tmp_path, text, *args):
    path = tmp_path / "votes.csv"
    path.write_text(text, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    call_command("allocate_seats", *args, str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_prints_seats_in_input_order(tmp_path):
    out, _ = run(tmp_path, "list,votes\nA,25\nB,31\nC,11\nD,16\n", "--seats", "8")
    assert out == "list,seats\nA,3\nB,3\nC,1\nD,1\n"


def test_semicolons_and_alliances(tmp_path):
    out, _ = run(tmp_path, "list;votes;alliance\nA;25;\nB;31;\nC;11;CD\nD;16;CD\n", "--seats", "8")
    assert out == "list,seats\nA,2\nB,3\nC,1\nD,2\n"


def test_tie_reports_seed_and_is_reproducible(tmp_path):
    out1, err = run(tmp_path, "list,votes\nA,10\nB,10\n", "--seats", "1", "--seed", "5")
    assert "seed 5" in err
    out2, _ = run(tmp_path, "list,votes\nA,10\nB,10\n", "--seats", "1", "--seed", "5")
    assert out1 == out2


@pytest.mark.parametrize(
    ("text", "seats", "message"),
    [
        ("list,votes\nA,-3\n", "2", "line 2: votes of list A are negative"),
        ("list,votes\nA,many\n", "2", "line 2: votes of list A are not a whole number"),
        ("list,votes\nA,1\nA,2\n", "2", "line 3: list A appears twice"),
        ("list,votes\nA,1\n", "0", "--seats must be at least 1"),
        ("name,count\nA,1\n", "1", "line 1: the header"),
        ("", "1", "empty"),
    ],
)
def test_bad_input_exits_with_clear_message(tmp_path, text, seats, message):
    with pytest.raises(CommandError, match=message):
        run(tmp_path, text, "--seats", seats)


def test_missing_file(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("allocate_seats", "--seats", "2", str(tmp_path / "nope.csv"))


def test_exit_code_is_non_zero(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "bad.csv"
    path.write_text("list,votes\nA,-1\n")
    proc = subprocess.run(
        [sys.executable, "manage.py", "allocate_seats", "--seats", "2", str(path)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode != 0 and "negative" in proc.stderr


def test_candidates_column_passes_a_seat_on_within_the_alliance(tmp_path):
    """Lolland 2025 through the command: Æ wins 5 seats with 4 candidates, the fifth goes to C."""
    rows = [
        f"{name},{votes},{LOLLAND_ALLIANCES.get(name, '')},{4 if name == 'Æ' else ''}"
        for name, votes in LOLLAND_VOTES.items()
    ]
    text = "list,votes,alliance,candidates\n" + "\n".join(rows) + "\n"
    out, _ = run(tmp_path, text, "--seats", "25")
    seats = dict(line.split(",") for line in out.splitlines()[1:])
    assert seats["Æ"] == "4" and seats["C"] == "2"


def test_candidates_column_must_be_a_whole_number(tmp_path):
    with pytest.raises(CommandError, match="line 2: candidates of list A are not a whole number"):
        run(tmp_path, "list,votes,candidates\nA,10,some\n", "--seats", "1")
