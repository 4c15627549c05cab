"""Writes to working calendars, and the compiled calendars other apps compute deadlines on.

Every edit is atomic, takes the acting user, writes an audit record and bumps the calendar's
``version`` with a conditional update (which also serialises concurrent editors of one calendar);
after the commit :data:`~aftersales.calendars.signals.calendar_changed` is sent for the calendar
and every calendar that takes its holidays from it. :func:`calendar_for` keeps one compiled
:class:`~aftersales.calendars.worktime.Calendar` per calendar in the process and rebuilds it
when the version stamp moved.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import threading
import zoneinfo
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from aftersales.core.actors import actor_or_none
from aftersales.core.audit import audit_record, model_snapshot
from aftersales.core.errors import InvalidInput, VersionConflict

from . import chinese_days
from .intervals import IntervalError, check_intervals, from_json, parse_intervals, to_json
from .models import (
    CalendarDay,
    CalendarYear,
    DayKind,
    OwnerKind,
    Source,
    StaffAbsence,
    WeeklyInterval,
    WorkingCalendar,
    YearWarning,
)
from .signals import calendar_changed
from .worktime import Calendar

DEFAULT_CODE = "default"
DEFAULT_HOURS = [(dt.time(8, 30), dt.time(12, 0)), (dt.time(13, 30), dt.time(17, 30))]
DEFAULT_WEEKDAYS = range(5)  # Monday to Friday
MIN_YEAR, MAX_YEAR = 2000, 2100

CALENDAR_CHANGED = _("Someone else changed this calendar in the meantime. Reload it and try again.")


# -- messages ---------------------------------------------------------------------------------
def interval_message(exc: IntervalError) -> str:
    """An interval error in the user's language."""
    messages = {
        "malformed": _("“%(text)s” is not a working interval like 08:30-12:00."),
        "bad_time": _("%(text)s is not a time of day."),
        "reversed": _("The interval %(text)s must end after it starts."),
        "overlap": _("The interval %(text)s overlaps another working interval."),
    }
    return str(messages.get(exc.code, _("Invalid working hours.")) % {"text": exc.text})


def _intervals_or_invalid(value: str | list) -> list[tuple[dt.time, dt.time]]:
    try:
        if isinstance(value, str):
            return parse_intervals(value)
        return check_intervals(list(value))
    except IntervalError as exc:
        raise InvalidInput(interval_message(exc), detail={"field": "intervals"}) from exc


def _check_timezone(name: str) -> str:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidInput(
            _("“%(tz)s” is not a known time zone (e.g. Asia/Shanghai).") % {"tz": name},
            detail={"field": "timezone"},
        ) from exc
    return name


def _check_year(year: int) -> int:
    if not MIN_YEAR <= int(year) <= MAX_YEAR:
        raise InvalidInput(
            _("The year must be between %(min)s and %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR},
            detail={"field": "year"},
        )
    return int(year)


# -- versions and change notices ----------------------------------------------------------
def _touch(calendar: WorkingCalendar, expected_version: int | None = None) -> None:
    """Bump the version (``UPDATE … WHERE version = ?`` when the editor said which version they
    saw) and announce the change after the commit. The update also locks the calendar's row, so
    edits of one calendar are serialised."""
    rows = WorkingCalendar.objects.filter(pk=calendar.pk)
    if expected_version is not None:  # the editor decided on this version: refuse a later one
        rows = rows.filter(version=expected_version)
    if not rows.update(version=F("version") + 1, updated_at=timezone.now()):
        raise VersionConflict(CALENDAR_CHANGED, detail={"expected_version": expected_version})
    # the row is locked by the update until the commit, so this read is the version just written
    calendar.version = WorkingCalendar.objects.values_list("version", flat=True).get(pk=calendar.pk)
    ids = [
        calendar.pk,
        *WorkingCalendar.objects.filter(holidays_from=calendar).values_list("pk", flat=True),
    ]
    _forget(*ids)
    transaction.on_commit(
        lambda: [calendar_changed.send(WorkingCalendar, calendar_id=i) for i in ids]
    )


# -- the company calendar -----------------------------------------------------------------
def calendar_seed_default() -> WorkingCalendar:
    """Create the company calendar ``default`` (08:30–12:00 and 13:30–17:30, Monday to Friday)
    with every year chinesecalendar knows, holidays named in Chinese. Safe to repeat: an existing
    calendar only gains the package years it does not have yet."""
    with transaction.atomic():
        calendar = WorkingCalendar.objects.filter(code=DEFAULT_CODE).first()
        if calendar is None:
            calendar = WorkingCalendar.objects.create(
                code=DEFAULT_CODE,
                name="公司工作日历",
                owner_kind=OwnerKind.COMPANY,
                is_default=not WorkingCalendar.objects.filter(is_default=True).exists(),
            )
            WeeklyInterval.objects.bulk_create(
                WeeklyInterval(calendar=calendar, weekday=wd, start=a, end=b)
                for wd in DEFAULT_WEEKDAYS
                for a, b in DEFAULT_HOURS
            )
        known = set(calendar.years.values_list("year", flat=True))
        missing = sorted(chinese_days.package_years() - known)
        if not missing:
            return calendar
        taken = set(calendar.days.filter(date__year__in=missing).values_list("date", flat=True))
        CalendarDay.objects.bulk_create(
            [
                CalendarDay(
                    calendar=calendar,
                    date=row.day,
                    kind=row.kind,
                    name=row.name,
                    source=Source.PACKAGE,
                )
                for year in missing
                for row in chinese_days.package_days(year)
                if row.day not in taken
            ]
        )
        note = f"chinesecalendar {chinese_days.package_version()}".strip()
        CalendarYear.objects.bulk_create(
            [
                CalendarYear(calendar=calendar, year=y, source=Source.PACKAGE, note=note)
                for y in missing
            ]
        )
        if known:  # an existing calendar gained years: tell whoever computes on it
            _touch(calendar)
    return calendar


def calendar_default() -> WorkingCalendar:
    """The company calendar (created on first use if a flushed database lost it)."""
    calendar = WorkingCalendar.objects.filter(is_default=True).first()
    return calendar or calendar_seed_default()


def staff_absent(user: Any, start: dt.datetime, end: dt.datetime) -> bool:
    """Whether ``user`` is away at any moment of ``[start, end)``."""
    return StaffAbsence.objects.filter(user=user, start__lt=end, end__gt=start).exists()


# -- compiled calendars ---------------------------------------------------------------------
_cache: dict[int, tuple[tuple, Calendar]] = {}
_cache_lock = threading.Lock()


def _forget(*ids: int) -> None:
    with _cache_lock:
        for i in ids:
            _cache.pop(i, None)


def _stamp(column: str, value: Any) -> tuple | None:
    """(id, version, updated_at, followed version, followed updated_at) of one calendar, by one
    plain indexed query (about 20 µs, a tenth of the ORM's) since every deadline asks it.

    The time of the last change is part of the stamp: a version number alone can repeat after a
    restore (or a rolled-back transaction) with other contents."""
    qn = connection.ops.quote_name
    table = qn(WorkingCalendar._meta.db_table)
    sql = (
        f"SELECT c.id, c.version, c.updated_at, p.version, p.updated_at FROM {table} c "
        f"LEFT JOIN {table} p ON p.id = c.holidays_from_id WHERE c.{qn(column)} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [value])
        return cursor.fetchone()


def calendar_for(calendar: WorkingCalendar | str | int) -> Calendar:
    """The compiled calendar for a calendar, its code or its id — one query to check the
    version stamp, rebuilt only when the calendar or the one it takes holidays from changed.
    Raises ``WorkingCalendar.DoesNotExist`` for an unknown calendar."""
    if isinstance(calendar, WorkingCalendar):
        row = _stamp("id", calendar.pk)
    elif isinstance(calendar, int):
        row = _stamp("id", calendar)
    else:
        row = _stamp("code", str(calendar))
    if row is None:
        raise WorkingCalendar.DoesNotExist(f"no working calendar {calendar!r}")
    pk, stamp = row[0], tuple(row[1:])
    cached = _cache.get(pk)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    compiled = compile_calendar(WorkingCalendar.objects.get(pk=pk))
    with _cache_lock:
        _cache[pk] = (stamp, compiled)
    return compiled


def compile_calendar(calendar: WorkingCalendar) -> Calendar:
    """Read a calendar's hours, days and years (and those of the calendar it takes holidays
    from) into an immutable :class:`Calendar`."""
    weekly: dict[int, list[tuple[dt.time, dt.time]]] = {}
    for row in calendar.weekly_intervals.order_by("weekday", "start"):
        weekly.setdefault(row.weekday, []).append((row.start, row.end))
    standard = next((weekly[wd] for wd in range(7) if weekly.get(wd)), [])
    holidays = calendar.holidays_from if calendar.holidays_from_id else None
    sources = [holidays, calendar] if holidays is not None else [calendar]
    overrides: dict[dt.date, list[tuple[dt.time, dt.time]]] = {}
    years: set[int] = set()
    for source in sources:
        for day, kind, intervals in source.days.values_list("date", "kind", "intervals"):
            if kind == DayKind.HOLIDAY:
                overrides[day] = []
            else:
                overrides[day] = from_json(intervals) or standard
        years.update(source.years.values_list("year", flat=True))
    return Calendar(
        tz=zoneinfo.ZoneInfo(calendar.timezone),
        weekly=weekly,
        overrides=overrides,
        known_years=frozenset(years),
        code=calendar.code,
    )


# -- calendars --------------------------------------------------------------------------------
CALENDAR_FIELDS = [
    "code",
    "name",
    "owner_kind",
    "service_center",
    "team",
    "holidays_from",
    "timezone",
]


def _check_owner(owner_kind: str, service_center: Any, team: Any) -> None:
    if owner_kind not in OwnerKind.values:
        raise InvalidInput(_("Unknown owner kind."), detail={"field": "owner_kind"})
    if owner_kind == OwnerKind.SERVICE_CENTER and service_center is None:
        raise InvalidInput(_("Choose the service center."), detail={"field": "service_center"})
    if owner_kind == OwnerKind.TEAM and team is None:
        raise InvalidInput(_("Choose the team."), detail={"field": "team"})


def _check_holidays_from(calendar: WorkingCalendar | None, source: WorkingCalendar | None) -> None:
    if source is None:
        return
    if calendar is not None and source.pk == calendar.pk:
        raise InvalidInput(
            _("A calendar cannot take its holidays from itself."), detail={"field": "holidays_from"}
        )
    if source.holidays_from_id:
        raise InvalidInput(
            _("Take holidays from a calendar that keeps its own, such as the company calendar."),
            detail={"field": "holidays_from"},
        )
    if calendar is not None and WorkingCalendar.objects.filter(holidays_from=calendar).exists():
        raise InvalidInput(
            _("Other calendars take their holidays from this one, so it must keep its own."),
            detail={"field": "holidays_from"},
        )


@transaction.atomic
def calendar_create(
    *,
    actor: Any,
    code: str,
    name: str,
    owner_kind: str = OwnerKind.COMPANY,
    service_center: Any = None,
    team: Any = None,
    tz: str = "Asia/Shanghai",
    holidays_from: WorkingCalendar | None = None,
    weekly: dict[int, list[tuple[dt.time, dt.time]]] | None = None,
) -> WorkingCalendar:
    """A new calendar. A center's or team's calendar takes the company calendar's holidays unless
    told otherwise; without weekly hours it starts with the company default's."""
    _check_owner(owner_kind, service_center, team)
    _check_timezone(tz)
    if owner_kind != OwnerKind.COMPANY and holidays_from is None:
        holidays_from = calendar_default()
    _check_holidays_from(None, holidays_from)
    if WorkingCalendar.objects.filter(code=code).exists():
        raise InvalidInput(_("A calendar with this code exists already."), detail={"field": "code"})
    if team is not None and WorkingCalendar.objects.filter(team=team).exists():
        raise InvalidInput(_("This team has a calendar already."), detail={"field": "team"})
    if (
        service_center is not None
        and WorkingCalendar.objects.filter(service_center=service_center).exists()
    ):
        raise InvalidInput(
            _("This service center has a calendar already."), detail={"field": "service_center"}
        )
    try:
        with transaction.atomic():
            calendar = WorkingCalendar.objects.create(
                code=code,
                name=name,
                owner_kind=owner_kind,
                service_center=service_center if owner_kind == OwnerKind.SERVICE_CENTER else None,
                team=team if owner_kind == OwnerKind.TEAM else None,
                timezone=tz,
                holidays_from=holidays_from,
            )
    except IntegrityError as exc:
        raise InvalidInput(_("A calendar with this code or owner exists already.")) from exc
    if weekly is None:
        base = holidays_from or calendar_default()
        weekly = {}
        for row in base.weekly_intervals.all():
            weekly.setdefault(row.weekday, []).append((row.start, row.end))
    _write_weekly(calendar, weekly)
    audit_record(
        actor=actor,
        action="calendar.create",
        obj=calendar,
        after={**model_snapshot(calendar, CALENDAR_FIELDS), "weekly": _weekly_json(calendar)},
    )
    return calendar


@transaction.atomic
def calendar_update(
    *,
    actor: Any,
    calendar: WorkingCalendar,
    expected_version: int | None = None,
    name: str | None = None,
    tz: str | None = None,
    holidays_from: WorkingCalendar | str | None = "unchanged",
) -> WorkingCalendar:
    """Rename a calendar, change its time zone or where it takes holidays from."""
    before = model_snapshot(calendar, CALENDAR_FIELDS)
    if name is not None:
        if not name.strip():
            raise InvalidInput(_("The name cannot be empty."), detail={"field": "name"})
        calendar.name = name.strip()
    if tz is not None:
        calendar.timezone = _check_timezone(tz)
    if holidays_from != "unchanged":
        _check_holidays_from(calendar, holidays_from)  # type: ignore[arg-type]
        calendar.holidays_from = holidays_from  # type: ignore[assignment]
    _touch(calendar, expected_version)
    calendar.save(update_fields=["name", "timezone", "holidays_from"])
    b, a = _diff(before, model_snapshot(calendar, CALENDAR_FIELDS))
    audit_record(actor=actor, action="calendar.update", obj=calendar, before=b, after=a)
    return calendar


def _diff(before: dict, after: dict) -> tuple[dict, dict]:
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


def _weekly_json(calendar: WorkingCalendar) -> dict[str, list[list[str]]]:
    out: dict[str, list[list[str]]] = {}
    for row in calendar.weekly_intervals.order_by("weekday", "start"):
        out.setdefault(str(row.weekday), []).append([f"{row.start:%H:%M}", f"{row.end:%H:%M}"])
    return out


def _write_weekly(
    calendar: WorkingCalendar, weekly: dict[int, list[tuple[dt.time, dt.time]]]
) -> None:
    checked = {}
    for wd, pairs in weekly.items():
        if int(wd) not in range(7):
            raise InvalidInput(
                _("Weekdays are 0 (Monday) to 6 (Sunday)."), detail={"field": "weekday"}
            )
        checked[int(wd)] = _intervals_or_invalid(pairs)
    calendar.weekly_intervals.all().delete()
    WeeklyInterval.objects.bulk_create(
        WeeklyInterval(calendar=calendar, weekday=wd, start=a, end=b)
        for wd, pairs in sorted(checked.items())
        for a, b in pairs
    )


@transaction.atomic
def calendar_set_weekly(
    *,
    actor: Any,
    calendar: WorkingCalendar,
    weekly: dict[int, list[tuple[dt.time, dt.time]] | str],
    expected_version: int | None = None,
) -> WorkingCalendar:
    """Replace the weekly working hours (weekday → intervals, or text like ``08:30-12:00;…``);
    a weekday left out has no working hours."""
    before = _weekly_json(calendar)
    _touch(calendar, expected_version)
    _write_weekly(calendar, weekly)  # type: ignore[arg-type]
    after = _weekly_json(calendar)
    audit_record(
        actor=actor,
        action="calendar.weekly",
        obj=calendar,
        before={"weekly": before},
        after={"weekly": after},
    )
    return calendar


# -- days ---------------------------------------------------------------------------------------
def _check_day(kind: str, intervals: list[tuple[dt.time, dt.time]]) -> None:
    if kind not in DayKind.values:
        raise InvalidInput(_("Unknown kind of day."), detail={"field": "kind"})
    if kind == DayKind.HOLIDAY and intervals:
        raise InvalidInput(
            _("A holiday is closed: leave its working hours empty."), detail={"field": "intervals"}
        )
    if kind == DayKind.SPECIAL_HOURS and not intervals:
        raise InvalidInput(
            _("Give the working hours of a day with special hours."), detail={"field": "intervals"}
        )


@transaction.atomic
def calendar_day_set(
    *,
    actor: Any,
    calendar: WorkingCalendar,
    date: dt.date,
    kind: str,
    name: str = "",
    intervals: list[tuple[dt.time, dt.time]] | str = (),  # type: ignore[assignment]
    source: str = Source.MANUAL,
    expected_version: int | None = None,
) -> CalendarDay:
    """Add or change the override of one date: a holiday, a make-up working day or special hours."""
    pairs = _intervals_or_invalid(intervals)
    _check_day(kind, pairs)
    _check_year(date.year)
    _touch(calendar, expected_version)
    day = CalendarDay.objects.filter(calendar=calendar, date=date).first()
    before = model_snapshot(day, ["date", "kind", "name", "intervals"]) if day else None
    if day is None:
        day = CalendarDay(calendar=calendar, date=date)
    day.kind, day.name, day.intervals, day.source = kind, name.strip()[:100], to_json(pairs), source
    day.save()
    after = model_snapshot(day, ["date", "kind", "name", "intervals"])
    if before:
        before, after = _diff(before, after)
    audit_record(
        actor=actor,
        action="calendar_day.update" if before is not None else "calendar_day.create",
        obj=day,
        object_repr=f"{calendar.code} {day}",
        before=before,
        after=after,
    )
    return day


@transaction.atomic
def calendar_day_delete(
    *, actor: Any, calendar: WorkingCalendar, date: dt.date, expected_version: int | None = None
) -> None:
    """Remove the override of one date; the weekly hours apply to it again."""
    day = CalendarDay.objects.filter(calendar=calendar, date=date).first()
    if day is None:
        raise InvalidInput(_("There is no override on this date."), detail={"field": "date"})
    _touch(calendar, expected_version)
    before = model_snapshot(day, ["date", "kind", "name", "intervals"])
    audit_record(
        actor=actor,
        action="calendar_day.delete",
        obj=day,
        object_repr=f"{calendar.code} {day}",
        before=before,
    )
    day.delete()


@transaction.atomic
def calendar_year_mark(
    *,
    actor: Any,
    calendar: WorkingCalendar,
    year: int,
    source: str = Source.MANUAL,
    note: str = "",
    expected_version: int | None = None,
) -> CalendarYear:
    """Declare that the year's holidays and make-up days are complete in this calendar, so
    deadlines in it are computed on working time instead of being estimated."""
    _check_year(year)
    _touch(calendar, expected_version)
    row, created = CalendarYear.objects.get_or_create(
        calendar=calendar,
        year=year,
        defaults={"source": source, "entered_by": actor_or_none(actor), "note": note[:200]},
    )
    if not created:
        row.source, row.entered_by, row.note = source, actor_or_none(actor), note[:200]
        row.entered_at = timezone.now()
        row.save()
    audit_record(
        actor=actor,
        action="calendar_year.mark",
        obj=row,
        object_repr=f"{calendar.code} {year}",
        after={"year": year, "source": source, "note": note[:200]},
    )
    return row


@transaction.atomic
def calendar_year_unmark(
    *, actor: Any, calendar: WorkingCalendar, year: int, expected_version: int | None = None
) -> None:
    """Declare a year unknown again (its days stay, deadlines in it become estimates)."""
    row = CalendarYear.objects.filter(calendar=calendar, year=year).first()
    if row is None:
        raise InvalidInput(_("This year is not marked as known."), detail={"field": "year"})
    _touch(calendar, expected_version)
    audit_record(
        actor=actor,
        action="calendar_year.unmark",
        obj=row,
        object_repr=f"{calendar.code} {year}",
        before={"year": year, "source": row.source},
    )
    row.delete()


# -- imports ----------------------------------------------------------------------------------
@dataclass
class ImportRow:
    line: int
    date: dt.date | None
    kind: str
    name: str
    intervals: list[tuple[dt.time, dt.time]]
    action: str = ""  # create / update / unchanged
    error: str = ""


@dataclass
class ImportReport:
    """What an import did (or, on a dry run, would do), row by row."""

    dry_run: bool
    rows: list[ImportRow] = field(default_factory=list)
    years: list[int] = field(default_factory=list)

    @property
    def errors(self) -> list[ImportRow]:
        return [r for r in self.rows if r.error]

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action and not r.error)


KIND_ALIASES = {
    "holiday": DayKind.HOLIDAY,
    "假日": DayKind.HOLIDAY,
    "节假日": DayKind.HOLIDAY,
    "休": DayKind.HOLIDAY,
    "makeup_workday": DayKind.MAKEUP_WORKDAY,
    "makeup": DayKind.MAKEUP_WORKDAY,
    "workday": DayKind.MAKEUP_WORKDAY,
    "调休": DayKind.MAKEUP_WORKDAY,
    "补班": DayKind.MAKEUP_WORKDAY,
    "班": DayKind.MAKEUP_WORKDAY,
    "special_hours": DayKind.SPECIAL_HOURS,
    "special": DayKind.SPECIAL_HOURS,
}


def decode_csv(content: str | bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030 as Excel in China saves it."""
    if isinstance(content, str):
        return content
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidInput(_("The file is not UTF-8 or GB18030 text."), detail={"field": "file"})


def parse_csv(content: str | bytes) -> list[ImportRow]:
    """Rows ``date,kind,name,start-end;start-end`` (a header line is allowed) → checked rows,
    each with its error in the user's language."""
    content = decode_csv(content)
    rows: list[ImportRow] = []
    seen: dict[dt.date, int] = {}
    for number, record in enumerate(csv.reader(io.StringIO(content.lstrip("\ufeff"))), start=1):
        if not record or not "".join(record).strip() or record[0].strip().startswith("#"):
            continue
        if number == 1 and record[0].strip().lower() in ("date", "日期"):
            continue
        cells = [c.strip() for c in record] + ["", "", ""]
        row = ImportRow(line=number, date=None, kind="", name=cells[2][:100], intervals=[])
        rows.append(row)
        try:
            row.date = dt.date.fromisoformat(cells[0])
        except ValueError:
            row.error = gettext("“%(value)s” is not a date like 2027-10-01.") % {"value": cells[0]}
            continue
        row.kind = KIND_ALIASES.get(cells[1].lower(), "")
        if not row.kind:
            row.error = gettext(
                "“%(value)s” is not a kind of day: use holiday, makeup_workday or special_hours."
            ) % {"value": cells[1]}
            continue
        try:
            row.intervals = parse_intervals(cells[3])
        except IntervalError as exc:
            row.error = interval_message(exc)
            continue
        try:
            _check_day(row.kind, row.intervals)
            _check_year(row.date.year)
        except InvalidInput as exc:
            row.error = str(exc.message)
            continue
        if row.date in seen:
            row.error = gettext("The date appears twice (first on line %(line)s).") % {
                "line": seen[row.date]
            }
            continue
        seen[row.date] = number
    return rows


def _apply_rows(
    *, actor: Any, calendar: WorkingCalendar, report: ImportReport, source: str
) -> ImportReport:
    """Compare the rows with the calendar, then (unless a dry run or any row is wrong) write them
    and mark the years known — all or nothing."""
    dates = [r.date for r in report.rows if r.date and not r.error]
    existing = {d.date: d for d in CalendarDay.objects.filter(calendar=calendar, date__in=dates)}
    for row in report.rows:
        if row.error:
            continue
        old = existing.get(row.date)  # type: ignore[arg-type]  # a row without an error has a date
        if old is None:
            row.action = "create"
        elif (old.kind, old.name, old.intervals) == (row.kind, row.name, to_json(row.intervals)):
            row.action = "unchanged"
        else:
            row.action = "update"
    if report.dry_run or not report.ok:
        return report
    _touch(calendar)
    for row in report.rows:
        if row.action == "unchanged":
            continue
        CalendarDay.objects.update_or_create(
            calendar=calendar,
            date=row.date,  # type: ignore[misc]  # the rows were checked: each has a date
            defaults={
                "kind": row.kind,
                "name": row.name,
                "intervals": to_json(row.intervals),
                "source": source,
            },
        )
    for year in report.years:
        known, created = CalendarYear.objects.get_or_create(
            calendar=calendar,
            year=year,
            defaults={"source": source, "entered_by": actor_or_none(actor)},
        )
        if not created:
            known.source, known.entered_by = source, actor_or_none(actor)
            known.entered_at = timezone.now()
            known.save()
    audit_record(
        actor=actor,
        action=f"calendar.import_{source}",
        obj=calendar,
        after={
            "years": report.years,
            "created": report.count("create"),
            "updated": report.count("update"),
            "unchanged": report.count("unchanged"),
        },
    )
    return report


@transaction.atomic
def calendar_import_package(
    *, actor: Any, calendar: WorkingCalendar, year: int, dry_run: bool = False
) -> ImportReport:
    """Take a year's holidays and make-up days from the installed chinesecalendar release."""
    year = _check_year(year)
    if year not in chinese_days.package_years():
        known = sorted(chinese_days.package_years())
        raise InvalidInput(
            _(
                "The installed chinesecalendar (%(version)s) does not know %(year)s; it knows "
                "%(first)s–%(last)s. Upgrade the package or import a CSV file."
            )
            % {
                "version": chinese_days.package_version(),
                "year": year,
                "first": known[0] if known else "-",
                "last": known[-1] if known else "-",
            },
            detail={"field": "year"},
        )
    rows = [
        ImportRow(line=n, date=r.day, kind=r.kind, name=r.name, intervals=[])
        for n, r in enumerate(chinese_days.package_days(year), start=1)
    ]
    report = ImportReport(dry_run=dry_run, rows=rows, years=[year])
    return _apply_rows(actor=actor, calendar=calendar, report=report, source=Source.PACKAGE)


@transaction.atomic
def calendar_import_csv(
    *,
    actor: Any,
    calendar: WorkingCalendar,
    content: str | bytes,
    dry_run: bool = False,
    complete_years: bool = True,
) -> ImportReport:
    """Import days from CSV; with ``complete_years`` the years in the file become known."""
    rows = parse_csv(content)
    if not rows:
        raise InvalidInput(_("The file has no rows."))
    years = sorted({r.date.year for r in rows if r.date}) if complete_years else []
    report = ImportReport(dry_run=dry_run, rows=rows, years=years)
    return _apply_rows(actor=actor, calendar=calendar, report=report, source=Source.CSV)


# -- absences ---------------------------------------------------------------------------------
@transaction.atomic
def staff_absence_create(
    *, actor: Any, user: Any, start: dt.datetime, end: dt.datetime, reason: str = ""
) -> StaffAbsence:
    """Record that a staff member is away from ``start`` until ``end``."""
    if end <= start:
        raise InvalidInput(_("The absence must end after it starts."), detail={"field": "end"})
    absence = StaffAbsence.objects.create(
        user=user,
        start=start,
        end=end,
        reason=reason.strip()[:200],
        created_by=actor_or_none(actor),
    )
    audit_record(
        actor=actor,
        action="staff_absence.create",
        obj=absence,
        after=model_snapshot(absence, ["user", "start", "end", "reason"]),
    )
    return absence


@transaction.atomic
def staff_absence_delete(*, actor: Any, absence: StaffAbsence) -> None:
    """Remove a recorded absence."""
    audit_record(
        actor=actor,
        action="staff_absence.delete",
        obj=absence,
        before=model_snapshot(absence, ["user", "start", "end", "reason"]),
    )
    absence.delete()


# -- the missing next year ----------------------------------------------------------------------
def missing_year_notify(today: dt.date | None = None) -> int:
    """From 1 December, e-mail every active administrator once that next year's holidays are
    missing from the calendars that keep their own. Returns the number of messages queued (0 when
    nothing is missing, before 1 December, or when they were told already)."""
    from aftersales.accounts.models import User
    from aftersales.accounts.roles import Role
    from aftersales.notifications.models import Channel
    from aftersales.notifications.services import notification_queue

    from .selectors import missing_next_year

    year, missing = missing_next_year(today)
    if not missing:
        return 0
    names = [c.name for c in missing]
    with transaction.atomic():
        try:
            with transaction.atomic():
                YearWarning.objects.create(year=year, calendars=[c.code for c in missing])
        except IntegrityError:
            return 0  # told already (or another worker is telling them right now)
        admins = User.objects.filter(is_active=True, groups__name=Role.ADMINISTRATOR).distinct()
        sent = 0
        for admin in admins.order_by("pk"):
            notification_queue(
                channel=Channel.EMAIL,
                template="calendar_year_missing",
                recipient=admin.email,
                recipient_user=admin,
                language=admin.preferred_language,
                context={"year": year, "calendars": names, "recipient": str(admin)},
            )
            sent += 1
        audit_record(
            actor=None,
            action="calendar_year.missing_warning",
            object_type="calendars.yearwarning",
            object_id=year,
            object_repr=str(year),
            after={"year": year, "calendars": [c.code for c in missing], "notified": sent},
        )
    return sent
