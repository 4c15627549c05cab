"""A message sent again (a retry, or a resend after a worker died holding the claim) carries
the same identity, so the receiving side can drop the duplicate; a starting worker drains the
outbox at once."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from aftersales.conftest import make_case
from aftersales.notifications import services
from aftersales.notifications.models import Notification, State
from aftersales.notifications.tasks import drain_outbox_on_start

pytestmark = pytest.mark.django_db


def test_resend_after_the_lease_ran_out_carries_the_same_message_id(customers):
    case = make_case(customers["alice"])  # on_commit not run: still pending
    note = Notification.objects.get(case=case)
    # The worker sends the mail and dies before it records the sending: the row stays claimed.
    dies = mock.patch.object(services, "_timeline", side_effect=RuntimeError("worker killed"))
    with dies, pytest.raises(RuntimeError):
        services.notification_deliver(note.pk)
    note.refresh_from_db()
    assert note.state == State.PENDING and note.next_attempt_at > timezone.now()
    assert services.notification_deliver(note.pk) == "not-due"  # the lease holds
    # The lease runs out; the sweep sends it again.
    Notification.objects.filter(pk=note.pk).update(
        next_attempt_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert note.pk in services.notifications_due()
    assert services.notification_deliver(note.pk) == "sent"

    assert len(mail.outbox) == 2
    first, second = (m.message() for m in mail.outbox)
    assert first["Message-ID"] == second["Message-ID"] == services.notification_message_id(note)
    assert first["Message-ID"].startswith(f"<aftersales-notification-{note.pk}-")
    assert first["Message-ID"].endswith("@example.com>")  # the sender's domain


def test_each_notification_has_its_own_stable_identity(customers):
    make_case(customers["alice"])
    make_case(customers["bob"])
    a, b = Notification.objects.order_by("id")[:2]
    assert services.notification_idempotency_key(a) != services.notification_idempotency_key(b)
    again = Notification.objects.get(pk=a.pk)
    assert services.notification_idempotency_key(a) == services.notification_idempotency_key(again)


def test_a_starting_worker_sends_what_was_queued_while_none_ran(customers):
    case = make_case(customers["alice"])  # queued a second ago; its send task was lost
    note = Notification.objects.get(case=case)
    assert note.pk not in services.notifications_due()  # the minute sweep would still wait
    drain_outbox_on_start()
    note.refresh_from_db()
    assert note.state == State.SENT and len(mail.outbox) == 1
