"""How many rows a list holds, without reading millions of them on every page.

A list's count is exact while it is small: the rows are counted up to ``exact_limit + 1``
(``SELECT COUNT(*) FROM (… LIMIT n)``), which costs at most that many index entries. Above the
limit the count is an estimate and says so (``estimated``; screens show "about N"):

* PostgreSQL: the planner's row estimate for the list's query (``EXPLAIN``), from the table
  statistics that autovacuum keeps current; it costs one planning, never a scan;
* other databases (SQLite): the exact count, remembered in the cache for ``cache_seconds``
  per query, so a busy list pays the full count once in a while instead of on every page.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import connections
from django.db.models import QuerySet

EXACT_LIMIT = 1000
CACHE_SECONDS = 300


@dataclass(frozen=True)
class ListCount:
    value: int
    estimated: bool

    @property
    def rounded(self) -> int:
        """The value to show: exact as it is, an estimate to two significant digits."""
        if not self.estimated or self.value < 100:
            return self.value
        step = 10 ** (len(str(self.value)) - 2)
        return round(self.value / step) * step

    def as_dict(self) -> dict[str, Any]:
        return {"count": self.rounded, "count_estimated": self.estimated}


def list_count(
    qs: QuerySet, *, exact_limit: int | None = None, cache_seconds: int | None = None
) -> ListCount:
    """The number of rows of ``qs`` (its filters only: ordering and joins are dropped)."""
    exact_limit = EXACT_LIMIT if exact_limit is None else exact_limit
    cache_seconds = CACHE_SECONDS if cache_seconds is None else cache_seconds
    qs = qs.select_related(None).prefetch_related(None).order_by()
    exact = qs[: exact_limit + 1].count()
    if exact <= exact_limit:
        return ListCount(exact, False)
    if connections[qs.db].vendor == "postgresql":
        return ListCount(max(exact, _planner_rows(qs)), True)
    return ListCount(max(exact, _cached_count(qs, cache_seconds)), True)


def _planner_rows(qs: QuerySet) -> int:
    plan = json.loads(qs.values("pk").explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])


def _cached_count(qs: QuerySet, seconds: int) -> int:
    sql, params = qs.values("pk").query.sql_with_params()
    digest = hashlib.sha256(repr((qs.db, sql, params)).encode()).hexdigest()
    key = f"list-count:{digest}"
    value = cache.get(key)
    if value is None:
        value = qs.count()
        cache.set(key, value, seconds)
    return value
