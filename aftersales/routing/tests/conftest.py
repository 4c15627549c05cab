"""Fixtures for routing tests: an air-conditioning team with two agents, and rules."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from aftersales.accounts.roles import Role
from aftersales.conftest import make_user


@pytest.fixture
def ac_team(org):
    from aftersales.accounts.models import Team

    team = Team.objects.create(code="ac", name="空调组", department=org["department"])
    a1 = make_user("ac_wang", Role.AGENT, teams=[team])
    a2 = make_user("ac_li", Role.AGENT, teams=[team])
    a3 = make_user("ac_zhao", Role.AGENT, teams=[team])
    return {"team": team, "agents": [a1, a2, a3]}


@pytest.fixture
def complaint_team(org):
    from aftersales.accounts.models import Team

    team = Team.objects.create(code="complaints", name="投诉组", department=org["department"])
    officer = make_user("ts_chen", Role.COMPLAINT_OFFICER, teams=[team])
    return {"team": team, "officer": officer}


def add_rule(actor, **fields):
    from aftersales.routing.services import rule_create

    return rule_create(actor=actor, **fields)


# Tuesday 10:00 in Shanghai: inside the default working hours, whatever the clock says now.
WORKING_INSTANT = dt.datetime(2026, 3, 10, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _working_time(monkeypatch):
    from aftersales.routing import assignment

    monkeypatch.setattr(assignment, "routing_now", lambda: WORKING_INSTANT)
