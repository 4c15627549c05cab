"""List counts: exact while small, an estimate (and labelled so) above the limit, never a
full count on every page."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aftersales.core import counting
from aftersales.core.counting import ListCount, list_count
from aftersales.customers.models import Customer
from aftersales.customers.services import customer_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def add(n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        customer_create(actor=None, name=f"客户{i}")


def test_small_lists_are_counted_exactly():
    add(3)
    qs = Customer.objects.filter(name__startswith="客户")
    assert list_count(qs, exact_limit=5) == ListCount(3, False)
    assert list_count(qs.none()) == ListCount(0, False)


def test_the_exact_count_stops_at_the_limit():
    add(12)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:  # an estimate near the limit: rows are counted
            cur.execute(f"ANALYZE {Customer._meta.db_table}")
    qs = Customer.objects.all()
    with CaptureQueriesContext(connection) as ctx:
        result = list_count(qs, exact_limit=5)
    assert result.estimated is True
    assert result.value >= 6
    counts = [q["sql"].upper() for q in ctx.captured_queries if "COUNT(" in q["sql"].upper()]
    assert " LIMIT 6" in counts[0]  # rows are counted up to the limit, then no further
    assert all(" LIMIT " not in c for c in counts[1:])  # SQLite: the full count, remembered


def test_nothing_to_count():
    assert list_count(Customer.objects.filter(pk__in=[])) == ListCount(0, False)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL planner estimate")
def test_postgresql_trusts_a_large_estimate_without_counting():
    add(40)
    with connection.cursor() as cur:
        cur.execute(f"ANALYZE {Customer._meta.db_table}")
    with CaptureQueriesContext(connection) as ctx:
        result = list_count(Customer.objects.all(), exact_limit=3)
    assert result == ListCount(40, True)  # the statistics are fresh: the estimate is exact
    statements = [q["sql"].upper() for q in ctx.captured_queries]
    assert len(statements) == 1 and statements[0].startswith("EXPLAIN")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL planner estimate")
def test_postgresql_counts_up_to_the_limit_when_the_estimate_is_near_it():
    add(40)
    with connection.cursor() as cur:
        cur.execute(f"ANALYZE {Customer._meta.db_table}")
    with CaptureQueriesContext(connection) as ctx:
        near = list_count(Customer.objects.all(), exact_limit=10)
        small = list_count(Customer.objects.all(), exact_limit=100)
    assert near == ListCount(40, True)
    assert small == ListCount(40, False)
    statements = [q["sql"].upper() for q in ctx.captured_queries]
    assert [s.split()[0] for s in statements] == ["EXPLAIN", "SELECT", "EXPLAIN", "SELECT"]


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the cached count of SQLite")
def test_sqlite_remembers_the_full_count_for_a_while():
    add(12)
    qs = Customer.objects.filter(name__startswith="客户")
    assert list_count(qs, exact_limit=5) == ListCount(12, True)
    add(4, start=100)
    with CaptureQueriesContext(connection) as ctx:
        again = list_count(qs, exact_limit=5)
    assert again == ListCount(12, True)  # remembered, not counted again
    assert len(ctx.captured_queries) == 1  # only the bounded count
    cache.clear()
    assert list_count(qs, exact_limit=5) == ListCount(16, True)


def test_different_filters_are_remembered_apart(settings):
    add(12)
    a = list_count(Customer.objects.filter(name__startswith="客户1"), exact_limit=2)
    b = list_count(Customer.objects.filter(name__startswith="客户"), exact_limit=2)
    assert a.estimated and b.estimated
    if connection.vendor != "postgresql":
        assert (a.value, b.value) == (3, 12)  # 客户1, 客户10, 客户11


def test_estimates_are_shown_rounded_and_exact_counts_as_they_are():
    assert ListCount(1234567, True).rounded == 1200000
    assert ListCount(98765, True).rounded == 99000
    assert ListCount(57, True).rounded == 57
    assert ListCount(1234567, False).rounded == 1234567
    assert ListCount(1234, True).as_dict() == {"count": 1200, "count_estimated": True}


def test_limit_is_read_when_counting(monkeypatch):
    add(4)
    monkeypatch.setattr(counting, "EXACT_LIMIT", 2)
    assert list_count(Customer.objects.all()).estimated is True
    monkeypatch.setattr(counting, "EXACT_LIMIT", 10)
    assert list_count(Customer.objects.all()) == ListCount(4, False)
