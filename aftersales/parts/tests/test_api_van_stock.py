"""A technician reads only the stock of their own van, through the API and on the part page:
a part's stock answers with their van's row and totals, not the warehouse's nor a colleague's
van; a keeper still reads every location."""

from __future__ import annotations

import pytest
from django.test import Client

from aftersales.accounts.roles import Role
from aftersales.conftest import make_user
from aftersales.parts.services import location_create, stock_receive

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_vans(stock_setup, users):
    keeper = stock_setup["keeper"]
    colleague = make_user("tech_b", Role.TECHNICIAN)
    other_van = location_create(
        code="VAN-T2", name="同事车载库", kind="van", technician=colleague, actor=keeper
    )
    cap = stock_setup["cap"]
    for location, quantity in ((stock_setup["wh"], 20), (stock_setup["van"], 2), (other_van, 5)):
        stock_receive(
            part=cap, location=location, quantity=quantity, unit_cost="12.50", actor=keeper
        )
    return {"mine": stock_setup["van"], "other": other_van, "colleague": colleague}


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_technician_reads_only_their_own_vans_stock_of_a_part(users, two_vans):
    body = as_user(users["technician"]).get("/api/v1/parts/CAP-35UF/stock").json()
    assert [row["location"] for row in body["locations"]] == ["VAN-T1"]
    assert (body["on_hand"], body["available"]) == ("2.000", "2.000")


def test_the_colleague_reads_their_van_only(two_vans):
    body = as_user(two_vans["colleague"]).get("/api/v1/parts/CAP-35UF/stock").json()
    assert [row["location"] for row in body["locations"]] == ["VAN-T2"]
    assert body["on_hand"] == "5.000"


def test_technician_cannot_open_another_location(users, two_vans):
    client = as_user(users["technician"])
    assert client.get("/api/v1/stock-locations/VAN-T2/stock").status_code == 404
    assert client.get("/api/v1/stock-locations/WH-SH/stock").status_code == 404
    assert client.get("/api/v1/stock-locations/VAN-T1/stock").status_code == 200
    listed = [loc["code"] for loc in client.get("/api/v1/stock-locations").json()]
    assert listed == ["VAN-T1"]


def test_keeper_reads_every_location(users, two_vans):
    body = as_user(users["parts_keeper"]).get("/api/v1/parts/CAP-35UF/stock").json()
    assert sorted(row["location"] for row in body["locations"]) == ["VAN-T1", "VAN-T2", "WH-SH"]
    assert body["on_hand"] == "27.000"


def test_the_part_page_shows_a_technician_only_their_van(users, two_vans):
    page = as_user(users["technician"]).get("/parts/CAP-35UF/").content.decode()
    assert "VAN-T1" in page
    assert "VAN-T2" not in page and "同事车载库" not in page
    assert "上海中心仓" not in page
    keeper_page = as_user(users["parts_keeper"]).get("/parts/CAP-35UF/").content.decode()
    assert "VAN-T2" in keeper_page
