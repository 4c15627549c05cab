"""Clocks on the case page and the queue's due column and sort."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from aftersales.cases.services import case_transition
from aftersales.conftest import make_case

from .conftest import at

pytestmark = pytest.mark.django_db


def client_as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_case_page_shows_clocks_time_left_pause_and_history(
    repair_policy, users, customers, org, clock_at
):
    now = clock_at(at(2026, 3, 2, 10))
    agent = users["agent"]
    case = make_case(customers["alice"], actor=agent, team=org["team_a"])
    case = case_transition(actor=agent, case=case, to_status="in_progress")
    now.set(at(2026, 3, 3, 10))
    case_transition(actor=agent, case=case, to_status="waiting_third_party", reason="等配件")
    now.set(at(2026, 3, 3, 11))
    html = client_as(agent).get(f"/cases/{case.number}/").content.decode()
    assert 'data-testid="case-clocks"' in html
    assert re.search(r'data-kind="resolution" data-state="paused"', html)
    assert re.search(r'data-kind="first_response" data-state="breached"', html) is None
    assert "Waiting for parts" in html or "等待备件" in html
    assert 'data-testid="clock-history"' in html
    assert 'data-testid="clock-estimated"' not in html
    # the timeline tells the pause
    assert 'data-kind="sla_paused"' in html


def test_case_page_warns_when_a_deadline_is_estimated(
    repair_policy, users, customers, org, clock_at
):
    clock_at(at(2026, 12, 28, 10))
    case = make_case(customers["alice"], actor=users["agent"], team=org["team_a"])
    html = client_as(users["agent"]).get(f"/cases/{case.number}/").content.decode()
    assert 'data-testid="clock-estimated"' in html


def test_customers_never_see_clocks(repair_policy, users, customers, org, clock_at):
    clock_at(at(2026, 3, 2, 10))
    case = make_case(customers["alice"], actor=users["agent"], team=org["team_a"])
    response = client_as(customers["alice"].user).get(f"/portal/cases/{case.number}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert case.number in html
    assert "case-clocks" not in html and "sla_started" not in html


def test_queue_shows_time_left_and_sorts_by_nearest_due(
    repair_policy, users, customers, org, clock_at
):
    now = clock_at(at(2026, 3, 2, 10))
    agent = users["agent"]
    later = make_case(customers["alice"], actor=agent, team=org["team_a"], title="晚")
    now.set(at(2026, 3, 2, 9))
    sooner = make_case(customers["alice"], actor=agent, team=org["team_a"], title="早")
    none = make_case(
        customers["alice"], actor=agent, team=org["team_a"], case_type="consultation", title="无"
    )
    now.set(at(2026, 3, 3, 9, 30))  # the earlier case's first response is overdue
    html = client_as(agent).get("/cases/?sort=due", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    numbers = re.findall(r'data-testid="case-row" data-number="([^"]+)"', html)
    assert numbers == [sooner.number, later.number, none.number]
    cells = re.findall(r'data-testid="due-cell" data-overdue="(true|false)"', html)
    assert cells == ["true", "false"]
    assert "30 min" in html  # 09:30 against a 09:00 due time
