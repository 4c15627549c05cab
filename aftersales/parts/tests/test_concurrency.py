"""Many clients at once through the API, on a real database (SQLite file in WAL mode with
IMMEDIATE transactions, or PostgreSQL): stock is never issued twice nor driven negative, the
losers hear "insufficient stock", and the stock rows still equal the sum of the ledger."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.test import Client

from aftersales.accounts.roles import Role
from aftersales.accounts.services import apikey_create
from aftersales.core.testing import run_concurrently
from aftersales.parts.models import Movement, Reservation, StockLevel
from aftersales.parts.selectors import ledger_totals
from aftersales.parts.services import stock_receive

pytestmark = pytest.mark.django_db(transaction=True)

CLIENTS = 20


def _post(secret: str, path: str, body: dict) -> tuple[int, dict]:
    response = Client().post(
        path, data=json.dumps(body), content_type="application/json", HTTP_X_API_KEY=secret
    )
    return response.status_code, response.json()


def _check_outcome(results: list, *, winners: int, ok_status: int = 201) -> None:
    crashed = [r for r in results if isinstance(r, Exception)]
    assert not crashed, crashed
    statuses = sorted(status for status, _ in results)
    assert statuses.count(ok_status) == winners, statuses
    losers = [body for status, body in results if status != ok_status]
    assert len(losers) == CLIENTS - winners
    for body in losers:
        assert body["code"] == "insufficient_stock", body
        assert "Insufficient stock" in body["message"] or "库存不足" in body["message"]
        assert body["detail"]["available"] == "0"


def _assert_rows_equal_ledger(part, location) -> StockLevel:
    level = StockLevel.objects.get(part=part, location=location)
    assert ledger_totals(part, location) == (
        Decimal(str(level.on_hand)),
        Decimal(str(level.reserved)),
    )
    return level


@pytest.fixture
def secret(stock_setup):
    _key, raw = apikey_create(actor=None, name="仓库扫码枪", role=Role.PARTS_KEEPER)
    return raw


def test_twenty_concurrent_issues_of_one_unit_with_ten_available(stock_setup, secret):
    s = stock_setup
    stock_receive(
        part=s["cap"], location=s["wh"], quantity=10, unit_cost="12.00", actor=s["keeper"]
    )
    body = {"part": "CAP-35UF", "location": "WH-SH", "quantity": 1, "work_order": "WO-0001"}

    results = run_concurrently(CLIENTS, lambda i: _post(secret, "/api/v1/stock/issue", body))

    _check_outcome(results, winners=10)
    level = _assert_rows_equal_ledger(s["cap"], s["wh"])
    assert level.on_hand == 0 and level.reserved == 0
    assert Movement.objects.filter(kind="issue").count() == 10


def test_twenty_concurrent_reservations_of_one_unit_with_ten_available(stock_setup, secret):
    s = stock_setup
    stock_receive(
        part=s["cap"], location=s["wh"], quantity=10, unit_cost="12.00", actor=s["keeper"]
    )
    body = {"part": "CAP-35UF", "location": "WH-SH", "quantity": 1, "work_order": "WO-0002"}

    results = run_concurrently(CLIENTS, lambda i: _post(secret, "/api/v1/stock/reservations", body))

    _check_outcome(results, winners=10)
    level = _assert_rows_equal_ledger(s["cap"], s["wh"])
    assert level.on_hand == 10 and level.reserved == 10
    assert Reservation.objects.filter(status="active").count() == 10
    # nothing is left to issue without a reservation
    status, answer = _post(secret, "/api/v1/stock/issue", {**body, "work_order": None})
    assert status == 409 and answer["code"] == "insufficient_stock"


def test_concurrent_consumption_of_one_reservation_happens_once(stock_setup, secret):
    from aftersales.parts.services import reservation_create

    s = stock_setup
    stock_receive(part=s["cap"], location=s["wh"], quantity=5, unit_cost="12.00", actor=s["keeper"])
    r = reservation_create(
        part=s["cap"], location=s["wh"], quantity=2, work_order=s["wo"], actor=s["keeper"]
    )
    body = {"part": "CAP-35UF", "location": "WH-SH", "quantity": 2, "reservation_id": r.pk}

    results = run_concurrently(6, lambda i: _post(secret, "/api/v1/stock/issue", body))

    assert not [x for x in results if isinstance(x, Exception)], results
    statuses = sorted(status for status, _ in results)
    assert statuses == [201, 409, 409, 409, 409, 409], statuses
    assert {b["code"] for st, b in results if st == 409} == {"reservation_closed"}
    level = _assert_rows_equal_ledger(s["cap"], s["wh"])
    assert level.on_hand == 3 and level.reserved == 0


def test_opposite_transfers_do_not_deadlock(stock_setup, secret):
    s = stock_setup
    stock_receive(
        part=s["cap"], location=s["wh"], quantity=20, unit_cost="12.00", actor=s["keeper"]
    )
    stock_receive(
        part=s["cap"], location=s["van"], quantity=20, unit_cost="12.00", actor=s["keeper"]
    )

    def move(i: int):
        source, target = ("WH-SH", "VAN-T1") if i % 2 else ("VAN-T1", "WH-SH")
        return _post(
            secret,
            "/api/v1/stock/transfer",
            {"part": "CAP-35UF", "source": source, "target": target, "quantity": 1},
        )

    results = run_concurrently(10, move)
    assert [status for status, _ in results] == [201] * 10, results
    assert _assert_rows_equal_ledger(s["cap"], s["wh"]).on_hand == 20
    assert _assert_rows_equal_ledger(s["cap"], s["van"]).on_hand == 20
