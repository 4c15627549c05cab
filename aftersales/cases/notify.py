"""Which notifications a case event causes, and for whom (R1.6, R15.1).

Called by the case services inside their transaction; the outbox rows commit with the change
and are sent after commit.
"""

from __future__ import annotations

from aftersales.customers.selectors import customer_email
from aftersales.notifications.models import Channel
from aftersales.notifications.services import notification_queue

from .choices import Status
from .models import Case, CaseEvent

# Status changes the customer hears about; internal steps (accepted, verifying…) stay quiet.
CUSTOMER_STATUSES = {
    Status.IN_PROGRESS,
    Status.WAITING_CUSTOMER,
    Status.APPROVED,
    Status.REJECTED,
    Status.ADOPTED,
    Status.HELD,
    Status.RESOLVED,
    Status.CLOSED,
    Status.CANCELLED,
}


def _to_customer(case: Case, template: str, **context) -> None:
    customer = case.customer
    notification_queue(
        channel=Channel.EMAIL,
        template=template,
        recipient=customer_email(customer, case.contact if case.contact_id else None),
        recipient_user=customer.user,
        language=customer.preferred_language,
        case=case,
        context={"case": case, "customer": customer, **context},
    )


def customer_case_created(case: Case) -> None:
    _to_customer(case, "case_created")


def customer_reply(case: Case, event: CaseEvent) -> None:
    _to_customer(case, "case_reply", event=event)


def customer_status_changed(case: Case, from_status: str) -> None:
    if case.status in CUSTOMER_STATUSES:
        _to_customer(case, "case_status", from_status=from_status)


def _to_assignee(case: Case, template: str, **context) -> None:
    user = case.assignee
    if user is None or not user.email:
        return
    notification_queue(
        channel=Channel.EMAIL,
        template=template,
        recipient=user.email,
        recipient_user=user,
        language=user.preferred_language,
        case=case,
        context={"case": case, "assignee": user, **context},
    )


def staff_case_assigned(case: Case) -> None:
    _to_assignee(case, "case_assigned")


def staff_customer_replied(case: Case, event: CaseEvent) -> None:
    """The assignee hears when the customer writes, so a reply never sits unread."""
    _to_assignee(case, "case_customer_reply", event=event)
