"""Background jobs of the parts app. Thin: they call the services."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .abc import abc_reclassify


@db_periodic_task(crontab(minute="20", hour="2", day_of_week="1"))
def reclassify_parts_abc() -> dict[str, int]:
    """Mondays at 02:20: recompute the ABC classes from the last twelve months."""
    return abc_reclassify()
