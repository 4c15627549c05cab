"""The permission matrix as data: one row per API operation and per HTML URL pattern.

A row names what it covers (``"GET /api/v1/cases/{number}"`` as the OpenAPI schema spells it,
or a URL name such as ``"cases:case_detail"``), the request to send, and the status each actor
gets, in the order of :data:`ACTORS`. Paths and payloads are templates filled from the world's
ids (``{case}``, ``{workorder}`` …); ``other`` sends the same request aimed at another customer's
or another team's object and names the status each listed actor must get.

When an operation or page is added, the completeness test fails until it has a row here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ACTORS = (
    "anonymous",
    "customer",
    "agent",
    "dispatcher",
    "technician",
    "complaint_officer",
    "parts_keeper",
    "supervisor",
    "auditor",
    "administrator",
)

# The admin site's own pages are Django's; one row checks who reaches them at all.
ADMIN = "admin:*"
UPLOAD = "<upload>"  # marker: send a multipart upload (``files`` / ``file``) instead of JSON
MISSING = 999999  # an id no row has


class Form(dict):
    """A payload sent as a multipart form rather than JSON."""


@dataclass(frozen=True)
class Row:
    key: str
    path: str
    expect: str
    method: str = "get"
    payload: Any = None
    other: dict[str, int] = field(default_factory=dict)

    def wants(self) -> dict[str, int]:
        codes = self.expect.split()
        assert len(codes) == len(ACTORS), f"{self.key}: {len(codes)} codes for {len(ACTORS)}"
        return dict(zip(ACTORS, (int(c) for c in codes), strict=True))


def api(key: str, expect: str, payload: Any = None, *, path: str = "", **other: int) -> Row:
    """A row for the API operation ``key`` ("METHOD /api/v1/..."); ``path`` when the request's
    path differs from the operation's template (a query string, a different id)."""
    method, template = key.split(" ", 1)
    return Row(key, path or template, expect, method.lower(), payload, other)


def page(name: str, path: str, expect: str, *, post: Any = None, **other: int) -> Row:
    """A row for the HTML URL pattern named ``name``; ``post`` sends that form instead of GET."""
    return Row(name, path, expect, "post" if post is not None else "get", post, other)


# Codes, in ACTORS order:
#   anonymous customer agent dispatcher technician complaint_officer parts_keeper supervisor
#   auditor administrator
API_ROWS: list[Row] = [
    # --- accounts ------------------------------------------------------------------------------
    api("GET /api/v1/me", "401 200 200 200 200 200 200 200 200 200"),
    api("GET /api/v1/teams", "401 403 200 200 200 200 200 200 200 200"),
    # --- customers -----------------------------------------------------------------------------
    api(
        "GET /api/v1/customers",
        "401 403 200 200 403 200 403 200 200 200",
        path="/api/v1/customers?q=张",
    ),
    api(
        "POST /api/v1/customers",
        "401 403 201 201 403 201 403 201 403 201",
        {"name": "王五", "phone": "13700001111"},
    ),
    api(
        "GET /api/v1/customers/{customer_id}",
        "401 200 200 200 403 200 403 200 200 200",
        path="/api/v1/customers/{customer}",
        customer=404,
    ),
    api(
        "PATCH /api/v1/customers/{customer_id}",
        "401 403 200 200 403 200 403 200 403 200",
        {"version": 1, "notes": "VIP 客户"},
        path="/api/v1/customers/{customer}",
        customer=404,
    ),
    api(
        "GET /api/v1/customers/{customer_id}/contacts",
        "401 200 200 200 403 200 403 200 200 200",
        path="/api/v1/customers/{customer}/contacts",
        customer=404,
    ),
    api(
        "POST /api/v1/customers/{customer_id}/contacts",
        "401 201 201 201 403 201 403 201 403 201",
        {"name": "张太太", "phone": "13600002222"},
        path="/api/v1/customers/{customer}/contacts",
        customer=404,
    ),
    api(
        "GET /api/v1/customers/{customer_id}/addresses",
        "401 200 200 200 403 200 403 200 200 200",
        path="/api/v1/customers/{customer}/addresses",
        customer=404,
    ),
    api(
        "PATCH /api/v1/contacts/{contact_id}",
        "401 200 200 200 403 200 403 200 403 200",
        {"version": 1, "name": "张三丰"},
        path="/api/v1/contacts/{contact}",
        customer=404,
    ),
    api(
        "PATCH /api/v1/addresses/{address_id}",
        "401 200 200 200 403 200 403 200 403 200",
        {"version": 1, "label": "家"},
        path="/api/v1/addresses/{address}",
        customer=404,
    ),
    api(
        "POST /api/v1/customers/{customer_id}/addresses",
        "401 201 201 201 403 201 403 201 403 201",
        {"street": "张江路 100 号", "city": "上海"},
        path="/api/v1/customers/{customer}/addresses",
        customer=404,
    ),
    api(
        "POST /api/v1/contacts/{contact_id}/reveal",
        "401 403 200 200 403 200 403 200 403 200",
        {"reason": "回访"},
        path="/api/v1/contacts/{contact}/reveal",
    ),
    api("GET /api/v1/product-models", "401 200 200 200 200 200 200 200 200 200"),
    api("GET /api/v1/assets", "401 200 200 200 403 200 403 200 200 200"),
    api(
        "POST /api/v1/assets",
        "401 403 201 201 403 201 403 201 403 201",
        {"customer_id": "{customer}", "product_model": "KFR-35GW", "serial_number": "SN-NEW-1"},
    ),
    api(
        "GET /api/v1/assets/{asset_id}",
        "401 200 200 200 403 200 403 200 200 200",
        path="/api/v1/assets/{asset}",
        customer=404,
    ),
    api(
        "PATCH /api/v1/assets/{asset_id}",
        "401 403 200 200 403 200 403 200 403 200",
        {"version": 1, "invoice_number": "INV-9"},
        path="/api/v1/assets/{asset}",
        customer=404,
    ),
    # --- cases ---------------------------------------------------------------------------------
    api("GET /api/v1/cases", "401 200 200 200 200 200 403 200 200 200"),
    api(
        "POST /api/v1/cases",
        "401 201 201 201 403 201 403 201 403 201",
        {"customer_id": "{customer}", "case_type": "consultation", "title": "如何清洗滤网"},
    ),
    api(
        "GET /api/v1/cases/{number}",
        "401 200 200 200 404 200 403 200 200 200",
        path="/api/v1/cases/{case}",
        customer=404,
        # another team's case: read from the customer's history, never changed (ADR 0006)
        agent=200,
        complaint_officer=200,
        technician=404,
        parts_keeper=403,
    ),
    api(
        "PATCH /api/v1/cases/{number}",
        "401 403 200 200 404 200 403 200 403 200",
        {"version": 1, "priority": "high"},
        path="/api/v1/cases/{case}",
        customer=404,
        # another team's case: read from the customer's history, never changed (ADR 0006)
        agent=403,
        complaint_officer=403,
        technician=404,
        parts_keeper=403,
    ),
    api(
        "GET /api/v1/cases/{number}/timeline",
        "401 200 200 200 404 200 403 200 200 200",
        path="/api/v1/cases/{case}/timeline",
        customer=404,
        # another team's case: read from the customer's history, never changed (ADR 0006)
        agent=200,
        complaint_officer=200,
        technician=404,
        parts_keeper=403,
    ),
    api(
        "POST /api/v1/cases/{number}/replies",
        "401 201 201 201 404 201 403 201 403 201",
        {"body": "请问什么时候上门？"},
        path="/api/v1/cases/{case}/replies",
        customer=404,
        # another team's case: read from the customer's history, never changed (ADR 0006)
        agent=403,
        complaint_officer=403,
        technician=404,
        parts_keeper=403,
    ),
    api(
        "POST /api/v1/cases/{number}/notes",
        "401 403 201 201 404 201 403 201 403 201",
        {"body": "备件已订"},
        path="/api/v1/cases/{case}/notes",
        customer=404,
        # another team's case: read from the customer's history, never changed (ADR 0006)
        agent=403,
        complaint_officer=403,
        technician=404,
        parts_keeper=403,
    ),
    api(
        "GET /api/v1/cases/{number}/transitions",
        "401 200 200 200 404 200 403 200 200 200",
        path="/api/v1/cases/{case}/transitions",
        customer=404,
        # another team's case: read from the customer's history, never changed (ADR 0006)
        agent=200,
        complaint_officer=200,
        technician=404,
        parts_keeper=403,
    ),
    # only the case's customer rates, and only once it is resolved (the case is new: 409)
    api(
        "POST /api/v1/cases/{number}/rating",
        "401 409 403 403 404 403 403 403 403 403",
        {"rating": 5},
        path="/api/v1/cases/{case}/rating",
        customer=404,
        # another team's case: read from the customer's history, never changed (ADR 0006)
        agent=403,
        complaint_officer=403,
        technician=404,
        parts_keeper=403,
    ),
    api(
        "POST /api/v1/cases/{number}/transitions",
        "401 200 200 200 404 200 403 200 403 200",
        {"to_status": "cancelled", "reason": "已自行解决", "version": 1},
        path="/api/v1/cases/{case}/transitions",
        customer=404,
        # another team's case: read from the customer's history, never changed (ADR 0006)
        agent=403,
        complaint_officer=403,
        technician=404,
        parts_keeper=403,
    ),
    api(
        "POST /api/v1/cases/{number}/assignment",
        "401 403 200 200 404 200 403 200 403 200",
        {"team": "hotline", "assignee": "agent", "version": 1},
        path="/api/v1/cases/{case}/assignment",
        customer=404,
        # another team's case: read from the customer's history, never changed (ADR 0006)
        agent=403,
        complaint_officer=403,
        technician=404,
        parts_keeper=403,
    ),
    api(
        "GET /api/v1/cases/{number}/attachments",
        "401 200 200 200 404 200 403 200 200 200",
        path="/api/v1/cases/{case}/attachments",
        customer=404,
        # another team's case: read from the customer's history, never changed (ADR 0006)
        agent=200,
        complaint_officer=200,
        technician=404,
        parts_keeper=403,
    ),
    api(
        "POST /api/v1/cases/{number}/attachments",
        "401 201 201 201 404 201 403 201 403 201",
        UPLOAD,
        path="/api/v1/cases/{case}/attachments",
        customer=404,
        # another team's case: read from the customer's history, never changed (ADR 0006)
        agent=403,
        complaint_officer=403,
        technician=404,
        parts_keeper=403,
    ),
    api(
        "GET /api/v1/attachments/{attachment_id}",
        "401 200 200 200 404 200 403 200 200 200",
        path="/api/v1/attachments/{attachment}",
        customer=404,
        # another team's case: read from the customer's history, never changed (ADR 0006)
        agent=200,
        complaint_officer=200,
        technician=404,
        parts_keeper=403,
    ),
    # --- audit, search -------------------------------------------------------------------------
    api("GET /api/v1/audit", "401 403 403 403 403 403 403 200 200 200"),
    api(
        "GET /api/v1/search",
        "401 200 200 200 200 200 403 200 200 200",
        path="/api/v1/search?q=空调",
    ),
    # --- SLA -----------------------------------------------------------------------------------
    api("GET /api/v1/sla/policies", "401 403 200 200 403 200 403 200 200 200"),
    api(
        "GET /api/v1/cases/{number}/clocks",
        "401 403 200 200 404 200 403 200 200 200",
        path="/api/v1/cases/{case}/clocks",
        agent=404,
    ),
    api(
        "POST /api/v1/cases/{number}/milestones",
        "401 403 201 201 404 201 403 201 403 201",
        {"code": "onsite_arrival"},
        path="/api/v1/cases/{case}/milestones",
        agent=404,
    ),
    # --- routing -------------------------------------------------------------------------------
    api("GET /api/v1/routing/rules", "401 403 403 403 403 403 403 200 403 200"),
    api(
        "POST /api/v1/routing/rules",
        "401 403 403 403 403 403 403 201 403 201",
        {"name": "洗衣机漏水", "keywords": "洗衣机 漏水", "team": "hotline"},
    ),
    api(
        "GET /api/v1/routing/rules/{rule_id}",
        "401 403 403 403 403 403 403 200 403 200",
        path="/api/v1/routing/rules/{rule}",
    ),
    api(
        "PATCH /api/v1/routing/rules/{rule_id}",
        "401 403 403 403 403 403 403 200 403 200",
        {"version": 1, "keywords": "空调 滴水"},
        path="/api/v1/routing/rules/{rule}",
    ),
    api(
        "DELETE /api/v1/routing/rules/{rule_id}",
        "401 403 403 403 403 403 403 204 403 204",
        path="/api/v1/routing/rules/{rule}?version={rule_version}",
    ),
    api(
        "POST /api/v1/routing/rules/{rule_id}/move",
        "401 403 403 403 403 403 403 200 403 200",
        {"direction": "up"},
        path="/api/v1/routing/rules/{rule}/move",
    ),
    api(
        "POST /api/v1/routing/test",
        "401 403 403 403 403 403 403 200 403 200",
        {"sample": {"title": "客厅空调漏水"}},
    ),
    # --- working calendars ---------------------------------------------------------------------
    api("GET /api/v1/calendars", "401 403 403 403 403 403 403 200 403 200"),
    api(
        "GET /api/v1/calendars/{code}",
        "401 403 403 403 403 403 403 200 403 200",
        path="/api/v1/calendars/default?year=2026",
    ),
    api(
        "POST /api/v1/calendars/{code}/worktime/add",
        "401 403 403 403 403 403 403 200 403 200",
        {"from": "2026-09-30T18:30", "duration": "1wd"},
        path="/api/v1/calendars/default/worktime/add",
    ),
    api(
        "POST /api/v1/calendars/{code}/worktime/between",
        "401 403 403 403 403 403 403 200 403 200",
        {"from": "2026-09-30T08:30", "to": "2026-10-08T17:30"},
        path="/api/v1/calendars/default/worktime/between",
    ),
    # --- work orders ---------------------------------------------------------------------------
    api("GET /api/v1/workorders", "401 403 200 200 200 403 403 200 200 200"),
    api(
        "POST /api/v1/workorders",
        "401 403 201 201 403 403 403 201 403 201",
        {"case": "{case}"},
        agent=404,
    ),
    api(
        "POST /api/v1/workorders/direct",
        "401 403 403 201 403 403 403 201 403 201",
        {"customer_id": "{customer}", "title": "上门保养"},
    ),
    api(
        "GET /api/v1/workorders/{number}",
        "401 200 200 200 200 403 403 200 200 200",
        path="/api/v1/workorders/{workorder}",
        customer=404,
        technician=404,
    ),
    api(
        "PATCH /api/v1/workorders/{number}",
        "401 403 403 200 403 403 403 200 403 200",
        {"version": 1, "urgency": "urgent"},
        path="/api/v1/workorders/{workorder}",
    ),
    api(
        "POST /api/v1/workorders/{number}/assign",
        "401 403 403 200 403 403 403 200 403 200",
        {
            "technician": "{technician}",
            "start": "2026-12-01T10:00+08:00",
            "end": "2026-12-01T12:00+08:00",
            "version": 1,
        },
        path="/api/v1/workorders/{workorder}/assign",
    ),
    api(
        "GET /api/v1/workorders/{number}/suggestions",
        "401 403 403 200 403 403 403 200 403 200",
        path="/api/v1/workorders/{workorder}/suggestions",
    ),
    api(
        "POST /api/v1/workorders/{number}/steps",
        "401 403 403 409 200 403 403 409 403 409",
        {"action": "accept"},
        path="/api/v1/workorders/{workorder}/steps",
        technician=404,
    ),
    api(
        "POST /api/v1/workorders/{number}/pause",
        "401 403 403 409 409 403 403 409 403 409",
        {"reason": "waiting_parts"},
        path="/api/v1/workorders/{workorder}/pause",
        technician=404,
    ),
    api(
        "POST /api/v1/workorders/{number}/record",
        "401 403 403 409 409 403 403 409 403 409",
        {"findings": "电容损坏"},
        path="/api/v1/workorders/{workorder}/record",
        technician=404,
    ),
    api(
        "POST /api/v1/workorders/{number}/parts",
        "401 403 403 409 409 403 403 409 403 409",
        {"part_code": "CAP-35UF", "quantity": 1},
        path="/api/v1/workorders/{workorder}/parts",
        technician=404,
    ),
    api(
        "POST /api/v1/workorders/{number}/photos",
        "401 403 403 409 409 403 403 409 403 409",
        UPLOAD,
        path="/api/v1/workorders/{workorder}/photos",
        technician=404,
    ),
    api(
        "POST /api/v1/workorders/{number}/signature",
        "401 403 403 409 409 403 403 409 403 409",
        UPLOAD,
        path="/api/v1/workorders/{workorder}/signature",
        technician=404,
    ),
    api(
        "POST /api/v1/workorders/{number}/complete",
        "401 403 403 409 409 403 403 409 403 409",
        {},
        path="/api/v1/workorders/{workorder}/complete",
        technician=404,
    ),
    api(
        "POST /api/v1/workorders/{number}/review",
        "401 403 403 409 403 403 403 409 403 409",
        {"approve": True},
        path="/api/v1/workorders/{workorder}/review",
    ),
    api(
        "GET /api/v1/workorders/{number}/report.pdf",
        "401 403 403 403 403 403 403 403 403 403",
        path="/api/v1/workorders/{workorder}/report.pdf",
        customer=404,
    ),
    api("GET /api/v1/workorder-board", "401 403 403 200 403 403 403 200 403 200"),
    api("GET /api/v1/followups", "401 403 200 200 403 403 403 200 403 200"),
    api(
        "GET /api/v1/followups/rate",
        "401 403 200 200 403 403 403 200 403 200",
        path="/api/v1/followups/rate?start=2026-01-01&end=2026-12-31",
    ),
    api(
        "POST /api/v1/followups/{follow_up_id}",
        "401 403 404 404 403 403 403 404 403 404",
        {"reached": True},
        path=f"/api/v1/followups/{MISSING}",
    ),
    api("GET /api/v1/certificates/expiring", "401 403 403 200 403 403 403 200 403 200"),
    api(
        "POST /api/v1/technicians/{user_id}/certificates",
        "401 403 403 201 403 403 403 201 403 201",
        {"cert_type": "refrigeration", "issued_on": "2026-01-01", "expires_on": "2028-01-01"},
        path="/api/v1/technicians/{technician}/certificates",
    ),
    api(
        "POST /api/v1/technicians/{user_id}/skills",
        "401 403 403 201 403 403 403 201 403 201",
        {"skill": "aircon"},
        path="/api/v1/technicians/{technician}/skills",
    ),
    api(
        "GET /api/v1/service-centers/nearest",
        "401 403 200 200 403 403 403 200 403 200",
        path="/api/v1/service-centers/nearest?latitude=31.2&longitude=121.5",
    ),
    # --- parts and stock -----------------------------------------------------------------------
    api(
        "GET /api/v1/parts", "401 403 403 200 200 403 200 200 200 200", path="/api/v1/parts?q=电容"
    ),
    api(
        "POST /api/v1/parts",
        "401 403 403 403 403 403 201 403 403 403",
        {"code": "CAP-25UF", "name": "启动电容", "unit": "pcs"},
    ),
    api(
        "GET /api/v1/parts/{code}",
        "401 403 403 200 200 403 200 200 200 200",
        path="/api/v1/parts/{part}",
    ),
    api(
        "PATCH /api/v1/parts/{code}",
        "401 403 403 403 403 403 200 403 403 403",
        {"version": 1, "name": "启动电容 35μF"},
        path="/api/v1/parts/{part}",
    ),
    api(
        "GET /api/v1/parts/{code}/stock",
        "401 403 403 200 200 403 200 200 200 200",
        path="/api/v1/parts/{part}/stock",
    ),
    api("GET /api/v1/stock-locations", "401 403 403 200 200 403 200 200 200 200"),
    api(
        "POST /api/v1/stock-locations",
        "401 403 403 403 403 403 201 403 403 201",
        {"code": "WH-BJ", "name": "北京仓", "kind": "warehouse"},
    ),
    api(
        "PATCH /api/v1/stock-locations/{code}",
        "401 403 403 403 403 403 200 403 403 200",
        {"name": "上海总仓"},
        path="/api/v1/stock-locations/WH-SH",
    ),
    api(
        "GET /api/v1/stock-locations/{code}/stock",
        # the technician's own van; a warehouse is theirs to see no more than a dispatcher's
        "401 403 403 404 200 403 200 200 200 200",
        path="/api/v1/stock-locations/{location}/stock",
        technician=404,
        dispatcher=404,
    ),
    api("GET /api/v1/stock/movements", "401 403 403 200 200 403 200 200 200 200"),
    api(
        "POST /api/v1/stock/receive",
        "401 403 403 403 403 403 201 403 403 403",
        {"part": "{part}", "location": "WH-SH", "quantity": 1, "unit_cost": "12.50"},
    ),
    api(
        "POST /api/v1/stock/issue",
        "401 403 403 403 403 403 201 403 403 403",
        {"part": "{part}", "location": "WH-SH", "quantity": 1},
    ),
    api(
        "POST /api/v1/stock/return",
        "401 403 403 403 403 403 201 403 403 403",
        {"part": "{part}", "location": "WH-SH", "quantity": 1},
    ),
    api(
        "POST /api/v1/stock/transfer",
        "401 403 403 403 403 403 201 403 403 403",
        {"part": "{part}", "source": "WH-SH", "target": "VAN-T1", "quantity": 1},
    ),
    api(
        "POST /api/v1/stock/adjust",
        "401 403 403 403 403 403 201 403 403 403",
        {"part": "{part}", "location": "WH-SH", "quantity_delta": -1, "reason": "盘点"},
    ),
    api(
        "POST /api/v1/stock/scrap",
        "401 403 403 403 403 403 201 403 403 403",
        {"part": "{part}", "location": "WH-SH", "quantity": 1, "reason": "损坏"},
    ),
    api("GET /api/v1/stock/reservations", "401 403 403 403 403 403 200 200 403 403"),
    api(
        "POST /api/v1/stock/reservations",
        "401 403 403 403 403 403 201 403 403 403",
        {"part": "{part}", "location": "WH-SH", "work_order": "{workorder}", "quantity": 1},
    ),
    api(
        "POST /api/v1/stock/reservations/{reservation_id}/release",
        "401 403 403 404 404 403 200 403 404 404",
        {},
        path="/api/v1/stock/reservations/{reservation}/release",
    ),
    api("GET /api/v1/stock/low", "401 403 403 200 200 403 200 200 200 200"),
    api("GET /api/v1/stock/purchase-plan", "401 403 403 403 403 403 200 200 200 200"),
    # --- purchasing ----------------------------------------------------------------------------
    api("GET /api/v1/purchasing/suppliers", "401 403 403 403 403 403 200 200 200 200"),
    api(
        "POST /api/v1/purchasing/suppliers",
        "401 403 403 403 403 403 201 403 403 403",
        {"code": "fs-jiadian", "name": "佛山家电配件厂"},
    ),
    api(
        "GET /api/v1/purchasing/suppliers/{code}",
        "401 403 403 403 403 403 200 200 200 200",
        path="/api/v1/purchasing/suppliers/{supplier}",
    ),
    api(
        "PATCH /api/v1/purchasing/suppliers/{code}",
        "401 403 403 403 403 403 200 403 403 403",
        {"version": 1, "notes": "月结"},
        path="/api/v1/purchasing/suppliers/{supplier}",
    ),
    api(
        "POST /api/v1/purchasing/suppliers/{code}/prices",
        "401 403 403 403 403 403 201 403 403 403",
        {"part": "{part}", "price": "11.50", "valid_from": "2026-01-01"},
        path="/api/v1/purchasing/suppliers/{supplier}/prices",
    ),
    api(
        "POST /api/v1/purchasing/suppliers/{code}/ratings",
        "401 403 403 403 403 403 201 403 403 403",
        {"score": 4},
        path="/api/v1/purchasing/suppliers/{supplier}/ratings",
    ),
    api("GET /api/v1/purchasing/scorecard", "401 403 403 403 403 403 200 200 200 200"),
    api("GET /api/v1/purchasing/orders", "401 403 403 403 403 403 200 200 200 200"),
    api(
        "POST /api/v1/purchasing/orders",
        "401 403 403 403 403 403 201 403 403 403",
        {
            "supplier": "{supplier}",
            "promised_date": "2026-12-01",
            "lines": [{"part": "{part}", "quantity": 1, "unit_price": "11.00"}],
        },
    ),
    api("POST /api/v1/purchasing/orders/from-plan", "401 403 403 403 403 403 201 403 403 403", {}),
    api(
        "GET /api/v1/purchasing/orders/{number}",
        "401 403 403 403 403 403 200 200 200 200",
        path="/api/v1/purchasing/orders/{po}",
    ),
    api(
        "POST /api/v1/purchasing/orders/{number}/transitions",
        "401 403 403 403 403 403 200 403 403 403",
        {"to_status": "cancelled", "reason": "不再需要", "version": 1},
        path="/api/v1/purchasing/orders/{po}/transitions",
    ),
    api(
        "POST /api/v1/purchasing/orders/{number}/receipts",
        "401 403 403 403 403 403 409 403 403 403",
        {
            "location": "WH-SH",
            "lines": [{"order_line": "{po_line}", "quantity": 1, "lot_number": "L1"}],
        },
        path="/api/v1/purchasing/orders/{po}/receipts",
    ),
    api(
        "POST /api/v1/purchasing/receipt-lines/{line_id}/inspection",
        "401 403 403 403 403 403 404 403 403 403",
        Form(accepted="1"),
        path=f"/api/v1/purchasing/receipt-lines/{MISSING}/inspection",
    ),
    api(
        "GET /api/v1/purchasing/inspection-photos/{photo_id}",
        "401 403 403 403 403 403 404 404 404 404",
        path=f"/api/v1/purchasing/inspection-photos/{MISSING}",
    ),
    api("GET /api/v1/purchasing/returns", "401 403 403 403 403 403 200 200 200 200"),
    api(
        "POST /api/v1/purchasing/returns/{return_id}/shipment",
        "401 403 403 403 403 403 404 403 403 403",
        path=f"/api/v1/purchasing/returns/{MISSING}/shipment",
    ),
    api("GET /api/v1/purchasing/open-orders", "401 403 403 403 403 403 200 200 200 200"),
    api("GET /api/v1/purchasing/batches", "401 403 403 403 403 403 200 200 200 200"),
    api(
        "GET /api/v1/purchasing/batches/{batch_id}/recall",
        "401 403 403 403 403 403 200 200 403 403",
        path="/api/v1/purchasing/batches/{batch}/recall",
    ),
    api(
        "POST /api/v1/purchasing/batches/{batch_id}/defect",
        "401 403 403 403 403 403 200 200 403 403",
        {"reason": "漏液"},
        path="/api/v1/purchasing/batches/{batch}/defect",
    ),
    api(
        "POST /api/v1/purchasing/batches/{batch_id}/recall-cases",
        "401 403 403 403 403 403 403 409 403 403",
        path="/api/v1/purchasing/batches/{batch}/recall-cases",
    ),
    api(
        "GET /api/v1/purchasing/work-orders/{number}/batches",
        "401 403 403 403 403 403 200 200 200 200",
        path="/api/v1/purchasing/work-orders/{workorder}/batches",
    ),
    api("GET /api/v1/purchasing/price-rules", "401 403 403 403 403 403 200 200 200 200"),
    api(
        "POST /api/v1/purchasing/price-rules",
        "401 403 403 403 403 403 201 403 403 403",
        {
            "name": "金卡九五折",
            "kind": "member_discount",
            "reason": "年度协议",
            "tier_discounts": {"gold": "5"},
        },
    ),
    api("GET /api/v1/purchasing/price-changes", "401 403 403 403 403 403 200 200 200 200"),
    api(
        "POST /api/v1/purchasing/price-changes",
        "401 403 403 403 403 403 201 403 403 403",
        {"part": "{part}", "list_price": "30.00", "reason": "调价"},
    ),
    api(
        "POST /api/v1/purchasing/price-changes/{change_id}/decision",
        "401 403 403 403 403 403 403 200 403 403",
        {"approve": True},
        path="/api/v1/purchasing/price-changes/{change}/decision",
    ),
    api(
        "GET /api/v1/purchasing/quote",
        "401 403 403 403 403 403 200 200 200 200",
        path="/api/v1/purchasing/quote?part={part}",
    ),
    api("GET /api/v1/purchasing/figures", "401 403 403 403 403 403 200 200 200 200"),
]

HTML_ROWS: list[Row] = [
    # --- project and accounts ------------------------------------------------------------------
    page("core:home", "/", "302 302 302 302 302 302 302 302 302 302"),
    page("core:settings", "/settings/", "302 403 403 403 403 403 403 403 403 200"),
    page("core:audit_log", "/audit/", "302 403 403 403 403 403 403 200 200 200"),
    page("core:audit_export", "/audit/export.xlsx", "302 403 403 403 403 403 403 200 200 200"),
    page("accounts:login", "/accounts/login/", "200 302 302 302 302 302 302 302 302 302"),
    page(
        "accounts:logout", "/accounts/logout/", "302 302 302 302 302 302 302 302 302 302", post={}
    ),
    page(
        "accounts:password_change", "/accounts/password/", "302 200 200 200 200 200 200 200 200 200"
    ),
    page(
        "accounts:password_change_done",
        "/accounts/password/done/",
        "302 200 200 200 200 200 200 200 200 200",
    ),
    # password reset by e-mail: open to everyone, signed in or not
    page(
        "accounts:password_reset",
        "/accounts/password/reset/",
        "200 200 200 200 200 200 200 200 200 200",
    ),
    page(
        "accounts:password_reset_done",
        "/accounts/password/reset/sent/",
        "200 200 200 200 200 200 200 200 200 200",
    ),
    page(
        "accounts:password_reset_confirm",
        "/accounts/password/reset/MQ/not-a-token/",
        "200 200 200 200 200 200 200 200 200 200",
    ),
    page(
        "accounts:password_reset_complete",
        "/accounts/password/reset/complete/",
        "200 200 200 200 200 200 200 200 200 200",
    ),
    page(
        "set_language",
        "/i18n/setlang/",
        "302 302 302 302 302 302 302 302 302 302",
        post={"language": "en", "next": "/"},
    ),
    page("javascript-catalog", "/jsi18n/", "200 200 200 200 200 200 200 200 200 200"),
    page("api:openapi-json", "/api/openapi.json", "200 200 200 200 200 200 200 200 200 200"),
    page("api:api-root", "/api/", "404 404 404 404 404 404 404 404 404 404"),
    page("api:openapi-view", "/api/docs", "200 200 200 200 200 200 200 200 200 200"),
    page(ADMIN, "/admin/", "302 302 302 302 302 302 302 302 302 200"),
    # --- cases ---------------------------------------------------------------------------------
    page("cases:queue", "/cases/", "302 302 200 200 200 200 403 200 200 200"),
    page("cases:intake", "/cases/intake/", "302 403 200 200 403 200 403 200 403 200"),
    page(
        "cases:intake_lookup",
        "/cases/intake/lookup/?phone=13812345678",
        "302 403 200 200 403 200 403 200 403 200",
    ),
    page(
        "cases:intake_related",
        "/cases/intake/related/?customer={customer}",
        "302 403 200 200 403 200 403 200 403 200",
    ),
    page(
        "cases:attachment_download",
        "/cases/attachments/{attachment}/",
        "302 200 200 200 404 200 404 200 200 200",
        customer=404,
        # a public file of another team's case is part of the customer's history (ADR 0006)
        agent=200,
        complaint_officer=200,
        technician=404,
    ),
    page(
        "cases:case_detail",
        "/cases/{case}/",
        "302 403 200 200 404 200 403 200 200 200",
        # another team's case opens read-only from the customer's history (ADR 0006)
        agent=200,
        complaint_officer=200,
        technician=404,
        parts_keeper=403,
    ),
    page(
        "cases:case_reply",
        "/cases/{case}/reply/",
        "302 403 302 302 404 302 403 302 403 302",
        post={"body": "您好，已安排上门"},
        agent=403,  # read from the customer's history, never changed (ADR 0006)
        complaint_officer=403,
        technician=404,
    ),
    page(
        "cases:case_note",
        "/cases/{case}/note/",
        "302 403 302 302 404 302 403 302 403 302",
        post={"body": "备件已订"},
        agent=403,  # read from the customer's history, never changed (ADR 0006)
        complaint_officer=403,
        technician=404,
    ),
    page(
        "cases:case_transition",
        "/cases/{case}/transition/",
        "302 403 302 302 404 302 403 302 403 302",
        post={"to_status": "accepted", "version": "{version}"},
        agent=403,  # read from the customer's history, never changed (ADR 0006)
        complaint_officer=403,
        technician=404,
    ),
    page(
        "cases:case_assign",
        "/cases/{case}/assign/",
        "302 403 422 422 404 422 403 422 403 422",
        post={"team": "hotline", "version": "{version}"},
        agent=403,  # read from the customer's history, never changed (ADR 0006)
        complaint_officer=403,
        technician=404,
    ),
    page(
        "cases:case_rating",
        "/cases/{case}/rating/",
        "302 403 200 200 404 200 403 200 403 200",
        agent=403,  # read from the customer's history, never changed (ADR 0006)
        complaint_officer=403,
        technician=404,
    ),
    page(
        "cases:case_edit",
        "/cases/{case}/edit/",
        "302 403 200 200 404 200 403 200 403 200",
        agent=403,  # read from the customer's history, never changed (ADR 0006)
        complaint_officer=403,
        technician=404,
    ),
    page(
        "cases:attachment_upload",
        "/cases/{case}/attachments/",
        "302 403 302 302 404 302 403 302 403 302",
        post=UPLOAD,
        agent=403,  # read from the customer's history, never changed (ADR 0006)
        complaint_officer=403,
        technician=404,
    ),
    # --- customers -----------------------------------------------------------------------------
    page("customers:customer_list", "/customers/", "302 403 200 200 403 200 403 200 200 200"),
    page(
        "customers:customer_detail",
        "/customers/{customer}/",
        "302 403 200 200 403 200 403 200 200 200",
    ),
    page(
        "customers:asset_create",
        "/customers/{customer}/assets/new/",
        "302 403 422 422 403 422 403 422 403 422",
        post={},
    ),
    page(
        "customers:contact_reveal",
        "/customers/contacts/{contact}/reveal/",
        "302 403 200 200 403 200 403 200 403 200",
        post={"reason": "回访"},
    ),
    page(
        "customers:customer_edit",
        "/customers/{customer}/edit/",
        "302 403 200 200 403 200 403 200 403 200",
    ),
    page(
        "customers:contact_edit",
        "/customers/contacts/{contact}/edit/",
        "302 403 200 200 403 200 403 200 403 200",
    ),
    page(
        "customers:address_edit",
        "/customers/addresses/{address}/edit/",
        "302 403 200 200 403 200 403 200 403 200",
    ),
    page(
        "customers:access_log",
        "/customers/access-log/",
        "302 403 403 403 403 403 403 403 403 200",
    ),
    # --- customer portal -----------------------------------------------------------------------
    page("portal:case_list", "/portal/", "302 200 302 302 302 302 302 302 302 302"),
    page("portal:signup", "/portal/signup/", "200 302 302 302 302 302 302 302 302 302"),
    page("portal:case_new", "/portal/new/", "302 200 302 302 302 302 302 302 302 302"),
    page(
        "portal:case_detail",
        "/portal/cases/{case}/",
        "302 200 302 302 302 302 302 302 302 302",
        customer=404,
    ),
    page(
        "portal:case_reply",
        "/portal/cases/{case}/reply/",
        "302 302 302 302 302 302 302 302 302 302",
        post={"body": "谢谢"},
        customer=404,
    ),
    page(
        "portal:case_confirm",
        "/portal/cases/{case}/confirm/",
        "302 200 302 302 302 302 302 302 302 302",
        post={},
        customer=404,
    ),
    page(
        "portal:case_rate",
        "/portal/cases/{case}/rate/",
        "302 422 302 302 302 302 302 302 302 302",
        post={"rating": "5"},
        customer=404,
    ),
    # --- search --------------------------------------------------------------------------------
    page("search:search", "/search/?q=空调", "302 200 200 200 200 200 403 200 200 200"),
    page("search:suggest", "/search/suggest/?q=空调", "302 200 200 200 200 200 403 200 200 200"),
    # --- working calendars ---------------------------------------------------------------------
    page("calendars:calendar_list", "/calendars/", "302 403 403 403 403 403 403 200 403 200"),
    page(
        "calendars:absence_list", "/calendars/absences/", "302 403 403 200 403 403 403 200 403 200"
    ),
    page(
        "calendars:absence_delete",
        f"/calendars/absences/{MISSING}/delete/",
        "302 403 403 404 403 403 403 404 403 404",
        post={},
    ),
    page(
        "calendars:calendar_detail",
        "/calendars/default/",
        "302 403 403 403 403 403 403 200 403 200",
    ),
    page(
        "calendars:weekly_edit",
        "/calendars/default/weekly/",
        "302 403 403 403 403 403 403 403 403 302",
        post={},
    ),
    page(
        "calendars:day_edit", "/calendars/default/day/", "302 403 403 403 403 403 403 403 403 200"
    ),
    page(
        "calendars:day_delete",
        "/calendars/default/day/delete/",
        "302 403 403 403 403 403 403 403 403 302",
        post={},
    ),
    page(
        "calendars:year_mark",
        "/calendars/default/year/",
        "302 403 403 403 403 403 403 403 403 302",
        post={},
    ),
    page(
        "calendars:calendar_import",
        "/calendars/default/import/",
        "302 403 403 403 403 403 403 403 403 200",
    ),
    page(
        "calendars:try_add",
        "/calendars/default/try/add/",
        "302 403 403 403 403 403 403 422 403 422",
        post={},
    ),
    page(
        "calendars:try_between",
        "/calendars/default/try/between/",
        "302 403 403 403 403 403 403 422 403 422",
        post={},
    ),
    # --- SLA and routing -----------------------------------------------------------------------
    page("sla:policy_list", "/sla/", "302 403 403 403 403 403 403 200 403 200"),
    page("sla:policy_new", "/sla/policies/new/", "302 403 403 403 403 403 403 200 403 200"),
    page("sla:policy_edit", "/sla/policies/{policy}/", "302 403 403 403 403 403 403 200 403 200"),
    page("routing:rule_list", "/routing/", "302 403 403 403 403 403 403 200 403 200"),
    page("routing:rule_new", "/routing/rules/new/", "302 403 403 403 403 403 403 200 403 200"),
    page("routing:rule_edit", "/routing/rules/{rule}/", "302 403 403 403 403 403 403 200 403 200"),
    page(
        "routing:rule_move",
        "/routing/rules/{rule}/move/",
        "302 403 403 403 403 403 403 302 403 302",
        post={"direction": "up"},
    ),
    page(
        "routing:rule_delete",
        "/routing/rules/{rule}/delete/",
        "302 403 403 403 403 403 403 302 403 302",
        post={"version": "{rule_version}"},
    ),
    page("routing:rule_test", "/routing/test/", "302 403 403 403 403 403 403 422 403 422", post={}),
    page("routing:sla_report", "/routing/reports/sla/", "302 403 403 403 403 403 403 200 200 200"),
    page(
        "routing:sla_report_data",
        "/routing/reports/sla/data/",
        "302 403 403 403 403 403 403 200 200 200",
    ),
    page(
        "routing:sla_report_export",
        "/routing/reports/sla/export/",
        "302 403 403 403 403 403 403 200 200 200",
    ),
    # --- work orders ---------------------------------------------------------------------------
    page("workorders:order_list", "/workorders/", "302 403 200 200 302 403 403 200 200 200"),
    page(
        "workorders:order_new",
        "/workorders/new/?case={case}",
        "302 403 200 200 403 403 403 200 403 200",
    ),
    page("workorders:board", "/workorders/board/", "302 403 403 200 403 403 403 200 403 200"),
    page("workorders:my_jobs", "/workorders/my/", "302 403 403 403 200 403 403 403 403 403"),
    page(
        "workorders:my_job",
        "/workorders/my/{workorder}/",
        "302 403 403 403 200 403 403 403 403 403",
        technician=404,
    ),
    page(
        "workorders:followup_list",
        "/workorders/followups/",
        "302 403 200 200 403 403 403 200 403 200",
    ),
    page(
        "workorders:followup_record",
        f"/workorders/followups/{MISSING}/",
        "302 403 404 404 403 403 403 404 403 404",
    ),
    page(
        "workorders:survey",
        "/workorders/survey/no-such-token/",
        "404 404 404 404 404 404 404 404 404 404",
    ),
    page("workorders:skills", "/workorders/staff/", "302 403 403 200 403 403 403 200 403 200"),
    page("workorders:coverage", "/workorders/coverage/", "302 403 403 200 403 403 403 200 403 200"),
    page(
        "workorders:case_panel",
        "/workorders/case-panel/{case}/",
        "302 403 200 200 404 200 403 200 200 200",
        agent=404,
    ),
    page(
        "workorders:photo",
        f"/workorders/photos/{MISSING}/",
        "302 404 404 404 404 404 404 404 404 404",
    ),
    page(
        "workorders:order_detail",
        "/workorders/{workorder}/",
        "302 403 200 200 302 403 403 200 200 200",
    ),
    page(
        "workorders:suggestions",
        "/workorders/{workorder}/suggestions/",
        "302 403 403 200 403 403 403 200 403 200",
    ),
    page(
        "workorders:order_assign",
        "/workorders/{workorder}/assign/",
        "302 403 403 422 403 403 403 422 403 422",
        post={},
    ),
    page(
        "workorders:order_review",
        "/workorders/{workorder}/review/",
        "302 403 403 422 403 403 403 422 403 422",
        post={},
    ),
    page(
        "workorders:order_cancel",
        "/workorders/{workorder}/cancel/",
        "302 403 403 422 403 403 403 422 403 422",
        post={},
    ),
    page(
        "workorders:signature",
        "/workorders/{workorder}/signature/",
        "302 404 404 404 404 404 404 404 404 404",
        technician=404,
    ),
    page(
        "workorders:report",
        "/workorders/{workorder}/report/",
        "302 404 404 404 404 404 404 404 404 404",
        customer=404,
    ),
    page(
        "workorders:report_pdf",
        "/workorders/{workorder}/report.pdf",
        "302 404 404 404 404 404 404 404 404 404",
        customer=404,
    ),
    # --- parts and stock -----------------------------------------------------------------------
    page("parts:part_list", "/parts/", "302 403 403 200 200 403 200 200 200 200"),
    page("parts:part_create", "/parts/new/", "302 403 403 403 403 403 200 403 403 403"),
    page("parts:part_export", "/parts/export.xlsx", "302 403 403 200 200 403 200 200 200 200"),
    page("parts:low_stock", "/parts/low-stock/", "302 403 403 200 200 403 200 200 200 200"),
    page("parts:purchase_plan", "/parts/purchase-plan/", "302 403 403 403 403 403 200 200 200 200"),
    page("parts:import", "/parts/import/", "302 403 403 403 403 403 200 403 403 403"),
    page(
        "parts:import_apply",
        "/parts/import/apply/",
        "302 403 403 403 403 403 404 403 403 403",
        post={},
    ),
    page(
        "parts:import_template",
        "/parts/import/opening-stock.xlsx",
        "302 403 403 403 403 403 200 403 403 403",
    ),
    page("parts:ledger", "/parts/ledger/", "302 403 403 200 200 403 200 200 200 200"),
    page("parts:location_list", "/parts/locations/", "302 403 403 302 302 403 200 200 200 200"),
    page(
        "parts:location_detail",
        "/parts/locations/WH-SH/",
        "302 403 403 404 404 403 200 200 200 200",
    ),
    page("parts:my_van", "/parts/van/", "302 403 403 200 200 403 200 200 200 200"),
    page(
        "parts:movement_create", "/parts/move/receive/", "302 403 403 403 403 403 200 403 403 403"
    ),
    page(
        "parts:reservation_release",
        "/parts/reservations/{reservation}/release/",
        "302 403 403 403 403 403 302 403 403 403",
        post={},
    ),
    page("parts:part_detail", "/parts/{part}/", "302 403 403 200 200 403 200 200 200 200"),
    page("parts:part_edit", "/parts/{part}/edit/", "302 403 403 403 403 403 200 403 403 403"),
    # --- purchasing ----------------------------------------------------------------------------
    page("purchasing:order_list", "/purchasing/", "302 403 403 403 403 403 200 200 200 200"),
    page(
        "purchasing:order_create",
        "/purchasing/orders/new/",
        "302 403 403 403 403 403 200 403 403 403",
    ),
    page(
        "purchasing:orders_from_plan",
        "/purchasing/orders/from-plan/",
        "302 403 403 403 403 403 302 403 403 403",
        post={},
    ),
    page(
        "purchasing:order_detail",
        "/purchasing/orders/{po_pk}/",
        "302 403 403 403 403 403 200 200 200 200",
    ),
    page(
        "purchasing:order_transition",
        "/purchasing/orders/{po_pk}/transition/",
        "302 403 403 403 403 403 302 403 403 403",
        post={"to_status": "cancelled", "reason": "不再需要", "version": "{po_version}"},
    ),
    page(
        "purchasing:receipt_create",
        "/purchasing/orders/{po_pk}/receipts/",
        "302 403 403 403 403 403 422 403 403 403",
        post={},
    ),
    page(
        "purchasing:inspection_record",
        f"/purchasing/receipt-lines/{MISSING}/inspection/",
        "302 403 403 403 403 403 404 403 403 403",
        post={},
    ),
    page(
        "purchasing:inspection_photo",
        f"/purchasing/photos/{MISSING}/",
        "302 403 403 403 403 403 404 404 404 404",
    ),
    page(
        "purchasing:return_list", "/purchasing/returns/", "302 403 403 403 403 403 200 200 200 200"
    ),
    page(
        "purchasing:return_ship",
        f"/purchasing/returns/{MISSING}/ship/",
        "302 403 403 403 403 403 404 403 403 403",
        post={},
    ),
    page(
        "purchasing:supplier_list",
        "/purchasing/suppliers/",
        "302 403 403 403 403 403 200 200 200 200",
    ),
    page(
        "purchasing:supplier_detail",
        "/purchasing/suppliers/{supplier_pk}/",
        "302 403 403 403 403 403 200 200 200 200",
    ),
    page(
        "purchasing:supplier_edit",
        "/purchasing/suppliers/{supplier_pk}/edit/",
        "302 403 403 403 403 403 422 403 403 403",
        post={},
    ),
    page(
        "purchasing:supplier_price_add",
        "/purchasing/suppliers/{supplier_pk}/prices/",
        "302 403 403 403 403 403 422 403 403 403",
        post={},
    ),
    page(
        "purchasing:supplier_rate",
        "/purchasing/suppliers/{supplier_pk}/ratings/",
        "302 403 403 403 403 403 422 403 403 403",
        post={},
    ),
    page(
        "purchasing:scorecard", "/purchasing/scorecard/", "302 403 403 403 403 403 200 200 200 200"
    ),
    page(
        "purchasing:batch_list", "/purchasing/batches/", "302 403 403 403 403 403 200 200 200 200"
    ),
    page(
        "purchasing:batch_detail",
        "/purchasing/batches/{batch}/",
        "302 403 403 403 403 403 200 200 200 200",
    ),
    page(
        "purchasing:batch_defect",
        "/purchasing/batches/{batch}/defect/",
        "302 403 403 403 403 403 422 422 403 403",
        post={},
    ),
    page(
        "purchasing:batch_recall_cases",
        "/purchasing/batches/{batch}/recall-cases/",
        "302 403 403 403 403 403 403 409 403 403",
        post={},
    ),
    page(
        "purchasing:work_order_batches",
        "/purchasing/work-orders/{workorder}/batches/",
        "302 403 200 200 200 403 200 200 200 200",
    ),
    page("purchasing:prices", "/purchasing/prices/", "302 403 403 403 403 403 200 200 200 200"),
    page(
        "purchasing:price_change_create",
        "/purchasing/prices/changes/",
        "302 403 403 403 403 403 422 403 403 403",
        post={},
    ),
    page(
        "purchasing:price_rule_create",
        "/purchasing/prices/rules/",
        "302 403 403 403 403 403 422 403 403 403",
        post={},
    ),
    page(
        "purchasing:price_change_decide",
        "/purchasing/prices/changes/{change}/decision/",
        "302 403 403 403 403 403 403 302 403 403",
        post={"approve": "1"},
    ),
    page("purchasing:figures", "/purchasing/figures/", "302 403 403 403 403 403 200 200 200 200"),
]
