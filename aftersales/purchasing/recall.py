"""Batch recall (R8.6): mark a lot defective, then reach every customer who received it.

Marking is a conditional update (once, audited). Opening the recall cases is idempotent: a
unique row per batch and customer is written in the same savepoint as the case, so a second
run — or two people pressing the button at once — never opens a second case for anyone.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.accounts.models import User
from aftersales.cases.choices import CaseType, Channel, Priority
from aftersales.cases.models import Case
from aftersales.core.actors import actor_or_none
from aftersales.core.audit import audit_record
from aftersales.core.errors import Conflict, InvalidInput
from aftersales.customers.selectors import customer_email
from aftersales.notifications.models import Channel as NoteChannel
from aftersales.notifications.services import notification_queue
from aftersales.parts.models import Batch

from .models import RecallCase
from .selectors import recall_by_customer


@transaction.atomic
def batch_mark_defective(*, actor: User | None, batch: Batch, reason: str) -> Batch:
    """Declare a lot defective with the reason; recorded once, with who and when."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Say what is wrong with the batch."), code="reason_required")
    now = timezone.now()
    updated = Batch.objects.filter(pk=batch.pk, defective=False).update(
        defective=True,
        defective_reason=reason,
        marked_by=actor_or_none(actor),
        marked_at=now,
    )
    if not updated:
        raise Conflict(_("This batch is marked defective already."), code="already_defective")
    batch.refresh_from_db()
    audit_record(
        actor=actor,
        action="batch.mark_defective",
        obj=batch,
        object_repr=f"{batch.part.code} / {batch.lot_number}",
        before={"defective": False},
        after={"defective": True, "defective_reason": reason, "marked_at": now},
        reason=reason,
    )
    return batch


@transaction.atomic
def recall_open_cases(*, actor: User | None, batch: Batch) -> list[Case]:
    """Open one repair case per customer on the recall list and send each a recall notice.

    A recall is a repair the service side starts (domain notes: 召回 is a service type of
    its own, carried out as a repair); the case goes through :func:`case_create`, so the
    customer also gets the usual acknowledgement with the case number. Customers who already
    have a recall case for this batch are skipped. Returns the cases opened now.
    """
    from aftersales.cases.services import case_create

    if not batch.defective:
        raise Conflict(
            _("Mark the batch defective before starting a recall."), code="batch_not_defective"
        )
    part = batch.part
    opened: list[Case] = []
    for entry in recall_by_customer(batch):
        customer = entry.customer
        if entry.case is not None:
            continue
        numbers = ", ".join(line.work_order.number for line in entry.lines)
        asset = next((line.asset for line in entry.lines if line.asset is not None), None)
        try:
            with transaction.atomic():
                marker = RecallCase.objects.create(
                    batch=batch,
                    customer=customer,
                    created_by=actor_or_none(actor),
                )
                case = case_create(
                    actor=actor,
                    customer=customer,
                    case_type=CaseType.REPAIR,
                    channel=Channel.HOTLINE,
                    priority=Priority.HIGH,
                    title=_("Recall: %(part)s, lot %(lot)s")
                    % {"part": part.name, "lot": batch.lot_number},
                    description=_(
                        "Parts of lot %(lot)s of %(code)s %(part)s were found defective "
                        "(%(reason)s). They were fitted in work orders %(orders)s. "
                        "Contact the customer and arrange a replacement."
                    )
                    % {
                        "lot": batch.lot_number,
                        "code": part.code,
                        "part": part.name,
                        "reason": batch.defective_reason,
                        "orders": numbers,
                    },
                    asset=asset,
                    extra={"fault_symptom": batch.defective_reason[:500], "on_site": True},
                )
                marker.case = case
                marker.save(update_fields=["case"])
        except IntegrityError:
            continue  # someone started this customer's recall in the meantime
        notification_queue(
            channel=NoteChannel.EMAIL,
            template="batch_recall",
            recipient=customer_email(customer),
            recipient_user=customer.user,
            language=customer.preferred_language,
            case=case,
            context={"case": case, "customer": customer, "part": part, "batch": batch},
        )
        opened.append(case)
    audit_record(
        actor=actor,
        action="batch.recall",
        obj=batch,
        object_repr=f"{part.code} / {batch.lot_number}",
        after={"cases": [c.number for c in opened]},
    )
    return opened
