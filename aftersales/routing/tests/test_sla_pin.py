"""A routing rule's SLA policy sticks to the cases it routes (R1.4 → R2.1)."""

from __future__ import annotations

import pytest

from aftersales.cases.models import CaseEvent
from aftersales.cases.services import case_update
from aftersales.conftest import make_case
from aftersales.core.models import AuditLog
from aftersales.routing.engine import CaseSample
from aftersales.routing.services import route_test
from aftersales.sla.models import CasePolicyPin, SlaClock
from aftersales.sla.services import policy_for_case
from aftersales.sla.tests.conftest import at, frozen, make_calendar, make_policy

from .conftest import add_rule

pytestmark = pytest.mark.django_db


@pytest.fixture
def policies(db):
    """The usual repair policy (5 working days) and a VIP policy whose own conditions only
    match the ``vip`` tier (1 working day; 4 h for urgent)."""
    make_calendar()
    repair = make_policy(
        "repair",
        name="维修标准",
        position=20,
        case_types=["repair_request"],
        targets=[
            {
                "kind": "resolution",
                "duration": "5wd",
                "end_on": "status",
                "end_statuses": ["resolved"],
            }
        ],
    )
    vip = make_policy(
        "vip",
        name="大客户加急",
        position=10,
        customer_tiers=["vip"],
        targets=[
            {
                "kind": "resolution",
                "duration": "4h",
                "priorities": ["urgent"],
                "end_on": "status",
                "end_statuses": ["resolved"],
            },
            {
                "kind": "resolution",
                "duration": "1wd",
                "end_on": "status",
                "end_statuses": ["resolved"],
            },
        ],
    )
    return {"repair": repair, "vip": vip}


def resolution(case) -> SlaClock:
    return SlaClock.objects.get(case=case, kind="resolution")


def test_rule_policy_is_pinned_and_survives_a_priority_change(users, customers, ac_team, policies):
    sup, agent = users["supervisor"], users["agent"]
    add_rule(
        sup, name="空调漏水加急", keywords="漏水", team=ac_team["team"], sla_policy=policies["vip"]
    )
    with frozen(at(2026, 3, 2, 10)) as now:
        case = make_case(customers["alice"], actor=agent, title="空调漏水")
        assert customers["alice"].tier != "vip"  # the VIP policy's own conditions do not hold
        assert CasePolicyPin.objects.get(case=case).policy == policies["vip"]
        clock = resolution(case)
        assert clock.policy == policies["vip"] and clock.duration == "1wd"
        assert clock.due_at == at(2026, 3, 3, 10)
        event = CaseEvent.objects.get(case=case, kind="assigned")
        assert event.data["routing"]["sla_policy_name"] == "大客户加急"
        assert "大客户加急" in event.body
        assert (
            AuditLog.objects.get(action="case.route", object_id=str(case.pk)).after["sla_policy"]
            == policies["vip"].pk
        )
        pin_audit = AuditLog.objects.get(action="sla.policy_pin", object_id=str(case.pk))
        assert pin_audit.after["policy_code"] == "vip" and pin_audit.actor == agent

        now.set(at(2026, 3, 2, 11))
        case = case_update(
            actor=agent, case=case, expected_version=case.version, changes={"priority": "urgent"}
        )
        clock = resolution(case)
        assert clock.policy == policies["vip"] and clock.duration == "4h"
        assert clock.due_at == at(2026, 3, 2, 14)
        assert policy_for_case(case) == policies["vip"]


def test_a_rule_without_policy_leaves_the_sla_choice(users, customers, ac_team, policies):
    add_rule(users["supervisor"], name="空调漏水", keywords="漏水", team=ac_team["team"])
    with frozen(at(2026, 3, 2, 10)):
        case = make_case(customers["alice"], actor=users["agent"], title="空调漏水")
    assert not CasePolicyPin.objects.filter(case=case).exists()
    assert resolution(case).policy == policies["repair"]
    assert resolution(case).due_at == at(2026, 3, 9, 10)
    assert "大客户加急" not in CaseEvent.objects.get(case=case, kind="assigned").body
    assert CaseEvent.objects.get(case=case, kind="assigned").data["routing"]["sla_policy"] is None


def test_a_deactivated_pinned_policy_falls_back_to_the_conditions(
    users, customers, ac_team, policies
):
    add_rule(users["supervisor"], name="漏水", keywords="漏水", sla_policy=policies["vip"])
    with frozen(at(2026, 3, 2, 10)):
        case = make_case(customers["alice"], actor=users["agent"], title="空调漏水")
    assert policy_for_case(case) == policies["vip"]
    policies["vip"].is_active = False
    policies["vip"].save()
    assert policy_for_case(case) == policies["repair"]


def test_test_panel_names_the_pinned_policy(users, customers, ac_team, policies):
    rule = add_rule(users["supervisor"], name="漏水", keywords="漏水", sla_policy=policies["vip"])
    sample = CaseSample.build(case_type="repair_request", title="空调漏水")
    result = route_test(sample=sample)
    assert result.decision.rule == rule
    assert result.sla_policy == policies["vip"] and result.sla_policy_from_rule
    other = route_test(sample=CaseSample.build(case_type="repair_request", title="空调不制冷"))
    assert other.sla_policy == policies["repair"] and not other.sla_policy_from_rule


def test_api_rule_with_policy_create_edit_and_dry_run(users, customers, ac_team, policies):
    import json

    from django.test import Client

    c = Client()
    c.force_login(users["supervisor"])
    resp = c.post(
        "/api/v1/routing/rules",
        json.dumps({"name": "漏水", "keywords": "漏水", "team": "ac", "sla_policy": "vip"}),
        content_type="application/json",
    )
    assert resp.status_code == 201, resp.content
    rule = resp.json()
    assert rule["sla_policy"] == "vip"
    unknown = c.post(
        "/api/v1/routing/rules",
        json.dumps({"name": "x", "keywords": "空调", "team": "ac", "sla_policy": "nope"}),
        content_type="application/json",
    )
    assert unknown.status_code == 422 and unknown.json()["code"] == "unknown_reference"
    # a policy alone is an outcome
    alone = c.post(
        "/api/v1/routing/rules",
        json.dumps({"name": "只定时限", "keywords": "噪音", "sla_policy": "repair"}),
        content_type="application/json",
    )
    assert alone.status_code == 201, alone.content
    test = c.post(
        "/api/v1/routing/test",
        json.dumps({"sample": {"case_type": "repair_request", "title": "空调漏水"}}),
        content_type="application/json",
    )
    assert test.json()["sla_policy"] == "vip" and test.json()["sla_policy_from_rule"] is True
    resp = c.patch(
        f"/api/v1/routing/rules/{rule['id']}",
        json.dumps({"version": 1, "sla_policy": None}),
        content_type="application/json",
    )
    assert resp.status_code == 200 and resp.json()["sla_policy"] is None
    test = c.post(
        "/api/v1/routing/test",
        json.dumps({"sample": {"case_type": "repair_request", "title": "空调漏水"}}),
        content_type="application/json",
    )
    assert test.json()["sla_policy"] == "repair" and test.json()["sla_policy_from_rule"] is False
    audit = AuditLog.objects.filter(action="routing.rule_update").latest("id")
    assert audit.before["sla_policy"] == policies["vip"].pk and audit.after["sla_policy"] is None


def test_editor_list_and_test_panel_name_the_policy(users, ac_team, policies):
    from django.test import Client
    from django.urls import reverse

    c = Client()
    c.force_login(users["supervisor"])
    post = {
        "name": "漏水加急",
        "is_active": "on",
        "keywords": "漏水",
        "keyword_mode": "any",
        "team": ac_team["team"].pk,
        "assignment": "none",
        "sla_policy": policies["vip"].pk,
        "with_draft": "1",
        "sample-case_type": "repair_request",
        "sample-title": "卧室空调漏水",
    }
    editor = c.get(reverse("routing:rule_new")).content.decode()
    assert 'name="sla_policy"' in editor and "大客户加急" in editor
    tested = c.post(reverse("routing:rule_test"), post)
    body = tested.content.decode()
    assert tested.status_code == 200 and 'data-testid="test-policy-from-rule"' in body
    assert "大客户加急" in body
    saved = c.post(
        reverse("routing:rule_new"), {**post, "action": "save", "tested": tested.context["token"]}
    )
    assert saved.status_code == 302
    from aftersales.routing.models import RoutingRule

    assert RoutingRule.objects.get().sla_policy == policies["vip"]
    listing = c.get(reverse("routing:rule_list")).content.decode()
    assert 'data-testid="rule-sla-policy"' in listing and "大客户加急" in listing
