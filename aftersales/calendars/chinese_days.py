"""China's statutory holidays and make-up working days (调休) as the ``chinesecalendar`` package
knows them, with the holidays' Chinese names — the seed and the "import from the package" source of
the working calendars (R2.2). No Django import, so the arithmetic tests and the bench can use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import chinese_calendar

HOLIDAY = "holiday"
MAKEUP_WORKDAY = "makeup_workday"

# chinesecalendar names its holidays in English; the calendar shows the names people use.
HOLIDAY_NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


@dataclass(frozen=True)
class PackageDay:
    """One dated exception to the weekly pattern: a day off or a worked weekend day."""

    day: date
    kind: str  # HOLIDAY or MAKEUP_WORKDAY
    name: str


def _zh(name: object) -> str:
    text = getattr(name, "value", name)
    return HOLIDAY_NAMES_ZH.get(str(text), str(text))


def package_version() -> str:
    return getattr(chinese_calendar, "__version__", "")


def package_years() -> frozenset[int]:
    """The years the installed release of chinesecalendar knows."""
    days = list(chinese_calendar.holidays) + list(chinese_calendar.workdays)
    return frozenset(d.year for d in days)


def package_days(year: int) -> list[PackageDay]:
    """The year's holidays and make-up working days in date order (``[]`` for an unknown year)."""
    rows = [
        PackageDay(d, HOLIDAY, _zh(name))
        for d, name in chinese_calendar.holidays.items()
        if d.year == year
    ]
    rows += [
        PackageDay(d, MAKEUP_WORKDAY, f"{_zh(name)}调休")
        for d, name in chinese_calendar.workdays.items()
        if d.year == year
    ]
    return sorted(rows, key=lambda r: r.day)
