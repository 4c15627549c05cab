"""Concurrent writers on a real database (SQLite file in WAL mode, or PostgreSQL).

Numbers are never handed out twice, and of two editors who saw the same version exactly one
wins; the other gets a version conflict and nothing of theirs is written.
"""

from __future__ import annotations

import pytest

from aftersales.cases.models import Case
from aftersales.cases.services import case_assign, case_transition, case_update
from aftersales.conftest import make_case
from aftersales.core.errors import VersionConflict
from aftersales.core.testing import run_concurrently

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_creation_never_duplicates_numbers(customers):
    alice = customers["alice"]
    results = run_concurrently(8, lambda i: make_case(alice, title=f"并发报修 {i}").number)
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    assert len(set(results)) == 8
    seq = sorted(int(n[-6:]) for n in results)
    assert seq == list(range(seq[0], seq[0] + 8))


def test_two_editors_one_version_one_wins(users, customers):
    case = make_case(customers["alice"])
    agents = [users["agent"], users["supervisor"]]
    priorities = ["high", "low"]

    def edit(i: int):
        stale = Case.objects.get(pk=case.pk)
        return case_update(
            actor=agents[i], case=stale, expected_version=1, changes={"priority": priorities[i]}
        ).priority

    results = run_concurrently(2, edit)
    wins = [r for r in results if isinstance(r, str)]
    conflicts = [r for r in results if isinstance(r, VersionConflict)]
    assert len(wins) == 1 and len(conflicts) == 1, results
    case.refresh_from_db()
    assert case.priority == wins[0] and case.version == 2


def test_concurrent_transitions_apply_once(users, customers):
    case = make_case(customers["alice"])

    def move(i: int):
        return case_transition(
            actor=users["agent"],
            case=Case.objects.get(pk=case.pk),
            to_status="accepted",
            expected_version=1,
        ).status

    results = run_concurrently(2, move)
    assert sum(1 for r in results if r == "accepted") == 1
    assert sum(1 for r in results if isinstance(r, VersionConflict)) == 1
    assert case.events.filter(kind="status_changed").count() == 1


def test_stale_transition_reports_a_version_conflict(users, customers):
    case = make_case(customers["alice"])
    seen = Case.objects.get(pk=case.pk)
    case_transition(actor=users["agent"], case=case, to_status="accepted", expected_version=1)
    # the second agent pressed "accept" on the page they loaded before: not "accepted → accepted"
    with pytest.raises(VersionConflict):
        case_transition(
            actor=users["supervisor"], case=seen, to_status="accepted", expected_version=1
        )


def test_stale_assignment_reports_the_conflict_before_other_rules(users, customers, org):
    case = make_case(customers["alice"])
    case_update(actor=users["agent"], case=case, expected_version=1, changes={"priority": "high"})
    # The supervisor's page still shows version 1. agent_b is not in team A either, but the
    # stale page is what they must hear about (the case is loaded fresh, as a view does).
    with pytest.raises(VersionConflict):
        case_assign(
            actor=users["supervisor"],
            case=Case.objects.get(pk=case.pk),
            team=org["team_a"],
            assignee=users["agent_b"],
            expected_version=1,
        )


def test_concurrent_retries_with_one_idempotency_key_create_one_case(users, customers):
    from aftersales.cases.services import case_create_idempotent

    alice = customers["alice"]

    def post(i: int):
        case, _created = case_create_idempotent(
            actor=users["agent"],
            idempotency_key="retry-42",
            customer=alice,
            case_type="consultation",
            channel="api",
            title="并发重试的同一请求",
        )
        return case.number

    results = run_concurrently(4, post)
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    assert len(set(results)) == 1
    assert Case.objects.filter(title="并发重试的同一请求").count() == 1
