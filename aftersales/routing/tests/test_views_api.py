"""The rule screens and the routing API: who may use them, test-before-save, dry runs,
and case creation from intake, portal and API all routed."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from aftersales.cases.models import Case, CaseEvent
from aftersales.conftest import make_case
from aftersales.core.models import AuditLog
from aftersales.routing.models import RoutingRule, TeamRotation

from .conftest import add_rule

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


RULE_POST = {
    "name": "空调漏水",
    "is_active": "on",
    "keywords": "空调 漏水",
    "keyword_mode": "all",
    "assignment": "round_robin",
    "with_draft": "1",
    "sample-title": "卧室空调漏水",
}


def test_only_rule_managers_open_the_screens(users, customers):
    for name, expected in (("agent", 403), ("auditor", 403), ("supervisor", 200)):
        assert client_for(users[name]).get(reverse("routing:rule_list")).status_code == expected
    alice = client_for(customers["alice"].user)
    assert alice.get(reverse("routing:rule_new")).status_code == 403
    assert Client().get(reverse("routing:rule_list")).status_code == 302


def test_saving_requires_a_test_of_the_rule_as_it_stands(users, ac_team):
    c = client_for(users["supervisor"])
    url = reverse("routing:rule_new")
    post = {**RULE_POST, "team": ac_team["team"].pk}
    untested = c.post(url, {**post, "action": "save"})
    assert untested.status_code == 422 and not RoutingRule.objects.exists()
    assert "Test the rule" in untested.content.decode() or "测试" in untested.content.decode()

    tested = c.post(reverse("routing:rule_test"), post)
    assert tested.status_code == 200
    body = tested.content.decode()
    assert 'data-testid="rule-save"' in body and 'data-testid="test-matched"' in body
    assert "ac_wang" in body or "ac_wang" in str(ac_team["agents"][0])
    token = tested.context["token"]
    assert not TeamRotation.objects.filter(last_assignee__isnull=False).exists()  # dry run

    changed = c.post(url, {**post, "keywords": "空调", "tested": token, "action": "save"})
    assert changed.status_code == 422 and not RoutingRule.objects.exists()

    saved = c.post(url, {**post, "tested": token, "action": "save"})
    assert saved.status_code == 302
    rule = RoutingRule.objects.get()
    assert rule.keywords == "空调 漏水" and rule.team == ac_team["team"]
    assert AuditLog.objects.filter(action="routing.rule_create", actor=users["supervisor"]).exists()


def test_invalid_rule_shows_the_error_and_saves_nothing(users):
    c = client_for(users["supervisor"])
    post = {**RULE_POST, "assignment": "round_robin"}  # round-robin without a team
    resp = c.post(reverse("routing:rule_new"), {**post, "action": "test"})
    assert resp.status_code == 422
    assert resp.context["form"].errors
    assert not RoutingRule.objects.exists()


def test_sample_by_case_number_and_trace(users, customers, ac_team, complaint_team):
    sup = users["supervisor"]
    add_rule(sup, name="投诉", case_type="complaint", team=complaint_team["team"], priority="high")
    add_rule(sup, name="空调", keywords="空调", team=ac_team["team"], assignment="least_loaded")
    case = Case.objects.get(pk=make_case(customers["alice"], team=ac_team["team"]).pk)
    c = client_for(sup)
    resp = c.post(reverse("routing:rule_test"), {"sample-case_number": case.number})
    assert resp.status_code == 200
    result = resp.context["result"]
    assert result.decision.rule.name == "空调"
    assert [t["matched"] for t in result.trace] == [False, True]
    assert result.decision.assignee == ac_team["agents"][0]
    missing = c.post(reverse("routing:rule_test"), {"sample-case_number": "SC-2026-999999"})
    assert missing.status_code == 422
    empty = c.post(reverse("routing:rule_test"), {})
    assert empty.status_code == 422


def test_move_buttons_reorder(users, ac_team):
    sup = users["supervisor"]
    first = add_rule(sup, name="甲", keywords="甲", team=ac_team["team"])
    second = add_rule(sup, name="乙", keywords="乙", team=ac_team["team"])
    c = client_for(sup)
    resp = c.post(reverse("routing:rule_move", args=[second.pk]), {"direction": "up"})
    assert resp.status_code == 302
    assert list(RoutingRule.objects.values_list("pk", flat=True)) == [second.pk, first.pk]
    page = c.get(reverse("routing:rule_list")).content.decode()
    assert page.index("乙") < page.index("甲")


def test_intake_portal_and_api_creation_are_routed(users, customers, ac_team, complaint_team):
    sup = users["supervisor"]
    add_rule(sup, name="投诉", case_type="complaint", team=complaint_team["team"], priority="high")
    add_rule(sup, name="空调漏水", keywords="空调 漏水", keyword_mode="all", team=ac_team["team"])
    alice = customers["alice"]

    agent = client_for(users["agent"])
    resp = agent.post(
        reverse("cases:intake"),
        {
            "action": "create_case",
            "customer": alice.pk,
            "case_type": "complaint",
            "channel": "hotline",
            "priority": "",
            "severity": "general",
            "title": "上门服务态度差",
        },
    )
    assert resp.status_code == 302, resp.content.decode()[:2000]
    case = Case.objects.get(title="上门服务态度差")
    assert case.team == complaint_team["team"] and case.priority == "high"

    portal = client_for(alice.user)
    resp = portal.post(
        reverse("portal:case_new"),
        {"case_type": "repair_request", "title": "", "description": "客厅空调漏水，地板都湿了"},
    )
    assert resp.status_code == 302, resp.content.decode()[:2000]
    case = Case.objects.filter(customer=alice, channel="portal").latest("id")
    assert case.team == ac_team["team"]
    assert CaseEvent.objects.filter(case=case, kind="assigned", is_public=False).exists()

    api = client_for(users["agent"])
    resp = api.post(
        "/api/v1/cases",
        json.dumps({"customer_id": alice.pk, "case_type": "complaint", "title": "投诉维修慢"}),
        content_type="application/json",
    )
    assert resp.status_code == 201, resp.content
    assert resp.json()["priority"] == "high" and resp.json()["team"] == "complaints"
    resp = api.post(
        "/api/v1/cases",
        json.dumps(
            {"customer_id": alice.pk, "case_type": "complaint", "title": "投诉", "priority": "low"}
        ),
        content_type="application/json",
    )
    assert resp.json()["priority"] == "low"  # sent explicitly: kept


def test_api_rules_crud_move_and_dry_run(users, ac_team):
    c = client_for(users["supervisor"])
    resp = c.post(
        "/api/v1/routing/rules",
        json.dumps({"name": "空调", "keywords": "空调", "team": "ac", "assignment": "round_robin"}),
        content_type="application/json",
    )
    assert resp.status_code == 201, resp.content
    rule = resp.json()
    bad = c.post(
        "/api/v1/routing/rules",
        json.dumps(
            {"name": "x", "keywords": "空调", "priority": "high", "assignment": "round_robin"}
        ),
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["code"] == "assignment_needs_team"
    resp = c.patch(
        f"/api/v1/routing/rules/{rule['id']}",
        json.dumps({"version": 1, "priority": "high"}),
        content_type="application/json",
    )
    assert resp.status_code == 200 and resp.json()["priority"] == "high"
    stale = c.patch(
        f"/api/v1/routing/rules/{rule['id']}",
        json.dumps({"version": 1, "priority": "low"}),
        content_type="application/json",
    )
    assert stale.status_code == 409
    test = c.post(
        "/api/v1/routing/test",
        json.dumps(
            {
                "sample": {"title": "中央空调不制冷"},
                "draft": {"name": "草稿", "keywords": "制冷", "team": "ac", "priority": "urgent"},
            }
        ),
        content_type="application/json",
    )
    assert test.status_code == 200, test.content
    out = test.json()
    assert out["matched_rule_name"] == "空调" and out["draft_matches"] is True
    assert out["assignee"] == "ac_wang" and out["priority"] == "high"
    assert [t["matched"] for t in out["trace"]] == [True]
    assert not TeamRotation.objects.exists()
    resp = c.delete(f"/api/v1/routing/rules/{rule['id']}?version=2")
    assert resp.status_code == 204 and not RoutingRule.objects.exists()
    assert client_for(users["agent"]).get("/api/v1/routing/rules").status_code == 403


def test_dry_run_names_the_sla_policy_of_the_routed_case(users, complaint_team):
    from aftersales.sla.models import SlaPolicy

    SlaPolicy.objects.create(
        code="complaint-high",
        name="重大投诉",
        position=1,
        case_types=["complaint"],
        priorities=["high", "urgent"],
    )
    SlaPolicy.objects.create(code="default", name="默认", position=9)
    add_rule(
        users["supervisor"],
        name="投诉",
        case_type="complaint",
        team=complaint_team["team"],
        priority="high",
    )
    c = client_for(users["supervisor"])

    def policy(sample: dict) -> str | None:
        resp = c.post(
            "/api/v1/routing/test", json.dumps({"sample": sample}), content_type="application/json"
        )
        assert resp.status_code == 200, resp.content
        return resp.json()["sla_policy"]

    # the rule raises the priority to high, so the complaint gets the high-priority policy
    assert policy({"case_type": "complaint", "title": "服务态度差"}) == "complaint-high"
    assert policy({"case_type": "repair_request", "title": "空调不制冷"}) == "default"
    page = c.post(
        reverse("routing:rule_test"), {"sample-case_type": "complaint", "sample-title": "投诉"}
    )
    assert "重大投诉" in page.content.decode()
