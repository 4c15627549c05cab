"""Intake keeps the routing rules and SLA policies per process; every edit is still seen by the
next case (the caches are checked against a stamp of their tables on every case)."""

from __future__ import annotations

import pytest

from aftersales.accounts.models import Team
from aftersales.cases.choices import EventKind
from aftersales.cases.models import CaseEvent
from aftersales.conftest import make_case
from aftersales.routing.services import rule_update
from aftersales.sla.models import SlaClock
from aftersales.sla.tests.conftest import make_calendar, make_policy

from .conftest import add_rule

pytestmark = pytest.mark.django_db


def test_rule_edits_reach_the_next_case(users, customers, ac_team):
    sup, agent = users["supervisor"], users["agent"]
    rule = add_rule(sup, name="漏水", keywords="漏水", team=ac_team["team"], priority="high")
    first = make_case(customers["alice"], actor=agent, title="空调漏水")
    assert first.priority == "high" and first.team == ac_team["team"]

    rule = rule_update(
        actor=sup, rule=rule, expected_version=rule.version, changes={"priority": "urgent"}
    )
    Team.objects.filter(pk=ac_team["team"].pk).update(name="空调维修组")
    second = make_case(customers["alice"], actor=agent, title="空调又漏水")
    assert second.priority == "urgent"
    routed = CaseEvent.objects.get(case=second, kind=EventKind.ASSIGNED)
    assert routed.data["routing"]["team_name"] == "空调维修组"  # the team is read fresh

    rule_update(actor=sup, rule=rule, expected_version=rule.version, changes={"is_active": False})
    third = make_case(customers["alice"], actor=agent, title="空调漏水第三次")
    assert third.priority == "normal" and third.team is None
    assert not CaseEvent.objects.filter(case=third, kind=EventKind.ASSIGNED).exists()


def test_policy_edits_reach_the_next_case(users, customers):
    agent = users["agent"]
    make_calendar()
    target = {"kind": "resolution", "duration": "5wd", "end_on": "status"}
    repair = make_policy("repair", position=20, case_types=["repair_request"], targets=[target])
    first = make_case(customers["alice"], actor=agent, title="洗衣机不脱水")
    assert SlaClock.objects.get(case=first).policy == repair

    quick = make_policy(
        "quick", position=10, case_types=["repair_request"], targets=[{**target, "duration": "1wd"}]
    )
    second = make_case(customers["alice"], actor=agent, title="洗衣机不脱水")
    clock = SlaClock.objects.get(case=second)
    assert clock.policy == quick and clock.duration == "1wd"

    quick.is_active = False
    quick.save()
    third = make_case(customers["alice"], actor=agent, title="洗衣机不脱水")
    assert SlaClock.objects.get(case=third).policy == repair

    repair.is_active = False
    repair.save()
    fourth = make_case(customers["alice"], actor=agent, title="洗衣机不脱水")
    assert not SlaClock.objects.filter(case=fourth).exists()
