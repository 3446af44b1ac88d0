"""Settings for the benchmark, load and fault runs: the production settings (DEBUG off, set by the
runner's environment) plus a per-request SQL query counter and a baseline page (bench/urls.py).

Only bench/run.py, scripts/load.py and scripts/faults.py use this module; the portal never does.
"""

from kkr_portal.settings import *  # noqa: F403
from kkr_portal.settings import MIDDLEWARE

ROOT_URLCONF = "bench.urls"
MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]
