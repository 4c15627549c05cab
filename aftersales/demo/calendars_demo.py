"""Demo data for working calendars (R2.2): a calendar per service center from its opening hours,
team calendars for the field technicians and the dealer's workshop (Saturdays worked), a company
half-day for the year-end stocktake, and a few staff absences (annual leave, training).

The company calendar itself (with every year chinesecalendar knows, 国庆节, 中秋节 and the 调休
days named) is seeded by ``migrate``. Calendars are added once: nothing happens when the field
team's calendar exists already. Everything goes through the calendar services, so the audit log
shows who entered what.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

TEAM_CALENDARS: list[dict[str, Any]] = [
    {
        "code": "hl-field",
        "name": "上门维修组工作日历（周一至周六）",
        "team": "hl-field",
        "weekly": {wd: "08:00-12:00;13:00-18:00" for wd in range(6)},
    },
    {
        "code": "yh-workshop",
        "name": "机电维修班组工作日历（含周末）",
        "team": "yh-workshop",
        "weekly": {wd: "08:30-12:00;13:00-18:00" for wd in range(7)},
    },
    {
        "code": "hl-hotline",
        "name": "400 热线组工作日历（早八晚八）",
        "team": "hl-hotline",
        "weekly": {wd: "08:00-20:00" for wd in range(7)},
    },
]

COMPANY_DAYS = [
    (dt.date(2026, 12, 31), "special_hours", "年终盘点（下午停止受理）", "08:30-12:00"),
]

ABSENCES = [
    # (username, days from today, length in days, reason)
    ("technician", 3, 2, "年假"),
    ("agent", 7, 1, "新版售后系统培训"),
]

_WEEKDAY_KEYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def _center_weekly(opening_hours: dict) -> dict[int, str]:
    return {
        wd: ";".join(f"{a}-{b}" for a, b in opening_hours.get(key) or [])
        for wd, key in enumerate(_WEEKDAY_KEYS)
    }


def calendars_demo_load(out: Any = None) -> None:
    from aftersales.accounts.models import ServiceCenter, Team, User
    from aftersales.calendars import services
    from aftersales.calendars.models import OwnerKind, WorkingCalendar
    from aftersales.core.errors import DomainError

    if WorkingCalendar.objects.filter(code="hl-field").exists():
        return
    admin = User.objects.filter(username="admin").first()
    made = 0
    for center in ServiceCenter.objects.filter(calendars__isnull=True).order_by("code"):
        if not center.opening_hours:
            continue
        try:
            calendar = services.calendar_create(
                actor=admin,
                code=center.code,
                name=f"{center.name}营业时间",
                owner_kind=OwnerKind.SERVICE_CENTER,
                service_center=center,
            )
            services.calendar_set_weekly(
                actor=admin, calendar=calendar, weekly=_center_weekly(center.opening_hours)
            )
            made += 1
        except DomainError:
            continue  # a center whose hours the calendar cannot take keeps the company's
    for spec in TEAM_CALENDARS:
        team = Team.objects.filter(code=spec["team"]).first()
        if team is None or WorkingCalendar.objects.filter(team=team).exists():
            continue
        calendar = services.calendar_create(
            actor=admin, code=spec["code"], name=spec["name"], owner_kind=OwnerKind.TEAM, team=team
        )
        services.calendar_set_weekly(actor=admin, calendar=calendar, weekly=spec["weekly"])
        made += 1
    default = services.calendar_default()
    for day, kind, name, hours in COMPANY_DAYS:
        services.calendar_day_set(
            actor=admin, calendar=default, date=day, kind=kind, name=name, intervals=hours
        )
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    for username, offset, length, reason in ABSENCES:
        user = User.objects.filter(username=username).first()
        if user is None:
            continue
        start = dt.datetime.combine(today + dt.timedelta(days=offset), dt.time(0), tzinfo=tz)
        services.staff_absence_create(
            actor=admin,
            user=user,
            start=start,
            end=start + dt.timedelta(days=length),
            reason=reason,
        )
    if out is not None:
        out.write(
            f"Working calendars: {made} center and team calendars on top of the company "
            f"calendar ({len(services.calendar_for(default).known_years)} years of holidays)."
        )
