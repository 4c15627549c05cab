"""What every API operation refuses before any handler runs, whichever app it belongs to:
non-finite or absurdly large numbers, booleans for numbers (and numbers for booleans), NUL
bytes in text, and JSON bodies that are not objects — each a 422 ``invalid_input`` naming the
field, never a 500 nor a silently converted value. The rules live in ``core.api``
(``InputSchema``, ``number_problem``) and ``config.api`` (the body check)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from aftersales.accounts.roles import Role
from aftersales.accounts.services import apikey_create
from aftersales.cases.models import Case
from aftersales.parts.models import Movement, Part

pytestmark = pytest.mark.django_db


@pytest.fixture
def parts_world(users):
    from aftersales.parts.services import location_create, part_create

    keeper = users["parts_keeper"]
    location_create(code="WH-SH", name="上海中心仓", kind="warehouse", actor=keeper)
    part_create(
        code="CAP-35UF",
        name="压缩机启动电容",
        unit="pcs",
        standard_cost="12.50",
        list_price="25.00",
        actor=keeper,
    )
    return keeper


@pytest.fixture
def keeper_api(parts_world):
    _key, secret = apikey_create(actor=None, name="仓库系统", role=Role.PARTS_KEEPER)
    client = Client(HTTP_X_API_KEY=secret, HTTP_ACCEPT_LANGUAGE="en")

    def send(method: str, path: str, body=None, *, raw: bool = False):
        if method == "get":
            response = client.get(f"/api/v1{path}")
        else:
            data = body if raw else json.dumps(body)
            response = getattr(client, method)(
                f"/api/v1{path}", data=data, content_type="application/json"
            )
        return response.status_code, response.json()

    return send


def agent_client(users) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(users["agent"])
    return client


def fields_of(body: dict) -> set[str]:
    return {d["field"] for d in body["detail"]}


# --- numbers ----------------------------------------------------------------------------------

NON_FINITE = ["Infinity", "-Infinity", "NaN", "1e999999", "-1e999999", "1E+400"]


@pytest.mark.parametrize("value", NON_FINITE)
def test_non_finite_amounts_are_422(keeper_api, value):
    body = {"code": "FAN-01", "name": "风扇电机", "unit": "pcs", "standard_cost": value}
    status, answer = keeper_api("post", "/parts", body)
    assert status == 422, answer
    assert answer["code"] == "invalid_input"
    assert fields_of(answer) == {"standard_cost"}
    assert not Part.objects.filter(code="FAN-01").exists()


@pytest.mark.parametrize("value", NON_FINITE)
def test_non_finite_quantities_are_422_where_no_digits_are_declared(keeper_api, value):
    """``quantity_delta`` has no max_digits: ``"1e999999"`` is a finite Decimal that used to
    reach the ledger's arithmetic."""
    body = {"part": "CAP-35UF", "location": "WH-SH", "quantity_delta": value, "reason": "盘点"}
    status, answer = keeper_api("post", "/stock/adjust", body)
    assert status == 422, answer
    assert fields_of(answer) == {"quantity_delta"}
    assert not Movement.objects.exists()


def test_json_number_overflowing_to_infinity_is_422(keeper_api):
    """``1e999999`` as a bare JSON number parses to a float infinity."""
    raw = '{"part": "CAP-35UF", "location": "WH-SH", "quantity_delta": 1e999999, "reason": "x"}'
    status, answer = keeper_api("post", "/stock/adjust", raw, raw=True)
    assert status == 422, answer
    assert fields_of(answer) == {"quantity_delta"}


def test_non_finite_numbers_inside_a_mapping_are_422(keeper_api):
    body = {
        "kind": "tier",
        "name": "金卡折扣",
        "tier_discounts": {"gold": "Infinity"},
        "reason": "促销",
    }
    status, answer = keeper_api("post", "/purchasing/price-rules", body)
    assert status == 422, answer
    assert answer["code"] == "invalid_input"


def test_non_finite_float_query_is_422(users):
    client = agent_client(users)
    response = client.get("/api/v1/service-centers/nearest?latitude=NaN&longitude=121.5")
    assert response.status_code == 422


@pytest.mark.parametrize("value", [True, False])
def test_a_boolean_is_not_a_decimal(keeper_api, value):
    body = {"part": "CAP-35UF", "location": "WH-SH", "quantity_delta": value, "reason": "盘点"}
    status, answer = keeper_api("post", "/stock/adjust", body)
    assert status == 422, answer
    assert fields_of(answer) == {"quantity_delta"}


def test_a_boolean_is_not_an_integer(users, cases):
    case = cases["alice_a"]
    response = agent_client(users).post(
        f"/api/v1/cases/{case.number}/transitions",
        data=json.dumps({"to_status": "in_progress", "version": True}),
        content_type="application/json",
    )
    assert response.status_code == 422, response.json()
    assert fields_of(response.json()) == {"version"}
    case.refresh_from_db()
    assert case.status == "new"


def test_a_number_is_not_a_boolean(keeper_api):
    body = {"code": "VAN-X", "name": "车载库", "kind": "warehouse", "active": 1}
    status, answer = keeper_api("post", "/stock-locations", body)
    assert status == 422, answer
    assert fields_of(answer) == {"active"}


def test_plain_numbers_still_pass(keeper_api):
    body = {"part": "CAP-35UF", "location": "WH-SH", "quantity": "3", "unit_cost": 11.5}
    status, answer = keeper_api("post", "/stock/receive", body)
    assert status == 201, answer
    body = {"part": "CAP-35UF", "location": "WH-SH", "quantity_delta": -1, "reason": "盘点"}
    status, answer = keeper_api("post", "/stock/adjust", body)
    assert status == 201, answer


# --- text -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path, body, field",
    [
        ("/parts", {"code": "FAN-01", "name": "风扇\x00电机", "unit": "pcs"}, "name"),
        (
            "/stock/adjust",
            {"part": "CAP-35UF", "location": "WH-SH", "quantity_delta": 1, "reason": "a\x00"},
            "reason",
        ),
    ],
)
def test_nul_bytes_in_text_are_422(keeper_api, path, body, field):
    status, answer = keeper_api("post", path, body)
    assert status == 422, answer
    assert answer["code"] == "invalid_input"
    assert field in json.dumps(answer["detail"])


def test_nul_bytes_in_a_path_or_query_are_refused(keeper_api):
    status, _answer = keeper_api("get", "/parts/CAP%00")
    assert status in (404, 422)
    status, _answer = keeper_api("get", "/parts?q=%00")
    assert status == 422


# --- bodies -------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["[]", '[{"code": "X"}]', '"text"', "42", "true", "null"])
def test_a_json_body_must_be_an_object(keeper_api, raw):
    status, answer = keeper_api("post", "/parts", raw, raw=True)
    assert status == 422, answer
    assert answer["code"] == "invalid_input"
    assert answer["message"] == "The request body must be a JSON object."


def test_a_body_that_is_not_json_is_400_in_the_callers_language(keeper_api, parts_world):
    status, answer = keeper_api("post", "/parts", "{not json", raw=True)
    assert (status, answer["code"]) == (400, "bad_request")
    assert answer["message"] == "The request body is not valid JSON."
    _key, secret = apikey_create(actor=None, name="仓库系统二", role=Role.PARTS_KEEPER)
    response = Client(HTTP_X_API_KEY=secret, HTTP_ACCEPT_LANGUAGE="zh-hans").post(
        "/api/v1/parts", data="[1, 2]", content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["message"] != "The request body must be a JSON object."


def test_a_case_body_that_is_a_list_creates_nothing(users, customers):
    payload = [{"customer_id": customers["alice"].pk, "case_type": "consultation"}]
    response = agent_client(users).post(
        "/api/v1/cases", data=json.dumps(payload), content_type="application/json"
    )
    assert response.status_code == 422, response.content
    assert response.json()["message"] == "The request body must be a JSON object."
    assert not Case.objects.exists()


# --- e-mail addresses -------------------------------------------------------------------------

BAD_ADDRESSES = [
    "wang@exa\u2028mple.com",  # line separator in the domain
    "wang@exam\u2029ple.com",  # paragraph separator
    "wang@exa\u200bmple.com",  # zero-width space
    "wang@exa\u202emple.com",  # right-to-left override
    "wang@example\x07.com",
    "wang@",
    "not-an-address",
]


@pytest.mark.parametrize("email", BAD_ADDRESSES)
def test_customer_e_mail_with_control_or_format_characters_is_422(users, email):
    response = agent_client(users).post(
        "/api/v1/customers",
        data=json.dumps({"name": "王五", "phone": "13700001111", "email": email}),
        content_type="application/json",
    )
    assert response.status_code == 422, response.content
    assert fields_of(response.json()) == {"email"}


@pytest.mark.parametrize("email", ["wang@exa\u2028mple.com", "a@b"])
def test_supplier_contact_e_mail_is_validated(keeper_api, email):
    body = {"code": "SUP-1", "name": "格力配件", "contacts": [{"name": "李", "email": email}]}
    status, answer = keeper_api("post", "/purchasing/suppliers", body)
    assert status == 422, answer
    assert fields_of(answer) == {"contacts.0.email"}


@pytest.mark.parametrize("email", ["wang@example.com", "wang@例子.中国", ""])
def test_ordinary_and_international_addresses_pass(users, email):
    response = agent_client(users).post(
        "/api/v1/customers",
        data=json.dumps({"name": "王五", "phone": "13700001111", "email": email}),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content


@pytest.mark.parametrize(
    "case_type, extra",
    [
        ("repair_request", {"on_site": 1}),
        ("warranty_claim", {"mileage_km": True}),
        ("warranty_claim", {"mileage_km": "1e999999"}),
    ],
)
def test_a_case_types_own_fields_follow_the_same_rules(users, customers, case_type, extra):
    payload = {
        "customer_id": customers["alice"].pk,
        "case_type": case_type,
        "title": "空调不制冷",
        "extra": extra,
    }
    response = agent_client(users).post(
        "/api/v1/cases", data=json.dumps(payload), content_type="application/json"
    )
    assert response.status_code == 422, response.content
    assert response.json()["code"] in ("invalid_input", "invalid_extra"), response.content
    assert not Case.objects.exists()
