"""The parts screens: who may open what, and each form calling its service."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from aftersales.parts.models import Movement, Part, StockLevel
from aftersales.parts.services import reservation_create, stock_receive, stock_transfer

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def on_hand(part, location) -> Decimal:
    lvl = StockLevel.objects.filter(part=part, location=location).first()
    return Decimal(str(lvl.on_hand)) if lvl else Decimal("0")


@pytest.mark.parametrize(
    ("role", "catalog", "move", "locations", "plan"),
    [
        ("parts_keeper", 200, 200, 200, 200),
        ("supervisor", 200, 403, 200, 200),
        ("technician", 200, 403, 302, 403),
        ("agent", 403, 403, 403, 403),
        ("dispatcher", 200, 403, 302, 403),
    ],
)
def test_page_access_by_role(stock_setup, users, role, catalog, move, locations, plan):
    c = client_for(users[role])
    assert c.get(reverse("parts:part_list")).status_code == catalog
    assert c.get(reverse("parts:part_detail", args=["CAP-35UF"])).status_code == catalog
    assert c.get(reverse("parts:movement_create", args=["issue"])).status_code == move
    assert c.get(reverse("parts:location_list")).status_code == (
        locations if catalog == 200 else 403
    )
    assert c.get(reverse("parts:purchase_plan")).status_code == plan


def test_anonymous_is_sent_to_sign_in_and_customers_are_refused(stock_setup, customers):
    response = Client().get(reverse("parts:part_list"))
    assert response.status_code == 302 and "login" in response["Location"]
    alice = client_for(customers["alice"].user)
    assert alice.get(reverse("parts:part_list")).status_code == 403


def test_catalog_search_and_detail_show_stock_per_location(stock_setup):
    s = stock_setup
    stock_receive(part=s["cap"], location=s["wh"], quantity=12, unit_cost=11, actor=s["keeper"])
    stock_transfer(part=s["cap"], source=s["wh"], target=s["van"], quantity=2, actor=s["keeper"])
    c = client_for(s["keeper"])
    page = c.get(reverse("parts:part_list"), {"q": "电容"}).content.decode()
    assert 'data-code="CAP-35UF"' in page and 'data-code="CU-PIPE-6"' not in page
    page = c.get(reverse("parts:part_detail", args=["CAP-35UF"])).content.decode()
    assert 'data-location="WH-SH"' in page and 'data-location="VAN-T1"' in page
    assert 'data-testid="total-on-hand">12<' in page
    assert page.count('data-testid="movement-row"') == 3


def test_issue_form_records_movement_and_refuses_more_than_available(stock_setup):
    s = stock_setup
    stock_receive(part=s["cap"], location=s["wh"], quantity=3, unit_cost=11, actor=s["keeper"])
    c = client_for(s["keeper"])
    url = reverse("parts:movement_create", args=["issue"])
    response = c.post(
        url, {"part": "CAP-35UF", "location": "WH-SH", "quantity": "2", "work_order": "WO-0001"}
    )
    assert response.status_code == 302
    assert on_hand(s["cap"], s["wh"]) == 1
    response = c.post(url, {"part": "CAP-35UF", "location": "WH-SH", "quantity": "5"})
    assert response.status_code == 200
    assert "Insufficient stock" in response.content.decode()
    response = c.post(url, {"part": "CAP-35UF", "location": "WH-SH", "quantity": "1.5"})
    assert "whole" in str(response.context["form"].errors["quantity"])
    response = c.post(url, {"part": "NOPE", "location": "WH-SH", "quantity": "1"})
    assert "Unknown part code" in response.content.decode()
    assert on_hand(s["cap"], s["wh"]) == 1
    assert Movement.objects.filter(kind="issue").count() == 1


def test_transfer_form_refuses_same_location(stock_setup):
    s = stock_setup
    stock_receive(part=s["cap"], location=s["wh"], quantity=3, unit_cost=11, actor=s["keeper"])
    c = client_for(s["keeper"])
    response = c.post(
        reverse("parts:movement_create", args=["transfer"]),
        {"part": "CAP-35UF", "location": "WH-SH", "target": "WH-SH", "quantity": "1"},
    )
    assert response.status_code == 200
    assert "two different locations" in response.content.decode()
    assert Movement.objects.count() == 1


def test_adjust_needs_a_reason_and_scrap_records(stock_setup):
    s = stock_setup
    stock_receive(part=s["cap"], location=s["wh"], quantity=3, unit_cost=11, actor=s["keeper"])
    c = client_for(s["keeper"])
    response = c.post(
        reverse("parts:movement_create", args=["adjust"]),
        {"part": "CAP-35UF", "location": "WH-SH", "quantity": "-1", "reason": ""},
    )
    assert response.status_code == 200 and on_hand(s["cap"], s["wh"]) == 3
    response = c.post(
        reverse("parts:movement_create", args=["adjust"]),
        {"part": "CAP-35UF", "location": "WH-SH", "quantity": "-1", "reason": "盘点少一个"},
    )
    assert response.status_code == 302 and on_hand(s["cap"], s["wh"]) == 2


def test_release_reservation_from_the_part_page(stock_setup):
    s = stock_setup
    stock_receive(part=s["cap"], location=s["wh"], quantity=3, unit_cost=11, actor=s["keeper"])
    r = reservation_create(
        part=s["cap"], location=s["wh"], quantity=2, work_order=s["wo"], actor=s["keeper"]
    )
    c = client_for(s["keeper"])
    assert "WO-0001" in c.get(reverse("parts:part_detail", args=["CAP-35UF"])).content.decode()
    c.post(reverse("parts:reservation_release", args=[r.pk]))
    r.refresh_from_db()
    assert r.status == "released"
    assert StockLevel.objects.get(part=s["cap"], location=s["wh"]).reserved == 0


def test_part_create_and_edit(stock_setup, product_model):
    s = stock_setup
    c = client_for(s["keeper"])
    response = c.post(
        reverse("parts:part_create"),
        {
            "code": "REMOTE-KT",
            "name": "空调遥控器",
            "specification": "KT-e 通用",
            "unit": "pcs",
            "whole_units": "on",
            "stock_class": "common",
            "standard_cost": "15.00",
            "list_price": "39.00",
            "product_models": [product_model.pk],
            "active": "on",
        },
    )
    assert response.status_code == 302
    part = Part.objects.get(code="REMOTE-KT")
    assert part.reorder_point == 10 and list(part.product_models.all()) == [product_model]
    response = c.post(
        reverse("parts:part_edit", args=["REMOTE-KT"]),
        {
            "code": "REMOTE-KT",
            "name": "空调遥控器（新款）",
            "unit": "pcs",
            "whole_units": "on",
            "stock_class": "common",
            "standard_cost": "16.00",
            "list_price": "39.00",
            "reorder_point": "8",
            "active": "on",
            "version": "1",
        },
    )
    assert response.status_code == 302
    part.refresh_from_db()
    assert part.name == "空调遥控器（新款）" and part.reorder_point == 8 and part.version == 2
    # a stale form (version 1 again) is refused
    response = c.post(
        reverse("parts:part_edit", args=["REMOTE-KT"]),
        {"code": "REMOTE-KT", "name": "旧", "unit": "pcs", "stock_class": "common",
         "standard_cost": "1", "list_price": "1", "version": "1"},
    )  # fmt: skip
    assert response.status_code == 409 and "changed this record" in response.content.decode()
    # duplicate code
    response = c.post(
        reverse("parts:part_create"),
        {"code": "CAP-35UF", "name": "x", "unit": "pcs", "stock_class": "common",
         "standard_cost": "1", "list_price": "1"},
    )  # fmt: skip
    assert response.status_code in (409, 422) and "already exists" in response.content.decode()


def _xlsx(rows):
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_import_dry_run_then_apply(stock_setup):
    s = stock_setup
    c = client_for(s["keeper"])
    bad = _xlsx([["配件编码", "库位", "数量"], ["CAP-35UF", "WH-SH", 5], ["GHOST-1", "WH-SH", 1]])
    response = c.post(
        reverse("parts:import"),
        {"kind": "stock", "file": SimpleUploadedFile("s.xlsx", bad)},
    )
    page = response.content.decode()
    assert 'data-testid="import-failed"' in page and "GHOST-1" in page
    assert 'data-testid="import-apply"' not in page
    assert not Movement.objects.exists()
    good = _xlsx([["配件编码", "库位", "数量"], ["CAP-35UF", "WH-SH", 5]])
    response = c.post(
        reverse("parts:import"), {"kind": "stock", "file": SimpleUploadedFile("s.xlsx", good)}
    )
    token = response.context["token"]
    assert token and not Movement.objects.exists()  # checked, not applied
    response = c.post(reverse("parts:import_apply"), {"token": token, "kind": "stock"})
    assert response.status_code == 302
    assert on_hand(s["cap"], s["wh"]) == 5
    # the token is used up
    response = c.post(reverse("parts:import_apply"), {"token": token, "kind": "stock"})
    assert on_hand(s["cap"], s["wh"]) == 5


def test_export_is_a_workbook(stock_setup):
    c = client_for(stock_setup["keeper"])
    response = c.get(reverse("parts:part_export"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    codes = [row[0] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert codes == ["CAP-35UF", "CU-PIPE-6"]


def test_technician_sees_own_van_only(stock_setup, users):
    s = stock_setup
    stock_receive(part=s["cap"], location=s["van"], quantity=4, unit_cost=11, actor=s["keeper"])
    stock_receive(part=s["cap"], location=s["wh"], quantity=9, unit_cost=11, actor=s["keeper"])
    tech = client_for(users["technician"])
    page = tech.get(reverse("parts:my_van")).content.decode()
    assert "VAN-T1" in page and 'data-part="CAP-35UF"' in page
    assert tech.get(reverse("parts:location_detail", args=["VAN-T1"])).status_code == 200
    assert tech.get(reverse("parts:location_detail", args=["WH-SH"])).status_code == 404
    ledger = tech.get(reverse("parts:ledger")).content.decode()
    assert ledger.count('data-testid="movement-row"') == 1  # only the van's receipt


def test_low_stock_and_plan_pages(stock_setup):
    s = stock_setup
    stock_receive(part=s["cap"], location=s["wh"], quantity=2, unit_cost=11, actor=s["keeper"])
    c = client_for(s["keeper"])
    assert 'data-code="CAP-35UF"' in c.get(reverse("parts:low_stock")).content.decode()
    page = c.get(reverse("parts:purchase_plan"), {"days": "30"}).content.decode()
    assert 'data-code="CAP-35UF"' in page


def test_navigation_shows_spare_parts_to_those_who_may_see_them(stock_setup, users):
    assert "Spare parts" in client_for(users["parts_keeper"]).get("/").content.decode() or (
        "Spare parts"
        in client_for(users["parts_keeper"]).get(reverse("parts:part_list")).content.decode()
    )
    page = client_for(users["agent"]).get(reverse("cases:queue")).content.decode()
    assert reverse("parts:part_list") not in page
