"""Clock arithmetic without the database: pauses, estimates and thresholds."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales.calendars.worktime import Calendar, Duration
from aftersales.sla.timing import past_due_threshold, schedule, share_threshold

SH = ZoneInfo("Asia/Shanghai")
DAY = [(dt.time(9), dt.time(12)), (dt.time(13), dt.time(18))]
CAL = Calendar(
    tz=SH,
    weekly={wd: DAY for wd in range(5)},
    overrides={dt.date(2026, 10, d): [] for d in range(1, 8)},
    known_years=frozenset({2026}),
    code="test",
)


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SH)


def test_a_working_clock_without_pauses_is_due_at_the_calendars_answer():
    result = schedule(CAL, Duration.parse("5wd"), at(2026, 3, 2, 10))
    assert result.due_at == at(2026, 3, 9, 10)
    assert result.allotted_seconds == 5 * 8 * 3600
    assert (result.paused_seconds, result.estimated) == (0, False)


def test_pauses_count_in_working_time_and_push_the_due_time_out_by_as_much():
    start = at(2026, 3, 2, 10)
    # Friday 17:00 → Monday 10:00 is two working hours; a night pause costs nothing
    pauses = [(at(2026, 3, 6, 17), at(2026, 3, 9, 10)), (at(2026, 3, 3, 19), at(2026, 3, 4, 8))]
    result = schedule(CAL, Duration.parse("5wd"), start, pauses)
    assert result.paused_seconds == 2 * 3600
    assert result.due_at == at(2026, 3, 9, 12)


def test_the_national_day_holiday_is_not_working_time():
    result = schedule(CAL, Duration.parse("1wd"), at(2026, 9, 30, 15))
    assert result.due_at == at(2026, 10, 8, 15)


def test_a_natural_clock_pauses_in_natural_time():
    result = schedule(
        CAL, Duration.parse("24h"), at(2026, 3, 2, 10), [(at(2026, 3, 2, 20), at(2026, 3, 3, 8))]
    )
    assert result.due_at == at(2026, 3, 3, 22)


def test_an_unknown_year_falls_back_to_natural_time_and_says_so():
    result = schedule(CAL, Duration.parse("5wd"), at(2026, 12, 28, 10))
    assert result.estimated
    assert result.due_at == at(2027, 1, 2, 10)
    assert result.allotted_seconds == 5 * 24 * 3600


def test_thresholds_by_share_skip_paused_time_and_past_due_counts_working_hours():
    start = at(2026, 3, 2, 10)
    duration = Duration.parse("8wh")
    result = schedule(CAL, duration, start, [(at(2026, 3, 2, 11), at(2026, 3, 2, 14))])
    # eight working hours from Monday 10:00 end on Tuesday 10:00; the pause (11–12, 13–14) adds 2
    assert result.due_at == at(2026, 3, 3, 12)
    assert share_threshold(
        CAL,
        duration,
        estimated=False,
        started_at=start,
        allotted_seconds=result.allotted_seconds,
        paused_seconds=result.paused_seconds,
        percent=75,
    ) == at(2026, 3, 3, 10)  # six working hours of the allowed eight, plus the two paused
    assert past_due_threshold(
        CAL, duration, estimated=False, due_at=result.due_at, past_due=Duration.parse("4wh")
    ) == at(2026, 3, 3, 17)
    # +1wd from a due time outside working hours: the close of the next working day
    assert past_due_threshold(
        CAL,
        Duration.parse("24h"),
        estimated=False,
        due_at=at(2026, 3, 3, 4),
        past_due=Duration.parse("1wd"),
    ) == at(2026, 3, 3, 18)


@settings(max_examples=200, deadline=None)
@given(
    start_minute=st.integers(0, 60 * 24 * 200),
    days=st.integers(1, 10),
    pause_start=st.integers(0, 60 * 24 * 20),
    pause_days=st.integers(1, 5),
)
def test_a_pause_of_n_working_days_moves_the_deadline_by_n_working_days(
    start_minute, days, pause_start, pause_days
):
    """Any start, any pause that begins at an opening and lasts whole working days."""
    start = at(2026, 1, 5, 9) + dt.timedelta(minutes=start_minute)
    duration = Duration("working_days", days)
    base = schedule(CAL, duration, start)
    opening = CAL.next_working_instant(start + dt.timedelta(minutes=pause_start))
    opening = CAL.add(opening, Duration("working", 0))
    if opening.timetz().replace(tzinfo=None) != dt.time(9) or opening >= base.due_at:
        return  # only pauses that start at an opening and before the deadline
    resumed = CAL.add(opening, Duration("working_days", pause_days))  # close of the n-th day
    paused = schedule(CAL, duration, start, [(opening, resumed)])
    assert paused.paused_seconds == pause_days * 8 * 3600
    assert CAL.between(base.due_at, paused.due_at) == dt.timedelta(hours=8 * pause_days)
    # off the boundaries between intervals (where 12:00 and 13:00 are the same working instant)
    # it is the very instant n working days later
    if base.due_at.timetz().replace(tzinfo=None) not in (
        dt.time(9),
        dt.time(12),
        dt.time(13),
        dt.time(18),
    ):
        assert paused.due_at == CAL.add(base.due_at, Duration("working_days", pause_days))


@pytest.mark.parametrize("text", ["24h", "90m", "8wh", "30wm", "1wd", "2d"])
def test_every_duration_form_gives_a_schedule(text):
    result = schedule(CAL, Duration.parse(text), at(2026, 6, 1, 9, 30))
    assert result.due_at > at(2026, 6, 1, 9, 30)
