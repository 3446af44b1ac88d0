import csv
import io

import pytest
from django.core.management import call_command

from agreements.models import Course, TariffTable

HEADER = "external_id,municipality_code,treatment,referred_on,decision,start_date,end_date,setting,visits_per_day,minutes_per_visit"
CSV_HEADER = "run,external_id,municipality_code,treatment,year,ordinal,step,days,extra_days,course_tariff,day_tariff,amount,kind"

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command(*args, stdout=out, stderr=err)
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def test_cli_contract(tmp_path, agreement):
    assert run("iv_tariff_year", "2024", "--index", "1.0810")[0] == 0
    assert TariffTable.objects.get(year=2024).rates.count() == 9
    good = tmp_path / "good.csv"
    good.write_text(
        "\ufeff"
        + HEADER.replace(",", ";")
        + "\nA-1;101;antibiotika;01-03-2024;accepteret;02-03-2024;09-03-2024;hjem;2;30\n"
        + "A-2;147;fluids;2024-03-01;accepted;2024-03-02;2024-03-04;clinic;1;60\n",
        encoding="utf-8",
    )
    code, out, _err = run("iv_import", str(good))
    assert code == 0 and "2 created" in out
    assert run("iv_import", str(good))[1].count("2 unchanged") == 1
    bad = tmp_path / "bad.csv"
    bad.write_text(
        HEADER
        + "\nB-1,101,pump,2024-03-01,accepted,2024-03-02,,home,9,30\nB-2,101,x,2024-03-01,accepted,,,home,1,1\n"
    )
    code, _out, err = run("iv_import", str(bad))
    assert (
        code == 1
        and "row 2, visits_per_day" in err
        and "row 3, treatment" in err
        and "row 3, start_date" not in err
    )
    assert Course.objects.count() == 2
    code, out, _err = run("iv_settle")
    assert code == 0 and "run 1: 2 courses" in out
    assert run("iv_settle")[1].strip() == "nothing to settle"
    code, out, _err = run("iv_settlement_csv", "--year", "2024")
    rows = list(csv.reader(io.StringIO(out)))
    assert ",".join(rows[0]) == CSV_HEADER
    # Same start date: the one ending first gets the first ordinal.
    assert rows[1][:2] == ["1", "A-2"] and rows[1][-2:] == ["1452.00", "course"]
    assert rows[2] == [
        "1",
        "A-1",
        "101",
        "antibiotics",
        "2024",
        "2",
        "1",
        "8",
        "2",
        "7475.00",
        "1605.00",
        "10685.00",
        "course",
    ]


def test_settle_names_missing_year(agreement, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text(HEADER + "\nA-1,101,pump,2024-03-01,accepted,2024-03-02,2024-03-04,home,1,30\n")
    assert run("iv_import", str(path))[0] == 0
    code, _out, err = run("iv_settle")
    assert code == 1 and "2024" in err


def test_import_missing_file_exits_1(db):
    assert run("iv_import", "/nonexistent.csv")[0] == 1
