"""core.charts: a chart says what its table says, and never cuts a label."""

import re

from core.charts import CHAR_EM, Bar, bar_chart, paired_bar_chart

LONG = "I meget høj grad, og det gælder både møderne og samarbejdet med KL"


def _label_lines(svg: str) -> list[str]:
    return re.findall(r'<tspan x="[\d.]+" y="[\d.]+">([^<]*)</tspan>', svg)


def test_a_long_label_wraps_whole_inside_its_column():
    svg = bar_chart("Svar", [Bar(LONG, 12), Bar("Nej", 3)], width=520, label_width=230)
    lines = _label_lines(svg)
    assert " ".join(lines[:-1]) == LONG and lines[-1] == "Nej"  # every word, nothing cut
    assert "…" not in svg
    assert all(len(line) * 13 * CHAR_EM <= 230 - 8 for line in lines)
    height = float(re.search(r'viewBox="0 0 520 ([\d.]+)"', svg).group(1))
    last_baseline = max(float(y) for y in re.findall(r'<tspan x="[\d.]+" y="([\d.]+)"', svg))
    assert last_baseline < height  # the grown rows fit in the picture


def test_a_bar_without_a_value_reads_a_dash_not_zero():
    svg = bar_chart("Andel", [Bar("Ja", 40), Bar("Ny", None)], unit=" %")
    assert ">–</text>" in svg and "Ny: –" in svg
    assert ">0 %<" not in svg and "Ny: 0" not in svg and 'width="0.0"' in svg


def test_paired_bars_write_each_label_once_whole_and_a_dash_for_a_missing_value():
    svg = paired_bar_chart(
        "Andel", [LONG, "Ny"], [("2018-2022", [60, None]), ("2022-2026", [55, 45])], unit=" %"
    )
    lines = _label_lines(svg)
    assert " ".join(lines[:-1]) == LONG and lines[-1] == "Ny"
    assert "…" not in svg and ">–</text>" in svg and ">0 %<" not in svg
    assert "Ny: 2018-2022 –, 2022-2026 45 %" in svg
    assert all(len(line) * 13 * CHAR_EM <= 230 - 8 for line in lines)
