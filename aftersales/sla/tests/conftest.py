"""Fixtures for the service-level tests: a standard working calendar, policies, a clock that
stands still, and the people an escalation reaches."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

SH = ZoneInfo("Asia/Shanghai")


def at(*args: int) -> dt.datetime:
    """An instant in Shanghai time: at(2026, 3, 2, 10) is Monday 2 March 2026, 10:00."""
    return dt.datetime(*args, tzinfo=SH)


class FrozenClock:
    """``django.utils.timezone.now`` that returns what the test says."""

    def __init__(self, value: dt.datetime) -> None:
        self.value = value

    def __call__(self) -> dt.datetime:
        return self.value

    def set(self, value: dt.datetime) -> None:
        self.value = value


@contextlib.contextmanager
def frozen(value: dt.datetime) -> Iterator[FrozenClock]:
    clock = FrozenClock(value)
    with mock.patch("django.utils.timezone.now", clock):
        yield clock


@pytest.fixture
def clock_at():
    """Call with an instant to stop time there; ``.set()`` moves it."""
    stack = contextlib.ExitStack()

    def start(value: dt.datetime) -> FrozenClock:
        return stack.enter_context(frozen(value))

    yield start
    stack.close()


def make_calendar(code: str = "standard", *, years=(2026,), default: bool = True):
    """Monday to Friday 09:00–12:00 and 13:00–18:00 (8 working hours), 2026 known, with the
    National Day holiday 1–7 October and the make-up Saturday 10 October; made the company
    default unless told otherwise."""
    from aftersales.calendars.models import WorkingCalendar
    from aftersales.calendars.services import calendar_create, calendar_day_set, calendar_year_mark

    day = [(dt.time(9), dt.time(12)), (dt.time(13), dt.time(18))]
    calendar = calendar_create(
        actor=None, code=code, name=code, weekly={wd: day for wd in range(5)}
    )
    for d in range(1, 8):
        calendar_day_set(
            actor=None, calendar=calendar, date=dt.date(2026, 10, d), kind="holiday", name="国庆节"
        )
    calendar_day_set(
        actor=None,
        calendar=calendar,
        date=dt.date(2026, 10, 10),
        kind="makeup_workday",
        name="国庆节调休",
        intervals=day,
    )
    for year in years:
        calendar_year_mark(actor=None, calendar=calendar, year=year)
    if default:
        WorkingCalendar.objects.filter(is_default=True).update(is_default=False)
        WorkingCalendar.objects.filter(pk=calendar.pk).update(is_default=True)
    calendar.refresh_from_db()
    return calendar


def add_year(calendar, year: int) -> None:
    """An administrator enters a year (here: plain weeks, no holidays) and marks it known."""
    from aftersales.calendars.services import calendar_year_mark

    calendar.refresh_from_db()
    calendar_year_mark(actor=None, calendar=calendar, year=year)


@pytest.fixture
def calendar(db):
    return make_calendar()


def make_policy(code: str, *, case_types=(), targets=(), levels=(), pause_rules=None, **kw):
    from aftersales.sla.models import EscalationLevel, SlaPolicy, SlaTarget

    policy = SlaPolicy.objects.create(
        code=code,
        name=kw.pop("name", code),
        case_types=list(case_types),
        pause_rules=pause_rules or {},
        **kw,
    )
    for i, spec in enumerate(targets):
        SlaTarget.objects.create(policy=policy, position=i, **spec)
    for i, spec in enumerate(levels):
        users = spec.pop("users", [])
        level = EscalationLevel.objects.create(policy=policy, position=i, **spec)
        level.users.set(users)
    return policy


@pytest.fixture
def repair_policy(calendar):
    """Repair requests: first response 24 h, resolution 5 working days (3 for urgent), paused
    while waiting for the customer or for parts (the third-party status)."""
    return make_policy(
        "repair",
        case_types=["repair_request"],
        pause_rules={
            "waiting_customer": "waiting_customer",
            "waiting_third_party": "waiting_parts",
        },
        targets=[
            {
                "kind": "first_response",
                "duration": "24h",
                "end_on": "first_reply",
                "pausable": False,
            },
            {
                "kind": "resolution",
                "duration": "3wd",
                "priorities": ["urgent"],
                "end_on": "status",
                "end_statuses": ["resolved", "closed"],
            },
            {
                "kind": "resolution",
                "duration": "5wd",
                "end_on": "status",
                "end_statuses": ["resolved", "closed"],
            },
            {
                "kind": "milestone",
                "milestone_code": "onsite_arrival",
                "name": "上门",
                "duration": "8wh",
                "end_on": "milestone",
                "end_milestone": "onsite_arrival",
            },
        ],
    )
