"""The sweep and the escalation matrix, with a controlled clock (``now=``)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aftersales.cases.models import CaseEvent
from aftersales.cases.services import case_reply
from aftersales.conftest import make_case
from aftersales.core.testing import run_concurrently
from aftersales.notifications.models import Notification
from aftersales.sla.models import EscalationContact, EscalationDelivery, EscalationNotice, SlaClock
from aftersales.sla.sweep import _insert_notices, sla_sweep

from .conftest import at, make_calendar, make_policy


def complaint_policy():
    """Unacknowledged complaints: first response within 24 h; 75 % → the owner, 100 % → the
    team lead, +4 working hours → the department head, +1 working day → the service manager."""
    return make_policy(
        "complaint",
        case_types=["complaint"],
        targets=[{"kind": "first_response", "duration": "24h", "end_on": "first_reply"}],
        levels=[
            {
                "trigger": "share",
                "share_percent": 75,
                "recipients": ["owner"],
                "channels": ["email", "in_app"],
            },
            {
                "trigger": "share",
                "share_percent": 100,
                "recipients": ["team_lead"],
                "channels": ["email"],
            },
            {
                "trigger": "past_due",
                "past_due": "4wh",
                "recipients": ["department_head"],
                "channels": ["email"],
            },
            {
                "trigger": "past_due",
                "past_due": "1wd",
                "recipients": ["service_manager"],
                "channels": ["email"],
            },
        ],
    )


@pytest.fixture
def escalation_world(users, customers, org, clock_at):
    make_calendar()
    complaint_policy()
    team = org["team_a"]
    team.lead = users["dispatcher"]
    team.save()
    org["department"].head = users["auditor"]
    org["department"].save()
    EscalationContact.objects.create(role="service_manager", user=users["supervisor"])
    clock_at(at(2026, 3, 2, 10))  # Monday 10:00
    case = make_case(
        customers["alice"],
        case_type="complaint",
        asset=None,
        team=team,
        assignee=users["complaint_officer"],
        title="维修人员态度差",
    )
    return {"case": case, "users": users}


def sent_to(user, case=None) -> list[str]:
    qs = Notification.objects.filter(recipient_user=user, template="sla_escalation")
    if case is not None:
        qs = qs.filter(case=case)
    return sorted(qs.values_list("channel", flat=True))


def escalate_through_a_day(world) -> None:
    case, users = world["case"], world["users"]
    owner, lead = users["complaint_officer"], users["dispatcher"]
    head, manager = users["auditor"], users["supervisor"]
    clock = SlaClock.objects.get(case=case)
    assert clock.due_at == at(2026, 3, 3, 10)
    assert clock.next_check_at == at(2026, 3, 3, 4)  # 75 % of 24 h

    assert sla_sweep(now=at(2026, 3, 3, 3, 59)).clocks == 0
    result = sla_sweep(now=at(2026, 3, 3, 4))  # 04:00: the owner's notice is held
    assert (result.notices, result.held, result.queued) == (1, 1, 0)
    assert sent_to(owner) == []
    delivery = EscalationDelivery.objects.get(user=owner)
    assert delivery.hold_until == at(2026, 3, 3, 9)
    assert sla_sweep(now=at(2026, 3, 3, 8, 59)).released == 0
    assert sla_sweep(now=at(2026, 3, 3, 9)).released == 1
    assert sent_to(owner) == ["email", "in_app"]

    result = sla_sweep(now=at(2026, 3, 3, 10))  # due: breached, the lead hears at once
    assert (result.breached, result.notices, result.queued) == (1, 1, 1)
    assert sent_to(lead) == ["email"]
    clock.refresh_from_db()
    assert clock.state == "breached" and clock.breached_at == at(2026, 3, 3, 10)
    assert clock.next_check_at == at(2026, 3, 3, 15)  # 10–12, 13–15: four working hours

    assert sla_sweep(now=at(2026, 3, 3, 14, 59)).notices == 0
    assert sla_sweep(now=at(2026, 3, 3, 15)).notices == 1
    assert sent_to(head) == ["email"]
    assert sla_sweep(now=at(2026, 3, 4, 10)).notices == 1  # one working day past due
    assert sent_to(manager) == ["email"]
    clock.refresh_from_db()
    assert clock.next_check_at is None  # nothing left to do until the case changes


@pytest.mark.django_db
def test_unacknowledged_complaint_escalates_owner_lead_head_manager_each_once(escalation_world):
    escalate_through_a_day(escalation_world)
    case, users = escalation_world["case"], escalation_world["users"]
    for _ in range(3):  # repeated sweeps, later ones too, send nothing again
        result = sla_sweep(now=at(2026, 3, 5, 10))
        assert (result.clocks, result.notices, result.released) == (0, 0, 0)
    assert EscalationNotice.objects.filter(case=case).count() == 4
    for role, channels in (
        ("complaint_officer", ["email", "in_app"]),
        ("dispatcher", ["email"]),
        ("auditor", ["email"]),
        ("supervisor", ["email"]),
    ):
        assert sent_to(users[role], case) == channels
    kinds = list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds.count("sla_escalated") == 4 and kinds.count("sla_breached") == 1
    assert Notification.objects.filter(template="sla_escalation").count() == 5


@pytest.mark.django_db
def test_a_reply_in_time_stops_the_escalation(escalation_world, clock_at):
    case, users = escalation_world["case"], escalation_world["users"]
    sla_sweep(now=at(2026, 3, 3, 4))  # the owner's warning is held for the night
    clock_at(at(2026, 3, 3, 8, 30))
    case_reply(actor=users["complaint_officer"], case=case, body="您好，我们已收到您的投诉。")
    clock = SlaClock.objects.get(case=case)
    assert clock.state == "met" and clock.next_check_at is None
    result = sla_sweep(now=at(2026, 3, 3, 9))
    assert result.released == 0
    assert EscalationDelivery.objects.get().state == "skipped"
    assert sla_sweep(now=at(2026, 3, 5, 10)).notices == 0
    assert Notification.objects.filter(template="sla_escalation").count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(("priority", "held"), [("normal", True), ("urgent", False)])
def test_a_staff_notice_due_at_two_at_night_waits_for_working_hours_unless_urgent(
    users, customers, org, clock_at, priority, held, django_capture_on_commit_callbacks, mailoutbox
):
    make_calendar()
    complaint_policy()
    owner = users["complaint_officer"]
    clock_at(at(2026, 3, 2, 8))  # 75 % of 24 h falls on Tuesday 02:00
    case = make_case(
        customers["alice"], case_type="complaint", asset=None, assignee=owner, priority=priority
    )
    assert SlaClock.objects.get(case=case).next_check_at == at(2026, 3, 3, 2)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        result = sla_sweep(now=at(2026, 3, 3, 2))
    assert result.notices == 1
    if held:
        assert (result.held, result.queued) == (1, 0)
        assert sent_to(owner) == [] and mailoutbox == []
        assert EscalationDelivery.objects.get().hold_until == at(2026, 3, 3, 9)
        assert sla_sweep(now=at(2026, 3, 3, 8, 59)).released == 0
        with django_capture_on_commit_callbacks(execute=True):
            assert sla_sweep(now=at(2026, 3, 3, 9)).released == 1
    else:
        assert (result.held, result.queued) == (0, 1)
    assert sent_to(owner) == ["email", "in_app"]
    note = Notification.objects.get(
        recipient_user=owner, channel="email", template="sla_escalation"
    )
    assert case.number in note.subject and note.state == "sent"
    assert [m.to for m in mailoutbox] == [[owner.email]]


@pytest.mark.django_db
def test_the_sweep_reads_only_due_clocks(users, customers, org, clock_at):
    make_calendar()
    complaint_policy()
    clock_at(at(2026, 3, 2, 10))
    for i in range(12):
        make_case(customers["alice"], case_type="complaint", asset=None, title=f"投诉 {i}")
    clock_at(at(2026, 3, 2, 11))
    due = make_case(customers["bob"], case_type="complaint", asset=None, assignee=users["agent"])
    SlaClock.objects.filter(case=due).update(next_check_at=at(2026, 3, 2, 11))  # due alone
    with CaptureQueriesContext(connection) as queries:
        result = sla_sweep(now=at(2026, 3, 2, 11))
    assert (result.clocks, result.notices) == (1, 0)
    assert SlaClock.objects.get(case=due).next_check_at == at(2026, 3, 3, 5)  # put right
    assert len(queries) <= 25
    claim = next(q["sql"] for q in queries if 'FROM "sla_slaclock"' in q["sql"])
    assert '"sla_slaclock"."next_check_at" <=' in claim and "LIMIT" in claim


# --- two sweeps at the same time -------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_announce_each_level_once(escalation_world):
    case, users = escalation_world["case"], escalation_world["users"]
    for moment in (
        at(2026, 3, 3, 4),
        at(2026, 3, 3, 9),
        at(2026, 3, 3, 10),
        at(2026, 3, 3, 15),
        at(2026, 3, 4, 10),
    ):
        results = run_concurrently(2, lambda i, m=moment: sla_sweep(now=m))
        errors = [r for r in results if isinstance(r, Exception)]
        assert not errors, errors
    assert EscalationNotice.objects.filter(case=case).count() == 4
    assert EscalationDelivery.objects.count() == 4
    for role, channels in (
        ("complaint_officer", ["email", "in_app"]),
        ("dispatcher", ["email"]),
        ("auditor", ["email"]),
        ("supervisor", ["email"]),
    ):
        assert sent_to(users[role], case) == channels
    assert CaseEvent.objects.filter(case=case, kind="sla_escalated").count() == 4


@pytest.mark.django_db(transaction=True)
def test_concurrent_inserts_of_one_notice_have_one_winner(escalation_world):
    """Even two sweeps that both read the clock as due (no row lock) insert a level once."""
    from aftersales.sla.models import EscalationLevel

    clock = SlaClock.objects.get(case=escalation_world["case"])
    level = EscalationLevel.objects.order_by("position").first()
    row = [(clock.pk, level.pk, clock.case_id, at(2026, 3, 3, 4))]

    def insert(i: int):
        from django.db import transaction

        with transaction.atomic():
            return _insert_notices(row, at(2026, 3, 3, 4))

    results = run_concurrently(4, insert)
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    assert sorted(len(r) for r in results) == [0, 0, 0, 1]
    assert EscalationNotice.objects.count() == 1
