"""Round-robin under concurrent intake: the team's pointer never hands one agent out twice."""

from __future__ import annotations

import pytest

from aftersales.conftest import make_case
from aftersales.core.testing import run_concurrently
from aftersales.routing.models import TeamRotation

from .conftest import add_rule

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_intakes_take_distinct_turns(users, customers, ac_team):
    add_rule(
        users["supervisor"],
        name="空调",
        keywords="空调",
        team=ac_team["team"],
        assignment="round_robin",
    )
    alice = customers["alice"]
    results = run_concurrently(3, lambda i: make_case(alice, title=f"空调故障 {i}").assignee_id)
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    assert sorted(results) == sorted(a.pk for a in ac_team["agents"])
    assert TeamRotation.objects.get(team=ac_team["team"]).turns == 3
