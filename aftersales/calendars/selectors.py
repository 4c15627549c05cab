"""Reads of working calendars: which calendar a person or team works by, lists, a year's
overrides, the missing-year warning, and the working-time questions the command line, the API
and the "try it" page ask (one place, so they answer alike and refuse bad input with the same
messages)."""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from aftersales.core.errors import InvalidInput

from . import services
from .intervals import format_intervals
from .models import CalendarDay, CalendarYear, Weekday, WorkingCalendar
from .worktime import Calendar, Duration, UnknownYear

WARNING_FROM = (12, 1)  # month, day: from 1 December the next year must be there


# --- whose calendar -------------------------------------------------------------------------
# One rule for "which working calendar does this person use": the calendar of their first team
# (by team name) that has one, else their service center's, else the company's. A team works by
# its own calendar, else its service center's, else the company's. SLA clocks, routing's
# availability, the dispatch board and the escalation sweep all ask here.

TEAM_ORDER = ("team__name", "pk")


def calendar_for_team(team: Any) -> WorkingCalendar:
    """The team's own calendar, else its service center's, else the company's."""
    if team is not None:
        own = WorkingCalendar.objects.filter(team=team).first()
        if own is not None:
            return own
        center_id = getattr(team, "service_center_id", None)
        if center_id:
            center = WorkingCalendar.objects.filter(service_center_id=center_id).first()
            if center is not None:
                return center
    return services.calendar_default()


def calendar_for_user(user: Any) -> WorkingCalendar:
    """The calendar one person works by (the rule above; :func:`calendar_ids_for_users` is the
    same rule for many people at once)."""
    if user is not None and getattr(user, "pk", None):
        own = WorkingCalendar.objects.filter(team__members=user).order_by(*TEAM_ORDER).first()
        if own is not None:
            return own
        if getattr(user, "service_center_id", None):
            center = WorkingCalendar.objects.filter(
                service_center_id=user.service_center_id
            ).first()
            if center is not None:
                return center
    return services.calendar_default()


def calendar_ids_for_users(users: list[Any]) -> dict[int, int]:
    """The stored calendar id each user works by, by the rule of :func:`calendar_for_user`, in
    at most three queries however many users."""
    ids = {u.pk for u in users}
    chosen: dict[int, int] = {}
    for member, calendar_id in (
        WorkingCalendar.objects.filter(team__members__in=ids)
        .order_by(*TEAM_ORDER)
        .values_list("team__members", "pk")
    ):
        if member in ids:
            chosen.setdefault(member, calendar_id)
    centers = {
        u.service_center_id
        for u in users
        if u.pk not in chosen and getattr(u, "service_center_id", None)
    }
    by_center: dict[int | None, int] = dict(
        WorkingCalendar.objects.filter(service_center_id__in=centers).values_list(
            "service_center_id", "pk"
        )
    )
    default_id = None
    for user in users:
        if user.pk in chosen:
            continue
        center_id = getattr(user, "service_center_id", None)
        if center_id in by_center:
            chosen[user.pk] = by_center[center_id]
            continue
        if default_id is None:
            default_id = services.calendar_default().pk
        chosen[user.pk] = default_id
    return chosen


def calendar_list() -> QuerySet[WorkingCalendar]:
    return WorkingCalendar.objects.select_related(
        "service_center", "team", "holidays_from"
    ).annotate(day_count=Count("days", distinct=True))


def calendar_by_code(code: str) -> WorkingCalendar:
    calendar = (
        WorkingCalendar.objects.select_related("service_center", "team", "holidays_from")
        .filter(code=code)
        .first()
    )
    if calendar is None:
        raise InvalidInput(
            _("There is no working calendar “%(code)s”.") % {"code": code},
            code="unknown_calendar",
            detail={"field": "calendar"},
        )
    return calendar


def known_years(calendar: WorkingCalendar) -> list[int]:
    """The years deadlines on this calendar are computed for (its own and those it follows)."""
    owners = [calendar.pk] + ([calendar.holidays_from_id] if calendar.holidays_from_id else [])
    return sorted(
        set(CalendarYear.objects.filter(calendar_id__in=owners).values_list("year", flat=True))
    )


def known_years_map(calendars: list[WorkingCalendar]) -> dict[int, list[int]]:
    """:func:`known_years` of many calendars in one query."""
    own: dict[int, set[int]] = {}
    for calendar_id, year in CalendarYear.objects.values_list("calendar_id", "year"):
        own.setdefault(calendar_id, set()).add(year)
    return {
        c.pk: sorted(own.get(c.pk, set()) | own.get(c.holidays_from_id, set())) for c in calendars
    }


def weekly_rows(calendar: WorkingCalendar) -> list[dict]:
    """Monday to Sunday with the intervals as text (``08:30-12:00;13:30-17:30``)."""
    per_day: dict[int, list] = {wd: [] for wd in range(7)}
    for row in calendar.weekly_intervals.order_by("weekday", "start"):
        per_day[row.weekday].append((row.start, row.end))
    return [
        {"weekday": wd, "label": Weekday(wd).label, "text": format_intervals(per_day[wd])}
        for wd in range(7)
    ]


@dataclass
class MonthView:
    month: int
    label: str
    weeks: list[list[dict | None]]


def calendar_year_view(calendar: WorkingCalendar, year: int) -> list[MonthView]:
    """Twelve month grids of the year; each day says whether it is worked and why (its own
    override, an override it follows, or the weekly hours)."""
    compiled = services.calendar_for(calendar)
    own = {d.date: d for d in CalendarDay.objects.filter(calendar=calendar, date__year=year)}
    inherited = {}
    if calendar.holidays_from_id:
        inherited = {
            d.date: d
            for d in CalendarDay.objects.filter(
                calendar_id=calendar.holidays_from_id, date__year=year
            )
        }
    months = []
    grid = pycalendar.Calendar(firstweekday=0)
    for month in range(1, 13):
        weeks = []
        for week in grid.monthdatescalendar(year, month):
            cells: list[dict | None] = []
            for day in week:
                if day.month != month:
                    cells.append(None)
                    continue
                override = own.get(day) or inherited.get(day)
                hours = compiled.hours_on(day)
                cells.append(
                    {
                        "date": day,
                        "working": bool(hours),
                        "hours": format_intervals(hours),
                        "override": override,
                        "inherited": day not in own and day in inherited,
                        "kind": override.kind if override else "",
                        "weekend": day.weekday() >= 5,
                    }
                )
            weeks.append(cells)
        months.append(MonthView(month=month, label=str(MONTHS[month]), weeks=weeks))
    return months


def day_overrides(calendar: WorkingCalendar, year: int) -> QuerySet[CalendarDay]:
    return CalendarDay.objects.filter(calendar=calendar, date__year=year).order_by("date")


# -- the missing next year ----------------------------------------------------------------------
def missing_next_year(today: dt.date | None = None) -> tuple[int, list[WorkingCalendar]]:
    """From 1 December: the calendars that keep their own holidays and lack next year. Before
    that date nothing is missing yet. ``today`` is injectable for tests."""
    today = today or timezone.localdate()
    next_year = today.year + 1
    if (today.month, today.day) < WARNING_FROM:
        return next_year, []
    missing = list(
        WorkingCalendar.objects.filter(holidays_from__isnull=True)
        .exclude(years__year=next_year)
        .order_by("-is_default", "code")
    )
    return next_year, missing


# -- working-time questions ---------------------------------------------------------------------
def parse_duration(text: str) -> Duration:
    try:
        return Duration.parse(text)
    except ValueError as exc:
        raise InvalidInput(
            _(
                "“%(text)s” is not a duration: use a whole number and a unit — m, h, d (natural "
                "minutes, hours, days), wm, wh (working minutes, hours) or wd (working days), "
                "e.g. 24h, 90m, 8wh, 30wm, 1wd."
            )
            % {"text": text},
            code="invalid_duration",
            detail={"field": "duration"},
        ) from exc


def parse_instant(value: str | dt.datetime, tz: ZoneInfo, field: str = "from") -> dt.datetime:
    """An ISO-8601 date-time; without an offset it is read in the calendar's time zone."""
    if isinstance(value, dt.datetime):
        instant = value
    else:
        try:
            instant = dt.datetime.fromisoformat(str(value).strip())
        except ValueError as exc:
            raise InvalidInput(
                _("“%(value)s” is not a date and time like 2026-09-30T18:30.") % {"value": value},
                code="invalid_instant",
                detail={"field": field},
            ) from exc
    if instant.tzinfo is None or instant.utcoffset() is None:
        instant = instant.replace(tzinfo=tz)
    try:
        return instant.astimezone(tz)
    except OverflowError as exc:
        raise InvalidInput(
            _("“%(value)s” is not a date and time like 2026-09-30T18:30.") % {"value": value},
            code="invalid_instant",
            detail={"field": field},
        ) from exc


def unknown_year_error(exc: UnknownYear, calendar: WorkingCalendar) -> InvalidInput:
    return InvalidInput(
        _(
            "The year %(year)s is not in the calendar “%(code)s”: its holidays and make-up "
            "working days have not been entered."
        )
        % {"year": exc.year, "code": calendar.code},
        code="unknown_year",
        detail={"year": exc.year},
    )


def estimate_warning(calendar: WorkingCalendar):
    return _(
        "Estimated in natural time: the year is not in the calendar “%(code)s”, so its "
        "holidays and make-up working days are unknown."
    ) % {"code": calendar.code}


@dataclass
class AddAnswer:
    start: dt.datetime
    duration: Duration
    result: dt.datetime
    estimated: bool


def worktime_add(
    calendar: WorkingCalendar,
    start: str | dt.datetime,
    duration: str,
    *,
    estimate: bool = False,
) -> AddAnswer:
    """The deadline ``duration`` after ``start``. In a year the calendar does not know: with
    ``estimate`` the natural-time estimate (flagged), else InvalidInput naming the year."""
    compiled: Calendar = services.calendar_for(calendar)
    instant = parse_instant(start, compiled.tz)
    parsed = parse_duration(duration)
    try:
        try:
            return AddAnswer(instant, parsed, compiled.add(instant, parsed), False)
        except UnknownYear as exc:
            if not estimate:
                raise unknown_year_error(exc, calendar) from exc
            result, _estimated = compiled.add_or_estimate(instant, parsed)
            return AddAnswer(instant, parsed, result, True)
    except OverflowError as exc:
        raise InvalidInput(
            _("The result would lie beyond the year 9999."),
            code="invalid_instant",
            detail={"field": "duration"},
        ) from exc


def worktime_between(
    calendar: WorkingCalendar, start: str | dt.datetime, end: str | dt.datetime
) -> dt.timedelta:
    """Working time from ``start`` to ``end`` (negative when ``end`` is earlier)."""
    compiled = services.calendar_for(calendar)
    a = parse_instant(start, compiled.tz, "from")
    b = parse_instant(end, compiled.tz, "to")
    try:
        return compiled.between(a, b)
    except UnknownYear as exc:
        raise unknown_year_error(exc, calendar) from exc


def working_minutes(delta: dt.timedelta) -> int:
    """Whole working minutes, rounded towards zero."""
    minutes = int(abs(delta).total_seconds() // 60)
    return -minutes if delta < dt.timedelta(0) else minutes


def working_duration_text(delta: dt.timedelta) -> str:
    """A working time in a duration's short form: ``8wh``, ``450wm``, ``-90wm``."""
    minutes = working_minutes(delta)
    return ("-" if minutes < 0 else "") + str(Duration("working", abs(minutes)))


def missing_year_for(user, today: dt.date | None = None) -> int | None:
    """The missing next year to warn ``user`` about on every page, or ``None``: only for those
    who manage calendars, only from 1 December (no query before), only while it is missing."""
    if user is None or not user.has_perm("calendars.manage_calendar"):
        return None
    today = today or timezone.localdate()
    if (today.month, today.day) < WARNING_FROM:
        return None
    year, missing = missing_next_year(today)
    return year if missing else None


def absence_list(now: dt.datetime | None = None):
    """Absences not yet over, soonest first, with their staff member."""
    from .models import StaffAbsence

    now = now or timezone.now()
    return StaffAbsence.objects.select_related("user").filter(end__gt=now).order_by("start", "pk")
