"""The portal's one clock: dates are Copenhagen dates (TIME_ZONE), never the server's UTC date.

Use `today()` wherever a rule asks "which day is it"; `date.today()` is a day behind Copenhagen for
an hour or two after midnight on a UTC server.
"""

from __future__ import annotations

import datetime

from django.utils import timezone


def today() -> datetime.date:
    return timezone.localdate()


def now() -> datetime.datetime:
    return timezone.now()
