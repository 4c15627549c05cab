"""Fixtures of the parts tests: a catalog, a warehouse with a bin, a technician's van, and a
work order to issue to."""

from __future__ import annotations

import pytest


def make_work_order(case, number: str):
    """A bare work order for the ledger to point at."""
    from aftersales.workorders.models import WorkOrder

    return WorkOrder.objects.create(number=number, case=case, customer=case.customer)


@pytest.fixture
def keeper(users):
    return users["parts_keeper"]


@pytest.fixture
def stock_setup(users, org, cases):
    from aftersales.parts.services import location_create, part_create

    keeper = users["parts_keeper"]
    wh = location_create(code="WH-SH", name="上海中心仓", kind="warehouse", actor=keeper)
    bin_a = location_create(code="WH-SH-A01", name="A区01架", kind="bin", parent=wh, actor=keeper)
    van = location_create(
        code="VAN-T1", name="技师车载库", kind="van", technician=users["technician"], actor=keeper
    )
    capacitor = part_create(
        code="CAP-35UF",
        name="压缩机启动电容",
        specification="35μF 450V",
        unit="pcs",
        standard_cost="12.50",
        list_price="25.00",
        reorder_point=5,
        safety_stock=2,
        actor=keeper,
    )
    pipe = part_create(
        code="CU-PIPE-6",
        name="铜管",
        specification="φ6.35mm",
        unit="m",
        standard_cost="18.00",
        list_price="30.00",
        reorder_point=0,
        actor=keeper,
    )
    case = cases["alice_a"]
    wo = make_work_order(case, "WO-0001")
    wo2 = make_work_order(case, "WO-0002")
    return {
        "keeper": keeper,
        "wh": wh,
        "bin": bin_a,
        "van": van,
        "cap": capacitor,
        "pipe": pipe,
        "wo": wo,
        "wo2": wo2,
    }


@pytest.fixture(autouse=True)
def _english(settings):
    """The parts tests read messages in English; the catalogs' completeness is tested centrally."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
