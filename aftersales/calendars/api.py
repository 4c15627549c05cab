"""API: working calendars and working-time arithmetic, for administrators and supervisors.

``POST /calendars/{code}/worktime/add`` answers the deadline a duration after an instant; in a
year the calendar does not know it answers the natural-time estimate with ``estimated: true``
and a ``warning`` (as a case's deadline would be). ``…/worktime/between`` answers the working
time between two instants and refuses unknown years with 422 ``unknown_year``.
"""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Path, Query, Router, Schema
from pydantic import Field

from aftersales.core.api import ERRORS_READ, ERRORS_WRITE, require_perm
from aftersales.core.errors import InvalidInput

from . import selectors, services
from .models import WorkingCalendar

router = Router(tags=["calendars"])

CalendarCode = Path(..., max_length=40, pattern=r"^[-a-zA-Z0-9_]+$", description="e.g. default")
VIEW = "calendars.view_workingcalendar"


class CalendarIntervalOut(Schema):
    start: str
    end: str


class CalendarOut(Schema):
    code: str
    name: str
    owner_kind: str
    service_center: str | None = None
    team: str | None = None
    holidays_from: str | None = Field(None, description="code of the calendar it follows")
    timezone: str
    is_default: bool
    version: int
    known_years: list[int]


class CalendarDayOut(Schema):
    date: dt.date
    kind: str
    name: str
    intervals: list[CalendarIntervalOut]
    inherited: bool = Field(description="taken from the calendar it follows")


class CalendarDetailOut(CalendarOut):
    weekly: dict[str, list[CalendarIntervalOut]] = Field(
        description="weekday 0 (Monday) … 6 (Sunday)"
    )
    days: list[CalendarDayOut] = Field(description="overrides of the requested year")


class WorktimeAddIn(Schema):
    from_: str = Field(
        ..., alias="from", max_length=40, description="ISO-8601; without offset: calendar time"
    )
    duration: str = Field(..., max_length=20, description="24h, 90m, 2d, 8wh, 30wm, 1wd")


class WorktimeAddOut(Schema):
    result: str = Field(description="ISO-8601 with offset")
    estimated: bool
    warning: str | None = None
    duration: str


class WorktimeBetweenIn(Schema):
    from_: str = Field(..., alias="from", max_length=40)
    to: str = Field(..., max_length=40)


class WorktimeBetweenOut(Schema):
    working_minutes: int
    duration: str = Field(description="the working time as a duration, e.g. 15wh, -90wm")


def _calendar(code: str) -> WorkingCalendar:
    try:
        return selectors.calendar_by_code(code)
    except InvalidInput as exc:
        raise Http404(str(exc.message)) from exc


def _out(calendar: WorkingCalendar, years: list[int] | None = None) -> dict:
    return {
        "code": calendar.code,
        "name": calendar.name,
        "owner_kind": calendar.owner_kind,
        "service_center": calendar.service_center.code if calendar.service_center_id else None,
        "team": calendar.team.code if calendar.team_id else None,
        "holidays_from": calendar.holidays_from.code if calendar.holidays_from_id else None,
        "timezone": calendar.timezone,
        "is_default": calendar.is_default,
        "version": calendar.version,
        "known_years": selectors.known_years(calendar) if years is None else years,
    }


def _pairs(rows) -> list[dict]:
    return [{"start": a, "end": b} for a, b in rows]


@router.get("/calendars", response={200: list[CalendarOut], **ERRORS_READ}, summary="Calendars")
def calendar_list(request: HttpRequest):
    """Every working calendar with the years it knows."""
    require_perm(request.auth, VIEW)
    calendars = list(selectors.calendar_list())
    years = selectors.known_years_map(calendars)
    return [_out(c, years[c.pk]) for c in calendars]


@router.get(
    "/calendars/{code}", response={200: CalendarDetailOut, **ERRORS_READ}, summary="A calendar"
)
def calendar_detail(
    request: HttpRequest,
    code: str = CalendarCode,
    year: int | None = Query(None, ge=services.MIN_YEAR, le=services.MAX_YEAR),
):
    """Weekly hours and the overrides of one year (this year unless ``year`` is given)."""
    require_perm(request.auth, VIEW)
    calendar = _calendar(code)
    year = year or timezone.localdate().year
    weekly: dict[str, list[dict]] = {}
    for row in calendar.weekly_intervals.order_by("weekday", "start"):
        weekly.setdefault(str(row.weekday), []).append(
            {"start": f"{row.start:%H:%M}", "end": f"{row.end:%H:%M}"}
        )
    days = {}
    if calendar.holidays_from_id:
        for d in selectors.day_overrides(calendar.holidays_from, year):
            days[d.date] = (d, True)
    for d in selectors.day_overrides(calendar, year):
        days[d.date] = (d, False)
    return {
        **_out(calendar),
        "weekly": weekly,
        "days": [
            {
                "date": d.date,
                "kind": d.kind,
                "name": d.name,
                "intervals": _pairs(d.intervals),
                "inherited": inherited,
            }
            for d, inherited in (days[k] for k in sorted(days))
        ],
    }


@router.post(
    "/calendars/{code}/worktime/add",
    response={200: WorktimeAddOut, **ERRORS_WRITE},
    summary="Add a duration to an instant",
)
def worktime_add(request: HttpRequest, payload: WorktimeAddIn, code: str = CalendarCode):
    """The deadline ``duration`` after ``from`` on this calendar."""
    require_perm(request.auth, VIEW)
    calendar = _calendar(code)
    answer = selectors.worktime_add(calendar, payload.from_, payload.duration, estimate=True)
    warning = None
    if answer.estimated:
        warning = str(selectors.estimate_warning(calendar))
    return {
        "result": answer.result.isoformat(),
        "estimated": answer.estimated,
        "warning": warning,
        "duration": str(answer.duration),
    }


@router.post(
    "/calendars/{code}/worktime/between",
    response={200: WorktimeBetweenOut, **ERRORS_WRITE},
    summary="Working time between two instants",
)
def worktime_between(request: HttpRequest, payload: WorktimeBetweenIn, code: str = CalendarCode):
    """Working time from ``from`` to ``to`` (negative when ``to`` is earlier)."""
    require_perm(request.auth, VIEW)
    calendar = _calendar(code)
    delta = selectors.worktime_between(calendar, payload.from_, payload.to)
    return {
        "working_minutes": selectors.working_minutes(delta),
        "duration": selectors.working_duration_text(delta),
    }
