"""``calendar_changed`` tells other apps (service levels, routing) that a calendar's working time
changed, so they can recompute deadlines; and the company calendar is seeded after ``migrate``.

The signal is sent after the commit of any edit of a calendar, its weekly hours, its days or an
imported year, once per calendar whose working time changed (a calendar that takes its holidays
from the edited one included), with ``calendar_id=…``.
"""

from __future__ import annotations

import django.dispatch
from django.apps import apps

calendar_changed = django.dispatch.Signal()


def seed_after_migrate(sender, **kwargs) -> None:
    """Create the company calendar with every year chinesecalendar knows (idempotent)."""
    last = [a for a in apps.get_app_configs() if a.models_module is not None][-1]
    if sender is not last:
        return
    from .services import calendar_seed_default

    calendar_seed_default()
