"""The case life-cycle hooks: consumers run in their declared order, inside the service's
transaction, and roll back with it; the services emit one domain event per change."""

from __future__ import annotations

import pytest
from django.db import connection

from aftersales.cases import hooks
from aftersales.cases.models import Case, CaseEvent
from aftersales.cases.services import case_assign, case_note, case_reply, case_transition
from aftersales.conftest import make_case
from aftersales.core.models import AuditLog, DomainEvent
from aftersales.search.models import SearchEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def spy():
    """A fake consumer registered between routing (10) and search (20), and one after SLA."""
    calls: list[tuple[str, object, bool]] = []

    def early(p):
        calls.append(("early", type(p).__name__, connection.in_atomic_block))

    def late(p):
        calls.append(("late", type(p).__name__, connection.in_atomic_block))

    for hook in hooks.ALL_HOOKS:
        hook.register(early, name="test-early", order=15)
        hook.register(late, name="test-late", order=99)
    yield calls
    for hook in hooks.ALL_HOOKS:
        hook.unregister("test-early")
        hook.unregister("test-late")


def test_consumers_of_today_are_registered_in_the_declared_order():
    assert hooks.case_opened.names() == ["routing", "search", "sla"]
    assert hooks.status_changed.names() == ["search", "sla"]
    assert hooks.replied.names() == ["search", "sla"]
    assert hooks.route_new_case.provider_name == "routing"


def test_a_fake_consumer_is_called_in_order_inside_the_transaction(spy, customers, users, org):
    case = make_case(customers["alice"], team=org["team_a"])
    assert spy == [("early", "CaseOpened", True), ("late", "CaseOpened", True)]
    assert hooks.case_opened.names() == ["routing", "test-early", "search", "sla", "test-late"]
    # By the time the last consumer ran, the one declared before it had written its row.
    assert SearchEntry.objects.filter(kind="case", object_id=case.pk).exists()
    spy.clear()
    agent = users["agent"]
    case_reply(actor=agent, case=case, body="我们明天上门。")
    case_note(actor=agent, case=case, body="需要带压缩机")
    case_assign(actor=agent, case=case, team=org["team_a"], assignee=agent)
    case_transition(actor=agent, case=Case.objects.get(pk=case.pk), to_status="in_progress")
    assert [c[1] for c in spy if c[0] == "early"] == [
        "Replied",
        "Noted",
        "Assigned",
        "StatusChanged",
    ]
    assert all(inside for _n, _k, inside in spy)


def test_a_failing_consumer_rolls_the_whole_change_back(customers, org):
    written: list[int] = []

    def writes_then_fails(p):
        # The consumers before this one (routing, search) have written their rows already.
        written.append(SearchEntry.objects.filter(kind="case", object_id=p.case.pk).count())
        raise RuntimeError("consumer failed")

    hooks.case_opened.register(writes_then_fails, name="test-fails", order=25)
    before = (Case.objects.count(), CaseEvent.objects.count(), AuditLog.objects.count())
    try:
        with pytest.raises(RuntimeError):
            make_case(customers["alice"], team=org["team_a"])
    finally:
        hooks.case_opened.unregister("test-fails")
    assert written == [1]
    assert (Case.objects.count(), CaseEvent.objects.count(), AuditLog.objects.count()) == before
    assert not SearchEntry.objects.filter(kind="case").exists()
    assert DomainEvent.objects.count() == 0


def test_every_change_writes_one_domain_event(customers, users, org):
    agent = users["agent"]
    case = make_case(customers["alice"], team=org["team_a"])
    case_reply(actor=agent, case=case, body="已安排")
    case_note(actor=agent, case=case, body="内部")
    case_transition(actor=agent, case=Case.objects.get(pk=case.pk), to_status="in_progress")
    kinds = list(
        DomainEvent.objects.filter(aggregate="case", aggregate_id=case.pk)
        .order_by("id")
        .values_list("kind", flat=True)
    )
    assert kinds == ["case.opened", "case.replied", "case.noted", "case.status_changed"]
    status = DomainEvent.objects.get(kind="case.status_changed")
    assert status.reference == case.number
    assert status.payload["from"] == "new" and status.payload["to"] == "in_progress"
    assert status.actor == agent


def test_closing_and_reopening_run_their_own_hooks_after_the_status_consumers(
    customers, users, org
):
    calls: list[tuple[str, str]] = []

    def on_status(p):
        calls.append(("status", p.to_status))

    def on_closed(p):
        calls.append(("closed", p.status))

    def on_reopened(p):
        calls.append(("reopened", p.from_status))

    hooks.status_changed.register(on_status, name="test-status", order=99)
    hooks.closed.register(on_closed, name="test-closed", order=10)
    hooks.reopened.register(on_reopened, name="test-reopened", order=10)
    try:
        agent = users["agent"]
        case = make_case(customers["alice"], team=org["team_a"])
        for to in ("in_progress", "resolved", "closed", "in_progress"):
            case = case_transition(
                actor=agent, case=Case.objects.get(pk=case.pk), to_status=to, reason="已处理"
            )
    finally:
        hooks.status_changed.unregister("test-status")
        hooks.closed.unregister("test-closed")
        hooks.reopened.unregister("test-reopened")
    assert calls == [
        ("status", "in_progress"),
        ("status", "resolved"),
        ("status", "closed"),
        ("closed", "closed"),
        ("status", "in_progress"),
        ("reopened", "closed"),
    ]
