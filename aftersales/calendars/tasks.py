"""Background jobs of the calendars app: thin, idempotent."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(hour="9", minute="0"))
def calendar_year_check() -> int:
    """Every morning from 1 December: tell administrators, once, that next year is missing."""
    from .services import missing_year_notify

    return missing_year_notify()
