"""The parts API end to end: catalog, movements, stock, ledger, reservations, errors."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from aftersales.accounts.roles import Role
from aftersales.accounts.services import apikey_create
from aftersales.parts.models import Movement, StockLevel

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(stock_setup):
    _key, secret = apikey_create(actor=None, name="仓库系统", role=Role.PARTS_KEEPER)
    client = Client()

    def call(method: str, path: str, body=None):
        kwargs = {"HTTP_X_API_KEY": secret}
        if body is not None:
            kwargs.update(data=json.dumps(body), content_type="application/json")
        response = getattr(client, method)(f"/api/v1{path}", **kwargs)
        return response.status_code, response.json()

    return call


def test_receive_issue_transfer_and_read_stock(api, stock_setup):
    status, body = api(
        "post",
        "/stock/receive",
        {"part": "CAP-35UF", "location": "WH-SH", "quantity": 10, "unit_cost": "11.50",
         "batch_lot": "L2611"},
    )  # fmt: skip
    assert status == 201 and body["kind"] == "receipt" and body["batch_lot"] == "L2611"
    status, body = api(
        "post",
        "/stock/issue",
        {"part": "CAP-35UF", "location": "WH-SH", "quantity": "3", "work_order": "WO-0001"},
    )
    assert status == 201 and body["quantity"] == "-3.000" and body["work_order"] == "WO-0001"
    status, body = api(
        "post",
        "/stock/transfer",
        {"part": "CAP-35UF", "source": "WH-SH", "target": "VAN-T1", "quantity": 2},
    )
    assert (
        status == 201
        and body["out"]["kind"] == "transfer_out"
        and body["into"]["quantity"] == "2.000"
    )
    status, body = api("get", "/parts/CAP-35UF/stock")
    assert status == 200
    assert (body["on_hand"], body["available"]) == ("7.000", "7.000")
    assert {r["location"]: r["on_hand"] for r in body["locations"]} == {
        "WH-SH": "5.000",
        "VAN-T1": "2.000",
    }
    status, body = api("get", "/parts/CAP-35UF")
    assert status == 200 and body["on_hand"] == "7.000" and body["stock_class"] == "common"
    status, body = api("get", "/stock-locations/VAN-T1/stock")
    assert status == 200 and [r["part"] for r in body] == ["CAP-35UF"]


def test_insufficient_stock_is_409_with_detail(api):
    api("post", "/stock/receive", {"part": "CAP-35UF", "location": "WH-SH", "quantity": 2,
                                   "unit_cost": "1"})  # fmt: skip
    status, body = api(
        "post", "/stock/issue", {"part": "CAP-35UF", "location": "WH-SH", "quantity": 5}
    )
    assert status == 409
    assert body["code"] == "insufficient_stock"
    assert body["message"] == "Insufficient stock of CAP-35UF at WH-SH: 2 available, 5 needed."
    assert body["detail"] == {
        "part": "CAP-35UF",
        "location": "WH-SH",
        "available": "2",
        "requested": "5",
    }


CAP = {"part": "CAP-35UF", "location": "WH-SH"}
PIPE = {"part": "CU-PIPE-6", "location": "WH-SH"}
SAME = {"part": "CAP-35UF", "source": "WH-SH", "target": "WH-SH", "quantity": 1}


@pytest.mark.parametrize(
    ("path", "body", "code"),
    [
        ("/stock/issue", {**CAP, "quantity": -1}, "invalid_quantity"),
        ("/stock/issue", {**CAP, "quantity": "0.5"}, "invalid_quantity"),
        ("/stock/receive", {**CAP, "quantity": 0, "unit_cost": "1"}, "invalid_quantity"),
        ("/stock/receive", {**CAP, "quantity": "abc", "unit_cost": "1"}, "invalid_input"),
        ("/stock/receive", {**PIPE, "quantity": "1.0001", "unit_cost": "1"}, "invalid_quantity"),
        ("/stock/transfer", SAME, "same_location"),
        ("/stock/issue", {**CAP, "part": "GHOST", "quantity": 1}, "unknown_reference"),
        ("/stock/issue", {**CAP, "location": "NOWHERE", "quantity": 1}, "unknown_reference"),
        ("/stock/issue", {**CAP, "quantity": 1, "work_order": "WO-X"}, "unknown_reference"),
        ("/stock/adjust", {**CAP, "quantity_delta": 0, "reason": "盘点"}, "invalid_quantity"),
        ("/stock/adjust", {**CAP, "quantity_delta": 2, "reason": "   "}, "reason_required"),
    ],
)
def test_bad_input_is_422_and_changes_nothing(api, path, body, code):
    api("post", "/stock/receive", {"part": "CAP-35UF", "location": "WH-SH", "quantity": 5,
                                   "unit_cost": "1"})  # fmt: skip
    before = (Movement.objects.count(), list(StockLevel.objects.values_list("on_hand", "reserved")))
    status, answer = api("post", path, body)
    assert status == 422, answer
    assert answer["code"] == code and answer["message"]
    after = (Movement.objects.count(), list(StockLevel.objects.values_list("on_hand", "reserved")))
    assert after == before


def test_reservations_and_release(api):
    api("post", "/stock/receive", {"part": "CAP-35UF", "location": "WH-SH", "quantity": 3,
                                   "unit_cost": "1"})  # fmt: skip
    status, r = api(
        "post",
        "/stock/reservations",
        {"part": "CAP-35UF", "location": "WH-SH", "quantity": 2, "work_order": "WO-0001"},
    )
    assert status == 201 and r["status"] == "active" and r["work_order"] == "WO-0001"
    status, body = api(
        "post",
        "/stock/reservations",
        {"part": "CAP-35UF", "location": "WH-SH", "quantity": 2, "work_order": "WO-0002"},
    )
    assert status == 409 and body["code"] == "insufficient_stock"
    status, body = api("get", "/stock/reservations?status=active&work_order=WO-0001")
    assert status == 200 and [x["id"] for x in body["items"]] == [r["id"]]
    status, body = api("post", f"/stock/reservations/{r['id']}/release", {"reason": "工单取消"})
    assert status == 200 and body["status"] == "released"
    status, body = api("post", f"/stock/reservations/{r['id']}/release", {})
    assert status == 409 and body["code"] == "reservation_closed"
    status, body = api("get", "/parts/CAP-35UF/stock")
    assert body["reserved"] == "0.000" and body["available"] == "3.000"


def test_ledger_is_keyset_paged_newest_first(api):
    for i in range(5):
        api("post", "/stock/receive", {"part": "CAP-35UF", "location": "WH-SH", "quantity": i + 1,
                                       "unit_cost": "1"})  # fmt: skip
    status, page1 = api("get", "/stock/movements?part=CAP-35UF&limit=3")
    assert status == 200 and len(page1["items"]) == 3 and page1["next_cursor"]
    assert [m["quantity"] for m in page1["items"]] == ["5.000", "4.000", "3.000"]
    status, page2 = api(
        "get", f"/stock/movements?part=CAP-35UF&limit=3&cursor={page1['next_cursor']}"
    )
    assert [m["quantity"] for m in page2["items"]] == ["2.000", "1.000"]
    assert page2["next_cursor"] is None
    status, _body = api("get", "/stock/movements?cursor=@@@")
    assert status == 422


def test_catalog_crud_and_version_conflict(api, product_model):
    status, part = api(
        "post",
        "/parts",
        {"code": "FAN-20W", "name": "风扇电机", "specification": "YDK20-6",
         "stock_class": "critical", "product_models": ["KFR-35GW"], "list_price": "120.00"},
    )  # fmt: skip
    assert (
        status == 201
        and part["reorder_point"] == "5.000"
        and part["product_models"] == ["KFR-35GW"]
    )
    status, body = api("post", "/parts", {"code": "FAN-20W", "name": "重复"})
    assert status == 409 and body["code"] == "duplicate_code"
    status, body = api("post", "/parts", {"code": "bad code!", "name": "x"})
    assert status == 422
    status, body = api("patch", "/parts/FAN-20W", {"version": 1, "list_price": "128.00"})
    assert status == 200 and body["list_price"] == "128.00" and body["version"] == 2
    status, body = api("patch", "/parts/FAN-20W", {"version": 1, "name": "旧版本"})
    assert status == 409 and body["code"] == "version_conflict"
    status, body = api("get", "/parts?q=风扇")
    assert [p["code"] for p in body["items"]] == ["FAN-20W"]


def test_low_stock_and_plan(api):
    api("post", "/stock/receive", {"part": "CAP-35UF", "location": "WH-SH", "quantity": 3,
                                   "unit_cost": "1"})  # fmt: skip
    status, body = api("get", "/stock/low")
    assert status == 200 and [r["part"] for r in body] == ["CAP-35UF"]
    assert body[0]["shortfall"] == "2.000"
    status, body = api("get", "/stock/purchase-plan?days=30")
    assert status == 200 and "CAP-35UF" in [r["part"] for r in body]
    status, body = api("get", "/stock/purchase-plan?days=1")
    assert status == 422


def test_stock_read_is_constant_in_queries(api, stock_setup):
    api("post", "/stock/receive", {"part": "CAP-35UF", "location": "WH-SH", "quantity": 3,
                                   "unit_cost": "1"})  # fmt: skip
    client = Client()
    client.force_login(stock_setup["keeper"])
    client.get("/api/v1/parts/CAP-35UF/stock")
    with CaptureQueriesContext(connection) as first:
        client.get("/api/v1/parts/CAP-35UF/stock")
    for _ in range(20):
        api("post", "/stock/receive", {"part": "CAP-35UF", "location": "VAN-T1", "quantity": 1,
                                       "unit_cost": "1"})  # fmt: skip
    with CaptureQueriesContext(connection) as second:
        client.get("/api/v1/parts/CAP-35UF/stock")
    assert len(second) == len(first)
    assert not any("parts_movement" in q["sql"] for q in second.captured_queries)


def test_locations_without_view_location_are_the_callers_own_vans(stock_setup, users):
    """A technician lists and reads only their own van; a dispatcher (who reads the catalog but
    not the locations) sees none, and a warehouse's stock answers 404 to both."""
    technician, dispatcher = Client(), Client()
    technician.force_login(users["technician"])
    dispatcher.force_login(users["dispatcher"])

    listed = technician.get("/api/v1/stock-locations")
    assert listed.status_code == 200
    assert [loc["code"] for loc in listed.json()] == ["VAN-T1"]
    assert technician.get("/api/v1/stock-locations/VAN-T1/stock").status_code == 200
    assert technician.get("/api/v1/stock-locations/WH-SH/stock").status_code == 404

    assert dispatcher.get("/api/v1/stock-locations").json() == []
    assert dispatcher.get("/api/v1/stock-locations/WH-SH/stock").status_code == 404
    assert dispatcher.get("/api/v1/stock-locations/VAN-T1/stock").status_code == 404
