"""Which messages a work-order event sends, and to whom (R15.1).

Called by the services inside their transaction; the outbox rows commit with the change and
leave after commit.
"""

from __future__ import annotations

from typing import Any

from aftersales.customers.selectors import customer_email
from aftersales.notifications.models import Channel
from aftersales.notifications.services import notification_queue

from .models import WorkOrder


def to_customer(order: WorkOrder, template: str, **context: Any) -> None:
    customer = order.customer
    notification_queue(
        channel=Channel.EMAIL,
        template=template,
        recipient=customer_email(customer),
        recipient_user=customer.user,
        language=customer.preferred_language,
        case=order.case,
        context={"order": order, "customer": customer, **context},
    )


def to_staff(order: WorkOrder, user: Any, template: str, **context: Any) -> None:
    if user is None:
        return
    notification_queue(
        channel=Channel.EMAIL,
        template=template,
        recipient=user.email or "",
        recipient_user=user,
        language=user.preferred_language,
        case=order.case,
        context={"order": order, "user": user, **context},
    )


def assignment_changed(order: WorkOrder, previous: Any, visit: Any) -> None:
    """Reassigning tells both technicians and the customer (issue 5)."""
    to_staff(order, order.technician, "workorder_assigned", visit=visit)
    if previous is not None and previous.pk != order.technician_id:
        to_staff(order, previous, "workorder_unassigned", visit=visit)
    to_customer(order, "workorder_scheduled", visit=visit)
