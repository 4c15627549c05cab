"""Dispatch: visit conflicts, assigning a technician and a window, scheduling, and the
technician accepting or handing the job back (R3.2).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.accounts.models import User
from aftersales.core.audit import audit_record
from aftersales.core.errors import Conflict, InvalidInput, TransitionNotAllowed
from aftersales.core.versions import require_version, versioned_update

from .. import integrations, notify
from ..choices import CertificateType, Status
from ..models import Visit, WorkOrder
from ..transitions import DISPATCH, find_step
from .base import ORDER_CHANGED, _reservations_release, event_add, sides_of, workorder_transition
from .orders import _check_times


def _aware(value: dt.datetime) -> dt.datetime:
    if timezone.is_naive(value):
        raise InvalidInput(_("Times must carry a time zone."), code="naive_time")
    return value


def visit_conflicts(
    *, technician: User, start: dt.datetime, end: dt.datetime, exclude_order: WorkOrder | None
) -> list[dict[str, Any]]:
    """What stands against a visit: another booked visit at the same time (double booking),
    a window outside the technician's working calendar, or an absence."""
    found: list[dict[str, Any]] = []
    overlapping = Visit.objects.filter(
        technician=technician,
        cancelled=False,
        planned_start__lt=end,
        planned_end__gt=start,
        check_out_at__isnull=True,
    ).select_related("work_order")
    if exclude_order is not None:
        overlapping = overlapping.exclude(work_order=exclude_order)
    for visit in overlapping:
        found.append(
            {
                "code": "double_booking",
                "message": _("%(tech)s already has %(number)s from %(start)s to %(end)s.")
                % {
                    "tech": technician,
                    "number": visit.work_order.number,
                    "start": timezone.localtime(visit.planned_start).strftime("%H:%M"),
                    "end": timezone.localtime(visit.planned_end).strftime("%H:%M"),
                },
            }
        )
    if not integrations.window_in_working_time(technician, start, end):
        found.append(
            {
                "code": "outside_working_hours",
                "message": _("The visit lies outside %(tech)s's working hours.")
                % {"tech": technician},
            }
        )
    if integrations.is_absent(technician, start, end):
        found.append(
            {
                "code": "absent",
                "message": _("%(tech)s is absent at that time.") % {"tech": technician},
            }
        )
    return found


def _check_technician(technician: User, order: WorkOrder, on: dt.date) -> None:
    if not technician.is_active or not technician.has_perm("workorders.work_workorder"):
        raise InvalidInput(
            _("Work orders can only be given to technicians."), code="not_a_technician"
        )
    if order.required_certificate:
        from ..models import Certificate

        valid = Certificate.objects.filter(
            user=technician,
            cert_type=order.required_certificate,
            issued_on__lte=on,
            expires_on__gte=on,
        ).exists()
        if not valid:
            raise InvalidInput(
                _("%(tech)s holds no valid “%(cert)s” certificate on %(day)s.")
                % {
                    "tech": technician,
                    "cert": CertificateType(order.required_certificate).label,
                    "day": on.isoformat(),
                },
                code="certificate_missing",
            )


@transaction.atomic
def workorder_assign(
    *,
    actor: User,
    order: WorkOrder,
    technician: User,
    start: dt.datetime,
    end: dt.datetime,
    expected_version: int | None,
    confirm: bool = False,
) -> WorkOrder:
    """Give the order to a technician for a visit window (R3.2).

    Double booking, a window outside the working calendar and absences are refused with the
    list of conflicts (code ``needs_confirmation``) unless the dispatcher confirms them. The
    change is a conditional update on ``expected_version``; the former technician, the new one
    and the customer are told after commit."""
    require_version(order, expected_version, ORDER_CHANGED)
    start, end = _aware(start), _aware(end)
    if end <= start:
        raise InvalidInput(_("The visit must end after it starts."), code="window_invalid")
    _check_technician(technician, order, timezone.localtime(start).date())
    conflicts = visit_conflicts(technician=technician, start=start, end=end, exclude_order=order)
    if conflicts and not confirm:
        raise Conflict(
            _("This visit has conflicts; confirm them to book it anyway."),
            code="needs_confirmation",
            detail={"conflicts": conflicts},
        )
    previous = order.technician
    from_status = order.status
    if DISPATCH not in sides_of(actor, order):
        raise TransitionNotAllowed(_("Only a dispatcher can assign work orders."))
    step = find_step(order.status, Status.DISPATCHED)
    if step is None:
        raise TransitionNotAllowed(
            _("A work order in status “%(from)s” cannot be assigned.")
            % {"from": Status(order.status).label},
            code="transition_not_allowed",
        )
    # The order row moves first: the version guard decides between concurrent dispatchers
    # before any visit is written.
    versioned_update(
        order,
        expected_version,
        ORDER_CHANGED,
        technician=technician,
        status=Status.DISPATCHED,
        status_changed_at=timezone.now(),
        status_note="",
        pause_reason="",
    )
    # A planned visit that has not begun moves to the new technician and window.
    Visit.objects.filter(work_order=order, check_in_at__isnull=True, cancelled=False).update(
        cancelled=True
    )
    visit = Visit.objects.create(
        work_order=order,
        technician=technician,
        planned_start=start,
        planned_end=end,
        confirmed_conflicts=[c["code"] for c in conflicts],
    )
    data = {
        "technician": technician.pk,
        "technician_name": str(technician),
        "previous": getattr(previous, "pk", None),
        "previous_name": str(previous or ""),
        "start": start.isoformat(),
        "end": end.isoformat(),
        "confirmed": [c["code"] for c in conflicts],
    }
    event_add(
        order=order,
        kind="assigned",
        actor=actor,
        data=data,
        from_status=from_status,
        to_status=Status.DISPATCHED,
    )
    audit_record(
        actor=actor,
        action="workorder.assign",
        obj=order,
        before={"technician": getattr(previous, "pk", None), "status": from_status},
        after={
            "technician": technician.pk,
            "status": Status.DISPATCHED,
            "visit": [start.isoformat(), end.isoformat()],
            "confirmed_conflicts": data["confirmed"],
        },
    )
    notify.assignment_changed(order, previous, visit)
    return order


def workorder_schedule(
    *,
    actor: User,
    order: WorkOrder,
    inspection_at: dt.datetime | None,
    repair_at: dt.datetime | None,
    expected_version: int | None,
) -> WorkOrder:
    """Record the agreed times with the customer; the order waits for a technician."""
    _check_times(inspection_at, repair_at)
    return workorder_transition(
        actor=actor,
        order=order,
        to_status=Status.SCHEDULED,
        expected_version=expected_version,
        inspection_at=inspection_at,
        repair_at=repair_at,
    )


@transaction.atomic
def workorder_accept(*, actor: User, order: WorkOrder) -> WorkOrder:
    return workorder_transition(actor=actor, order=order, to_status=Status.ACCEPTED)


@transaction.atomic
def workorder_reject(*, actor: User, order: WorkOrder, reason: str) -> WorkOrder:
    """The technician hands the job back (退单) or the dispatcher rejects it, with a reason."""
    order = workorder_transition(
        actor=actor, order=order, to_status=Status.REJECTED, reason=reason, technician=None
    )
    Visit.objects.filter(work_order=order, check_in_at__isnull=True, cancelled=False).update(
        cancelled=True
    )
    _reservations_release(actor=actor, order=order, reason=reason)
    return order
