"""Low-stock list, suggested purchase plan and ABC classification."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from aftersales.parts import selectors
from aftersales.parts.abc import abc_reclassify, classify
from aftersales.parts.models import Movement, Part
from aftersales.parts.services import part_create, stock_issue, stock_receive, stock_return

pytestmark = pytest.mark.django_db


def test_low_stock_list(stock_setup):
    s = stock_setup  # capacitor: reorder point 5
    stock_receive(part=s["cap"], location=s["wh"], quantity=6, unit_cost=10, actor=s["keeper"])
    assert selectors.low_stock_list() == []
    stock_issue(part=s["cap"], location=s["wh"], quantity=3, actor=s["keeper"])
    rows = selectors.low_stock_list()
    assert [(r.part.code, r.available, r.shortfall) for r in rows] == [
        ("CAP-35UF", Decimal("3"), Decimal("2"))
    ]


def test_purchase_plan_formula(stock_setup, monkeypatch):
    s = stock_setup
    cap = s["cap"]  # lead time 7 days (common), safety stock 2, reorder point 5
    stock_receive(part=cap, location=s["wh"], quantity=40, unit_cost=10, actor=s["keeper"])
    stock_issue(part=cap, location=s["wh"], quantity=20, work_order=s["wo"], actor=s["keeper"])
    stock_return(part=cap, location=s["wh"], quantity=2, work_order=s["wo"], actor=s["keeper"])

    # 18 net consumed over 30 days = 0.6/day × 7 days = 4.2 + 2 safety − 22 available → nothing
    def plan():
        return [r for r in selectors.purchase_plan(days=30) if r.part == cap]

    assert plan() == []
    stock_issue(part=cap, location=s["wh"], quantity=21, actor=s["keeper"])
    # 39 consumed / 30 × 7 = 9.1 + 2 − 1 available − 0 on order = 10.1 → 11 whole pieces
    (row,) = plan()
    assert row.consumed == Decimal("39") and row.suggested == Decimal("11")
    assert row.below_reorder_point
    # quantities on open purchase orders count against the suggestion
    monkeypatch.setattr(selectors, "on_order_quantities", lambda: {cap.pk: Decimal("8")})
    (row,) = plan()
    assert row.on_order == Decimal("8") and row.suggested == Decimal("3")


def test_abc_classes_from_consumption_value(stock_setup):
    s = stock_setup
    keeper = s["keeper"]
    expensive = part_create(code="COMP-1", name="压缩机", standard_cost=500, actor=keeper)
    middle = part_create(code="PCB-1", name="电路板", standard_cost=100, actor=keeper)
    idle = part_create(code="REMOTE-1", name="遥控器", standard_cost=20, actor=keeper)
    for part in (expensive, middle, s["cap"], idle):
        stock_receive(part=part, location=s["wh"], quantity=50, unit_cost=1, actor=keeper)
    stock_issue(part=expensive, location=s["wh"], quantity=16, actor=keeper)  # 8000
    stock_issue(part=middle, location=s["wh"], quantity=15, actor=keeper)  # 1500
    stock_issue(part=s["cap"], location=s["wh"], quantity=40, actor=keeper)  # 500
    # an issue older than twelve months does not count
    old = stock_issue(part=idle, location=s["wh"], quantity=10, actor=keeper)
    Movement.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=400))
    counts = abc_reclassify(actor=keeper)
    classes = dict(Part.objects.values_list("code", "abc_class"))
    assert classes["COMP-1"] == "A"  # 80 % of 10 000
    assert classes["PCB-1"] == "B"  # 80 → 95 %
    assert classes["CAP-35UF"] == "C"
    assert classes["REMOTE-1"] == "C" and classes["CU-PIPE-6"] == "C"
    assert counts == {"A": 1, "B": 1, "C": 3}
    call_command("parts_abc")  # the command gives the same answer


def test_classify_boundaries():
    values = {1: Decimal("50"), 2: Decimal("30"), 3: Decimal("15"), 4: Decimal("5"), 5: Decimal(0)}
    assert classify(values, [1, 2, 3, 4, 5]) == {1: "A", 2: "A", 3: "B", 4: "C", 5: "C"}
