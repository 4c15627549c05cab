"""Every API operation has a short, stable operationId and one tag: clients generated from
``/api/openapi.json`` name their functions after them (``cases_create``), so an id that changes
breaks every integrator's code. The rule lives in ``config.api.ServiceAPI``; ``OPERATION_IDS``
is the committed list — a new operation adds its line, and an existing line never changes."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db

SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
MAX_LENGTH = 40
METHODS = {"get", "post", "patch", "put", "delete"}

OPERATION_IDS = {
    "GET /api/v1/me": "accounts_me",
    "GET /api/v1/teams": "accounts_team_list",
    "GET /api/v1/customers": "customers_list",
    "POST /api/v1/customers": "customers_create",
    "GET /api/v1/customers/{customer_id}": "customers_get",
    "PATCH /api/v1/customers/{customer_id}": "customers_update",
    "GET /api/v1/customers/{customer_id}/contacts": "customers_contact_list",
    "POST /api/v1/customers/{customer_id}/contacts": "customers_contact_create",
    "GET /api/v1/customers/{customer_id}/addresses": "customers_address_list",
    "POST /api/v1/customers/{customer_id}/addresses": "customers_address_create",
    "PATCH /api/v1/contacts/{contact_id}": "customers_contact_update",
    "PATCH /api/v1/addresses/{address_id}": "customers_address_update",
    "POST /api/v1/contacts/{contact_id}/reveal": "customers_contact_reveal",
    "GET /api/v1/product-models": "customers_product_model_list",
    "GET /api/v1/assets": "customers_asset_list",
    "POST /api/v1/assets": "customers_asset_create",
    "GET /api/v1/assets/{asset_id}": "customers_asset_get",
    "PATCH /api/v1/assets/{asset_id}": "customers_asset_update",
    "GET /api/v1/cases": "cases_list",
    "POST /api/v1/cases": "cases_create",
    "GET /api/v1/cases/{number}": "cases_get",
    "PATCH /api/v1/cases/{number}": "cases_update",
    "GET /api/v1/cases/{number}/timeline": "cases_timeline",
    "POST /api/v1/cases/{number}/replies": "cases_reply",
    "POST /api/v1/cases/{number}/notes": "cases_note",
    "POST /api/v1/cases/{number}/rating": "cases_rating",
    "GET /api/v1/cases/{number}/transitions": "cases_transition_list",
    "POST /api/v1/cases/{number}/transitions": "cases_transition",
    "POST /api/v1/cases/{number}/assignment": "cases_assign",
    "GET /api/v1/cases/{number}/attachments": "cases_attachment_list",
    "POST /api/v1/cases/{number}/attachments": "cases_attachment_upload",
    "GET /api/v1/attachments/{attachment_id}": "cases_attachment_download",
    "GET /api/v1/audit": "audit_list",
    "GET /api/v1/search": "search_query",
    "GET /api/v1/calendars": "calendars_list",
    "GET /api/v1/calendars/{code}": "calendars_get",
    "POST /api/v1/calendars/{code}/worktime/add": "calendars_worktime_add",
    "POST /api/v1/calendars/{code}/worktime/between": "calendars_worktime_between",
    "GET /api/v1/sla/policies": "sla_policy_list",
    "GET /api/v1/cases/{number}/clocks": "sla_case_clocks",
    "POST /api/v1/cases/{number}/milestones": "sla_milestone_record",
    "GET /api/v1/routing/rules": "routing_rule_list",
    "POST /api/v1/routing/rules": "routing_rule_create",
    "GET /api/v1/routing/rules/{rule_id}": "routing_rule_get",
    "PATCH /api/v1/routing/rules/{rule_id}": "routing_rule_update",
    "DELETE /api/v1/routing/rules/{rule_id}": "routing_rule_delete",
    "POST /api/v1/routing/rules/{rule_id}/move": "routing_rule_move",
    "POST /api/v1/routing/test": "routing_route_test",
    "GET /api/v1/workorders": "workorders_list",
    "POST /api/v1/workorders": "workorders_create",
    "POST /api/v1/workorders/direct": "workorders_create_direct",
    "GET /api/v1/workorders/{number}": "workorders_get",
    "PATCH /api/v1/workorders/{number}": "workorders_update",
    "POST /api/v1/workorders/{number}/assign": "workorders_assign",
    "GET /api/v1/workorders/{number}/suggestions": "workorders_suggestions",
    "POST /api/v1/workorders/{number}/steps": "workorders_step",
    "POST /api/v1/workorders/{number}/pause": "workorders_pause",
    "POST /api/v1/workorders/{number}/record": "workorders_record",
    "POST /api/v1/workorders/{number}/parts": "workorders_part_add",
    "POST /api/v1/workorders/{number}/photos": "workorders_photo_add",
    "POST /api/v1/workorders/{number}/signature": "workorders_sign",
    "POST /api/v1/workorders/{number}/complete": "workorders_complete",
    "POST /api/v1/workorders/{number}/review": "workorders_review",
    "GET /api/v1/workorders/{number}/report.pdf": "workorders_report_pdf",
    "GET /api/v1/workorder-board": "workorders_board",
    "GET /api/v1/followups": "workorders_followup_list",
    "GET /api/v1/followups/rate": "workorders_followup_rate",
    "POST /api/v1/followups/{follow_up_id}": "workorders_followup_record",
    "GET /api/v1/certificates/expiring": "workorders_certificates_expiring",
    "POST /api/v1/technicians/{user_id}/certificates": "workorders_certificate_add",
    "POST /api/v1/technicians/{user_id}/skills": "workorders_skill_grant",
    "GET /api/v1/service-centers/nearest": "workorders_nearest_center",
    "GET /api/v1/parts": "parts_list",
    "POST /api/v1/parts": "parts_create",
    "GET /api/v1/parts/{code}": "parts_get",
    "PATCH /api/v1/parts/{code}": "parts_update",
    "GET /api/v1/parts/{code}/stock": "parts_stock",
    "GET /api/v1/stock-locations": "parts_location_list",
    "POST /api/v1/stock-locations": "parts_location_create",
    "PATCH /api/v1/stock-locations/{code}": "parts_location_update",
    "GET /api/v1/stock-locations/{code}/stock": "parts_location_stock",
    "GET /api/v1/stock/movements": "parts_movement_list",
    "POST /api/v1/stock/receive": "parts_stock_receive",
    "POST /api/v1/stock/issue": "parts_stock_issue",
    "POST /api/v1/stock/return": "parts_stock_return",
    "POST /api/v1/stock/transfer": "parts_stock_transfer",
    "POST /api/v1/stock/adjust": "parts_stock_adjust",
    "POST /api/v1/stock/scrap": "parts_stock_scrap",
    "GET /api/v1/stock/reservations": "parts_reservation_list",
    "POST /api/v1/stock/reservations": "parts_reservation_create",
    "POST /api/v1/stock/reservations/{reservation_id}/release": "parts_reservation_release",
    "GET /api/v1/stock/low": "parts_low_stock",
    "GET /api/v1/stock/purchase-plan": "parts_purchase_plan",
    "GET /api/v1/purchasing/suppliers": "purchasing_supplier_list",
    "POST /api/v1/purchasing/suppliers": "purchasing_supplier_create",
    "GET /api/v1/purchasing/suppliers/{code}": "purchasing_supplier_get",
    "PATCH /api/v1/purchasing/suppliers/{code}": "purchasing_supplier_update",
    "POST /api/v1/purchasing/suppliers/{code}/prices": "purchasing_supplier_price_add",
    "POST /api/v1/purchasing/suppliers/{code}/ratings": "purchasing_supplier_rate",
    "GET /api/v1/purchasing/scorecard": "purchasing_scorecard",
    "GET /api/v1/purchasing/orders": "purchasing_order_list",
    "POST /api/v1/purchasing/orders": "purchasing_order_create",
    "POST /api/v1/purchasing/orders/from-plan": "purchasing_orders_from_plan",
    "GET /api/v1/purchasing/orders/{number}": "purchasing_order_get",
    "POST /api/v1/purchasing/orders/{number}/transitions": "purchasing_order_transition",
    "POST /api/v1/purchasing/orders/{number}/receipts": "purchasing_receipt_create",
    "POST /api/v1/purchasing/receipt-lines/{line_id}/inspection": "purchasing_inspection_record",
    "GET /api/v1/purchasing/inspection-photos/{photo_id}": "purchasing_inspection_photo",
    "GET /api/v1/purchasing/returns": "purchasing_return_list",
    "POST /api/v1/purchasing/returns/{return_id}/shipment": "purchasing_return_ship",
    "GET /api/v1/purchasing/open-orders": "purchasing_open_orders",
    "GET /api/v1/purchasing/batches": "purchasing_batch_list",
    "GET /api/v1/purchasing/batches/{batch_id}/recall": "purchasing_batch_recall_list",
    "POST /api/v1/purchasing/batches/{batch_id}/defect": "purchasing_batch_defect",
    "POST /api/v1/purchasing/batches/{batch_id}/recall-cases": "purchasing_batch_recall_cases",
    "GET /api/v1/purchasing/work-orders/{number}/batches": "purchasing_work_order_batches",
    "GET /api/v1/purchasing/price-rules": "purchasing_price_rule_list",
    "POST /api/v1/purchasing/price-rules": "purchasing_price_rule_create",
    "GET /api/v1/purchasing/price-changes": "purchasing_price_change_list",
    "POST /api/v1/purchasing/price-changes": "purchasing_price_change_create",
    "POST /api/v1/purchasing/price-changes/{change_id}/decision": "purchasing_price_change_decide",
    "GET /api/v1/purchasing/quote": "purchasing_price_quote",
    "GET /api/v1/purchasing/figures": "purchasing_stock_figures",
}


@pytest.fixture(scope="module")
def spec() -> dict:
    from config.api import api

    return api.get_openapi_schema()


def served_ids(spec: dict) -> dict[str, dict]:
    return {
        f"{method.upper()} {path}": op
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if method in METHODS
    }


def test_every_operation_keeps_its_committed_id(spec):
    served = {key: op["operationId"] for key, op in served_ids(spec).items()}
    new = {key: served[key] for key in served.keys() - OPERATION_IDS.keys()}
    gone = sorted(OPERATION_IDS.keys() - served.keys())
    changed = {
        key: (OPERATION_IDS[key], served[key])
        for key in served.keys() & OPERATION_IDS.keys()
        if served[key] != OPERATION_IDS[key]
    }
    assert not changed, f"operationIds changed (committed, served): {changed}"
    assert not new, f"add these lines to OPERATION_IDS: {new}"
    assert not gone, f"operations gone, remove their lines: {gone}"


def test_operation_ids_are_unique_short_snake_case(spec):
    ids = [op["operationId"] for op in served_ids(spec).values()]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    for op_id in ids:
        assert SNAKE.match(op_id), op_id
        assert len(op_id) <= MAX_LENGTH, op_id
        assert "aftersales" not in op_id and "_api_" not in op_id, op_id


def test_every_operation_has_one_tag_that_starts_its_id(spec):
    for key, op in served_ids(spec).items():
        tags = op.get("tags") or []
        assert len(tags) == 1, key
        prefix = tags[0].lower().replace(" ", "")
        assert op["operationId"] == prefix or op["operationId"].startswith(prefix + "_"), key


def test_the_rule_names_the_main_case_operations(spec):
    ops = served_ids(spec)
    assert ops["POST /api/v1/cases"]["operationId"] == "cases_create"
    assert ops["GET /api/v1/cases/{number}"]["operationId"] == "cases_get"
    assert ops["POST /api/v1/cases/{number}/replies"]["operationId"] == "cases_reply"
    assert ops["POST /api/v1/cases/{number}/transitions"]["operationId"] == "cases_transition"
    assert ops["POST /api/v1/cases"]["tags"] == ["Cases"]


def test_the_served_schema_carries_the_ids(client):
    spec = client.get("/api/openapi.json").json()
    assert spec["paths"]["/api/v1/cases"]["post"]["operationId"] == "cases_create"
