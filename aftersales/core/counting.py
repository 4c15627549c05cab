"""How many rows a list holds, without reading millions of them on every page.

A list's count is exact while it is small and an estimate, marked ``estimated`` (screens say
"about N"), when it is large:

* PostgreSQL: the planner's row estimate for the list's query (``EXPLAIN``, one planning and
  no scan, from the statistics autovacuum keeps current) decides. Far above the limit
  (``ESTIMATE_TRUSTED`` times it) the estimate is the answer; otherwise the rows are counted
  up to ``exact_limit + 1`` (``SELECT COUNT(*) FROM (… LIMIT n)``), exact when that many are
  not reached, and the estimate (at least the limit) when they are;
* other databases (SQLite): the rows are counted up to ``exact_limit + 1``; above the limit
  the full count is remembered in the cache for ``cache_seconds`` per query, so a busy list
  pays for it once in a while instead of on every page.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet

EXACT_LIMIT = 1000
CACHE_SECONDS = 300
# an estimate this many times the limit is trusted without counting (planner estimates are
# off by a small factor, not by ten)
ESTIMATE_TRUSTED = 10


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
    postgres = connections[qs.db].vendor == "postgresql"
    estimate = _planner_rows(qs) if postgres else None
    if estimate is not None and estimate > exact_limit * ESTIMATE_TRUSTED:
        return ListCount(estimate, True)
    exact = qs[: exact_limit + 1].count()
    if exact <= exact_limit:
        return ListCount(exact, False)
    if estimate is not None:
        return ListCount(max(exact, estimate), True)
    return ListCount(max(exact, _cached_count(qs, cache_seconds)), True)


def _planner_rows(qs: QuerySet) -> int:
    try:
        text = qs.values("pk").explain(format="json")
    except EmptyResultSet:
        return 0
    if not text:  # a filter that can match nothing (``pk__in=[]``) runs no query
        return 0
    return int(json.loads(text)[0]["Plan"]["Plan Rows"])


def _cached_count(qs: QuerySet, seconds: int) -> int:
    sql, params = qs.values("pk").query.sql_with_params()
    digest = hashlib.sha256(repr((qs.db, sql, params)).encode()).hexdigest()
    key = f"list-count:{digest}"
    value = cache.get(key)
    if value is None:
        value = qs.count()
        cache.set(key, value, seconds)
    return value
