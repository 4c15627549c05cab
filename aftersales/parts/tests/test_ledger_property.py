"""Property: after any sequence of receipts, issues, returns, transfers, adjustments, scraps,
reservations and releases, every stock row equals the sum of its ledger, nothing is negative,
reserved never exceeds on hand, and a refused operation leaves no trace."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aftersales.core.errors import DomainError
from aftersales.parts.models import Movement, Reservation, StockLevel
from aftersales.parts.services import (
    reservation_create,
    reservation_release,
    stock_adjust,
    stock_issue,
    stock_receive,
    stock_return,
    stock_scrap,
    stock_transfer,
)

pytestmark = pytest.mark.django_db

QUANTITIES = st.one_of(
    st.integers(min_value=-3, max_value=12).map(Decimal),
    st.sampled_from(["0.1", "0.2", "0.3", "0.001", "1.25", "2.5", "0.0001"]).map(Decimal),
)
OPS = st.lists(
    st.tuples(
        st.sampled_from(
            ["receive", "issue", "return", "transfer", "adjust", "scrap", "reserve", "release"]
        ),
        st.integers(min_value=0, max_value=1),  # part
        st.integers(min_value=0, max_value=2),  # location
        st.integers(min_value=0, max_value=2),  # second location
        QUANTITIES,
    ),
    min_size=1,
    max_size=25,
)


def _apply(op, parts, locations, wo, keeper):
    kind, p, a, b, qty = op
    part, loc = parts[p], locations[a]
    if kind == "receive":
        stock_receive(part=part, location=loc, quantity=qty, unit_cost="9.90", actor=keeper)
    elif kind == "issue":
        stock_issue(part=part, location=loc, quantity=qty, work_order=wo, actor=keeper)
    elif kind == "return":
        stock_return(part=part, location=loc, quantity=qty, actor=keeper)
    elif kind == "transfer":
        stock_transfer(part=part, source=loc, target=locations[b], quantity=qty, actor=keeper)
    elif kind == "adjust":
        stock_adjust(part=part, location=loc, quantity_delta=qty, reason="盘点", actor=keeper)
    elif kind == "scrap":
        stock_scrap(part=part, location=loc, quantity=qty, reason="损坏", actor=keeper)
    elif kind == "reserve":
        reservation_create(part=part, location=loc, quantity=qty, work_order=wo, actor=keeper)
    elif kind == "release":
        reservation = Reservation.objects.filter(part=part, status="active").order_by("id").first()
        if reservation is not None:
            reservation_release(reservation, actor=keeper)


def _snapshot():
    return (
        Movement.objects.count(),
        sorted(
            (lvl.part_id, lvl.location_id, str(lvl.on_hand), str(lvl.reserved))
            for lvl in StockLevel.objects.all()
        ),
    )


def _assert_invariants(parts, locations):
    for part in parts:
        for loc in locations:
            level = StockLevel.objects.filter(part=part, location=loc).first()
            agg = Movement.objects.filter(part=part, location=loc).aggregate(
                q=Sum("quantity"), r=Sum("reserved_delta")
            )
            ledger_on_hand = Decimal(str(agg["q"] or 0)).quantize(Decimal("0.001"))
            ledger_reserved = Decimal(str(agg["r"] or 0)).quantize(Decimal("0.001"))
            on_hand = Decimal(str(level.on_hand)) if level else Decimal("0")
            reserved = Decimal(str(level.reserved)) if level else Decimal("0")
            assert (on_hand, reserved) == (ledger_on_hand, ledger_reserved)
            assert on_hand >= 0 and reserved >= 0 and reserved <= on_hand
            active = Reservation.objects.filter(part=part, location=loc, status="active").aggregate(
                s=Sum("quantity")
            )["s"]
            assert reserved == Decimal(str(active or 0)).quantize(Decimal("0.001"))


def test_any_sequence_keeps_stock_rows_equal_to_the_ledger(stock_setup):
    s = stock_setup
    parts = [s["cap"], s["pipe"]]  # counted in pieces, and in metres
    locations = [s["wh"], s["bin"], s["van"]]

    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(OPS)
    def run(ops):
        with transaction.atomic():
            for op in ops:
                before = _snapshot()
                try:
                    with transaction.atomic():
                        _apply(op, parts, locations, s["wo"], s["keeper"])
                except DomainError:
                    assert _snapshot() == before, op  # refused: nothing changed
                _assert_invariants(parts, locations)
            transaction.set_rollback(True)  # each example starts from empty stock

    run()
