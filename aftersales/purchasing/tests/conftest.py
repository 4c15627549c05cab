"""Fixtures of the purchasing tests: parts in a warehouse, two suppliers, work orders."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from aftersales.conftest import make_case, make_portal_customer


@pytest.fixture
def warehouse(db):
    from aftersales.parts.models import Location

    return Location.objects.create(code="WH-SH", name="上海中心仓", kind="warehouse")


@pytest.fixture
def parts(db):
    from aftersales.parts.models import Part

    return {
        "compressor": Part.objects.create(
            code="YSJ-1.5P",
            name="压缩机 1.5匹",
            stock_class="critical",
            standard_cost=Decimal("800.00"),
            list_price=Decimal("1280.00"),
        ),
        "capacitor": Part.objects.create(
            code="DR-35UF",
            name="启动电容 35μF",
            stock_class="common",
            standard_cost=Decimal("12.00"),
            list_price=Decimal("30.00"),
        ),
    }


@pytest.fixture
def suppliers(db):
    from aftersales.purchasing.services import supplier_create

    return {
        "hualeng": supplier_create(
            actor=None,
            code="sz-hualeng",
            name="苏州华冷配件有限公司",
            tax_id="91320505MA1XXXXX0A",
            contacts=[{"name": "周经理", "role": "销售", "phone": "0512-66881234"}],
        ),
        "meidi": supplier_create(actor=None, code="fs-jiadian", name="佛山家电配件厂"),
    }


@pytest.fixture
def today():
    from django.utils import timezone

    return timezone.localdate()


@pytest.fixture
def promised(today):
    return today + dt.timedelta(days=7)


@pytest.fixture
def three_customers(customers):
    wang = make_portal_customer("wangwu", "王五", "13700001111")
    from aftersales.customers.services import asset_create

    asset_create(
        actor=None,
        customer=wang,
        product_model=customers["alice"].assets.first().product_model,
        serial_number="SN-W-0001",
        purchase_date=dt.date(2026, 3, 1),
    )
    zhao = make_portal_customer("zhaoliu", "赵六", "13600002222")
    return {**customers, "wang": wang, "zhao": zhao}


def make_work_order(customer, number: str):
    from aftersales.workorders.models import WorkOrder

    case = make_case(customer)
    return WorkOrder.objects.create(
        number=number, case=case, customer=customer, asset=customer.assets.first()
    )
