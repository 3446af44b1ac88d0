#!/usr/bin/env python
"""`make bench`: production-scale data on PostgreSQL, gunicorn on loopback, every key page timed.

1. (Re)creates the database (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/kkr_bench),
   migrates, collects static files, and runs bench/gen_foundation.py and then every app's
   bench/gen_<app>.py (`generate(rng)`), each in one transaction, then VACUUM ANALYZE.
2. Starts gunicorn (DEBUG off, production settings, plain http on loopback; bench/settings.py adds a
   per-request SQL counter header and the baseline page of bench/urls.py).
3. Times every page of the plugins' `pages()` (the start page per role comes from the foundation):
   first one client after the other (latency p50/p95), then N clients at once (requests per second).
4. Stops the server and times the plugins' `measures()` (settlement, import, PDF ...) in-process.
5. Prints the table and writes bench/results/<timestamp>.json and bench/results/latest.json.

Options: --reuse keeps an already generated database (to iterate on pages), --quick times fewer
requests. Exit status 1 if a generator, a page or a measure failed.
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

from bench import harness  # noqa: E402

BASELINE = "baseline (base template only)"
BARE = "bare view (HttpResponse, no template)"
# Growth mode: the same pages at a tenth and at twice the regular IV volume (5,700 and 114,000
# courses a year); a page may grow at most GROWTH_LIMIT times (issue 15).
GROWTH_SIZES = (5_700, 114_000)
GROWTH_LIMIT = 1.5


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reuse", action="store_true", help="keep the database if it was generated before")
    parser.add_argument("--quick", action="store_true", help="fewer requests per page")
    parser.add_argument("--requests", type=int, default=25, help="sequential requests per page")
    parser.add_argument("--concurrency", type=int, default=4, help="clients at once for req/s")
    parser.add_argument("--seconds", type=float, default=6.0, help="time cap per page and phase")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default 2*CPUs+1)")
    parser.add_argument("--courses", type=int, default=None, help="IV courses a year (default 57,000)")
    parser.add_argument(
        "--growth", action="store_true", help="time the pages at 5,700 and 114,000 courses a year"
    )
    parser.add_argument("--no-measures", action="store_true", help="time the pages only")
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5"))
    args = parser.parse_args(argv)
    if args.quick:
        args.requests, args.seconds = 8, 3.0
    return args


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


def collect_pages() -> tuple[list[tuple[str, str, str | None]], list[str]]:
    from bench.gen_foundation import MEMBER
    from bench.urls import BARE_URL, BASELINE_URL

    pages, errors = [(BARE, BARE_URL, MEMBER), (BASELINE, BASELINE_URL, MEMBER)], []
    for name in harness.plugins():
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


def time_pages(pages, env, args) -> list[dict]:
    cookies = {email: harness.session_cookie(email) for _n, _u, email in pages if email}
    from django.db import connections

    connections.close_all()
    server_env = dict(env)
    if args.redis_url and _redis_ok(args.redis_url):
        server_env["REDIS_URL"] = args.redis_url
    results = []
    with harness.Server(server_env, workers=args.workers) as server:
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


def run_measures() -> tuple[list[dict], list[str]]:
    from django.db import connection

    results, errors = [], []
    for name in harness.plugins():
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
                seconds, cpu = timed["seconds"], timed["cpu"]
            results.append(
                {
                    "name": label,
                    "plugin": name,
                    "seconds": round(seconds, 2),
                    "cpu_s": round(cpu, 2),
                    "committed": bool(isinstance(timed, dict) and timed.get("committed")),
                    "queries": count,
                    "status": status,
                }
            )
            print(f"  {label:50} {seconds:8.2f} s  cpu {cpu:6.2f} s  {count:6} queries  {status}", flush=True)
    return results, errors


def print_table(pages: list[dict], measures: list[dict]) -> None:
    print(f"\nPages (p50/p95: one client at a time; req/s: {ARGS.concurrency} clients at once)")
    print(
        f"{'page':44} {'p50 ms':>8} {'p95 ms':>8} {'cpu ms':>7} {'req/s':>7} {'queries':>8} "
        f"{'x base':>7} {'x bare':>7}  errors"
    )
    for r in pages:
        print(
            f"{r['name'][:44]:44} {r['p50_ms']:8.1f} {r['p95_ms']:8.1f} {r['cpu_ms']:7.2f} {r['req_per_s']:7.1f} "
            f"{r['queries'] if r['queries'] is not None else '-':>8} {r['x_baseline'] or '-':>7} "
            f"{r['x_bare'] or '-':>7}  {r['errors']}"
        )
    if measures:
        print(f"\n{'operation':52} {'seconds':>8} {'cpu s':>7} {'queries':>8}  status")
        for m in measures:
            note = " (committed)" if m.get("committed") else ""
            print(
                f"{m['name'][:52]:52} {m['seconds']:8.2f} {m['cpu_s']:7.2f} {m['queries']:8}  {m['status']}{note}"
            )


ARGS = None


def growth(args) -> int:
    """Run the pages at each size of GROWTH_SIZES in its own database and process, then compare."""
    import subprocess

    base = os.environ.get("DATABASE_URL", harness.BENCH_DB)
    runs = {}
    for courses in GROWTH_SIZES:
        env = dict(os.environ, DATABASE_URL=f"{base}_growth{courses}", BENCH_COURSES_PER_YEAR=str(courses))
        env["BENCH_RESULT_NAME"] = f"growth-{courses}.json"
        command = [sys.executable, __file__, "--no-measures", "--courses", str(courses)]
        command += ["--quick"] if args.quick else []
        command += ["--reuse"] if args.reuse else []
        print(f"growth: {courses:,} courses a year", flush=True)
        subprocess.run(command, env=env, check=False)
        runs[courses] = {
            r["name"]: r for r in harness.read_json(harness.RESULTS / env["BENCH_RESULT_NAME"])["pages"]
        }
    small, large = (runs[n] for n in GROWTH_SIZES)
    rows = []
    print(f"\n{'page':44} {'cpu ms small':>12} {'cpu ms large':>12} {'growth':>7}")
    for name, row in large.items():
        if name not in small or not small[name]["cpu_ms"]:
            continue
        ratio = round(row["cpu_ms"] / small[name]["cpu_ms"], 2)
        rows.append(
            {
                "name": name,
                "small_cpu_ms": small[name]["cpu_ms"],
                "large_cpu_ms": row["cpu_ms"],
                "small_p50_ms": small[name]["p50_ms"],
                "large_p50_ms": row["p50_ms"],
                "growth": ratio,
            }
        )
        flag = "" if ratio <= GROWTH_LIMIT else f"  > {GROWTH_LIMIT}"
        print(f"{name[:44]:44} {small[name]['cpu_ms']:12.2f} {row['cpu_ms']:12.2f} {ratio:7.2f}{flag}")
    harness.write_json(harness.RESULTS / "growth-latest.json", {"sizes": GROWTH_SIZES, "pages": rows})
    return 0 if all(r["growth"] <= GROWTH_LIMIT for r in rows) else 1


def main(argv=None) -> int:
    global ARGS
    ARGS = args = parse_args(argv)
    if args.growth:
        harness.configure()
        return growth(args)
    if args.courses:
        os.environ["BENCH_COURSES_PER_YEAR"] = str(args.courses)
    started = datetime.datetime.now(datetime.UTC)
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
    rows = harness.row_counts()
    print("rows: " + ", ".join(f"{k} {v:,}" for k, v in rows.items()), flush=True)
    pages, page_errors = collect_pages()
    errors += page_errors
    print(f"timing {len(pages)} pages:", flush=True)
    page_results = time_pages(pages, env, args)
    measure_results = []
    if not args.no_measures:
        print("timing operations:", flush=True)
        measure_results, measure_errors = run_measures()
        errors += measure_errors
    duration = time.perf_counter() - t0
    print_table(page_results, measure_results)
    failed_pages = [r["name"] for r in page_results if r["errors"]]
    if failed_pages:
        errors.append(f"pages with errors: {failed_pages}")
    for error in errors:
        print(f"\nERROR {error}", file=sys.stderr)
    result = {
        "started": started.isoformat(timespec="seconds"),
        "duration_s": round(duration, 1),
        "machine": harness.machine(),
        "method": {
            "server": "gunicorn sync workers, DEBUG off, production settings over http on loopback",
            "latency": f"p50/p95 of up to {args.requests} sequential requests after 2 warm-up requests",
            "throughput": f"req/s with {args.concurrency} concurrent clients, up to {2 * args.requests} requests",
            "queries": "SQL queries per request (median), counted by bench.middleware",
            "x_baseline": "p50 divided by the p50 of the baseline page (base template only)",
        },
        "generation": steps,
        "rows": rows,
        "pages": page_results,
        "measures": measure_results,
        "errors": errors,
    }
    stamp = started.strftime("%Y%m%dT%H%M%SZ")
    if os.environ.get("BENCH_RESULT_NAME"):  # a size of the growth mode
        harness.write_json(harness.RESULTS / os.environ["BENCH_RESULT_NAME"], result)
    else:
        harness.write_json(harness.RESULTS / f"{stamp}.json", result)
        harness.write_json(harness.RESULTS / "latest.json", result)
    print(f"\n{duration / 60:.1f} min; wrote bench/results/{stamp}.json and bench/results/latest.json")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
