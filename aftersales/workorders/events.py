"""A work order's history rows and its domain events (one typed kind per history kind).

Every history row a service writes is also one event in the domain event outbox
(:mod:`aftersales.core.domain_events`), in the same transaction, so integrations see each
dispatch, visit, part, signature and review as it commits."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from aftersales.core.actors import actor_or_none
from aftersales.core.domain_events import EventType, event_record, event_type

from .models import WorkOrder, WorkOrderEvent


def _kind(name: str, label: Any) -> EventType:
    return event_type(f"workorder.{name}", aggregate="workorder", label=label)


KINDS: dict[str, EventType] = {
    "created": _kind("created", _("Work order created")),
    "updated": _kind("updated", _("Work order details changed")),
    "status": _kind("status_changed", _("Work order status changed")),
    "assigned": _kind("assigned", _("Work order assigned")),
    "check_in": _kind("checked_in", _("Technician checked in")),
    "check_out": _kind("checked_out", _("Technician checked out")),
    "recorded": _kind("recorded", _("Findings recorded")),
    "part_added": _kind("part_added", _("Part used on a work order")),
    "photo_added": _kind("photo_added", _("Photo added to a work order")),
    "signed": _kind("signed", _("Customer signed the work order")),
    "signature_voided": _kind("signature_voided", _("Customer signature voided")),
    "internal_note": _kind("noted", _("Internal note on a work order")),
    "review_returned": _kind("review_returned", _("Repair report returned for correction")),
    "report_corrected": _kind("report_corrected", _("Repair report corrected")),
    "reservations_released": _kind("reservations_released", _("Reserved parts released")),
}


def workorder_event(
    *,
    order: WorkOrder,
    kind: str,
    actor: Any,
    reason: str = "",
    data: dict | None = None,
    from_status: str = "",
    to_status: str = "",
) -> WorkOrderEvent:
    """Write one history row and its domain event. An unknown ``kind`` is a programming
    error: declare it in :data:`KINDS` first."""
    typed = KINDS[kind]
    row = WorkOrderEvent.objects.create(
        work_order=order,
        kind=kind,
        actor=actor_or_none(actor),
        reason=(reason or "")[:500],
        data=data or {},
        from_status=from_status,
        to_status=to_status,
    )
    payload: dict[str, Any] = {"number": order.number, "status": order.status, **(data or {})}
    if from_status or to_status:
        payload.update({"from": from_status, "to": to_status})
    if reason:
        payload["reason"] = reason[:500]
    event_record(typed, aggregate_id=order.pk, reference=order.number, actor=actor, payload=payload)
    return row
