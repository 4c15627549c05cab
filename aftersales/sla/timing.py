"""Clock arithmetic: due times, pauses, and escalation thresholds on a working calendar.

A clock measures time the way its target states it: natural time for ``24h``, working time on its
calendar for ``8wh`` or ``1wd``. Paused time is measured the same way and pushes the due time out
by exactly that much (a pause of three working days moves the deadline by three working days).
Whenever a needed day lies in a year the calendar does not know, the whole clock falls back to
natural time (1wd = 24 h) and is marked *estimated*; recomputing it once the year is entered
gives the real deadline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from aftersales.calendars.worktime import WORKING, Calendar, Duration, UnknownYear


@dataclass(frozen=True)
class Schedule:
    due_at: dt.datetime
    allotted_seconds: int
    paused_seconds: int
    estimated: bool


class Timing:
    """How one clock measures time: on ``cal`` unless natural or estimated."""

    def __init__(self, cal: Calendar | None, duration: Duration, *, estimated: bool = False):
        self.cal = cal
        self.duration = duration
        self.estimated = estimated

    @property
    def natural(self) -> bool:
        return self.cal is None or self.estimated or self.duration.is_natural

    def add(self, start: dt.datetime, duration: Duration) -> dt.datetime:
        """``start`` + ``duration``; a working duration on a natural clock uses the calendar
        when it can (``+4wh`` past a 24-hour deadline is still four working hours)."""
        if duration.is_natural or self.cal is None or self.estimated:
            return start + duration.natural_equivalent()
        return self.cal.add(start, duration)

    def span(self, start: dt.datetime, end: dt.datetime) -> int:
        """Seconds of this clock's time in ``[start, end)``."""
        if self.natural:
            return int((end - start).total_seconds())
        return int(self.cal.between(start, end).total_seconds())

    def advance(self, start: dt.datetime, seconds: int) -> dt.datetime:
        """The instant ``seconds`` of this clock's time after ``start``."""
        if self.natural:
            return start + dt.timedelta(seconds=seconds)
        return self.cal.add(start, Duration(WORKING, round(seconds / 60)))


def schedule(
    cal: Calendar | None,
    duration: Duration,
    start: dt.datetime,
    pauses: Iterable[tuple[dt.datetime, dt.datetime]] = (),
) -> Schedule:
    """Due time of a clock started at ``start`` and paused during ``pauses`` (closed
    intervals). Falls back to natural time when the calendar lacks a needed year."""
    pauses = list(pauses)
    for estimated in (False, True):
        tm = Timing(cal, duration, estimated=estimated)
        try:
            base = tm.add(start, duration)
            allotted = tm.span(start, base)
            paused = sum(max(tm.span(a, b), 0) for a, b in pauses)
            due = tm.advance(base, paused) if paused else base
        except UnknownYear:
            continue
        return Schedule(due, allotted, paused, estimated)
    raise AssertionError("natural time cannot fail")  # pragma: no cover


def share_threshold(
    cal: Calendar | None,
    duration: Duration,
    *,
    estimated: bool,
    started_at: dt.datetime,
    allotted_seconds: int,
    paused_seconds: int,
    percent: int,
) -> dt.datetime:
    """When ``percent`` of the allowed time has elapsed, not counting paused time."""
    tm = Timing(cal, duration, estimated=estimated)
    offset = allotted_seconds * percent // 100 + paused_seconds
    try:
        return tm.advance(started_at, offset)
    except UnknownYear:
        return started_at + dt.timedelta(seconds=offset)


def past_due_threshold(
    cal: Calendar | None,
    duration: Duration,
    *,
    estimated: bool,
    due_at: dt.datetime,
    past_due: Duration,
) -> dt.datetime:
    """``past_due`` after the due time (working time on the clock's calendar when stated so)."""
    tm = Timing(cal, duration, estimated=estimated)
    try:
        return tm.add(due_at, past_due)
    except UnknownYear:
        return due_at + past_due.natural_equivalent()


def parse_duration(text: str) -> Duration:
    """:meth:`Duration.parse`, raising ``ValueError`` with the calendar module's message."""
    return Duration.parse(text)
