"""Two administrators save a day of the same calendar at the same moment, both from the version
they saw: exactly one wins, the other is told, and nothing is half written."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection

from aftersales.calendars import services
from aftersales.calendars.models import CalendarDay, WorkingCalendar
from aftersales.core.errors import VersionConflict


@pytest.mark.django_db(transaction=True)
def test_concurrent_edits_from_one_version(users):
    admin = users["administrator"]
    seen = services.calendar_default().version
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def edit(day: int) -> None:
        try:
            calendar = WorkingCalendar.objects.get(code="default")
            barrier.wait(timeout=10)
            services.calendar_day_set(
                actor=admin,
                calendar=calendar,
                date=dt.date(2026, 12, day),
                kind="holiday",
                name="停电检修",
                expected_version=seen,
            )
            outcomes.append("saved")
        except VersionConflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=edit, args=(d,)) for d in (7, 8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == ["conflict", "saved"]
    assert CalendarDay.objects.filter(name="停电检修").count() == 1
    assert services.calendar_default().version == seen + 1
