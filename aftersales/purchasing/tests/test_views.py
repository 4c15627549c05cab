"""The purchasing screens: who may open them, and the buyer's day through the forms."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from aftersales.core.testing import image_bytes
from aftersales.parts.models import Batch, StockLevel
from aftersales.parts.services import stock_issue, stock_receive
from aftersales.purchasing import pricing
from aftersales.purchasing.models import InspectionPhoto, PurchaseOrder, Receipt, SupplierReturn

from .conftest import make_work_order

pytestmark = pytest.mark.django_db

PAGES = [
    "purchasing:order_list",
    "purchasing:supplier_list",
    "purchasing:scorecard",
    "purchasing:return_list",
    "purchasing:batch_list",
    "purchasing:prices",
]


def client_as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("name", [*PAGES, "purchasing:figures"])
def test_pages_open_for_keeper_supervisor_auditor_and_not_for_an_agent(users, suppliers, name):
    url = reverse(name)
    for role in ("parts_keeper", "supervisor", "auditor"):
        assert client_as(users[role]).get(url).status_code == 200, role
    assert client_as(users["agent"]).get(url).status_code == 403
    assert Client().get(url).status_code == 302


def test_buyer_orders_receives_and_inspects_through_the_forms(
    users, parts, suppliers, warehouse, promised
):
    keeper = client_as(users["parts_keeper"])
    r = keeper.post(
        reverse("purchasing:order_create"),
        {
            "supplier": suppliers["hualeng"].pk,
            "promised_date": str(promised),
            "part_0": "YSJ-1.5P",
            "quantity_0": "4",
            "unit_price_0": "760",
        },
    )
    order = PurchaseOrder.objects.get()
    assert r.status_code == 302 and r.url == reverse("purchasing:order_detail", args=[order.pk])
    page = keeper.get(r.url)
    assert order.number in page.content.decode()
    r = keeper.post(
        reverse("purchasing:order_transition", args=[order.pk]),
        {"to_status": "ordered", "version": 1},
    )
    assert r.status_code == 302
    line = order.lines.get()
    # Too many: the page comes back with the message and nothing is received.
    r = keeper.post(
        reverse("purchasing:receipt_create", args=[order.pk]),
        {"location": warehouse.pk, "version": 2, f"qty_{line.pk}": "5", f"lot_{line.pk}": "A1"},
    )
    assert r.status_code == 409
    assert 'data-testid="form-error"' in r.content.decode()
    assert not Receipt.objects.exists()
    r = keeper.post(
        reverse("purchasing:receipt_create", args=[order.pk]),
        {"location": warehouse.pk, "version": 2, f"qty_{line.pk}": "4", f"lot_{line.pk}": "A1"},
    )
    assert r.status_code == 302
    receipt_line = Receipt.objects.get().lines.get()
    r = keeper.post(
        reverse("purchasing:inspection_record", args=[receipt_line.pk]),
        {
            "accepted": "3",
            "rejected": "1",
            "defect_description": "铭牌错误",
            "photos": SimpleUploadedFile("p.png", image_bytes("PNG"), content_type="image/png"),
        },
    )
    assert r.status_code == 302
    assert StockLevel.objects.get(part=parts["compressor"]).on_hand == 3
    assert SupplierReturn.objects.get().quantity == 1
    page = keeper.get(reverse("purchasing:order_detail", args=[order.pk])).content.decode()
    assert "铭牌错误" in page and SupplierReturn.objects.get().number in page
    photo = InspectionPhoto.objects.get()
    r = keeper.get(reverse("purchasing:inspection_photo", args=[photo.pk]))
    assert r.status_code == 200 and r["Content-Type"] == "image/png"
    assert r["Content-Security-Policy"].startswith("sandbox")
    assert client_as(users["agent"]).get(r.request["PATH_INFO"]).status_code == 403


def test_an_order_form_with_an_unknown_part_says_so(users, suppliers, promised):
    r = client_as(users["parts_keeper"]).post(
        reverse("purchasing:order_create"),
        {
            "supplier": suppliers["hualeng"].pk,
            "promised_date": str(promised),
            "part_0": "X-1",
            "quantity_0": "1",
        },
    )
    assert r.status_code == 422
    assert "X-1" in r.content.decode()
    assert not PurchaseOrder.objects.exists()


def _workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content))


def test_excel_exports(users, suppliers, parts, promised):
    from aftersales.purchasing.services import order_create

    order_create(
        actor=None,
        supplier=suppliers["meidi"],
        promised_date=promised,
        lines=[{"part": parts["capacitor"], "quantity": 10, "unit_price": "11"}],
    )
    keeper = client_as(users["parts_keeper"])
    scorecard = _workbook(keeper.get(reverse("purchasing:scorecard") + "?format=xlsx"))
    names = {row[2] for row in scorecard.worksheets[0].iter_rows(min_row=2, values_only=True)}
    assert {"苏州华冷配件有限公司", "佛山家电配件厂"} <= names
    figures = _workbook(keeper.get(reverse("purchasing:figures") + "?format=xlsx"))
    assert len(figures.worksheets) == 4
    orders = _workbook(keeper.get(reverse("purchasing:order_list") + "?format=xlsx"))
    rows = list(orders.worksheets[0].iter_rows(min_row=2, values_only=True))
    assert [(r[0][:3], r[1]) for r in rows] == [("PO-", "佛山家电配件厂")]


def test_chart_data_as_json(users, suppliers):
    keeper = client_as(users["parts_keeper"])
    data = keeper.get(reverse("purchasing:scorecard") + "?format=json").json()
    assert len(data["dimensions"]) == 4
    data = keeper.get(reverse("purchasing:figures") + "?format=json&months=2").json()
    assert len(data["periods"]) == 2 and len(data["series"]) == 4


def test_recall_page_marks_and_opens_cases_once(users, parts, warehouse, customers):
    keeper_user = users["parts_keeper"]
    stock_receive(
        part=parts["capacitor"],
        location=warehouse,
        quantity=3,
        unit_cost="12",
        batch_lot="LOT-R",
        actor=keeper_user,
    )
    batch = Batch.objects.get()
    for i, key in enumerate(("alice", "bob"), start=1):
        wo = make_work_order(customers[key], f"WO-2026-00020{i}")
        stock_issue(
            part=parts["capacitor"],
            location=warehouse,
            quantity=1,
            work_order=wo,
            batch=batch,
            actor=keeper_user,
        )
    keeper, supervisor = client_as(keeper_user), client_as(users["supervisor"])
    url = reverse("purchasing:batch_detail", args=[batch.pk])
    r = keeper.post(reverse("purchasing:batch_defect", args=[batch.pk]), {"reason": ""})
    assert r.status_code == 422
    r = keeper.post(reverse("purchasing:batch_defect", args=[batch.pk]), {"reason": "电解液泄漏"})
    assert r.status_code == 302
    page = keeper.get(url).content.decode()
    assert "138****5678" in page and "张*丰" in page  # the keeper sees customers masked
    assert 'data-testid="recall-open-cases"' not in page
    page = supervisor.get(url).content.decode()
    assert "张三丰" in page and 'data-testid="recall-open-cases"' in page
    r = supervisor.post(reverse("purchasing:batch_recall_cases", args=[batch.pk]))
    assert r.status_code == 302
    page = supervisor.get(url).content.decode()
    assert page.count("SC-") >= 2 and 'data-testid="recall-open-cases"' not in page
    assert keeper.post(reverse("purchasing:batch_recall_cases", args=[batch.pk])).status_code == 403
    fragment = keeper.get(reverse("purchasing:work_order_batches", args=["WO-2026-000201"]))
    assert "LOT-R" in fragment.content.decode()


def test_prices_page_request_and_approve(users, parts):
    keeper, supervisor = client_as(users["parts_keeper"]), client_as(users["supervisor"])
    r = keeper.post(
        reverse("purchasing:price_change_create"),
        {"part": "DR-35UF", "list_price": "32.00", "reason": "包装升级"},
    )
    assert r.status_code == 302
    change = pricing.PriceChange.objects.get()
    assert (
        keeper.post(
            reverse("purchasing:price_change_decide", args=[change.pk]), {"approve": "1"}
        ).status_code
        == 403
    )
    r = supervisor.post(
        reverse("purchasing:price_change_decide", args=[change.pk]), {"approve": "1"}
    )
    assert r.status_code == 302
    parts["capacitor"].refresh_from_db()
    assert str(parts["capacitor"].list_price) == "32.00"
    assert "包装升级" in supervisor.get(reverse("purchasing:prices")).content.decode()


def test_draft_orders_from_the_plan_button(users, parts, suppliers, today):
    from aftersales.parts.models import Part
    from aftersales.purchasing.services import supplier_price_set

    Part.objects.filter(pk=parts["compressor"].pk).update(reorder_point=3)
    supplier_price_set(
        actor=None,
        supplier=suppliers["hualeng"],
        part=parts["compressor"],
        price="770",
        valid_from=today,
    )
    url = reverse("purchasing:orders_from_plan")
    assert client_as(users["auditor"]).post(url).status_code == 403
    r = client_as(users["parts_keeper"]).post(url, follow=True)
    order = PurchaseOrder.objects.get()
    assert order.status == "draft" and order.lines.get().quantity == 3
    assert order.number in r.content.decode()


def test_supplier_edit_on_the_version_seen(users, suppliers):
    supplier = suppliers["meidi"]
    keeper = client_as(users["parts_keeper"])
    url = reverse("purchasing:supplier_edit", args=[supplier.pk])
    form = {
        "name": "佛山美信电器配件厂",
        "tax_id": "91440606MA4W2LRT5C",
        "address": "顺德",
        "version": 1,
    }
    r = keeper.post(url, form)  # "active" unticked: the supplier is switched off
    assert r.status_code == 302
    supplier.refresh_from_db()
    assert (supplier.name, supplier.active, supplier.version) == ("佛山美信电器配件厂", False, 2)
    r = keeper.post(url, {**form, "name": "旧名", "active": "on"})  # still version 1: refused
    assert r.status_code == 409
    supplier.refresh_from_db()
    assert supplier.name == "佛山美信电器配件厂"
    assert client_as(users["auditor"]).post(url, form).status_code == 403


def test_supplier_price_and_rating_forms_save_or_explain_and_change_nothing(
    users, suppliers, parts
):
    from aftersales.purchasing.models import SupplierRating

    supplier = suppliers["hualeng"]
    keeper = client_as(users["parts_keeper"])
    prices = reverse("purchasing:supplier_price_add", args=[supplier.pk])
    ratings = reverse("purchasing:supplier_rate", args=[supplier.pk])
    good = {"part": "DR-35UF", "price": "11.50", "valid_from": "2026-11-01", "lead_time_days": 5}
    assert keeper.post(prices, good).status_code == 302
    assert supplier.parts.get().price == Decimal("11.50")

    # the same part from the same day again: the service refuses, the page explains
    again = keeper.post(prices, {**good, "price": "12.00"}, HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 422
    assert "already has a price" in again.content.decode()
    assert supplier.parts.get().price == Decimal("11.50")

    assert keeper.post(ratings, {"score": "4", "comment": "准时"}).status_code == 302
    bad = keeper.post(ratings, {"score": "9"})
    assert bad.status_code == 422
    assert list(SupplierRating.objects.values_list("score", flat=True)) == [4]
