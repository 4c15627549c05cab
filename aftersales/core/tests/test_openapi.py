"""The OpenAPI document is honest: every operation declares its errors, and real answers
(successes and errors) validate against the schema it publishes for their status code."""

from __future__ import annotations

import json

import jsonschema_rs
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from aftersales.core.testing import image_bytes

pytestmark = pytest.mark.django_db

METHODS = {"get", "post", "patch", "put", "delete"}


@pytest.fixture
def spec(client) -> dict:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


def operations(spec: dict):
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method in METHODS:
                yield path, method, op


def test_every_operation_declares_its_errors(spec):
    ops = list(operations(spec))
    assert len(ops) >= 30
    for path, method, op in ops:
        codes = set(op["responses"])
        where = f"{method.upper()} {path}"
        assert {"401", "403", "422"} <= codes, where
        assert any(c.startswith("2") for c in codes), where
        if "{" in path:
            assert "404" in codes, where
        if method in ("post", "patch"):
            assert {"400", "409"} <= codes, where
        assert op.get("security"), where
        for code, response in op["responses"].items():
            if not code.startswith("2"):
                schema = response["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorOut"}, where


def test_enums_are_listed_in_the_schema(spec):
    body = spec["components"]["schemas"]["CaseIn"]["properties"]
    assert "complaint" in body["case_type"]["enum"]
    statuses = spec["components"]["schemas"]["TransitionIn"]["properties"]["to_status"]
    assert "waiting_customer" in statuses["enum"]


class Checker:
    """Validates a Django test response against the spec's schema for its status code."""

    def __init__(self, spec: dict):
        self.spec = spec

    def __call__(self, response, path: str, method: str):
        op = self.spec["paths"][path][method]
        code = str(response.status_code)
        assert code in op["responses"], f"{method.upper()} {path} answered undeclared {code}"
        content = op["responses"][code].get("content", {})
        if "application/json" not in content:
            return
        schema = {**content["application/json"]["schema"], "components": self.spec["components"]}
        jsonschema_rs.validator_for(schema).validate(response.json())


def test_real_answers_match_the_schema(spec, users, customers, cases):
    check = Checker(spec)
    agent = Client()
    agent.force_login(users["agent"])
    alice = Client()
    alice.force_login(customers["alice"].user)
    number = cases["alice_a"].number
    case_path = "/api/v1/cases/{number}"

    check(agent.get("/api/v1/me"), "/api/v1/me", "get")
    check(agent.get("/api/v1/teams"), "/api/v1/teams", "get")
    check(agent.get("/api/v1/product-models"), "/api/v1/product-models", "get")
    check(agent.get("/api/v1/customers"), "/api/v1/customers", "get")
    check(
        agent.get(f"/api/v1/customers/{customers['alice'].pk}"),
        "/api/v1/customers/{customer_id}",
        "get",
    )
    check(alice.get("/api/v1/assets"), "/api/v1/assets", "get")
    check(agent.get("/api/v1/cases?state=open"), "/api/v1/cases", "get")
    check(alice.get(f"/api/v1/cases/{number}"), case_path, "get")
    check(agent.get(f"/api/v1/cases/{number}/transitions"), case_path + "/transitions", "get")

    created = agent.post(
        "/api/v1/cases",
        data=json.dumps(
            {"customer_id": customers["alice"].pk, "case_type": "complaint", "title": "迟到"}
        ),
        content_type="application/json",
    )
    assert created.status_code == 201
    check(created, "/api/v1/cases", "post")
    uploaded = alice.post(
        f"/api/v1/cases/{number}/attachments",
        data={"files": SimpleUploadedFile("a.png", image_bytes("PNG"))},
    )
    assert uploaded.status_code == 201
    check(uploaded, case_path + "/attachments", "post")
    reply = agent.post(
        f"/api/v1/cases/{number}/replies",
        data=json.dumps({"body": "已安排"}),
        content_type="application/json",
    )
    check(reply, case_path + "/replies", "post")
    check(agent.get(f"/api/v1/cases/{number}/timeline"), case_path + "/timeline", "get")

    # errors
    check(Client().get("/api/v1/cases"), "/api/v1/cases", "get")  # 401
    check(alice.get("/api/v1/customers"), "/api/v1/customers", "get")  # 403
    check(alice.get(f"/api/v1/cases/{cases['bob_b'].number}"), case_path, "get")  # 404
    check(agent.get("/api/v1/cases?status=lost"), "/api/v1/cases", "get")  # 422
    conflict = agent.post(
        f"/api/v1/cases/{number}/transitions",
        data=json.dumps({"to_status": "closed", "version": 1}),
        content_type="application/json",
    )
    assert conflict.status_code == 409
    check(conflict, case_path + "/transitions", "post")
    malformed = agent.post(
        f"/api/v1/cases/{number}/notes", data="{not json", content_type="application/json"
    )
    assert malformed.status_code == 400
    check(malformed, case_path + "/notes", "post")
