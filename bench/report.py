#!/usr/bin/env python
"""Print the latest benchmark, load and fault results as Markdown tables (for docs and the README).

.venv/bin/python bench/report.py [bench/results/latest.json]
"""

import json
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def machine_line(machine: dict) -> str:
    return (
        f"{machine['cpus']} × {machine['cpu_model']}, {machine['memory_gb']} GB RAM, "
        f"PostgreSQL {machine['postgresql']}, Python {machine['python']}, "
        f"load average {machine.get('load_average', '?')} when the run ended, commit {machine['commit']}"
    )


def bench(data: dict) -> list[str]:
    out = [
        f"Run of {data['started']} ({data['duration_s'] / 60:.1f} min in all); {machine_line(data['machine'])}.",
        "",
        "Data: " + ", ".join(f"{name.split('.')[1]} {count:,}" for name, count in data["rows"].items()) + ".",
        "",
        "| Page | p50 ms | p95 ms | CPU ms | req/s (4 clients) | SQL queries | × baseline | CPU × bare |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in data["pages"]:
        queries = row["queries"] if row["queries"] is not None else "–"
        out.append(
            f"| {row['name']} | {row['p50_ms']:.0f} | {row['p95_ms']:.0f} | {row.get('cpu_ms', '–')} | "
            f"{row['req_per_s']:.1f} | {queries} | {row['x_baseline']} | {row.get('x_bare', '–')} |"
        )
    if data["measures"]:
        out += ["", "| Operation | seconds (wall) | CPU s | SQL queries |", "|---|---:|---:|---:|"]
        for row in data["measures"]:
            committed = " (committed)" if row.get("committed") else ""
            out.append(
                f"| {row['name']}{committed} | {row['seconds']:.2f} | {row.get('cpu_s', '–')} | {row['queries']} |"
            )
    if data["errors"]:
        out += ["", f"Errors: {len(data['errors'])} (see the JSON)."]
    return out


def load(data: dict) -> list[str]:
    return [
        f"{data['clients']} clients for {data['seconds']:.0f} s: {data['requests']} requests, "
        f"{data['req_per_s']} req/s, p50 {data['p50_ms']:.0f} ms, p95 {data['p95_ms']:.0f} ms, "
        f"p99 {data['p99_ms']:.0f} ms, **{data['errors']} errors**; {machine_line(data['machine'])}."
    ]


def faults(data: dict) -> list[str]:
    out = ["| Scenario | Check | Result |", "|---|---|---|"]
    for row in data["checks"]:
        verdict = {True: "PASS", False: "**FAIL**", None: row["check"].upper()}[row["ok"]]
        what = row["check"] if row["ok"] is not None else ""
        detail = f" ({row['detail']})" if row["detail"] else ""
        out.append(f"| {row['scenario']} | {what}{detail} | {verdict} |")
    return out


SECTIONS = [
    ("bench", "Benchmark", bench, RESULTS / "latest.json"),
    ("load", "Load", load, RESULTS / "load-latest.json"),
    ("faults", "Faults", faults, RESULTS / "faults-latest.json"),
]


def main(argv: list[str]) -> None:
    rendered = {
        key: (title, "\n".join(render(json.loads(source.read_text()))))
        for key, title, render, source in SECTIONS
        if source.exists()
    }
    if argv[:1] == ["--update"]:
        target = Path(argv[1])
        text = target.read_text()
        for key, (_title, block) in rendered.items():
            start, end = f"<!-- results:{key} -->", f"<!-- /results:{key} -->"
            if start in text and end in text:
                head, rest = text.split(start, 1)
                text = head + start + "\n" + block + "\n" + end + rest.split(end, 1)[1]
        target.write_text(text)
        return
    for title, block in rendered.values():
        print(f"### {title}\n\n{block}\n")


if __name__ == "__main__":
    main(sys.argv[1:])
