#!/usr/bin/env python
"""`make load`: 50 concurrent clients for 60 seconds on the key pages, over loopback. Must see no errors.

Uses the benchmark database (kkr_bench; generated as `make bench` does if it is missing) and the same
gunicorn as the benchmark. Each client is one of the personas (secretariat, member, clerk, region
officer, public) and requests the key pages of the plugins' `pages()` round-robin, without pause.
An error is any answer other than 200 or a failed connection. Exit status 1 on any error.
"""

import argparse
import collections
import itertools
import os
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default 2*CPUs+1)")
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5"))
    args = parser.parse_args(argv)

    env = harness.configure()
    from bench import run

    url = os.environ["DATABASE_URL"]
    fresh = not harness.database_exists(url)
    if fresh:
        harness.recreate_database(url)
    harness.django_setup()
    harness.migrate_and_collect()
    if fresh or not harness.is_generated():
        print("generating the benchmark data first:", flush=True)
        _steps, errors = run.generate_all()
        if errors:
            print("\n".join(errors), file=sys.stderr)
            return 1
        harness.analyze()
    pages, errors = run.collect_pages()
    if errors:
        print("\n".join(errors), file=sys.stderr)
    cookies = {email: harness.session_cookie(email) for _n, _u, email in pages if email}
    from django.db import connections

    connections.close_all()
    server_env = dict(env)
    if run._redis_ok(args.redis_url):
        server_env["REDIS_URL"] = args.redis_url

    latencies = collections.defaultdict(list)
    failures = collections.Counter()
    lock = threading.Lock()
    stop = threading.Event()

    def client(index: int) -> None:
        # Each client works through all pages, starting at a different one.
        order = pages[index % len(pages) :] + pages[: index % len(pages)]
        connections = {}
        for name, path, email in itertools.cycle(order):
            if stop.is_set():
                break
            conn = connections.setdefault(email, harness.Client(port, cookies.get(email, ""), timeout=60))
            try:
                response = conn.get(path)
                outcome = response.status
            except OSError as exc:
                outcome = exc.__class__.__name__
                conn.close()
            with lock:
                if outcome == 200:
                    latencies[name].append(response.seconds)
                else:
                    failures[(name, str(outcome))] += 1
        for conn in connections.values():
            conn.close()

    with harness.Server(server_env, workers=args.workers) as server:
        port = server.port
        run.warm_up(server, pages, cookies)
        print(
            f"{args.clients} clients for {args.seconds:.0f} s on {len(pages)} pages, "
            f"gunicorn {server.workers} workers on 127.0.0.1:{port}",
            flush=True,
        )
        threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(args.clients)]
        start = time.perf_counter()
        for thread in threads:
            thread.start()
        time.sleep(args.seconds)
        stop.set()
        for thread in threads:
            thread.join(90)
        wall = time.perf_counter() - start

    everything = [s for values in latencies.values() for s in values]
    total = len(everything) + sum(failures.values())
    print(f"\n{'page':44} {'requests':>9} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  errors")
    for name, _path, _email in pages:
        values = latencies.get(name, [])
        errs = sum(n for (page, _o), n in failures.items() if page == name)
        print(
            f"{name[:44]:44} {len(values) + errs:9} {harness.percentile(values, 50) * 1000:8.0f} "
            f"{harness.percentile(values, 95) * 1000:8.0f} {max(values, default=0) * 1000:8.0f}  {errs}"
        )
    print(
        f"\nTOTAL {total} requests in {wall:.0f} s = {total / wall:.1f} req/s; "
        f"p50 {harness.percentile(everything, 50) * 1000:.0f} ms, p95 {harness.percentile(everything, 95) * 1000:.0f} ms, "
        f"p99 {harness.percentile(everything, 99) * 1000:.0f} ms; errors {sum(failures.values())}"
    )
    for (name, outcome), count in sorted(failures.items()):
        print(f"  ERROR {name}: {outcome} x{count}")
    result = {
        "machine": harness.machine(),
        "clients": args.clients,
        "seconds": round(wall, 1),
        "requests": total,
        "req_per_s": round(total / wall, 1),
        "p50_ms": round(harness.percentile(everything, 50) * 1000, 1),
        "p95_ms": round(harness.percentile(everything, 95) * 1000, 1),
        "p99_ms": round(harness.percentile(everything, 99) * 1000, 1),
        "errors": sum(failures.values()),
        "failures": {f"{n}: {o}": c for (n, o), c in failures.items()},
    }
    harness.write_json(harness.RESULTS / "load-latest.json", result)
    print("RESULT: " + ("PASS, no errors" if not failures else "FAIL"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
