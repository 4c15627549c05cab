"""Which working calendar a clock counts on, and the calendars loaded once per run.

A target names its calendar, or its policy does; otherwise the clock counts on the calendar of
the case's team (its own, its service center's, or the company's — see
:func:`aftersales.calendars.selectors.calendar_for_team`). The calendar chosen is stored on the
clock, so a later edit of that calendar recomputes exactly the clocks that use it.
"""

from __future__ import annotations

from typing import Any

from aftersales.calendars.worktime import Calendar


def load(calendar_id: int | None) -> Calendar | None:
    """The compiled calendar of a stored calendar, or ``None`` (natural time only)."""
    if calendar_id is None:
        return None
    from aftersales.calendars.models import WorkingCalendar
    from aftersales.calendars.services import calendar_for

    try:
        return calendar_for(int(calendar_id))
    except WorkingCalendar.DoesNotExist:
        return None


def calendar_for_target(
    *, case: Any, policy: Any, target: Any
) -> tuple[int | None, Calendar | None]:
    """(stored calendar id, compiled calendar) for a clock of ``target`` on ``case``."""
    chosen = getattr(target, "calendar_id", None) or getattr(policy, "calendar_id", None)
    if chosen:
        return chosen, load(chosen)
    from aftersales.calendars.selectors import calendar_for_team
    from aftersales.calendars.services import calendar_default, calendar_for

    stored = calendar_for_team(case.team) if case.team_id else calendar_default()
    return stored.pk, calendar_for(stored)


def calendar_for_staff(user: Any) -> Calendar | None:
    """The compiled calendar of a member of staff (their team's, center's or the company's)."""
    from aftersales.calendars.selectors import calendar_for_user
    from aftersales.calendars.services import calendar_for

    stored = calendar_for_user(user)
    return calendar_for(stored) if stored is not None else None


def calendar_ids_for_staff(users: list[Any]) -> dict[int, int]:
    """Stored calendar id per member of staff (the calendars app's rule, for many at once)."""
    from aftersales.calendars.selectors import calendar_ids_for_users

    return calendar_ids_for_users(users)


class CalendarCache:
    """Calendars by stored id, loaded once per sweep or per case change."""

    def __init__(self) -> None:
        self._by_id: dict[int | None, Calendar | None] = {}

    def get(self, calendar_id: int | None) -> Calendar | None:
        if calendar_id not in self._by_id:
            self._by_id[calendar_id] = load(calendar_id)
        return self._by_id[calendar_id]
