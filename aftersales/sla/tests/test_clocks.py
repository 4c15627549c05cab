"""Clocks on cases, driven through the case services with a clock that stands still."""

from __future__ import annotations

import datetime as dt

import pytest

from aftersales.calendars.services import calendar_for
from aftersales.calendars.worktime import Duration
from aftersales.cases.models import Case, CaseEvent
from aftersales.cases.services import case_reply, case_transition, case_update
from aftersales.conftest import make_case
from aftersales.core.errors import InvalidInput
from aftersales.core.models import AuditLog
from aftersales.sla.models import SlaClock
from aftersales.sla.services import sla_milestone_record

from .conftest import add_year, at, make_calendar, make_policy

pytestmark = pytest.mark.django_db


def clocks(case) -> dict[str, SlaClock]:
    return {c.kind: c for c in SlaClock.objects.filter(case=case)}


def kinds(case) -> list[str]:
    return list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))


@pytest.mark.parametrize(
    ("pause_from", "pause_to"),
    [
        (at(2026, 3, 3, 10), at(2026, 3, 6, 10)),  # Tuesday → Friday
        (at(2026, 3, 5, 10), at(2026, 3, 10, 10)),  # Thursday → Tuesday, over the weekend
        (at(2026, 3, 4, 17, 30), at(2026, 3, 9, 17, 30)),  # Wednesday → Monday, end of day
    ],
)
def test_waiting_for_parts_three_working_days_moves_resolution_by_three_working_days(
    repair_policy, calendar, users, customers, org, clock_at, pause_from, pause_to
):
    cal = calendar_for(calendar)
    assert cal.between(pause_from, pause_to) == dt.timedelta(hours=24)  # 3 working days
    now = clock_at(at(2026, 3, 2, 10))  # Monday 10:00
    agent = users["agent"]
    case = make_case(customers["alice"], actor=agent, team=org["team_a"])
    resolution = clocks(case)["resolution"]
    assert resolution.due_at == at(2026, 3, 9, 10)  # 5 working days
    assert resolution.calendar_id == calendar.pk and not resolution.estimated
    before = resolution.due_at

    now.set(at(2026, 3, 2, 11))
    case = case_transition(actor=agent, case=case, to_status="in_progress")
    now.set(pause_from)
    case = case_transition(actor=agent, case=case, to_status="waiting_third_party", reason="等配件")
    paused = clocks(case)["resolution"]
    assert paused.state == "paused" and paused.pause_reason == "waiting_parts"
    assert paused.next_check_at is None
    assert clocks(case)["first_response"].state == "running"  # not pausable

    now.set(pause_to)
    case = case_transition(actor=agent, case=case, to_status="in_progress")
    resumed = clocks(case)["resolution"]
    assert resumed.state == "running"
    assert resumed.paused_seconds == 24 * 3600
    assert resumed.due_at == cal.add(before, Duration("working_days", 3))
    assert cal.between(before, resumed.due_at) == dt.timedelta(hours=24)
    history = list(resumed.history.values_list("kind", flat=True))
    assert history == ["started", "paused", "resumed"]
    assert {"sla_started", "sla_paused", "sla_resumed"} <= set(kinds(case))
    assert AuditLog.objects.filter(action="sla.clocks", object_id=str(case.pk)).count() == 2
    assert Case.objects.get(pk=case.pk).sla_due_at == clocks(case)["first_response"].due_at


def test_first_reply_meets_first_response_and_resolution_meets_on_resolved(
    repair_policy, users, customers, org, clock_at
):
    now = clock_at(at(2026, 3, 2, 10))
    agent = users["agent"]
    case = make_case(customers["alice"], actor=agent, team=org["team_a"])
    now.set(at(2026, 3, 2, 15))
    case_reply(actor=agent, case=case, body="您好，我们明天上门。")
    first = clocks(case)["first_response"]
    assert (first.state, first.met_at) == ("met", at(2026, 3, 2, 15))
    case.refresh_from_db()
    running = [c.due_at for c in clocks(case).values() if c.state == "running"]
    assert case.sla_due == min(running) == at(2026, 3, 3, 10)  # the nearest still running

    now.set(at(2026, 3, 12, 10))  # after the 5 working days
    case = case_transition(actor=agent, case=case, to_status="in_progress")
    case = case_transition(actor=agent, case=case, to_status="resolved", reason="更换压缩机")
    resolution = clocks(case)["resolution"]
    assert resolution.state == "breached"  # met late
    assert resolution.breached_at == at(2026, 3, 9, 10)
    assert resolution.met_at == at(2026, 3, 12, 10)
    assert clocks(case)["milestone"].state == "running"  # ends on its milestone only
    case.refresh_from_db()
    assert case.sla_due == clocks(case)["milestone"].due_at


def test_cancelling_stops_every_clock(repair_policy, users, customers, org, clock_at):
    clock_at(at(2026, 3, 2, 10))
    case = make_case(customers["alice"], actor=users["agent"], team=org["team_a"])
    case_transition(actor=users["agent"], case=case, to_status="cancelled", reason="客户撤销")
    assert {c.state for c in clocks(case).values()} == {"cancelled"}
    assert set(SlaClock.objects.filter(case=case).values_list("next_check_at", flat=True)) == {None}
    case.refresh_from_db()
    assert case.sla_due is None


def test_priority_change_recomputes_and_says_so_on_the_timeline(
    repair_policy, users, customers, org, clock_at
):
    now = clock_at(at(2026, 3, 2, 10))
    agent = users["agent"]
    case = make_case(customers["alice"], actor=agent, team=org["team_a"])
    assert clocks(case)["resolution"].due_at == at(2026, 3, 9, 10)
    now.set(at(2026, 3, 2, 14))
    case = case_update(
        actor=agent, case=case, expected_version=case.version, changes={"priority": "urgent"}
    )
    resolution = clocks(case)["resolution"]
    assert resolution.due_at == at(2026, 3, 5, 10)  # 3 working days from the opening
    assert resolution.duration == "3wd"
    event = CaseEvent.objects.filter(case=case, kind="sla_recomputed").get()
    line = next(c for c in event.data["clocks"] if c["kind"] == "resolution")
    assert line["before"]["due_at"] == at(2026, 3, 9, 10).isoformat()
    assert line["due_at"] == at(2026, 3, 5, 10).isoformat()
    # a change that does not touch the classification recomputes nothing
    case = case_update(
        actor=agent, case=case, expected_version=case.version, changes={"title": "空调漏水"}
    )
    assert CaseEvent.objects.filter(case=case, kind="sla_recomputed").count() == 1


def test_type_policies_match_in_order_and_complaint_verification_ends_on_status(
    calendar, users, customers, org, clock_at
):
    make_policy(
        "complaint",
        case_types=["complaint"],
        position=1,
        targets=[
            {
                "kind": "verification",
                "duration": "24h",
                "end_on": "status",
                "end_statuses": ["in_progress", "waiting_customer", "rejected"],
            },
        ],
    )
    make_policy(
        "catch-all",
        position=2,
        targets=[{"kind": "first_response", "duration": "24h", "end_on": "first_reply"}],
    )
    now = clock_at(at(2026, 3, 2, 10))
    officer = users["complaint_officer"]
    complaint = make_case(customers["alice"], actor=officer, case_type="complaint", asset=None)
    consult = make_case(customers["bob"], actor=officer, case_type="consultation", asset=None)
    assert set(clocks(complaint)) == {"verification"}
    assert set(clocks(consult)) == {"first_response"}
    assert clocks(complaint)["verification"].due_at == at(2026, 3, 3, 10)
    now.set(at(2026, 3, 2, 16))
    complaint = case_transition(actor=officer, case=complaint, to_status="verifying")
    assert clocks(complaint)["verification"].state == "running"
    complaint = case_transition(actor=officer, case=complaint, to_status="in_progress")
    assert clocks(complaint)["verification"].state == "met"


def test_a_case_no_policy_matches_has_no_clocks(calendar, users, customers, org):
    case = make_case(customers["alice"], actor=users["agent"], team=org["team_a"])
    assert not SlaClock.objects.filter(case=case).exists()
    assert "sla_started" not in kinds(case)
    assert Case.objects.get(pk=case.pk).sla_due is None


def test_milestone_meets_the_targets_that_end_on_it(repair_policy, users, customers, org, clock_at):
    now = clock_at(at(2026, 3, 2, 10))
    case = make_case(customers["alice"], actor=users["agent"], team=org["team_a"])
    now.set(at(2026, 3, 3, 9, 30))
    met = sla_milestone_record(
        case=case,
        milestone_code="onsite_arrival",
        at=at(2026, 3, 3, 9, 15),
        actor=users["technician"],
    )
    assert [c.kind for c in met] == ["milestone"]
    milestone = clocks(case)["milestone"]
    assert (milestone.state, milestone.met_at) == ("met", at(2026, 3, 3, 9, 15))
    assert "sla_milestone" in kinds(case)
    for bad in ("", "到达 现场", "x" * 41):
        with pytest.raises(InvalidInput):
            sla_milestone_record(case=case, milestone_code=bad, actor=users["agent"])
    with pytest.raises(InvalidInput):
        sla_milestone_record(
            case=case, milestone_code="onsite_arrival", at=at(2026, 3, 4, 9), actor=None
        )
    with pytest.raises(InvalidInput):
        sla_milestone_record(
            case=case, milestone_code="onsite_arrival", at=at(2026, 3, 1, 9), actor=None
        )


def test_unknown_year_gives_an_estimated_deadline_until_the_year_is_entered(
    repair_policy, calendar, users, customers, org, clock_at, django_capture_on_commit_callbacks
):
    now = clock_at(at(2026, 12, 28, 10))  # Monday; 5 working days reach into 2027
    agent = users["agent"]
    case = make_case(customers["alice"], actor=agent, team=org["team_a"])
    other = make_case(customers["bob"], actor=agent, team=org["team_b"], title="洗衣机漏水")
    resolution = clocks(case)["resolution"]
    assert resolution.estimated
    assert resolution.due_at == at(2027, 1, 2, 10)  # natural time: 5 × 24 h
    first = clocks(case)["first_response"]
    assert not first.estimated  # 24 h natural never needs the calendar

    now.set(at(2026, 12, 29, 9))
    with django_capture_on_commit_callbacks(execute=True):
        add_year(calendar, 2027)
    resolution = clocks(case)["resolution"]
    assert not resolution.estimated
    assert resolution.due_at == at(2027, 1, 4, 10)  # Mon 28 Dec + 5 working days
    for c in (case, other):
        event = CaseEvent.objects.filter(case=c, kind="sla_recomputed").get()
        assert event.data["reason"] == "calendar"
    assert clocks(other)["resolution"].due_at == at(2027, 1, 4, 10)


def test_closed_cases_are_not_recomputed_when_a_calendar_changes(
    repair_policy, calendar, users, customers, org, clock_at, django_capture_on_commit_callbacks
):
    now = clock_at(at(2026, 12, 28, 10))
    agent = users["agent"]
    case = make_case(customers["alice"], actor=agent, team=org["team_a"])
    case = case_transition(actor=agent, case=case, to_status="cancelled", reason="重复")
    now.set(at(2026, 12, 29, 9))
    with django_capture_on_commit_callbacks(execute=True):
        add_year(calendar, 2027)
    assert not CaseEvent.objects.filter(case=case, kind="sla_recomputed").exists()
    assert clocks(case)["resolution"].estimated  # kept as it was when it stopped


def test_a_second_calendar_counts_only_its_own_clocks(users, customers, org, clock_at):
    standard = make_calendar("standard")
    workshop = make_calendar("workshop", default=False)
    make_policy(
        "repair",
        case_types=["repair_request"],
        calendar=workshop,
        targets=[
            {
                "kind": "resolution",
                "duration": "1wd",
                "end_on": "status",
                "end_statuses": ["resolved"],
            }
        ],
    )
    clock_at(at(2026, 3, 2, 10))
    case = make_case(customers["alice"], actor=users["agent"], team=org["team_a"])
    assert clocks(case)["resolution"].calendar_id == workshop.pk != standard.pk
