#!/usr/bin/env python
"""`make bench`: production-scale data on PostgreSQL, gunicorn on loopback, every key page timed.

1. (Re)creates the database (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/kkr_bench),
   migrates, collects static files, and runs bench/gen_foundation.py and then every app's
   bench/gen_<app>.py (`generate(rng)`), each in one transaction, then VACUUM ANALYZE.
2. Starts gunicorn (DEBUG off, production settings, plain http on loopback; bench/settings.py adds a
   per-request SQL counter and CPU time header and the baseline pages of bench/urls.py).
3. Times every page of the plugins' `pages()` (the start page per role comes from the foundation):
   first one client after the other (latency p50/p95, CPU time), then N clients at once (req/s).
4. Stops the server and times the plugins' `measures()` (settlement committed, import, PDF ...).
5. Growth (issue 15): two copies of the database with only the IV courses replaced (5,700 and
   114,000 a year, bench/gen_agreements.py regenerate()), one gunicorn each; the pages that read
   courses are timed against both servers in turn, request by request, so both sizes see the same
   machine load.
6. Prints the table with the goals (bench/report.py) and writes bench/results/latest.json.

Options: --only pages,measures,growth or a plugin (foundation, agreements, appointments,
evaluations, meetings, search) runs a part, merged into latest.json; --reuse keeps an already
generated database; --quick times fewer requests. Exit status 1 if a generator, a page or a
measure failed (missed goals are reported, not failures).
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import threading
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness, report  # noqa: E402

BASELINE = report.BASELINE
BARE = report.BARE
# Growth mode: the same pages at a tenth and at twice the regular IV volume (5,700 and 114,000
# courses a year); a page may grow at most report.GROWTH_LIMIT times (issue 15).
GROWTH_SIZES = (5_700, 114_000)
GROWTH_LIMIT = report.GROWTH_LIMIT
# The plugins whose pages read IV courses (the start pages are the foundation's); the other apps'
# pages do not touch the tables the growth mode changes.
GROWTH_PLUGINS = ("gen_foundation", "gen_agreements")
SECTIONS = ("pages", "measures", "growth")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reuse", action="store_true", help="keep the database if it was generated before")
    parser.add_argument("--quick", action="store_true", help="fewer requests per page")
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated parts: pages, measures, growth and/or plugins (foundation, agreements, "
        "appointments, evaluations, meetings, search); default: everything",
    )
    parser.add_argument("--requests", type=int, default=25, help="sequential requests per page")
    parser.add_argument("--concurrency", type=int, default=4, help="clients at once for req/s")
    parser.add_argument("--seconds", type=float, default=6.0, help="time cap per page and phase")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default 2*CPUs+1)")
    parser.add_argument("--courses", type=int, default=None, help="IV courses a year (default 57,000)")
    parser.add_argument("--growth", action="store_true", help="the growth mode only (= --only growth)")
    parser.add_argument("--no-measures", action="store_true", help="time the pages only (= --only pages)")
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5"))
    args = parser.parse_args(argv)
    if args.quick:
        args.requests, args.seconds = 8, 3.0
    if args.growth:
        args.only = ",".join(filter(None, [args.only, "growth"]))
    if args.no_measures:
        args.only = ",".join(filter(None, [args.only, "pages"]))
    args.sections, args.plugins = parse_only(args.only)
    return args


def parse_only(only: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """--only: the sections (pages, measures, growth) and the plugins (gen_<name>) to run. No section
    named: pages and measures if a plugin is named, else everything; no plugin named: all."""
    words = [w.strip().lower() for w in only.split(",") if w.strip()]
    known = {name.removeprefix("gen_"): name for name in harness.plugins()}
    unknown = [w for w in words if w not in SECTIONS and w not in known]
    if unknown:
        raise SystemExit(f"--only: unknown part(s) {unknown}; choose from {[*SECTIONS, *known]}")
    sections = tuple(s for s in SECTIONS if s in words)
    plugins = tuple(known[w] for w in words if w in known)
    if not sections:
        sections = ("pages", "measures") if plugins else SECTIONS
    return sections, plugins or tuple(harness.plugins())


def generate_all() -> tuple[list[dict], list[str]]:
    from django.db import transaction

    steps, errors = [], []
    for name in harness.plugins():
        start = time.perf_counter()
        try:
            module = harness.load_plugin(name)
            with transaction.atomic():
                module.generate(random.Random(f"kkr-bench-{name}"))
            status = "ok"
        except Exception:
            status = "failed"
            errors.append(f"generator {name}:\n{traceback.format_exc()}")
        seconds = time.perf_counter() - start
        steps.append({"plugin": name, "seconds": round(seconds, 1), "status": status})
        print(f"  {name:24} {seconds:7.1f} s  {status}", flush=True)
    return steps, errors


def collect_pages(plugins=None) -> tuple[list[tuple[str, str, str | None]], list[str]]:
    from bench.gen_foundation import MEMBER
    from bench.urls import BARE_URL, BASELINE_URL

    pages, errors = [(BARE, BARE_URL, MEMBER), (BASELINE, BASELINE_URL, MEMBER)], []
    for name in plugins or harness.plugins():
        try:
            pages += list(harness.load_plugin(name).pages())
        except Exception:
            errors.append(f"pages() of {name}:\n{traceback.format_exc()}")
    return pages, errors


def _one(client: harness.Client, path: str, latencies, statuses, queries, cpu=None) -> None:
    try:
        response = client.get(path)
    except OSError as exc:
        statuses.append(f"{exc.__class__.__name__}")
        return
    latencies.append(response.seconds)
    statuses.append(response.status)
    if "x-bench-queries" in response.headers:
        queries.append(int(response.headers["x-bench-queries"]))
    if cpu is not None and "x-bench-cpu-us" in response.headers:
        cpu.append(int(response.headers["x-bench-cpu-us"]) / 1_000_000)


def time_page(port: int, path: str, cookie: str, args) -> dict:
    latencies, statuses, queries, cpu = [], [], [], []
    warm = harness.Client(port, cookie)
    for _ in range(2):
        _one(warm, path, [], [], [])
    # Latency: one client after the other.
    deadline = time.monotonic() + args.seconds
    while len(latencies) < args.requests and (time.monotonic() < deadline or len(latencies) < 5):
        _one(warm, path, latencies, statuses, queries, cpu)
        if statuses and not isinstance(statuses[-1], int) and len(statuses) > 3 and not latencies:
            break
    warm.close()
    # Throughput: `concurrency` clients at once for a fixed number of requests or time.
    done, lock, parallel = [0], threading.Lock(), []
    total = args.requests * 2
    deadline = time.monotonic() + args.seconds

    def worker():
        client = harness.Client(port, cookie)
        while True:
            with lock:
                if done[0] >= total or (time.monotonic() > deadline and done[0] >= args.concurrency):
                    break
                done[0] += 1
            _one(client, path, parallel, statuses, queries)
        client.close()

    start = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(args.concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    errors = [s for s in statuses if s != 200]
    return {
        "p50_ms": round(harness.percentile(latencies, 50) * 1000, 1),
        "p95_ms": round(harness.percentile(latencies, 95) * 1000, 1),
        "cpu_ms": round(harness.percentile(cpu, 50) * 1000, 2),
        "requests": len(latencies) + len(parallel),
        "req_per_s": round(len(parallel) / wall, 1) if wall else 0.0,
        "p50_ms_under_load": round(harness.percentile(parallel, 50) * 1000, 1),
        "queries": int(statistics.median(queries)) if queries else None,
        "queries_max": max(queries) if queries else None,
        "errors": len(errors),
        "error_statuses": sorted({str(s) for s in errors}),
    }


def server_env(env: dict, args, database_url: str | None = None) -> dict:
    """The gunicorn environment: the bench's Redis (when it answers) with a cache key prefix per
    database, whose old keys are deleted first, so no server reads what another data set cached."""
    result = dict(env)
    if database_url:
        result["DATABASE_URL"] = database_url
    if args.redis_url and _redis_ok(args.redis_url):
        prefix = "bench-" + harness.database_name(result["DATABASE_URL"])
        harness.clear_cache(args.redis_url, prefix)
        result["REDIS_URL"] = args.redis_url
        result["BENCH_CACHE_PREFIX"] = prefix
    return result


def time_pages(pages, env, args) -> list[dict]:
    cookies = {email: harness.session_cookie(email) for _n, _u, email in pages if email}
    from django.db import connections

    connections.close_all()
    results = []
    with harness.Server(server_env(env, args), workers=args.workers) as server:
        print(f"gunicorn: {server.workers} workers on 127.0.0.1:{server.port}", flush=True)
        warm_up(server, pages, cookies)
        for name, path, email in pages:
            row = {
                "name": name,
                "url": path,
                "user": email,
                **time_page(server.port, path, cookies.get(email, ""), args),
            }
            results.append(row)
            print(
                f"  {name:42} p50 {row['p50_ms']:7.1f} ms  {row['req_per_s']:6.1f} req/s  q={row['queries']}"
                + (f"  ERRORS {row['error_statuses']}" if row["errors"] else ""),
                flush=True,
            )
    add_ratios(results)
    return results


def add_ratios(results: list[dict]) -> None:
    """x_baseline: wall time over the baseline page's; x_bare: CPU time over the bare view's (the
    issue's measure: a page's own cost beside what every request costs)."""
    baseline = next((r["p50_ms"] for r in results if r["name"] == BASELINE), None)
    bare = next((r["cpu_ms"] for r in results if r["name"] == BARE), None)
    for row in results:
        row["x_baseline"] = round(row["p50_ms"] / baseline, 1) if baseline else None
        row["x_bare"] = round(row["cpu_ms"] / bare, 1) if bare else None


def warm_up(server, pages, cookies) -> None:
    """Every worker has imported and rendered a page before anything is timed."""

    def hit(path, cookie):
        client = harness.Client(server.port, cookie)
        for _ in range(3):
            _one(client, path, [], [], [])
        client.close()

    threads = [
        threading.Thread(target=hit, args=(path, cookies.get(email, "")))
        for _name, path, email in pages[:1] * server.workers + pages
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _redis_ok(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except Exception:
        return False


def run_measures(plugins=None) -> tuple[list[dict], list[str]]:
    from django.db import connection

    results, errors = [], []
    for name in plugins or harness.plugins():
        try:
            items = dict(harness.load_plugin(name).measures())
        except Exception:
            errors.append(f"measures() of {name}:\n{traceback.format_exc()}")
            continue
        for label, fn in items.items():
            count = 0

            def counter(execute, sql, params, many, context):
                nonlocal count
                count += 1
                return execute(sql, params, many, context)

            start, cpu_start = time.perf_counter(), time.process_time()
            status, timed = "ok", None
            try:
                with connection.execute_wrapper(counter):
                    timed = fn()
            except Exception:
                status = "failed"
                errors.append(f"measure {label}:\n{traceback.format_exc()}")
            seconds = time.perf_counter() - start
            cpu = time.process_time() - cpu_start
            if isinstance(timed, dict):  # the measure timed its own part (e.g. committed, without the undo)
                seconds, cpu, count = timed["seconds"], timed["cpu"], timed.get("queries", count)
            results.append(
                {
                    "name": label,
                    "plugin": name,
                    "seconds": round(seconds, 2),
                    "cpu_s": round(cpu, 2),
                    "committed": bool(isinstance(timed, dict) and timed.get("committed")),
                    "queries": count,
                    "status": status,
                    **(
                        {"breakdown": timed["breakdown"]}
                        if isinstance(timed, dict) and "breakdown" in timed
                        else {}
                    ),
                }
            )
            print(f"  {label:50} {seconds:8.2f} s  cpu {cpu:6.2f} s  {count:6} queries  {status}", flush=True)
    return results, errors


def growth_databases(args) -> tuple[dict[int, str], list[str]]:
    """A copy of the generated database per size of GROWTH_SIZES (CREATE DATABASE ... TEMPLATE:
    seconds), with only the IV courses replaced; with --reuse, a copy already at its size is kept."""
    from django.db import connections

    from bench import gen_agreements

    base = os.environ["DATABASE_URL"]
    urls, errors = {}, []
    for size in GROWTH_SIZES:
        url = urls[size] = f"{base}_growth{size}"
        if args.reuse and harness.database_exists(url):
            harness.switch_database(url)
            if gen_agreements.volume() == size:
                print(f"  {size:>7,} courses a year: reusing {harness.database_name(url)}", flush=True)
                continue
        start = time.perf_counter()
        harness.switch_database(base)
        connections.close_all()
        harness.copy_database(base, url)
        harness.switch_database(url)
        try:
            gen_agreements.regenerate(random.Random("kkr-bench-gen_agreements"), size)
        except Exception:
            errors.append(f"growth: regenerating {size} courses a year:\n{traceback.format_exc()}")
        print(f"  {size:>7,} courses a year: {time.perf_counter() - start:6.1f} s", flush=True)
    harness.switch_database(base)
    return urls, errors


def time_pair(ports: list[int], paths: list[str], cookies: list[str], args) -> list[dict]:
    """One page at each size, request by request in turn (after 2 warm-up requests each), so a change
    in the machine's load falls on both sizes alike. Each server has its own database, so its own
    session (cookie) and URLs."""
    clients = [harness.Client(port, cookie) for port, cookie in zip(ports, cookies, strict=True)]
    samples = [([], [], [], []) for _ in ports]  # latencies, statuses, queries, cpu
    for client, path in zip(clients, paths, strict=True):
        for _ in range(2):
            _one(client, path, [], [], [])
    deadline = time.monotonic() + 2 * args.seconds
    while True:
        done = min(len(latencies) for latencies, *_ in samples)
        if done >= args.requests or (done >= 5 and time.monotonic() > deadline):
            break
        for client, path, (latencies, statuses, queries, cpu) in zip(clients, paths, samples, strict=True):
            _one(client, path, latencies, statuses, queries, cpu)
        if all(not latencies and len(statuses) > 3 for latencies, statuses, _q, _c in samples):
            break
    for client in clients:
        client.close()
    return [
        {
            "p50_ms": round(harness.percentile(latencies, 50) * 1000, 1),
            "p95_ms": round(harness.percentile(latencies, 95) * 1000, 1),
            "cpu_ms": round(harness.percentile(cpu, 50) * 1000, 2),
            "queries": int(statistics.median(queries)) if queries else None,
            "errors": sum(1 for status in statuses if status != 200),
        }
        for latencies, statuses, queries, cpu in samples
    ]


def growth(args, env) -> tuple[list[dict], list[str]]:
    """Time the pages that read courses at each size of GROWTH_SIZES, both servers running, and
    compare each page's p50 wall time and CPU time (issue 15: at most GROWTH_LIMIT times)."""
    from django.db import connections

    plugins = [name for name in args.plugins if name in GROWTH_PLUGINS] or list(GROWTH_PLUGINS)
    urls, errors = growth_databases(args)
    pages, cookies = {}, {}
    for size, url in urls.items():
        harness.switch_database(url)
        found, page_errors = collect_pages(plugins)
        errors += page_errors
        pages[size] = {name: (path, email) for name, path, email in found}
        cookies[size] = {email: harness.session_cookie(email) for _n, _u, email in found if email}
    harness.switch_database(os.environ["DATABASE_URL"])
    connections.close_all()
    small, large = GROWTH_SIZES
    names = [name for name in pages[small] if name in pages[large]]
    rows = []
    workers = args.workers or 2
    with (
        harness.Server(server_env(env, args, urls[small]), workers=workers) as one,
        harness.Server(server_env(env, args, urls[large]), workers=workers) as two,
    ):
        print(f"gunicorn: {workers} workers each on 127.0.0.1:{one.port} and :{two.port}", flush=True)
        for name in names:
            (path_small, email), (path_large, _email) = pages[small][name], pages[large][name]
            at_small, at_large = time_pair(
                [one.port, two.port],
                [path_small, path_large],
                [cookies[small].get(email, ""), cookies[large].get(email, "")],
                args,
            )
            row = {
                "name": name,
                "small": at_small,
                "large": at_large,
                "wall_growth": round(at_large["p50_ms"] / at_small["p50_ms"], 2)
                if at_small["p50_ms"]
                else None,
                "cpu_growth": round(at_large["cpu_ms"] / at_small["cpu_ms"], 2)
                if at_small["cpu_ms"]
                else None,
            }
            rows.append(row)
            if at_small["errors"] or at_large["errors"]:
                errors.append(f"growth: {name} answered errors")
            print(
                f"  {name:42} p50 {at_small['p50_ms']:7.1f} -> {at_large['p50_ms']:7.1f} ms "
                f"({row['wall_growth']}x)  cpu {at_small['cpu_ms']:6.2f} -> {at_large['cpu_ms']:6.2f} ms "
                f"({row['cpu_growth']}x)  q={at_small['queries']}/{at_large['queries']}",
                flush=True,
            )
    return rows, errors


ARGS = None


def main(argv=None) -> int:
    global ARGS
    ARGS = args = parse_args(argv)
    if args.courses:
        os.environ["BENCH_COURSES_PER_YEAR"] = str(args.courses)
    started = datetime.datetime.now(datetime.UTC)
    load_at_start = harness.load_average()
    t0 = time.perf_counter()
    env = harness.configure()
    url = os.environ["DATABASE_URL"]
    reuse = args.reuse and harness.database_exists(url)
    if not reuse:
        print(f"creating database {url}", flush=True)
        harness.recreate_database(url)
    harness.django_setup()
    t = time.perf_counter()
    harness.migrate_and_collect()
    print(f"migrate + collectstatic: {time.perf_counter() - t:.1f} s", flush=True)
    errors, steps = [], []
    if not (reuse and harness.is_generated()):
        print("generating data:", flush=True)
        steps, errors = generate_all()
        t = time.perf_counter()
        harness.analyze()
        print(f"  VACUUM ANALYZE           {time.perf_counter() - t:7.1f} s", flush=True)
    elif {"pages", "measures"} & set(args.sections):
        errors += ensure_volume()
    rows = harness.row_counts()
    print("rows: " + ", ".join(f"{k} {v:,}" for k, v in rows.items()), flush=True)
    page_results, measure_results, growth_results = [], [], []
    if "pages" in args.sections:
        pages, page_errors = collect_pages(args.plugins)
        errors += page_errors
        print(f"timing {len(pages)} pages:", flush=True)
        page_results = time_pages(pages, env, args)
    if "measures" in args.sections:
        print("timing operations:", flush=True)
        measure_results, measure_errors = run_measures(args.plugins)
        errors += measure_errors
    if "growth" in args.sections:
        print(f"growth: {' and '.join(f'{n:,}' for n in GROWTH_SIZES)} courses a year", flush=True)
        growth_results, growth_errors = growth(args, env)
        errors += growth_errors
    duration = time.perf_counter() - t0
    failed_pages = [r["name"] for r in page_results if r["errors"]]
    if failed_pages:
        errors.append(f"pages with errors: {failed_pages}")
    result = {
        "started": started.isoformat(timespec="seconds"),
        "duration_s": round(duration, 1),
        "only": args.only or None,
        "machine": {**harness.machine(), "load_average_start": load_at_start},
        "method": {
            "server": "gunicorn sync workers, DEBUG off, production settings over http on loopback",
            "latency": f"p50/p95 of up to {args.requests} sequential requests after 2 warm-up requests",
            "throughput": f"req/s with {args.concurrency} concurrent clients, up to {2 * args.requests} requests",
            "queries": "SQL queries per request (median), counted by bench.middleware",
            "cpu": "the gunicorn worker's CPU time inside Django per request (median), without the database's",
            "x_baseline": "p50 divided by the p50 of the baseline page (base template only)",
            "x_bare": "CPU time divided by the bare view's CPU time (issue 15's ratio)",
            "growth": f"p50 wall and CPU time at {GROWTH_SIZES[1]:,} over {GROWTH_SIZES[0]:,} courses a year, "
            "both sizes served at once and requested in turn",
        },
        "generation": steps,
        "rows": rows,
        "pages": page_results,
        "measures": measure_results,
        "growth": {"sizes": list(GROWTH_SIZES), "limit": GROWTH_LIMIT, "pages": growth_results}
        if growth_results
        else None,
        "errors": errors,
    }
    print()
    print("\n".join(report.console(result)))
    for error in errors:
        print(f"\nERROR {error}", file=sys.stderr)
    stamp = started.strftime("%Y%m%dT%H%M%SZ")
    latest = harness.RESULTS / "latest.json"
    harness.write_json(harness.RESULTS / f"{stamp}.json", result)
    if args.only and latest.exists():  # a part: merged into the last full run's results
        result = report.merge(harness.read_json(latest), result)
    harness.write_json(latest, result)
    print(f"\n{duration / 60:.1f} min; wrote bench/results/{stamp}.json and bench/results/latest.json")
    return 1 if errors else 0


def ensure_volume() -> list[str]:
    """A reused database holds the yearly volume this run asks for (the growth mode's copies aside)."""
    from bench import gen_agreements

    if gen_agreements.volume() in (None, gen_agreements.COURSES_PER_YEAR):
        return []
    print(f"  IV courses: regenerating {gen_agreements.COURSES_PER_YEAR:,} a year", flush=True)
    try:
        gen_agreements.regenerate(random.Random("kkr-bench-gen_agreements"), gen_agreements.COURSES_PER_YEAR)
    except Exception:
        return [f"regenerating the IV courses:\n{traceback.format_exc()}"]
    return []


if __name__ == "__main__":
    sys.exit(main())
