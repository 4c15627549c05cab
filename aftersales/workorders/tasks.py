"""Background jobs of the work-order app: thin, idempotent, enqueued after commit."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(hour="8", minute="0"))
def certificates_expiry_warning() -> int:
    """Every morning: holders and managers of certificates expiring within 30 days."""
    from .staff import certificates_notify

    return certificates_notify()
