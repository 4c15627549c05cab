"""The demo's parts data loads through the services and keeps the ledger consistent."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import Sum

from aftersales.demo.parts_demo import parts_demo_load
from aftersales.parts.models import Location, Movement, Part, StockLevel

pytestmark = pytest.mark.django_db


def test_demo_loads_once_with_consistent_stock(users, product_model):
    parts_demo_load()
    assert Location.objects.filter(kind="van").count() == 1  # one technician in the fixture
    assert Part.objects.count() >= 15
    assert set(Part.objects.values_list("abc_class", flat=True)) >= {"A", "B", "C"}
    assert Movement.objects.filter(kind="issue").exists()
    for level in StockLevel.objects.all():
        agg = Movement.objects.filter(part=level.part, location=level.location).aggregate(
            q=Sum("quantity"), r=Sum("reserved_delta")
        )
        assert Decimal(str(agg["q"])).quantize(Decimal("0.001")) == level.on_hand
        assert Decimal(str(agg["r"] or 0)).quantize(Decimal("0.001")) == level.reserved
    movements = Movement.objects.count()
    parts_demo_load()  # a second run changes nothing
    assert Movement.objects.count() == movements
