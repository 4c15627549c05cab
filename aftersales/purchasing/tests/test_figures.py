"""The scorecard's and the stock figures' formulas, on known numbers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from aftersales.parts.models import Movement
from aftersales.parts.services import stock_issue, stock_receive
from aftersales.purchasing import figures, services
from aftersales.purchasing.models import SupplierRating
from aftersales.purchasing.scorecard import supplier_scorecard

pytestmark = pytest.mark.django_db


def buy(actor, supplier, promised, part, qty, price, lot, accepted):
    order = services.order_create(
        actor=actor,
        supplier=supplier,
        promised_date=promised,
        lines=[{"part": part, "quantity": qty, "unit_price": price}],
    )
    order = services.order_transition(actor=actor, order=order, to_status="ordered", version=1)
    from aftersales.parts.models import Location

    receipt = services.receipt_create(
        actor=actor,
        order=order,
        location=Location.objects.get(code="WH-SH"),
        lines=[{"order_line": order.lines.get().pk, "quantity": qty, "lot_number": lot}],
    )
    services.inspection_record(
        actor=actor,
        receipt_line=receipt.lines.get(),
        accepted=accepted,
        rejected=qty - accepted,
        defect_description="" if accepted == qty else "来料不良",
    )


def test_scorecard_scores_weights_and_ranking(users, parts, suppliers, warehouse, today):
    buyer = users["parts_keeper"]
    hualeng, meidi = suppliers["hualeng"], suppliers["meidi"]
    idle = services.supplier_create(actor=None, code="idle", name="无往来供应商")
    compressor = parts["compressor"]  # standard cost 800
    buy(buyer, hualeng, today + dt.timedelta(days=3), compressor, 10, "760", "H-1", accepted=9)
    buy(buyer, meidi, today - dt.timedelta(days=3), compressor, 10, "840", "M-1", accepted=10)
    services.supplier_rate(actor=buyer, supplier=hualeng, score=5)
    services.supplier_rate(actor=buyer, supplier=meidi, score=3)
    old = services.supplier_rate(actor=buyer, supplier=meidi, score=1)
    SupplierRating.objects.filter(pk=old.pk).update(
        rated_at=timezone.now() - dt.timedelta(days=200)
    )

    scores = supplier_scorecard(today - dt.timedelta(days=30), today)
    by_code = {s.supplier.code: s for s in scores}
    h, m, i = by_code["sz-hualeng"], by_code["fs-jiadian"], by_code[idle.code]
    assert (h.quality, h.on_time, h.price_index, h.price_score, h.service) == (
        Decimal("90.0"),
        Decimal("100.0"),
        Decimal("0.950"),
        Decimal("100.0"),
        Decimal("5.00"),
    )
    assert h.total == Decimal("96.0")  # (40×90 + 30×100 + 20×100 + 10×100) ÷ 100
    assert (m.quality, m.on_time, m.price_index, m.service) == (
        Decimal("100.0"),
        Decimal("0.0"),
        Decimal("1.050"),
        Decimal("3.00"),  # the rating from 200 days ago is outside the period
    )
    assert m.price_score == Decimal("95.2")
    assert m.total == Decimal("65.0")
    # Against the others: both paid for the same part, on average 800.
    assert (h.price_vs_others, m.price_vs_others) == (Decimal("0.950"), Decimal("1.050"))
    assert [s.supplier.code for s in scores[:2]] == ["sz-hualeng", "fs-jiadian"]
    assert (h.rank, m.rank, i.rank, i.total) == (1, 2, None, None)
    # An earlier period has no data at all.
    assert all(
        s.total is None
        for s in supplier_scorecard(today - dt.timedelta(days=400), today - dt.timedelta(days=300))
    )


def _at(movement, when):
    Movement.objects.filter(pk=movement.pk).update(created_at=when)


def test_stock_value_turnover_stock_outs_and_dead_stock(users, parts, warehouse):
    keeper = users["parts_keeper"]
    capacitor, compressor = parts["capacitor"], parts["compressor"]  # 12 and 800 standard
    now = timezone.now()
    _at(
        stock_receive(
            part=capacitor, location=warehouse, quantity=100, unit_cost="12", actor=keeper
        ),
        now - dt.timedelta(days=10),
    )
    _at(
        stock_issue(part=capacitor, location=warehouse, quantity=30, actor=keeper),
        now - dt.timedelta(days=5),
    )
    _at(
        stock_issue(part=capacitor, location=warehouse, quantity=70, actor=keeper),
        now - dt.timedelta(days=2),
    )
    _at(
        stock_receive(
            part=compressor, location=warehouse, quantity=2, unit_cost="800", actor=keeper
        ),
        now - dt.timedelta(days=400),
    )
    # Back in stock for a day, then out again: a second stock-out.
    _at(
        stock_receive(part=capacitor, location=warehouse, quantity=5, unit_cost="12", actor=keeper),
        now - dt.timedelta(hours=36),
    )
    _at(
        stock_issue(part=capacitor, location=warehouse, quantity=5, actor=keeper),
        now - dt.timedelta(hours=24),
    )

    value = figures.stock_value_by_class()
    assert value == {
        "common": Decimal("0.00"),
        "critical": Decimal("1600.00"),
        "rare": Decimal("0.00"),
    }
    week_ago = now - dt.timedelta(days=7)
    assert figures.stock_value_at(week_ago)["common"] == Decimal("1200")
    issued = figures.issued_cost(week_ago, now)
    assert issued["common"] == Decimal("1260")  # 105 × 12
    # turnover of the week: 1260 ÷ ((1200 + 0) ÷ 2) = 2.1
    assert issued["common"] / ((figures.stock_value_at(week_ago)["common"] + 0) / 2) == Decimal(
        "2.1"
    )
    assert figures.stock_outs(week_ago) == {capacitor.pk: 2}
    assert figures.stock_outs(now - dt.timedelta(hours=30)) == {capacitor.pk: 1}
    assert figures.stock_outs(now - dt.timedelta(hours=12)) == {}
    assert [p.code for p in figures.current_stock_outs()] == ["DR-35UF"]
    dead = figures.dead_stock(180)
    assert [(r.part.code, r.on_hand, r.value) for r in dead] == [
        ("YSJ-1.5P", Decimal("2"), Decimal("1600.00"))
    ]
    assert figures.dead_stock(500) == []

    rows = figures.turnover(months=2)
    assert len(rows) == 2 * 4  # two months × (three classes + all)
    total_issued = sum(r.issued_cost for r in rows if r.stock_class == "all")
    assert total_issued == Decimal("1260.00")
    last = [r for r in rows if r.stock_class == "all"][-1]
    assert last.closing_value == Decimal("1600.00")
