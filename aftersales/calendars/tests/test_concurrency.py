"""Two administrators save a day of the same calendar at the same moment, both from the version
they saw: exactly one wins, the other is told, and nothing is half written."""

from __future__ import annotations

import datetime as dt

import pytest

from aftersales.calendars import services
from aftersales.calendars.models import CalendarDay, WorkingCalendar
from aftersales.core.errors import VersionConflict
from aftersales.core.testing import run_concurrently


@pytest.mark.django_db(transaction=True)
def test_concurrent_edits_from_one_version(users):
    admin = users["administrator"]
    seen = services.calendar_default().version

    def edit(i: int) -> str:
        services.calendar_day_set(
            actor=admin,
            calendar=WorkingCalendar.objects.get(code="default"),
            date=dt.date(2026, 12, 7 + i),
            kind="holiday",
            name="停电检修",
            expected_version=seen,
        )
        return "saved"

    results = run_concurrently(2, edit)
    outcomes = ["conflict" if isinstance(r, VersionConflict) else r for r in results]
    assert sorted(outcomes) == ["conflict", "saved"], results
    assert CalendarDay.objects.filter(name="停电检修").count() == 1
    assert services.calendar_default().version == seen + 1
