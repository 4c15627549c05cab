"""From 1 December administrators are warned that next year's holidays are missing: a banner
for them on every page and the calendar pages, and one e-mail from the daily task."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.test import Client

from aftersales.calendars import selectors, services
from aftersales.calendars.models import YearWarning
from aftersales.calendars.tasks import calendar_year_check
from aftersales.core.models import AuditLog

pytestmark = pytest.mark.django_db

NOV_30 = dt.date(2026, 11, 30)
DEC_1 = dt.date(2026, 12, 1)


def test_nothing_is_missing_before_december():
    assert selectors.missing_next_year(NOV_30) == (2027, [])


def test_from_december_the_calendars_keeping_their_own_holidays_are_listed(users, org):
    services.calendar_create(
        actor=None, code="field", name="上门组", owner_kind="team", team=org["team_b"]
    )
    year, missing = selectors.missing_next_year(DEC_1)
    assert year == 2027 and [c.code for c in missing] == ["default"]  # the team follows it
    assert selectors.missing_next_year(dt.date(2025, 12, 15)) == (2026, [])  # 2026 is known


def test_entering_the_year_clears_the_warning(users):
    services.calendar_year_mark(
        actor=users["administrator"], calendar=services.calendar_default(), year=2027
    )
    assert selectors.missing_next_year(DEC_1) == (2027, [])


def test_task_tells_administrators_once(users, django_capture_on_commit_callbacks):
    assert services.missing_year_notify(NOV_30) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert services.missing_year_notify(DEC_1) == 1  # one administrator in the fixtures
    assert [m.to for m in mail.outbox] == [[users["administrator"].email]]
    assert "2027" in mail.outbox[0].subject
    assert services.missing_year_notify(dt.date(2026, 12, 2)) == 0
    assert YearWarning.objects.get().calendars == ["default"]
    assert AuditLog.objects.filter(action="calendar_year.missing_warning").count() == 1


def test_periodic_task_runs_the_check(users, monkeypatch):
    monkeypatch.setattr(selectors.timezone, "localdate", lambda *a: DEC_1)
    assert calendar_year_check.call_local() == 1
    assert calendar_year_check.call_local() == 0


@pytest.mark.parametrize("who, shown", [("administrator", True), ("supervisor", False)])
def test_banner_on_every_page_for_administrators_only(users, monkeypatch, who, shown):
    client = Client()
    client.force_login(users[who])
    monkeypatch.setattr(selectors.timezone, "localdate", lambda *a: DEC_1)
    page = client.get("/calendars/").content.decode()
    assert ('data-testid="calendar-year-banner"' in page) is shown
    assert ('data-testid="calendar-year-warning"' in page) is shown
    if who == "administrator":
        queue = client.get("/cases/").content.decode()  # the administrator's home page
        assert 'data-testid="calendar-year-banner"' in queue
    monkeypatch.setattr(selectors.timezone, "localdate", lambda *a: NOV_30)
    assert 'data-testid="calendar-year-banner"' not in client.get("/calendars/").content.decode()
