"""The case timeline records each message about the case that was sent or given up on
(R1.5), as a consumer of the notification outbox's hook (registered in ``CasesConfig.ready``)."""

from __future__ import annotations

from aftersales.notifications import hooks
from aftersales.notifications.services import mask_address

from .choices import EventKind
from .events import event_add


def _delivery_recorded(p: hooks.DeliveryRecorded) -> None:
    note = p.notification
    if note.case_id is None:
        return
    event_add(
        case=note.case,
        kind=EventKind.NOTIFICATION_FAILED if p.failed else EventKind.NOTIFICATION_SENT,
        actor=None,
        body=note.subject,
        data={
            "notification": note.pk,
            "channel": note.channel,
            "template": note.template,
            "attempts": note.attempts,
            "to": mask_address(note.recipient),
            "audience": "staff"
            if getattr(note.recipient_user, "is_staff_member", False)
            else "customer",
        },
    )


def register() -> None:
    hooks.delivery_recorded.register(_delivery_recorded, name="cases", order=10)
