"""The outbox sends each message once, retries with backoff, and records what happened."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from aftersales.cases.choices import EventKind
from aftersales.conftest import make_case
from aftersales.notifications import services
from aftersales.notifications.models import Notification, State
from aftersales.notifications.tasks import resend_due_notifications

pytestmark = pytest.mark.django_db


def test_created_case_mails_the_customer_in_their_language(
    customers, django_capture_on_commit_callbacks
):
    alice = customers["alice"]
    alice.preferred_language = "en"
    alice.save()
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case(alice)
    note = Notification.objects.get(case=case, template="case_created")
    assert note.state == State.SENT and note.recipient == "alice@example.cn"
    assert len(mail.outbox) == 1 and case.number in mail.outbox[0].subject
    assert "We received your request" in mail.outbox[0].subject
    assert case.events.filter(kind=EventKind.NOTIFICATION_SENT).count() == 1


def test_delivering_twice_sends_once(customers):
    case = make_case(customers["alice"])  # on_commit not run: still pending
    note = Notification.objects.get(case=case)
    assert note.state == State.PENDING
    assert services.notification_deliver(note.pk) == "sent"
    assert services.notification_deliver(note.pk) == "not-due"
    assert len(mail.outbox) == 1


def test_failure_retries_with_backoff_then_gives_up(customers):
    case = make_case(customers["alice"])
    note = Notification.objects.get(case=case)
    with mock.patch.object(services, "_send", side_effect=OSError("smtp down")):
        assert services.notification_deliver(note.pk) == "failed"
        note.refresh_from_db()
        assert note.state == State.FAILED and note.attempts == 1 and "smtp down" in note.last_error
        assert note.next_attempt_at > timezone.now()
        # not due yet: the sweep leaves it alone
        assert services.notification_deliver(note.pk) == "not-due"
        for _attempt in range(2, services.MAX_ATTEMPTS + 1):
            Notification.objects.filter(pk=note.pk).update(next_attempt_at=timezone.now())
            result = services.notification_deliver(note.pk)
        assert result == "dead"
    note.refresh_from_db()
    assert note.state == State.DEAD and note.attempts == services.MAX_ATTEMPTS
    assert case.events.filter(kind=EventKind.NOTIFICATION_FAILED).count() == 1


def test_sweep_sends_stuck_messages(customers):
    case = make_case(customers["alice"])
    Notification.objects.filter(case=case).update(
        created_at=timezone.now() - dt.timedelta(minutes=5)
    )
    assert resend_due_notifications.call_local() == 1
    assert Notification.objects.get(case=case).state == State.SENT


def test_customer_without_address_is_recorded_as_skipped(users, product_model):
    from aftersales.customers.services import customer_create

    walk_in = customer_create(actor=None, name="无邮箱客户", phone="13300007777")
    case = make_case(walk_in, asset=None)
    note = Notification.objects.get(case=case)
    assert note.state == State.SKIPPED and note.last_error == "no address"


def test_customer_reply_tells_the_assignee_but_self_assignment_mails_nobody(
    users, customers, org, django_capture_on_commit_callbacks
):
    from aftersales.cases.services import case_assign, case_reply

    agent = users["agent"]
    case = make_case(customers["alice"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        case = case_assign(actor=agent, case=case, team=org["team_a"], assignee=agent)
    assert mail.outbox == []  # taking a case yourself needs no e-mail
    with django_capture_on_commit_callbacks(execute=True):
        case_reply(actor=customers["alice"].user, case=case, body="师傅几点到？")
    assert [m.to for m in mail.outbox] == [[agent.email]]
    sent = case.events.filter(kind=EventKind.NOTIFICATION_SENT).last()
    assert sent.data["audience"] == "staff" and sent.data["to"] == "a***@example.com"
