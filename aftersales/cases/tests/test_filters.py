"""The queue and the API list filter cases with one class (style: one filter for HTML and API)."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.http import QueryDict

from aftersales.cases.api_schemas import CaseQuery
from aftersales.cases.filters import CaseFilterForm
from aftersales.cases.models import Case
from aftersales.cases.selectors import case_list


def test_api_query_parameters_are_the_filter_form_fields():
    assert set(CaseQuery.model_fields) == set(CaseFilterForm.base_fields)


@pytest.mark.django_db
def test_queue_and_api_return_the_same_cases(client, users, cases):
    agent = users["agent"]
    client.force_login(agent)
    query = {"state": "open", "sort": "priority", "case_type": "repair_request"}
    api = client.get("/api/v1/cases", query).json()["items"]
    form = CaseFilterForm(QueryDict(urlencode(query)), user=agent)
    assert form.is_valid()
    expected = list(
        form.apply(case_list(user=agent)).order_by(*form.order).values_list("number", flat=True)
    )
    assert [c["number"] for c in api] == expected
    page = client.get("/cases/", query).content.decode()
    for number in expected:
        assert f'data-number="{number}"' in page
    hidden = Case.objects.exclude(number__in=expected).values_list("number", flat=True)
    for number in hidden:
        assert f'data-number="{number}"' not in page


@pytest.mark.django_db
def test_team_filter_scope_matches_the_visibility_rules(client, users, org, customers, cases):
    """``case_list(team=…)`` leaves out the visibility condition only for a member who sees
    the whole team; for anyone else the team filter still goes through the visibility rules."""
    from aftersales.conftest import make_case

    team_a, team_b = org["team_a"], org["team_b"]
    # a team-B case assigned to the technician of team A: visible to that technician only as
    # their own job, and to the team-A agent not at all
    tech = users["technician"]
    extra = make_case(customers["bob"], team=team_b, assignee=users["agent_b"], title="冰箱异响")
    own_job = make_case(customers["alice"], team=team_a, assignee=tech, title="上门检测")

    def numbers(qs):
        return set(qs.values_list("number", flat=True))

    for user in (users["agent"], users["agent_b"], tech, users["supervisor"]):
        for team in (team_a, team_b):
            expected = numbers(case_list(user=user).filter(team=team))
            assert numbers(case_list(user=user, team=team)) == expected, (user, team)

    # for the agent's own team the visibility condition is left out (the index-only count);
    # for another team it stays
    def where(qs) -> str:
        return str(qs.values("pk").query).split(" WHERE ", 1)[1]

    assert "assignee_id" not in where(case_list(user=users["agent"], team=team_a))
    assert "assignee_id" in where(case_list(user=users["agent"], team=team_b))
    # the agent sees all of team A, nothing of team B
    assert numbers(case_list(user=users["agent"], team=team_a)) == {
        cases["alice_a"].number,
        own_job.number,
    }
    assert numbers(case_list(user=users["agent"], team=team_b)) == set()
    assert extra.number in numbers(case_list(user=users["agent_b"], team=team_b))
    # a customer naming a team gets only their own cases of it
    alice = customers["alice"].user
    assert numbers(case_list(user=alice, team=team_b)) == set()
    # the queue page with the team filter shows the same rows
    client.force_login(users["agent"])
    page = client.get("/cases/", {"team": team_b.code, "state": "all"}).content.decode()
    assert f'data-number="{extra.number}"' not in page
    assert f'data-number="{cases["bob_b"].number}"' not in page
