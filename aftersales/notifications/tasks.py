"""Background jobs for the outbox. Thin: they take ids and call services."""

from __future__ import annotations

import datetime as dt

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, on_startup

from .services import notification_deliver, notifications_due


@db_task()
def send_notification(notification_id: int) -> str:
    return notification_deliver(notification_id)


@db_task()
def send_notifications(notification_ids: list[int]) -> int:
    """Send a batch the outbox queued at once (each row is still claimed on its own)."""
    return sum(notification_deliver(pk) == "sent" for pk in notification_ids)


@db_task()
def send_outbox_now() -> int:
    """Send everything the outbox holds that has not gone out, however recent."""
    ids = notifications_due(grace=dt.timedelta(0))
    for pk in ids:
        notification_deliver(pk)
    return len(ids)


@on_startup()
def drain_outbox_on_start() -> None:
    """A worker that starts (a restart after a crash too) sends at once what was queued while
    no worker ran, instead of waiting for the minute sweep. Each row is claimed on its own, so
    a send task still in the queue for the same row does not send it twice."""
    send_outbox_now()


@db_periodic_task(crontab(minute="*"))
def resend_due_notifications() -> int:
    """Every minute: send what is stuck or due for a retry."""
    ids = notifications_due()
    for pk in ids:
        notification_deliver(pk)
    return len(ids)
