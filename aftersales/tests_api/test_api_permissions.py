"""The API's permission matrix: every endpoint as anonymous, a role without the right, a
customer, an agent of team A (session) and an administrator (API key).

Add a row to ``MATRIX`` when an endpoint is added. Object endpoints point at Alice's records;
``test_other_customers_records_are_invisible`` and ``test_other_teams_case_is_invisible``
point the same rows at records the caller may not see and check that nothing changed.
"""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client, override_settings

from aftersales.accounts.roles import Role
from aftersales.accounts.services import apikey_create
from aftersales.cases.models import Attachment, Case, CaseEvent
from aftersales.cases.services import attachment_add
from aftersales.conftest import (
    build_customers,
    build_org,
    build_product_model,
    build_staff,
    make_case,
)
from aftersales.core.models import AuditLog
from aftersales.core.testing import image_bytes
from aftersales.customers.models import Address, Asset, Contact, Customer

pytestmark = pytest.mark.django_db

PNG = image_bytes("PNG")
ACTORS = ["anonymous", "parts_keeper", "alice", "agent", "admin_key"]
UPLOAD = object()  # marker: send a multipart upload instead of JSON


def upload():
    return {"files": SimpleUploadedFile("photo.png", PNG, content_type="image/png")}


# (id, method, path, payload, expected status per ACTORS)
MATRIX = [
    ("me", "get", "/api/v1/me", None, "401 200 200 200 200"),
    ("teams", "get", "/api/v1/teams", None, "401 200 403 200 200"),
    ("product_models", "get", "/api/v1/product-models", None, "401 200 200 200 200"),
    ("customer_list", "get", "/api/v1/customers?q=张", None, "401 403 403 200 200"),
    (
        "customer_create",
        "post",
        "/api/v1/customers",
        {"name": "王五", "phone": "13700001111"},
        "401 403 403 201 201",
    ),
    ("customer_get", "get", "/api/v1/customers/{customer}", None, "401 403 200 200 200"),
    (
        "customer_patch",
        "patch",
        "/api/v1/customers/{customer}",
        {"version": 1, "notes": "VIP 客户"},
        "401 403 403 200 200",
    ),
    ("contact_list", "get", "/api/v1/customers/{customer}/contacts", None, "401 403 200 200 200"),
    (
        "contact_add",
        "post",
        "/api/v1/customers/{customer}/contacts",
        {"name": "张太太", "phone": "13600002222"},
        "401 403 201 201 201",
    ),
    ("address_list", "get", "/api/v1/customers/{customer}/addresses", None, "401 403 200 200 200"),
    (
        "address_add",
        "post",
        "/api/v1/customers/{customer}/addresses",
        {"street": "张江路 100 号", "city": "上海"},
        "401 403 201 201 201",
    ),
    (
        "contact_reveal",
        "post",
        "/api/v1/contacts/{contact}/reveal",
        {"reason": "回访"},
        "401 403 403 200 200",
    ),
    ("asset_list", "get", "/api/v1/assets", None, "401 403 200 200 200"),
    (
        "asset_create",
        "post",
        "/api/v1/assets",
        {"customer_id": "{customer}", "product_model": "KFR-35GW", "serial_number": "SN-NEW-1"},
        "401 403 403 201 201",
    ),
    ("asset_get", "get", "/api/v1/assets/{asset}", None, "401 403 200 200 200"),
    (
        "asset_patch",
        "patch",
        "/api/v1/assets/{asset}",
        {"version": 1, "invoice_number": "INV-9"},
        "401 403 403 200 200",
    ),
    ("case_list", "get", "/api/v1/cases", None, "401 403 200 200 200"),
    (
        "case_create",
        "post",
        "/api/v1/cases",
        {"customer_id": "{customer}", "case_type": "consultation", "title": "如何清洗滤网"},
        "401 403 201 201 201",
    ),
    ("case_get", "get", "/api/v1/cases/{case}", None, "401 403 200 200 200"),
    (
        "case_patch",
        "patch",
        "/api/v1/cases/{case}",
        {"version": 1, "priority": "high"},
        "401 403 403 200 200",
    ),
    ("timeline", "get", "/api/v1/cases/{case}/timeline", None, "401 403 200 200 200"),
    (
        "reply",
        "post",
        "/api/v1/cases/{case}/replies",
        {"body": "请问什么时候上门？"},
        "401 403 201 201 201",
    ),
    ("note", "post", "/api/v1/cases/{case}/notes", {"body": "备件已订"}, "401 403 403 201 201"),
    ("transitions", "get", "/api/v1/cases/{case}/transitions", None, "401 403 200 200 200"),
    # only the case's customer rates, and only once it is resolved (Alice's case is new: 409)
    ("rating", "post", "/api/v1/cases/{case}/rating", {"rating": 5}, "401 403 409 403 403"),
    (
        "transition",
        "post",
        "/api/v1/cases/{case}/transitions",
        {"to_status": "cancelled", "reason": "已自行解决", "version": 1},
        "401 403 200 200 200",
    ),
    (
        "assignment",
        "post",
        "/api/v1/cases/{case}/assignment",
        {"team": "hotline", "assignee": "agent", "version": 1},
        "401 403 403 200 200",
    ),
    ("attachment_list", "get", "/api/v1/cases/{case}/attachments", None, "401 403 200 200 200"),
    (
        "attachment_upload",
        "post",
        "/api/v1/cases/{case}/attachments",
        UPLOAD,
        "401 403 201 201 201",
    ),
    ("attachment_get", "get", "/api/v1/attachments/{attachment}", None, "401 403 200 200 200"),
    ("audit", "get", "/api/v1/audit", None, "401 403 403 403 200"),
    ("sla_policies", "get", "/api/v1/sla/policies", None, "401 403 403 200 200"),
    ("case_clocks", "get", "/api/v1/cases/{case}/clocks", None, "401 403 403 200 200"),
    (
        "milestone",
        "post",
        "/api/v1/cases/{case}/milestones",
        {"code": "onsite_arrival"},
        "401 403 403 201 201",
    ),
    ("routing_rules", "get", "/api/v1/routing/rules", None, "401 403 403 403 200"),
    (
        "routing_rule_create",
        "post",
        "/api/v1/routing/rules",
        {"name": "空调漏水", "keywords": "空调 漏水", "team": "hotline"},
        "401 403 403 403 201",
    ),
    (
        "routing_test",
        "post",
        "/api/v1/routing/test",
        {"sample": {"title": "客厅空调漏水"}},
        "401 403 403 403 200",
    ),
    ("search", "get", "/api/v1/search?q=空调", None, "401 403 200 200 200"),
    ("search_customers", "get", "/api/v1/search?q=李四&kind=customer", None, "401 403 403 200 200"),
    ("search_no_words", "get", "/api/v1/search?q=的", None, "401 403 422 422 422"),
    # working calendars: administrators (and supervisors, below) read them and try the arithmetic
    ("calendars", "get", "/api/v1/calendars", None, "401 403 403 403 200"),
    ("calendar_get", "get", "/api/v1/calendars/default?year=2026", None, "401 403 403 403 200"),
    (
        "worktime_add",
        "post",
        "/api/v1/calendars/default/worktime/add",
        {"from": "2026-09-30T18:30", "duration": "1wd"},
        "401 403 403 403 200",
    ),
    (
        "worktime_between",
        "post",
        "/api/v1/calendars/default/worktime/between",
        {"from": "2026-09-30T08:30", "to": "2026-10-08T17:30"},
        "401 403 403 403 200",
    ),
    (
        "worktime_bad_duration",
        "post",
        "/api/v1/calendars/default/worktime/add",
        {"from": "2026-09-30T18:30", "duration": "1 day"},
        "401 403 403 403 422",
    ),
    # purchasing: the parts keeper buys; the administrator reads; customers and agents neither
    ("po_suppliers", "get", "/api/v1/purchasing/suppliers", None, "401 200 403 403 200"),
    (
        "po_supplier_create",
        "post",
        "/api/v1/purchasing/suppliers",
        {"code": "sz-hualeng", "name": "苏州华冷配件有限公司"},
        "401 201 403 403 403",
    ),
    ("po_orders", "get", "/api/v1/purchasing/orders", None, "401 200 403 403 200"),
    (
        "po_order_create",
        "post",
        "/api/v1/purchasing/orders",
        {
            "supplier": "none",
            "promised_date": "2026-12-01",
            "lines": [{"part": "X", "quantity": 1}],
        },
        "401 422 403 403 403",
    ),
    ("po_open_orders", "get", "/api/v1/purchasing/open-orders", None, "401 200 403 403 200"),
    ("po_from_plan", "post", "/api/v1/purchasing/orders/from-plan", {}, "401 201 403 403 403"),
    ("po_returns", "get", "/api/v1/purchasing/returns", None, "401 200 403 403 200"),
    ("po_scorecard", "get", "/api/v1/purchasing/scorecard", None, "401 200 403 403 200"),
    ("po_batches", "get", "/api/v1/purchasing/batches", None, "401 200 403 403 200"),
    ("po_price_rules", "get", "/api/v1/purchasing/price-rules", None, "401 200 403 403 200"),
    ("po_price_changes", "get", "/api/v1/purchasing/price-changes", None, "401 200 403 403 200"),
    (
        "po_price_change",
        "post",
        "/api/v1/purchasing/price-changes",
        {"part": "X", "list_price": "1.00", "reason": "调价"},
        "401 422 403 403 403",
    ),
    ("po_figures", "get", "/api/v1/purchasing/figures", None, "401 200 403 403 200"),
    # work orders: agents open them from their cases and follow up; dispatchers run the board
    ("workorders", "get", "/api/v1/workorders", None, "401 403 403 200 200"),
    (
        "workorder_create_unknown_case",
        "post",
        "/api/v1/workorders",
        {"case": "SC-2026-999999"},
        "401 403 403 404 404",
    ),
    ("workorder_missing", "get", "/api/v1/workorders/WO-2026-999999", None, "401 403 404 404 404"),
    (
        "workorder_assign_missing",
        "post",
        "/api/v1/workorders/WO-2026-999999/assign",
        {
            "technician": 1,
            "start": "2026-12-01T10:00+08:00",
            "end": "2026-12-01T12:00+08:00",
            "version": 1,
        },
        "401 403 403 403 404",
    ),
    (
        "workorder_step_missing",
        "post",
        "/api/v1/workorders/WO-2026-999999/steps",
        {"action": "accept"},
        "401 403 403 403 404",
    ),
    ("workorder_board", "get", "/api/v1/workorder-board", None, "401 403 403 403 200"),
    ("followups_due", "get", "/api/v1/followups", None, "401 403 403 200 200"),
    ("certificates_expiring", "get", "/api/v1/certificates/expiring", None, "401 403 403 403 200"),
    (
        "nearest_center",
        "get",
        "/api/v1/service-centers/nearest?latitude=31.2&longitude=121.5",
        None,
        "401 403 403 200 200",
    ),
    # spare parts: keepers run the stock; administrators read it and keep locations
    ("parts", "get", "/api/v1/parts?q=电容", None, "401 200 403 403 200"),
    (
        "part_create",
        "post",
        "/api/v1/parts",
        {"code": "CAP-25UF", "name": "启动电容", "unit": "pcs"},
        "401 201 403 403 403",
    ),
    ("part_stock_missing", "get", "/api/v1/parts/NO-SUCH/stock", None, "401 404 403 403 404"),
    ("stock_locations", "get", "/api/v1/stock-locations", None, "401 200 403 403 200"),
    (
        "stock_location_create",
        "post",
        "/api/v1/stock-locations",
        {"code": "WH-BJ", "name": "北京仓", "kind": "warehouse"},
        "401 201 403 403 201",
    ),
    ("stock_movements", "get", "/api/v1/stock/movements", None, "401 200 403 403 200"),
    (
        "stock_issue_unknown_part",
        "post",
        "/api/v1/stock/issue",
        {"part": "NO-SUCH", "location": "WH-SH", "quantity": 1},
        "401 422 403 403 403",
    ),
    (
        "stock_receive_unknown_part",
        "post",
        "/api/v1/stock/receive",
        {"part": "NO-SUCH", "location": "WH-SH", "quantity": 1, "unit_cost": "1.00"},
        "401 422 403 403 403",
    ),
    ("stock_reservations", "get", "/api/v1/stock/reservations", None, "401 200 403 403 403"),
    ("stock_low", "get", "/api/v1/stock/low", None, "401 200 403 403 200"),
    ("stock_plan", "get", "/api/v1/stock/purchase-plan", None, "401 200 403 403 200"),
]


def _build() -> dict:
    """The shared fixtures' organisation, users, customers and cases (see ``conftest``), and one
    public attachment on Alice's and on Bob's case."""
    from aftersales.accounts import role_cache

    role_cache.clear()  # another module's users had these ids; their roles must not leak
    org = build_org()
    team_a, team_b = org["team_a"], org["team_b"]
    users = build_staff(org, in_team_b=(("agent_b", Role.AGENT),))
    folks = build_customers(build_product_model())
    alice, bob = folks["alice"], folks["bob"]
    cases = {
        "alice_a": make_case(alice, team=team_a),
        "bob_b": make_case(bob, team=team_b, title="洗衣机漏水"),
        "alice_complaint": make_case(
            alice, case_type="complaint", title="维修人员迟到", asset=None
        ),
    }
    atts = {}
    for key, case in (("alice", cases["alice_a"]), ("bob", cases["bob_b"])):
        upload_file = SimpleUploadedFile("photo.png", PNG, content_type="image/png")
        atts[key] = attachment_add(actor=users["agent"], case=case, files=[upload_file])[0]
    case_a, case_b = (Case.objects.get(pk=cases[k].pk) for k in ("alice_a", "bob_b"))
    return {
        "users": users,
        "cases": cases,
        "alice": {
            "customer": alice.pk,
            "contact": alice.contacts.first().pk,
            "asset": alice.assets.first().pk,
            "case": case_a.number,
            "attachment": atts["alice"].pk,
            "version": case_a.version,
        },
        "bob": {
            "customer": bob.pk,
            "contact": bob.contacts.first().pk,
            "asset": bob.assets.first().pk,
            "case": case_b.number,
            "attachment": atts["bob"].pk,
            "version": case_b.version,
        },
        "alice_user": alice.user,
    }


# The world is built once per module, inside a transaction rolled back when the module ends;
# each test runs in a savepoint of its own (the ``db`` fixture), so what one test writes is gone
# for the next. Built per test, it was most of the file's time (on PostgreSQL 0.2 s of each
# test's 0.35 s, over some 480 tests).
@pytest.fixture(scope="module")
def _matrix_media(tmp_path_factory):
    return tmp_path_factory.mktemp("api-matrix-media")


@pytest.fixture(autouse=True)
def _media_root(settings, _matrix_media):
    """The world's files live for the whole module (this replaces the per-test folder)."""
    from aftersales.accounts import role_cache

    settings.MEDIA_ROOT = _matrix_media
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    role_cache.clear()


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker, _matrix_media):
    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        override_settings(MEDIA_ROOT=_matrix_media),
    ):
        yield _build()
        transaction.set_rollback(True)


@pytest.fixture
def world(_world, db):
    """Alice's and Bob's records, one public attachment on each of their cases."""
    return _world


@pytest.fixture
def users(world):
    return world["users"]


@pytest.fixture
def cases(world):
    return world["cases"]


def client_for(actor: str, world) -> tuple[Client, dict]:
    """A client signed in as ``actor`` and the extra headers it must send."""
    client = Client()
    if actor == "anonymous":
        return client, {}
    if actor == "admin_key":
        _, secret = apikey_create(actor=None, name="ERP", role=Role.ADMINISTRATOR)
        return client, {"HTTP_X_API_KEY": secret}
    user = world["alice_user"] if actor == "alice" else world["users"][actor]
    client.force_login(user)
    return client, {}


def fill(value, ids: dict):
    """Put the target's ids into a path or payload template."""
    if isinstance(value, str):
        if value.startswith("{") and value.endswith("}") and value[1:-1] in ids:
            return ids[value[1:-1]]
        return value.format(**ids)
    if isinstance(value, dict):
        out = {k: fill(v, ids) for k, v in value.items()}
        if "version" in out:
            out["version"] = ids["version"]
        return out
    return value


def call(client: Client, method: str, path: str, payload, headers: dict):
    if payload is UPLOAD:
        return client.post(path, data=upload(), **headers)
    if payload is None:
        return getattr(client, method)(path, **headers)
    return getattr(client, method)(
        path, data=json.dumps(payload), content_type="application/json", **headers
    )


def snapshot() -> dict:
    """Row counts and versions that a refused request must leave as they were."""
    return {
        "cases": Case.objects.count(),
        "versions": dict(Case.objects.values_list("number", "version")),
        "statuses": dict(Case.objects.values_list("number", "status")),
        "events": CaseEvent.objects.count(),
        "attachments": Attachment.objects.count(),
        "customers": list(Customer.objects.values_list("pk", "notes", "name")),
        "contacts": Contact.objects.count(),
        "addresses": Address.objects.count(),
        "assets": list(Asset.objects.values_list("pk", "invoice_number")),
    }


@pytest.mark.parametrize(
    ("method", "path", "payload", "expected"),
    [pytest.param(m, p, d, e, id=i) for i, m, p, d, e in MATRIX],
)
@pytest.mark.parametrize("actor", ACTORS)
def test_matrix(world, actor, method, path, payload, expected):
    client, headers = client_for(actor, world)
    want = int(expected.split()[ACTORS.index(actor)])
    before = snapshot()
    response = call(
        client, method, fill(path, world["alice"]), fill(payload, world["alice"]), headers
    )
    assert response.status_code == want, response.content[:500]
    if want >= 400:
        body = response.json()
        assert set(body) == {"code", "message", "detail"}
        # Nothing is written by a refused request (the audit of reads aside).
        assert snapshot() == before


OBJECT_ROWS = [row for row in MATRIX if "{" in row[2]]


@pytest.mark.parametrize(
    ("method", "path", "payload"),
    [pytest.param(m, p, d, id=i) for i, m, p, d, _ in OBJECT_ROWS if i != "contact_reveal"],
)
def test_other_customers_records_are_invisible(world, method, path, payload):
    """Alice aims every object endpoint at Bob's records: 404, nothing changed."""
    client, headers = client_for("alice", world)
    before = snapshot()
    audit_before = AuditLog.objects.count()
    response = call(client, method, fill(path, world["bob"]), fill(payload, world["bob"]), headers)
    assert response.status_code == 404, response.content[:500]
    assert response.json()["code"] == "not_found"
    assert snapshot() == before
    assert AuditLog.objects.count() == audit_before


CASE_ROWS = [row for row in OBJECT_ROWS if "{case}" in row[2] or "{attachment}" in row[2]]
# what team A's agent reads of team B's case: its facts, public thread and public files
HISTORY_READS = {"case_get", "timeline", "transitions", "attachment_list", "attachment_get"}
# ... and what stays with the team: its SLA clocks and milestones are not even found
WORKING_SCOPE_ONLY = {"case_clocks", "milestone"}


@pytest.mark.parametrize(
    ("method", "path", "payload"), [pytest.param(m, p, d, id=i) for i, m, p, d, _ in CASE_ROWS]
)
def test_other_teams_case_is_read_only(world, request, method, path, payload):
    """An agent of team A aims every case endpoint at Bob's team-B case: the reads answer from
    the customer's history (docs/adr/0006-customer-history-at-the-desk.md), every change is
    403, and nothing changes."""
    client, headers = client_for("agent", world)
    before = snapshot()
    response = call(client, method, fill(path, world["bob"]), fill(payload, world["bob"]), headers)
    row = request.node.callspec.id
    want = 200 if row in HISTORY_READS else 404 if row in WORKING_SCOPE_ONLY else 403
    assert response.status_code == want, response.content[:500]
    assert snapshot() == before


def test_customer_cannot_see_an_internal_attachment_on_their_own_case(world, users, cases):
    upload_file = SimpleUploadedFile("internal.png", PNG, content_type="image/png")
    internal = attachment_add(
        actor=users["agent"], case=cases["alice_a"], files=[upload_file], public=False
    )[0]
    client, _ = client_for("alice", world)
    assert client.get(f"/api/v1/attachments/{internal.pk}").status_code == 404
    listed = client.get(f"/api/v1/cases/{world['alice']['case']}/attachments").json()
    assert internal.pk not in [a["id"] for a in listed]
    staff, _ = client_for("agent", world)
    assert staff.get(f"/api/v1/attachments/{internal.pk}").status_code == 200


def test_unknown_or_revoked_api_key_is_401(world):
    from aftersales.accounts.services import apikey_revoke

    key, secret = apikey_create(actor=None, name="Shop", role=Role.AGENT)
    client = Client()
    assert client.get("/api/v1/me", HTTP_X_API_KEY=secret).status_code == 200
    assert client.get("/api/v1/me", HTTP_X_API_KEY=secret + "x").status_code == 401
    apikey_revoke(actor=world["users"]["administrator"], key=key)
    response = client.get("/api/v1/me", HTTP_X_API_KEY=secret)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_session_writes_need_the_csrf_token_and_api_keys_do_not(world):
    number = world["alice"]["case"]
    path = f"/api/v1/cases/{number}/notes"
    body = json.dumps({"body": "内部备注"})
    events = CaseEvent.objects.count()

    client = Client(enforce_csrf_checks=True)
    client.force_login(world["users"]["agent"])
    assert client.get(f"/api/v1/cases/{number}").status_code == 200  # reads need no token
    refused = client.post(path, data=body, content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["code"] == "forbidden"
    assert CaseEvent.objects.count() == events

    token = _get_new_csrf_string()
    client.cookies["csrftoken"] = token
    accepted = client.post(path, data=body, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 201
    assert CaseEvent.objects.count() == events + 1

    _, secret = apikey_create(actor=None, name="CRM", role=Role.ADMINISTRATOR)
    keyed = Client(enforce_csrf_checks=True).post(
        path, data=body, content_type="application/json", HTTP_X_API_KEY=secret
    )
    assert keyed.status_code == 201


def test_anonymous_write_is_401_not_a_csrf_failure(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/api/v1/cases",
        data=json.dumps({"case_type": "consultation"}),
        content_type="application/json",
    )
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


# The other staff roles on the same records: what each role needs and nothing more.
ROLE_ROWS = [
    # (method, path, payload, {role: status})
    ("get", "/api/v1/sla/policies", None, {"technician": 403, "auditor": 200, "supervisor": 200}),
    (
        "get",
        "/api/v1/cases/{case}/clocks",
        None,
        {"technician": 404, "auditor": 200, "dispatcher": 200},
    ),
    (
        "post",
        "/api/v1/cases/{case}/milestones",
        {"code": "onsite_arrival"},
        {"technician": 404, "auditor": 403, "dispatcher": 201},
    ),
    ("get", "/api/v1/cases", None, {"technician": 200, "auditor": 200, "dispatcher": 200}),
    (
        "get",
        "/api/v1/cases/{case}",
        None,
        {"technician": 404, "auditor": 200, "dispatcher": 200, "complaint_officer": 200},
    ),
    (
        "post",
        "/api/v1/cases/{case}/replies",
        {"body": "您好"},
        {"technician": 404, "auditor": 403, "dispatcher": 201},
    ),
    (
        "get",
        "/api/v1/customers?q=张",
        None,
        {"technician": 403, "auditor": 200, "supervisor": 200},
    ),
    ("get", "/api/v1/assets/{asset}", None, {"technician": 403, "auditor": 200}),
    (
        "post",
        "/api/v1/contacts/{contact}/reveal",
        {},
        {"technician": 403, "auditor": 403, "supervisor": 200},
    ),
    (
        "get",
        "/api/v1/audit",
        None,
        {"technician": 403, "dispatcher": 403, "auditor": 200, "supervisor": 200},
    ),
    (
        "get",
        "/api/v1/routing/rules",
        None,
        {"supervisor": 200, "dispatcher": 403, "auditor": 403, "complaint_officer": 403},
    ),
    ("get", "/api/v1/calendars", None, {"supervisor": 200, "dispatcher": 403, "auditor": 403}),
    (
        "post",
        "/api/v1/calendars/default/worktime/add",
        {"from": "2026-09-30T18:30", "duration": "8wh"},
        {"supervisor": 200, "technician": 403},
    ),
    ("get", "/api/v1/workorders", None, {"technician": 200, "auditor": 200, "dispatcher": 200}),
    (
        "get",
        "/api/v1/workorder-board",
        None,
        {"technician": 403, "auditor": 403, "dispatcher": 200, "supervisor": 200},
    ),
    ("get", "/api/v1/followups", None, {"technician": 403, "dispatcher": 200}),
    (
        "post",
        "/api/v1/workorders/WO-2026-999999/review",
        {"approve": True},
        {"technician": 403, "auditor": 403, "supervisor": 404},
    ),
]


@pytest.mark.parametrize(
    ("method", "path", "payload", "role", "want"),
    [
        pytest.param(m, p, d, role, want, id=f"{role}-{m}-{p}")
        for m, p, d, wants in ROLE_ROWS
        for role, want in wants.items()
    ],
)
def test_other_roles(world, method, path, payload, role, want):
    client = Client()
    client.force_login(world["users"][role])
    before = snapshot()
    response = call(client, method, fill(path, world["alice"]), fill(payload, world["alice"]), {})
    assert response.status_code == want, response.content[:300]
    if want >= 400:
        assert snapshot() == before
