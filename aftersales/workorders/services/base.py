"""The choke point every work-order service shares: the status table check, the timeline
row, the audit record, and the case that follows its order (style rules 3 and 4).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftersales.cases.choices import CaseType
from aftersales.cases.models import Case
from aftersales.core.audit import audit_record
from aftersales.core.errors import DomainError, InvalidInput
from aftersales.core.versions import require_version, versioned_update

from .. import integrations
from ..choices import Status
from ..events import workorder_event as event_add  # the services' one writer of history
from ..models import WorkOrder
from ..transitions import DISPATCH, MACHINE, REVIEW, SYSTEM, TECH

ORDER_CHANGED = gettext_lazy(
    "Someone else changed this work order in the meantime. Reload it and try again."
)


SOURCE_CASE_TYPES = {CaseType.REPAIR, CaseType.WARRANTY_CLAIM, CaseType.COMPLAINT}


AUDIT_FIELDS = [
    "number",
    "status",
    "technician",
    "urgency",
    "request",
    "address",
    "latitude",
    "longitude",
    "geo_precision",
    "inspection_at",
    "repair_at",
    "required_skills",
    "required_certificate",
    "service_center",
    "pause_reason",
    "status_note",
    "findings",
    "fault_cause",
    "repair_details",
    "result",
    "labour_minutes",
    "signer_name",
    "signed_at",
    "customer_rating",
    "review_state",
    "review_comment",
    "version",
]


MAX_PHOTOS = 20


SIGNATURE_MAX_BYTES = 512 * 1024
# A signature pad is a few megapixels even on a tablet at 3× pixel ratio (2436 × 540 on a
# phone turned sideways); checking the ink decodes every pixel, so far larger ones are refused.
SIGNATURE_MAX_PIXELS = 8_000_000


def sides_of(actor: Any, order: WorkOrder) -> set[str]:
    """Which sides of the transition table ``actor`` speaks for on ``order``."""
    if actor is None:
        return {SYSTEM}
    sides: set[str] = set()
    if actor.has_perm("workorders.dispatch_workorder"):
        sides.add(DISPATCH)
    if actor.has_perm("workorders.review_workorder"):
        sides.add(REVIEW)
    if actor.has_perm("workorders.work_workorder") and order.technician_id == actor.pk:
        sides.add(TECH)
    return sides


def workorder_transition(
    *,
    actor: Any,
    order: WorkOrder,
    to_status: str,
    reason: str = "",
    expected_version: int | None = None,
    side: str | None = None,
    **values: Any,
) -> WorkOrder:
    """The one choke point for status changes (style rule 3). ``values`` are written in the
    same conditional UPDATE; ``side`` lets a service act for the system."""
    if to_status not in Status.values:
        raise InvalidInput(
            _("Unknown value “%(value)s” for %(field)s.") % {"value": to_status, "field": "status"},
            code="invalid_choice",
        )
    require_version(order, expected_version, ORDER_CHANGED)
    sides = {side} if side else sides_of(actor, order)
    step = MACHINE.check(order.status, to_status, sides)
    reason = (reason or "").strip()
    if step.reason_required and not reason:
        raise InvalidInput(_("Give a reason for this change."), code="reason_required")
    from_status = order.status
    now = timezone.now()
    values.setdefault("status_note", reason[:500])
    if to_status == Status.CLOSED or to_status == Status.CANCELLED:
        values["closed_at"] = now
    versioned_update(
        order,
        expected_version,
        ORDER_CHANGED,
        status=to_status,
        status_changed_at=now,
        **values,
    )
    event_add(
        order=order,
        kind="status",
        actor=actor,
        reason=reason,
        from_status=from_status,
        to_status=to_status,
    )
    audit_record(
        actor=actor,
        action="workorder.transition",
        obj=order,
        before={"status": from_status},
        after={"status": to_status, **_plain(values)},
        reason=reason,
    )
    return order


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for k, v in values.items():
        if hasattr(v, "pk"):
            out[k] = v.pk
        elif isinstance(v, dt.datetime | dt.date | Decimal):
            out[k] = str(v)
        else:
            out[k] = v
    return out


def _case_follow(*, actor: Any, case: Case, to_status: str, reason: str = "") -> None:
    """Move the case along with the order when its table allows it: pauses put the case into
    a waiting status, which is what stops the SLA clocks; resuming and completing move it on.
    A case that cannot take the step (another type's flow, already further) stays as it is."""
    from aftersales.cases.services import case_transition
    from aftersales.cases.transitions import STAFF
    from aftersales.cases.transitions import find_step as case_find_step

    case.refresh_from_db()
    if case.status == to_status:
        return
    step = case_find_step(case.case_type, case.status, to_status)
    if step is None or STAFF not in step.by:
        return
    if step.reason_required and not reason:
        return
    try:
        with transaction.atomic():
            case_transition(actor=actor, case=case, to_status=to_status, reason=reason, side=STAFF)
    except DomainError:
        pass


def _reservations_release(*, actor: Any, order: WorkOrder, reason: str) -> None:
    """A cancelled or handed-back order no longer holds parts: its active reservations go back
    to available stock through the parts ledger (issue 6), noted on the order's timeline."""
    released = integrations.reservations_release(work_order=order, actor=actor, reason=reason)
    if released:
        event_add(
            order=order,
            kind="reservations_released",
            actor=actor,
            reason=reason,
            data={"count": released},
        )
