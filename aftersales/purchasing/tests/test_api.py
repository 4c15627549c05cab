"""The purchasing API end to end, its refusals, and masking on the recall list."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from aftersales.core.testing import image_bytes
from aftersales.parts.models import Batch, StockLevel
from aftersales.parts.services import stock_issue, stock_receive

from .conftest import make_work_order

pytestmark = pytest.mark.django_db


def client_as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client, path, payload):
    return client.post(path, data=json.dumps(payload), content_type="application/json")


def test_buying_through_the_api(users, parts, warehouse, promised):
    keeper = client_as(users["parts_keeper"])
    r = post(
        keeper,
        "/api/v1/purchasing/suppliers",
        {
            "code": "nb-jingmi",
            "name": "宁波精密零件有限公司",
            "contacts": [{"name": "陈工", "role": "质量", "phone": "0574-88001234"}],
        },
    )
    assert r.status_code == 201, r.content
    assert r.json()["contacts"][0]["name"] == "陈工"
    r = post(
        keeper,
        "/api/v1/purchasing/suppliers/nb-jingmi/prices",
        {"part": "DR-35UF", "price": "11.20", "valid_from": "2026-01-01", "lead_time_days": 5},
    )
    assert r.status_code == 201 and r.json()["prices"][0]["price"] == "11.20"

    r = post(
        keeper,
        "/api/v1/purchasing/orders",
        {
            "supplier": "nb-jingmi",
            "promised_date": str(promised),
            "lines": [{"part": "DR-35UF", "quantity": "50"}],
        },
    )
    assert r.status_code == 201, r.content
    order = r.json()
    number, line_id = order["number"], order["lines"][0]["id"]
    assert order["lines"][0]["unit_price"] == "11.20"
    r = post(
        keeper,
        f"/api/v1/purchasing/orders/{number}/transitions",
        {"to_status": "ordered", "version": order["version"]},
    )
    assert r.status_code == 200 and r.json()["status"] == "ordered"

    r = post(
        keeper,
        f"/api/v1/purchasing/orders/{number}/receipts",
        {
            "location": "WH-SH",
            "lines": [{"order_line": line_id, "quantity": "60", "lot_number": "J-1"}],
        },
    )
    assert r.status_code == 409 and r.json()["code"] == "over_receipt"
    r = post(
        keeper,
        f"/api/v1/purchasing/orders/{number}/receipts",
        {
            "location": "NOWHERE",
            "lines": [{"order_line": line_id, "quantity": "5", "lot_number": "J-1"}],
        },
    )
    assert r.status_code == 422 and r.json()["code"] == "unknown_location"
    r = post(
        keeper,
        f"/api/v1/purchasing/orders/{number}/receipts",
        {
            "location": "WH-SH",
            "lines": [{"order_line": line_id, "quantity": "30", "lot_number": "J-1"}],
        },
    )
    assert r.status_code == 201, r.content
    assert r.json()["order_status"] == "partially_received"
    receipt_line = r.json()["lines"][0]["id"]

    photo = SimpleUploadedFile("crack.png", image_bytes("PNG"), content_type="image/png")
    r = keeper.post(
        f"/api/v1/purchasing/receipt-lines/{receipt_line}/inspection",
        data={
            "accepted": "27",
            "rejected": "3",
            "defect_description": "引脚氧化",
            "photos": [photo],
        },
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["inspection"]["accepted_quantity"] == "27.000"
    assert body["inspection"]["photos"] == 1
    r = keeper.get(f"/api/v1/purchasing/inspection-photos/{body['inspection']['photo_ids'][0]}")
    assert r.status_code == 200 and r["Content-Type"] == "image/png"
    assert body["inspection"]["return_note"].startswith("RT-")
    assert StockLevel.objects.get(part=parts["capacitor"], location=warehouse).on_hand == 27

    r = keeper.get("/api/v1/purchasing/returns")
    assert [(x["quantity"], x["status"]) for x in r.json()] == [("3.000", "open")]
    r = keeper.get("/api/v1/purchasing/open-orders")
    assert r.json() == [{"part": "DR-35UF", "open_quantity": "20.000"}]
    r = keeper.get("/api/v1/purchasing/scorecard")
    row = next(x for x in r.json()["suppliers"] if x["supplier_code"] == "nb-jingmi")
    assert (row["quality"], row["rank"]) == ("90.0", 1)
    r = keeper.get(f"/api/v1/purchasing/orders/{number}")
    assert r.json()["receipt_lines"][0]["inspection"]["rejected_quantity"] == "3.000"
    r = keeper.get("/api/v1/purchasing/scorecard?start=2026-05-01&end=2026-01-01")
    assert r.status_code == 422


def test_price_changes_through_the_api(users, parts):
    keeper, supervisor = client_as(users["parts_keeper"]), client_as(users["supervisor"])
    r = post(
        keeper,
        "/api/v1/purchasing/price-changes",
        {"part": "YSJ-1.5P", "list_price": "1399.00", "reason": "供应商调价"},
    )
    assert r.status_code == 201, r.content
    change = r.json()["id"]
    r = post(keeper, f"/api/v1/purchasing/price-changes/{change}/decision", {"approve": True})
    assert r.status_code == 403
    r = post(supervisor, f"/api/v1/purchasing/price-changes/{change}/decision", {"approve": True})
    assert r.status_code == 200 and r.json()["status"] == "approved"
    r = keeper.get("/api/v1/purchasing/quote?part=YSJ-1.5P&tier=gold")
    assert r.json()["price"] == "1399.00"
    r = post(
        keeper,
        "/api/v1/purchasing/price-rules",
        {
            "name": "金卡会员",
            "kind": "member_discount",
            "tier_discounts": {"gold": "5"},
            "reason": "会员权益",
        },
    )
    assert r.status_code == 201 and r.json()["new_value"]["active"] is True
    r = keeper.get("/api/v1/purchasing/price-changes?status=pending")
    assert len(r.json()["items"]) == 1
    r = post(
        keeper,
        "/api/v1/purchasing/price-changes",
        {"part": "NOPE", "list_price": "1", "reason": "x"},
    )
    assert r.status_code == 422


def test_recall_through_the_api_masks_phones_for_the_keeper(users, parts, warehouse, customers):
    keeper_user = users["parts_keeper"]
    stock_receive(
        part=parts["capacitor"],
        location=warehouse,
        quantity=5,
        unit_cost="12",
        batch_lot="LOT-X",
        actor=keeper_user,
    )
    batch = Batch.objects.get(lot_number="LOT-X")
    wo = make_work_order(customers["alice"], "WO-2026-000101")
    stock_issue(
        part=parts["capacitor"],
        location=warehouse,
        quantity=1,
        work_order=wo,
        batch=batch,
        actor=keeper_user,
    )
    keeper, supervisor = client_as(keeper_user), client_as(users["supervisor"])
    r = post(keeper, f"/api/v1/purchasing/batches/{batch.pk}/defect", {"reason": "耐压不足"})
    assert r.status_code == 200, r.content
    line = r.json()["lines"][0]
    assert line["work_order"] == "WO-2026-000101"
    assert line["phone"] == "138****5678"
    r = supervisor.get(f"/api/v1/purchasing/batches/{batch.pk}/recall")
    assert r.json()["lines"][0]["phone"] == "+8613812345678"
    # The keeper may trace, but opening cases is for roles that open cases.
    assert keeper.post(f"/api/v1/purchasing/batches/{batch.pk}/recall-cases").status_code == 403
    r = supervisor.post(f"/api/v1/purchasing/batches/{batch.pk}/recall-cases")
    assert r.status_code == 200 and len(r.json()["opened"]) == 1
    r = supervisor.post(f"/api/v1/purchasing/batches/{batch.pk}/recall-cases")
    assert r.json()["opened"] == []
    r = keeper.get("/api/v1/purchasing/work-orders/WO-2026-000101/batches")
    assert [(b["batch"]["lot_number"], b["quantity"]) for b in r.json()] == [("LOT-X", "1.000")]
    r = keeper.get("/api/v1/purchasing/batches?defective=true")
    assert [b["lot_number"] for b in r.json()["items"]] == ["LOT-X"]


def test_figures_endpoint_and_its_permission(users, parts, warehouse):
    stock_receive(
        part=parts["compressor"], location=warehouse, quantity=3, unit_cost="800", actor=None
    )
    r = client_as(users["supervisor"]).get("/api/v1/purchasing/figures?months=3")
    assert r.status_code == 200
    assert Decimal(r.json()["stock_value"]["all"]) == Decimal("2400")
    assert len(r.json()["turnover"]) == 12
    assert client_as(users["agent"]).get("/api/v1/purchasing/figures").status_code == 403
    assert Client().get("/api/v1/purchasing/figures").status_code == 401
