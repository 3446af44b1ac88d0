"""Keyset pagination for long lists, newest first: a page is found from the row it continues
after, not by counting the rows to skip, so the thousandth page costs what the first does; and the
total is counted only up to a cap. An exact COUNT(*) plus OFFSET grows with the table (issue 15)."""

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet

COUNT_CAP = 1000


@dataclass
class KeysetPage:
    """One page of rows. `newer`/`older` are the cursors of the neighbouring pages (None at an
    end); `count` is the number of matching rows, exact up to COUNT_CAP."""

    rows: list
    newer: str | None
    older: str | None
    count: int

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def capped(self) -> bool:
        """More rows match than were counted."""
        return self.count > COUNT_CAP

    @property
    def cap(self) -> int:
        return COUNT_CAP

    @property
    def has_other_pages(self) -> bool:
        return bool(self.newer or self.older)


def capped_count(queryset: QuerySet, *walk: str) -> int:
    """The number of rows, counted up to COUNT_CAP + 1 (more than COUNT_CAP reads "more than"):
    the database stops after that many instead of counting a table that grows. `walk` orders the
    walk when the matching rows gather at one end of an index (unsettled courses are the newest):
    unordered, the database may skip every older row before it finds the cap's rows."""
    return queryset.order_by(*walk)[: COUNT_CAP + 1].count()


def _cursor(row, date_field: str) -> str:
    return f"{getattr(row, date_field).isoformat()}.{row.pk}"


def _parse(cursor: str | None) -> tuple[datetime.date, int] | None:
    """A cursor from the query string; anything malformed reads as none (the first page)."""
    if not cursor:
        return None
    day, _dot, pk = cursor.partition(".")
    try:
        return datetime.date.fromisoformat(day), int(pk)
    except ValueError:
        return None


def newest_first(
    queryset: QuerySet, date_field: str, *, size: int, after: str | None = None, before: str | None = None
) -> KeysetPage:
    """A page of `queryset` ordered by `date_field` and then id, both descending (an index on
    `(date_field DESC, id DESC)` answers every page): the rows older than the cursor `after`, or
    the rows newer than the cursor `before`, or else the newest."""
    count = capped_count(queryset)
    newest = queryset.order_by(f"-{date_field}", "-pk")
    if key := _parse(before):
        day, pk = key
        newer_rows = queryset.filter(Q(**{f"{date_field}__gt": day}) | Q(**{date_field: day, "pk__gt": pk}))
        rows = list(newer_rows.order_by(date_field, "pk")[: size + 1])
        if len(rows) > size:  # not yet back at the top
            rows = rows[:size][::-1]
            return KeysetPage(rows, _cursor(rows[0], date_field), _cursor(rows[-1], date_field), count)
        after = None  # back at the top: the first page, as it is now
    elif key := _parse(after):
        day, pk = key
        newest = newest.filter(Q(**{f"{date_field}__lt": day}) | Q(**{date_field: day, "pk__lt": pk}))
    rows = list(newest[: size + 1])
    older = _cursor(rows[size - 1], date_field) if len(rows) > size else None
    rows = rows[:size]
    newer = _cursor(rows[0], date_field) if _parse(after) and rows else None
    return KeysetPage(rows, newer, older, count)
