#!/usr/bin/env python
#!/usr/bin/env python
"""Print the latest benchmark, load and fault results as Markdown tables (for docs and the README),
with issue 15's and issue 18's goals beside the figures; bench/run.py prints the same on the console.

.venv/bin/python bench/report.py [--update docs/proof.md] (and --update README.md: its summary block)
"""

import json
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"

BARE = "bare view (HttpResponse, no template)"
BASELINE = "baseline (base template only)"
# Issue 15's goals: CPU time per request over the bare view's; the baseline is the member's
# smallest page; a page may grow GROWTH_LIMIT times from 5,700 to 114,000 courses a year.
BASELINE_LIMIT = 3.0
PAGE_LIMIT = 10.0
GROWTH_LIMIT = 1.5
# Seconds of wall time, by the start of an operation's name.
MEASURE_GOALS = {
    "iv: settlement of a year": 2.0,
    "iv: import of 5,000 rows": 0.5,
    "evaluations: report PDF of 500 responses": 3.0,
}
SEARCH = "archive: search"  # issue 18: the search page at ten years of data


def machine_line(machine: dict) -> str:
    start = machine.get("load_average_start")
    load = f"load average {start} at the start and " if start else "load average "
    return (
        f"{machine['cpus']} × {machine['cpu_model']}, {machine['memory_gb']} GB RAM, "
        f"PostgreSQL {machine['postgresql']}, Python {machine['python']}, "
        f"{load}{machine.get('load_average', '?')} when the run ended, commit {machine['commit']}"
    )


def _verdict(met: bool | None) -> str:
    return {True: "met", False: "**missed**", None: ""}[met]


def page_goal(row: dict) -> tuple[str, bool | None]:
    if row["name"] == BARE or row.get("x_bare") is None:
        return "", None
    limit = BASELINE_LIMIT if row["name"] == BASELINE else PAGE_LIMIT
    return f"≤ {limit:g}×", row["x_bare"] <= limit


def measure_goal(row: dict) -> tuple[str, bool | None]:
    for start, limit in MEASURE_GOALS.items():
        if row["name"].startswith(start):
            return f"≤ {limit:g} s", row["status"] == "ok" and row["seconds"] <= limit
    return "", None


def growth_goal(row: dict) -> tuple[str, bool | None]:
    if row.get("wall_growth") is None:
        return "", None
    return f"≤ {GROWTH_LIMIT:g}×", row["wall_growth"] <= GROWTH_LIMIT


def _by_name(rows, start):
    return [r for r in rows or [] if r["name"].startswith(start)]


def goals(data: dict) -> list[tuple[str, str, bool | None]]:
    """Issue 15's goals and issue 18's search page: (goal, what this run measured, met?)."""
    pages = {r["name"]: r for r in data.get("pages") or []}
    out = []
    bare, baseline = pages.get(BARE), pages.get(BASELINE)
    if bare and baseline:
        out.append(
            (
                f"member's smallest page (baseline) ≤ {BASELINE_LIMIT:g}× a bare view (CPU)",
                f"{baseline['x_bare']}× ({baseline['cpu_ms']} ms vs {bare['cpu_ms']} ms), "
                f"{baseline['queries']} queries",
                page_goal(baseline)[1],
            )
        )
    else:
        out.append((f"member's smallest page ≤ {BASELINE_LIMIT:g}× a bare view", "not measured", None))
    judged = [r for r in pages.values() if page_goal(r)[1] is not None and r["name"] != BASELINE]
    over = sorted((r for r in judged if not page_goal(r)[1]), key=lambda r: -r["x_bare"])
    out.append(
        (
            f"every key page ≤ {PAGE_LIMIT:g}× a bare view (CPU)",
            f"{len(judged) - len(over)} of {len(judged)} pages within"
            + (": above are " + ", ".join(f"{r['name']} {r['x_bare']}×" for r in over) if over else "")
            if judged
            else "not measured",
            (not over) if judged else None,
        )
    )
    growth = (data.get("growth") or {}).get("pages") or []
    judged = [r for r in growth if growth_goal(r)[1] is not None]
    if judged:
        worst = max(judged, key=lambda r: r["wall_growth"])
        over = [r for r in judged if not growth_goal(r)[1]]
        result = (
            f"{len(judged) - len(over)} of {len(judged)} pages within; largest: {worst['name']} "
            f"{worst['small']['p50_ms']:.0f} → {worst['large']['p50_ms']:.0f} ms ({worst['wall_growth']}×, "
            f"CPU {worst['cpu_growth']}×)"
        )
        if over:
            result += "; above: " + ", ".join(f"{r['name']} {r['wall_growth']}×" for r in over)
        out.append(("no page grows > 1.5× from 5,700 to 114,000 courses a year (p50 wall)", result, not over))
    else:
        out.append(("no page grows > 1.5× from 5,700 to 114,000 courses a year", "not measured", None))
    measures = data.get("measures") or []
    for start, limit in MEASURE_GOALS.items():
        found = _by_name(measures, start)
        if found:
            row = found[0]
            committed = ", committed" if row.get("committed") else ""
            out.append(
                (
                    f"{row['name']} ≤ {limit:g} s",
                    f"{row['seconds']:.2f} s wall{committed}, {row['cpu_s']} s CPU in Python, "
                    f"{row['queries']} queries"
                    + ("" if row["status"] == "ok" else " (FAILED)")
                    + (
                        "; of which "
                        + ", ".join(f"{label} {seconds:.2f} s" for label, seconds in row["breakdown"])
                        if row.get("breakdown")
                        else ""
                    ),
                    measure_goal(row)[1],
                )
            )
        else:
            out.append((f"{start} ≤ {limit:g} s", "not measured", None))
    search = _by_name(data.get("pages"), SEARCH)
    out.append(
        (
            "issue 18: the search page at ten years of data (p95, queries)",
            "; ".join(
                f"{r['name']}: p95 {r['p95_ms']:.0f} ms, {r['queries']} queries, {r['x_bare']}×"
                for r in search
            )
            if search
            else "not measured",
            all(page_goal(r)[1] for r in search) if search else None,
        )
    )
    return out


def _mark(row: dict) -> str:
    return " †" if row.get("run") else ""


def bench_summary(data: dict) -> list[str]:
    """For the README: the run, the goals, the pages and the operations (the growth table and the
    row counts stay in docs/proof.md)."""
    return bench(data, full=False)


def bench(data: dict, full: bool = True) -> list[str]:
    out = [
        f"Run of {data['started']} ({data['duration_s'] / 60:.1f} min in all); {machine_line(data['machine'])}.",
    ]
    for part in data.get("parts") or []:
        out.append(
            f"† re-measured by `--only {part['only']}` on {part['started']} ({part['duration_s'] / 60:.1f} min); "
            f"{machine_line(part['machine'])}."
        )
    if full:
        out += [
            "",
            "Data: "
            + ", ".join(f"{name.split('.')[1]} {count:,}" for name, count in data["rows"].items())
            + ".",
        ]
    out += [
        "",
        "| Goal | This run | Met? |",
        "|---|---|---|",
    ]
    out += [f"| {goal} | {result} | {_verdict(met) or 'not measured'} |" for goal, result, met in goals(data)]
    if data.get("pages"):
        out += [
            "",
            "| Page | SQL queries | p50 ms | p95 ms | CPU ms | CPU × bare | goal | met? |",
            "|---|---:|---:|---:|---:|---:|---|---|",
        ]
        for row in data["pages"]:
            goal, met = page_goal(row)
            queries = row["queries"] if row["queries"] is not None else "–"
            out.append(
                f"| {row['name']}{_mark(row)} | {queries} | {row['p50_ms']:.0f} | {row['p95_ms']:.0f} | "
                f"{row.get('cpu_ms', '–')} | {row.get('x_bare', '–')} | {goal} | {_verdict(met)} |"
            )
    if data.get("measures"):
        out += [
            "",
            "| Operation | seconds (wall) | CPU s | SQL queries | goal | met? |",
            "|---|---:|---:|---:|---|---|",
        ]
        for row in data["measures"]:
            committed = " (committed)" if row.get("committed") and "committed" not in row["name"] else ""
            goal, met = measure_goal(row)
            status = "" if row["status"] == "ok" else " FAILED"
            out.append(
                f"| {row['name']}{committed}{status}{_mark(row)} | {row['seconds']:.2f} | {row.get('cpu_s', '–')} | "
                f"{row['queries']} | {goal} | {_verdict(met)} |"
            )
    growth = data.get("growth") or {}
    if full and growth.get("pages"):
        small, large = growth["sizes"]
        out += [
            "",
            f"Growth{_mark(growth)}: the same pages at {small:,} and {large:,} IV courses a year (two copies of "
            "the database, both served at once, requested in turn).",
            "",
            f"| Page | SQL queries | p50 ms at {small:,} | p50 ms at {large:,} | × wall | CPU ms at {small:,} | "
            f"CPU ms at {large:,} | × CPU | goal | met? |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---|---|",
        ]
        for row in growth["pages"]:
            goal, met = growth_goal(row)
            a, b = row["small"], row["large"]
            queries = a["queries"] if a["queries"] == b["queries"] else f"{a['queries']} → {b['queries']}"
            out.append(
                f"| {row['name']} | {queries} | {a['p50_ms']:.0f} | {b['p50_ms']:.0f} | {row['wall_growth']} | "
                f"{a['cpu_ms']} | {b['cpu_ms']} | {row['cpu_growth']} | {goal} | {_verdict(met)} |"
            )
    if data["errors"]:
        out += ["", f"Errors: {len(data['errors'])} (see the JSON)."]
    return out


def console(data: dict) -> list[str]:
    """The same tables for the terminal, without Markdown."""
    out = [f"Run of {data['started']}; {machine_line(data['machine'])}", ""]
    if data.get("pages"):
        out.append(
            f"{'page':52} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8} {'cpu ms':>7} {'x bare':>6}  {'goal':6} met?"
        )
        for row in data["pages"]:
            goal, met = page_goal(row)
            out.append(
                f"{row['name'][:52]:52} {row['queries'] if row['queries'] is not None else '-':>7} "
                f"{row['p50_ms']:8.1f} {row['p95_ms']:8.1f} {row['cpu_ms']:7.2f} {row['x_bare'] or '-':>6}  "
                f"{goal:6} {_verdict(met).strip('*')}"
                + (f"  ERRORS {row['error_statuses']}" if row["errors"] else "")
            )
        out.append("")
    if data.get("measures"):
        out.append(f"{'operation':60} {'seconds':>8} {'cpu s':>7} {'queries':>8}  {'goal':7} met?")
        for row in data["measures"]:
            goal, met = measure_goal(row)
            name = row["name"] + (
                " (committed)" if row.get("committed") and "committed" not in row["name"] else ""
            )
            status = "" if row["status"] == "ok" else "  FAILED"
            out.append(
                f"{name[:60]:60} {row['seconds']:8.2f} {row['cpu_s']:7.2f} {row['queries']:8}  "
                f"{goal:7} {_verdict(met).strip('*')}{status}"
            )
        out.append("")
    growth = data.get("growth") or {}
    if growth.get("pages"):
        small, large = growth["sizes"]
        out.append(
            f"{'growth ' + format(small, ',') + ' -> ' + format(large, ',') + ' courses a year':52} "
            f"{'p50 ms':>8} {'p50 ms':>8} {'x wall':>6} {'cpu ms':>7} {'cpu ms':>7} {'x cpu':>6}  queries  met?"
        )
        for row in growth["pages"]:
            goal, met = growth_goal(row)
            a, b = row["small"], row["large"]
            out.append(
                f"{row['name'][:52]:52} {a['p50_ms']:8.1f} {b['p50_ms']:8.1f} {row['wall_growth'] or '-':>6} "
                f"{a['cpu_ms']:7.2f} {b['cpu_ms']:7.2f} {row['cpu_growth'] or '-':>6}  "
                f"{a['queries']}/{b['queries']:<5} {_verdict(met).strip('*')}"
            )
        out.append("")
    out.append("Goals (issues 15 and 18):")
    for goal, result, met in goals(data):
        out.append(f"  [{(_verdict(met) or 'not measured').strip('*'):>12}] {goal}: {result}")
    return out


def merge(full: dict, part: dict) -> dict:
    """A partial run (--only) merged into the last full run's results: its rows replace the rows of
    the same name (marked with the part's start), its growth replaces the growth, and the part's
    machine and load are listed under parts."""
    merged = dict(full)
    for key in ("pages", "measures"):
        rows = {row["name"]: row for row in full.get(key) or []}
        for row in part.get(key) or []:
            rows[row["name"]] = {**row, "run": part["started"]}
        merged[key] = list(rows.values())
    if part.get("growth"):
        merged["growth"] = {**part["growth"], "run": part["started"]}
    merged["parts"] = [
        *(full.get("parts") or []),
        {k: part[k] for k in ("started", "only", "duration_s", "machine")},
    ]
    merged["errors"] = [*full.get("errors", []), *part.get("errors", [])]
    return merged


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
    ("bench-summary", "Benchmark (summary)", bench_summary, RESULTS / "latest.json"),
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
