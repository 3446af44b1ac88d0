"""Settings for the benchmark, load and fault runs: the production settings (DEBUG off, set by the
runner's environment) plus a per-request SQL query counter and a baseline page (bench/urls.py).

Only bench/run.py, scripts/load.py and scripts/faults.py use this module; the portal never does.
"""

import os

from kkr_portal.settings import *  # noqa: F403
from kkr_portal.settings import CACHES, MIDDLEWARE

ROOT_URLCONF = "bench.urls"
MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]
# Each server of a run caches under its own prefix (bench/run.py: the growth mode serves two data sets
# from one Redis database at once, and old keys of a prefix are deleted before its server starts).
CACHES["default"]["KEY_PREFIX"] = os.environ.get("BENCH_CACHE_PREFIX", "")
