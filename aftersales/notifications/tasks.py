"""Background jobs for the outbox. Thin: they take ids and call services."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from .services import notification_deliver, notifications_due


@db_task()
def send_notification(notification_id: int) -> str:
    return notification_deliver(notification_id)


@db_task()
def send_notifications(notification_ids: list[int]) -> int:
    """Send a batch the outbox queued at once (each row is still claimed on its own)."""
    return sum(notification_deliver(pk) == "sent" for pk in notification_ids)


@db_periodic_task(crontab(minute="*"))
def resend_due_notifications() -> int:
    """Every minute: send what is stuck or due for a retry."""
    ids = notifications_due()
    for pk in ids:
        notification_deliver(pk)
    return len(ids)
