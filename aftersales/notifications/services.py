"""Queueing and delivering notifications through the outbox."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from aftersales.core.rows import insert_rows

from . import hooks
from .models import Channel, Notification, State
from .transitions import NOTIFICATIONS, SYSTEM

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
CLAIM_LEASE = dt.timedelta(minutes=5)


def backoff(attempts: int) -> dt.timedelta:
    """1, 2, 4, 8, 16 … minutes between tries."""
    return dt.timedelta(minutes=2 ** max(attempts - 1, 0))


def render_message(template: str, language: str, context: dict[str, Any]) -> tuple[str, str]:
    """Render subject and body of ``template`` in ``language``."""
    ctx = {"site_url": settings.SITE_URL, **context}
    with translation.override(language):
        subject = render_to_string(f"notifications/{template}_subject.txt", ctx).strip()
        body = render_to_string(f"notifications/{template}_body.txt", ctx).strip()
    return " ".join(subject.split())[:200], body


@dataclass
class Message:
    """One message ready to queue: rendered, addressed (``recipient`` may be empty: the row is
    then kept as skipped, so the timeline can say why nobody was told)."""

    channel: str
    template: str
    language: str
    recipient: str
    subject: str
    body: str
    recipient_user: Any = None
    case: Any = None


def _row(message: Message) -> Notification:
    return Notification(
        channel=message.channel,
        template=message.template,
        language=message.language,
        recipient=message.recipient,
        recipient_user=message.recipient_user,
        case=message.case,
        subject=message.subject,
        body=message.body,
        state=State.PENDING if message.recipient else State.SKIPPED,
        last_error="" if message.recipient else "no address",
    )


def notifications_queue(messages: list[Message]) -> list[Notification]:
    """Write many rendered messages into the outbox in one statement and send the addressed
    ones after commit. The only writer of outbox rows besides :func:`notification_queue`."""
    rows = [_row(m) for m in messages]
    if not rows:
        return rows
    insert_rows(rows, returning=True)
    ids = [n.pk for n in rows if n.state == State.PENDING]
    if ids:
        from .tasks import send_notifications

        transaction.on_commit(lambda: send_notifications(ids))
    return rows


def notification_queue(
    *,
    channel: str,
    template: str,
    recipient: str,
    context: dict[str, Any],
    language: str = "zh-hans",
    case: Any = None,
    recipient_user: Any = None,
) -> Notification:
    """Write the message into the outbox and send it once the transaction commits."""
    subject, body = render_message(template, language, context)
    note = _row(
        Message(
            channel=channel,
            template=template,
            language=language,
            recipient=recipient,
            subject=subject,
            body=body,
            recipient_user=recipient_user,
            case=case,
        )
    )
    # Through the ORM, not insert_rows: the demo loader listens to this model's post_save.
    note.save(force_insert=True)
    if note.state == State.PENDING:
        from .tasks import send_notification

        transaction.on_commit(lambda: send_notification(note.pk))
    return note


def notification_idempotency_key(note: Notification) -> str:
    """The message's identity for the receiving side, derived from the outbox row only: the
    same on every try (a retry, a resend after a claim's lease ran out), so a receiver that
    saw it once can drop the duplicate; the row's creation time keeps it unique when ids start
    again on a new database. Channels other than e-mail pass it as their idempotency id."""
    return f"aftersales-notification-{note.pk}-{note.created_at:%Y%m%d%H%M%S%f}"


def notification_message_id(note: Notification) -> str:
    """``Message-ID`` of the e-mail: the idempotency key at the sender's domain."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<{notification_idempotency_key(note)}@{domain}>"


def _send(note: Notification) -> None:
    if note.channel == Channel.EMAIL:
        EmailMessage(
            subject=note.subject,
            body=note.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[note.recipient],
            headers={
                "Message-ID": notification_message_id(note),
                "X-Aftersales-Notification": str(note.pk),
            },
        ).send(fail_silently=False)
    elif note.channel == Channel.IN_APP:
        return
    else:
        raise RuntimeError(f"no sender configured for channel {note.channel}")


def notification_deliver(notification_id: int) -> str:
    """Try to send one notification. Safe to call twice or from two workers at once: only the
    caller that claims the row by a conditional update sends it."""
    now = timezone.now()
    claimed = (
        Notification.objects.filter(
            pk=notification_id, state__in=NOTIFICATIONS.sources(State.SENT, SYSTEM)
        )
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(attempts=F("attempts") + 1, next_attempt_at=now + CLAIM_LEASE)
    )
    if not claimed:
        return "not-due"
    note = Notification.objects.select_related("case", "recipient_user").get(pk=notification_id)
    try:
        _send(note)
    except Exception as exc:  # any transport error: record it and retry later
        log.warning("notification %s failed: %s", note.pk, exc)
        dead = note.attempts >= MAX_ATTEMPTS
        to = NOTIFICATIONS.check(note.state, State.DEAD if dead else State.FAILED, SYSTEM).to
        with transaction.atomic():
            Notification.objects.filter(pk=note.pk).update(
                state=to,
                next_attempt_at=None if dead else timezone.now() + backoff(note.attempts),
                last_error=str(exc)[:2000],
            )
            if dead and note.case_id:
                _timeline(note, failed=True)
        return "dead" if dead else "failed"
    NOTIFICATIONS.check(note.state, State.SENT, SYSTEM)
    with transaction.atomic():
        Notification.objects.filter(pk=note.pk).update(
            state=State.SENT, sent_at=timezone.now(), next_attempt_at=None, last_error=""
        )
        if note.case_id:
            _timeline(note, failed=False)
    return "sent"


def _timeline(note: Notification, *, failed: bool) -> None:
    hooks.delivery_recorded.run(hooks.DeliveryRecorded(notification=note, failed=failed))


def mask_address(address: str) -> str:
    """``zhangwei@example.cn`` → ``z***@example.cn``: enough to tell which address, no more."""
    local, at, domain = (address or "").partition("@")
    if not at:
        return address[:3] + "***" if address else ""
    return f"{local[:1]}***@{domain}"


def notifications_due(limit: int = 200, grace: dt.timedelta = dt.timedelta(minutes=1)) -> list[int]:
    """Ids of messages that should have gone out by now (stuck pending, or retry due). A pending
    row younger than ``grace`` is left to the send task its commit queued."""
    now = timezone.now()
    return list(
        Notification.objects.filter(
            Q(state=State.PENDING, next_attempt_at__isnull=True, created_at__lte=now - grace)
            | Q(state__in=[State.PENDING, State.FAILED], next_attempt_at__lte=now)
        )
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
