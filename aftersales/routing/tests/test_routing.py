"""Routing new cases by ordered rules (R1.4): matching, outcome, assignment, timeline, audit."""

from __future__ import annotations

import pytest

from aftersales.cases.models import Case, CaseCategory, CaseEvent
from aftersales.conftest import make_case
from aftersales.core.errors import InvalidInput
from aftersales.core.models import AuditLog
from aftersales.routing.engine import CaseSample, keyword_found, rule_match, segment_words
from aftersales.routing.models import RoutingRule, TeamRotation

from .conftest import add_rule

pytestmark = pytest.mark.django_db


# --- matching ---------------------------------------------------------------------------------


def test_chinese_keywords_match_segmented_words_not_substrings():
    words = segment_words("客厅的中央空调漏水了")
    assert keyword_found("空调", words)  # found inside 中央空调 by search-mode segmentation
    assert keyword_found("漏水", words)
    assert keyword_found("空调漏水", words)  # a phrase: each of its words is there
    assert not keyword_found("冰箱", words)
    assert not keyword_found("水", segment_words("水平不对"))  # 水 is not a word of 水平


def test_all_set_conditions_must_match():
    rule = RoutingRule(
        name="r", case_type="repair_request", keywords="空调 漏水", keyword_mode="all"
    )
    leak = CaseSample.build(case_type="repair_request", title="空调漏水")
    assert rule_match(rule, leak).matched
    assert [r["condition"] for r in rule_match(rule, leak).reasons] == ["case_type", "keywords"]
    assert not rule_match(rule, CaseSample.build(case_type="repair_request", title="空调不制冷"))
    assert not rule_match(rule, CaseSample.build(case_type="complaint", title="空调漏水")).matched
    rule.keyword_mode = "any"
    assert rule_match(rule, CaseSample.build(case_type="repair_request", title="空调不制冷"))
    rule = RoutingRule(name="r", product_line="空调", region="上海")
    sample = CaseSample.build(product_line="空调", region_parts=["上海市", "上海市", "浦东新区"])
    assert rule_match(rule, sample).matched
    assert not rule_match(rule, CaseSample.build(product_line="冰箱", region_parts=["上海市"]))
    assert not rule_match(rule, CaseSample.build(product_line="空调", region_parts=["北京市"]))


# --- routing new cases ----------------------------------------------------------------------


def test_first_matching_rule_sets_team_priority_and_is_on_the_timeline(
    users, customers, ac_team, complaint_team
):
    sup = users["supervisor"]
    add_rule(sup, name="投诉", case_type="complaint", team=complaint_team["team"], priority="high")
    add_rule(sup, name="空调漏水", keywords="空调 漏水", keyword_mode="all", team=ac_team["team"])
    add_rule(sup, name="其他空调", product_line="空调", team=users["agent"].teams.first())

    leak = make_case(customers["alice"], actor=users["agent"], title="客厅空调漏水")
    assert leak.team == ac_team["team"] and leak.priority == "normal" and leak.assignee is None
    event = CaseEvent.objects.get(case=leak, kind="assigned")
    assert event.actor is None and not event.is_public
    assert event.data["routing"]["rule_name"] == "空调漏水"
    assert event.data["routing"]["reasons"] == [{"condition": "keywords", "value": "空调 漏水"}]
    audit = AuditLog.objects.get(action="case.route", object_id=str(leak.pk))
    assert audit.actor == users["agent"] and audit.after["rule_name"] == "空调漏水"
    assert audit.after["team"] == ac_team["team"].pk

    complaint = make_case(customers["bob"], case_type="complaint", title="空调漏水没人管")
    assert complaint.team == complaint_team["team"] and complaint.priority == "high"

    other = make_case(customers["bob"], title="空调噪音大")  # asset's line is 空调
    assert other.team == users["agent"].teams.first()
    assert CaseEvent.objects.get(case=other, kind="assigned").data["routing"]["reasons"] == [
        {"condition": "product_line", "value": "空调"}
    ]


def test_what_the_agent_chose_is_kept(users, customers, ac_team, org):
    add_rule(
        users["supervisor"], name="漏水", keywords="漏水", team=ac_team["team"], priority="urgent"
    )
    case = make_case(customers["alice"], title="漏水", priority="low")
    assert case.priority == "low" and case.team == ac_team["team"]
    case = make_case(customers["alice"], title="漏水", team=org["team_b"])
    assert case.team == org["team_b"] and case.priority == "urgent"
    case = make_case(customers["alice"], title="漏水", team=org["team_b"], priority="low")
    assert not CaseEvent.objects.filter(case=case, kind="assigned").exists()


def test_no_match_is_recorded_and_no_rules_means_no_routing(users, customers, ac_team):
    plain = make_case(customers["alice"], title="咨询保修")
    assert not CaseEvent.objects.filter(case=plain, kind="assigned").exists()
    add_rule(users["supervisor"], name="冰箱", keywords="冰箱", team=ac_team["team"])
    case = make_case(customers["alice"], title="咨询保修")
    assert case.team is None and case.priority == "normal"
    event = CaseEvent.objects.get(case=case, kind="assigned")
    assert event.data["routing"]["rule"] is None
    assert AuditLog.objects.filter(action="case.route", object_id=str(case.pk)).exists()


def test_round_robin_takes_turns_and_wraps(users, customers, ac_team):
    add_rule(
        users["supervisor"],
        name="空调",
        keywords="空调",
        team=ac_team["team"],
        assignment="round_robin",
    )
    got = [make_case(customers["alice"], title=f"空调故障 {i}").assignee for i in range(4)]
    a1, a2, a3 = ac_team["agents"]
    assert got == [a1, a2, a3, a1]
    rotation = TeamRotation.objects.get(team=ac_team["team"])
    assert rotation.last_assignee == a1 and rotation.turns == 4
    event = CaseEvent.objects.filter(kind="assigned").last()
    assert event.data["routing"]["pick"] == "round_robin"
    assert event.data["assignee_name"] == str(a1)


def test_least_loaded_picks_fewest_open_cases(users, customers, ac_team):
    a1, a2, a3 = ac_team["agents"]
    team = ac_team["team"]
    for agent, n in ((a1, 2), (a2, 1), (a3, 3)):
        for i in range(n):
            make_case(
                customers["bob"], title=f"旧单 {i}", team=team, assignee=agent, priority="normal"
            )
    closed = Case.objects.filter(assignee=a3)[:2]
    Case.objects.filter(pk__in=[c.pk for c in closed]).update(status="closed")  # a3 now has 1
    add_rule(
        users["supervisor"], name="空调", keywords="空调", team=team, assignment="least_loaded"
    )
    first = make_case(customers["alice"], title="空调不制冷")
    assert first.assignee == a2  # a2 and a3 have 1 open case; a2 has the lower id
    second = make_case(customers["alice"], title="空调不制冷")
    assert second.assignee == a3
    third = make_case(customers["alice"], title="空调不制冷")
    assert third.assignee in (a1, a2, a3) and third.assignee != a3


def test_nobody_available_leaves_the_case_in_the_team_queue(users, customers, ac_team):
    for agent in ac_team["agents"]:
        agent.is_active = False
        agent.save()
    add_rule(
        users["supervisor"],
        name="空调",
        keywords="空调",
        team=ac_team["team"],
        assignment="round_robin",
    )
    case = make_case(customers["alice"], title="空调不制冷")
    assert case.team == ac_team["team"] and case.assignee is None
    event = CaseEvent.objects.get(case=case, kind="assigned")
    assert event.data["routing"]["pick"] == "nobody_available"


def test_routed_assignee_is_told(users, customers, ac_team):
    from aftersales.notifications.models import Notification

    add_rule(
        users["supervisor"],
        name="空调",
        keywords="空调",
        team=ac_team["team"],
        assignment="round_robin",
    )
    case = make_case(customers["alice"], actor=users["agent"], title="空调不制冷")
    assert case.assignee == ac_team["agents"][0]
    assert Notification.objects.filter(case=case, recipient_user=case.assignee).exists()


# --- editing rules --------------------------------------------------------------------------


def test_rule_validation_refuses_and_changes_nothing(users, ac_team):
    sup = users["supervisor"]
    bad = [
        ({"name": "", "keywords": "空调", "team": ac_team["team"]}, "name_required"),
        ({"name": "x", "team": ac_team["team"]}, "condition_required"),
        ({"name": "x", "keywords": "空调"}, "outcome_required"),
        (
            {"name": "x", "keywords": "空调", "priority": "high", "assignment": "round_robin"},
            "assignment_needs_team",
        ),
        ({"name": "x", "keywords": "空调", "priority": "soon"}, "invalid_choice"),
    ]
    for fields, code in bad:
        with pytest.raises(InvalidInput) as exc:
            add_rule(sup, **fields)
        assert exc.value.code == code
    cat = CaseCategory.objects.create(code="noise", name="噪音", case_type="repair_request")
    with pytest.raises(InvalidInput) as exc:
        add_rule(sup, name="x", case_type="complaint", category=cat, team=ac_team["team"])
    assert exc.value.code == "category_mismatch"
    assert not RoutingRule.objects.exists()
    assert not AuditLog.objects.filter(action__startswith="routing.").exists()


def test_rule_update_is_versioned_and_audited(users, ac_team):
    from aftersales.core.errors import VersionConflict
    from aftersales.routing.services import rule_update

    sup = users["supervisor"]
    rule = add_rule(sup, name="空调", keywords="空调", team=ac_team["team"])
    rule = rule_update(actor=sup, rule=rule, expected_version=1, changes={"keywords": "空调，漏水"})
    assert rule.keywords == "空调 漏水" and rule.version == 2
    audit = AuditLog.objects.get(action="routing.rule_update")
    assert audit.before["keywords"] == "空调" and audit.after["keywords"] == "空调 漏水"
    stale = RoutingRule.objects.get(pk=rule.pk)
    stale.version = 1
    with pytest.raises(VersionConflict):
        rule_update(actor=sup, rule=stale, expected_version=1, changes={"name": "旧"})
    assert RoutingRule.objects.get(pk=rule.pk).name == "空调"


def test_rule_move_reorders(users, ac_team):
    from aftersales.routing.services import rule_move

    sup = users["supervisor"]
    r1, _r2, r3 = (add_rule(sup, name=n, keywords=n, team=ac_team["team"]) for n in "甲乙丙")
    rule_move(actor=sup, rule=r3, direction="up")
    assert list(RoutingRule.objects.values_list("name", flat=True)) == ["甲", "丙", "乙"]
    rule_move(actor=sup, rule=r1, direction="up")  # already first: nothing moves
    rule_move(actor=sup, rule=r1, direction="down")
    assert list(RoutingRule.objects.values_list("name", flat=True)) == ["丙", "甲", "乙"]
    assert AuditLog.objects.filter(action="routing.rule_move").count() == 3


# --- working calendars and absences ---------------------------------------------------------


def test_absent_agents_are_skipped(users, customers, ac_team):
    import datetime as dt

    from aftersales.calendars.models import StaffAbsence

    from .conftest import WORKING_INSTANT

    a1, a2, _a3 = ac_team["agents"]
    StaffAbsence.objects.create(
        user=a1,
        start=WORKING_INSTANT - dt.timedelta(hours=2),
        end=WORKING_INSTANT + dt.timedelta(hours=6),
        reason="年假",
    )
    add_rule(
        users["supervisor"],
        name="空调",
        keywords="空调",
        team=ac_team["team"],
        assignment="round_robin",
    )
    case = make_case(customers["alice"], title="空调不制冷")
    assert case.assignee == a2
    skipped = CaseEvent.objects.get(case=case, kind="assigned").data["routing"]["skipped"]
    assert skipped == [{"user": a1.username, "name": str(a1), "why": "absent"}]


def test_outside_working_hours_nobody_is_assigned(users, customers, ac_team, monkeypatch):
    import datetime as dt
    from zoneinfo import ZoneInfo

    from aftersales.routing import assignment

    sunday_night = dt.datetime(2026, 3, 8, 23, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    monkeypatch.setattr(assignment, "routing_now", lambda: sunday_night)
    add_rule(
        users["supervisor"],
        name="空调",
        keywords="空调",
        team=ac_team["team"],
        assignment="least_loaded",
    )
    case = make_case(customers["alice"], title="空调不制冷")
    assert case.team == ac_team["team"] and case.assignee is None
    data = CaseEvent.objects.get(case=case, kind="assigned").data["routing"]
    assert data["pick"] == "nobody_available"
    assert {s["why"] for s in data["skipped"]} == {"off_hours"}
