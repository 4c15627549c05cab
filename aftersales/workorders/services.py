"""Every write to a work order goes through here (style rules 1, 3, 4).

Each service is atomic, takes the acting user, writes a row on the order's timeline and an
audit record (who, when, before, after), and defers messages until the transaction commits.
Changes to the order row are conditional updates on the version the caller saw
(:func:`aftersales.core.versions.versioned_update`): of two dispatchers assigning the same order
at once, one wins and the other gets :class:`VersionConflict` (HTTP 409).
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from aftersales.accounts.models import ServiceCenter, User
from aftersales.cases.attachments import sniff_upload
from aftersales.cases.choices import CaseType
from aftersales.cases.choices import Status as CaseStatus
from aftersales.cases.models import Case
from aftersales.core.audit import audit_record, model_snapshot
from aftersales.core.errors import Conflict, DomainError, InvalidInput, TransitionNotAllowed
from aftersales.core.versions import require_version, versioned_update
from aftersales.customers.models import Asset, Customer
from aftersales.customers.phones import normalize_phone

from . import integrations, notify
from .choices import (
    OPEN_STATUSES,
    CertificateType,
    LineKind,
    PauseReason,
    PhotoKind,
    ReviewState,
    Status,
    Urgency,
)
from .models import (
    SubmissionKey,
    Visit,
    WorkOrder,
    WorkOrderEvent,
    WorkOrderLine,
    WorkOrderPhoto,
)
from .numbering import workorder_number_next
from .transitions import DISPATCH, REVIEW, SYSTEM, TECH, allowed_steps, find_step

ORDER_CHANGED = _lazy(
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


def _user(actor: Any) -> User | None:
    return actor if getattr(actor, "is_authenticated", False) else None


def event_add(
    *,
    order: WorkOrder,
    kind: str,
    actor: Any,
    reason: str = "",
    data: dict | None = None,
    from_status: str = "",
    to_status: str = "",
) -> WorkOrderEvent:
    return WorkOrderEvent.objects.create(
        work_order=order,
        kind=kind,
        actor=_user(actor),
        reason=(reason or "")[:500],
        data=data or {},
        from_status=from_status,
        to_status=to_status,
    )


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
    step = find_step(order.status, to_status)
    if step is None or not (step.by & sides):
        raise TransitionNotAllowed(
            _("A work order in status “%(from)s” cannot move to “%(to)s”.")
            % {"from": Status(order.status).label, "to": Status(to_status).label},
            detail={
                "from": order.status,
                "to": to_status,
                "allowed": [s.to.value for s in allowed_steps(order.status, sides)],
            },
        )
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


# --- creating --------------------------------------------------------------------------------


def _clean_skills(skills: list[str] | None) -> list[str]:
    from .models import Skill

    codes = sorted({(s or "").strip() for s in (skills or []) if (s or "").strip()})
    known = set(Skill.objects.filter(code__in=codes).values_list("code", flat=True))
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise InvalidInput(
            _("Unknown skills: %(codes)s") % {"codes": ", ".join(unknown)},
            code="unknown_skill",
            detail={"unknown": unknown},
        )
    return codes


def _check_times(inspection_at: dt.datetime | None, repair_at: dt.datetime | None) -> None:
    for value in (inspection_at, repair_at):
        if value is not None and timezone.is_naive(value):
            raise InvalidInput(_("Times must carry a time zone."), code="naive_time")
    if inspection_at and repair_at and repair_at < inspection_at:
        raise InvalidInput(
            _("The repair cannot be agreed before the inspection visit."), code="times_order"
        )


@transaction.atomic
def workorder_create(
    *,
    actor: User,
    case: Case,
    request: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    address: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    inspection_at: dt.datetime | None = None,
    repair_at: dt.datetime | None = None,
    urgency: str = Urgency.NORMAL,
    required_skills: list[str] | None = None,
    required_certificate: str = "",
    service_center: ServiceCenter | None = None,
) -> WorkOrder:
    """Open a work order for a repair request, warranty claim or complaint case (R3.1–R3.2).

    Contact, address and request default to the case's; a known position picks the nearest
    covering service center (R14.2) unless one is named."""
    if case.case_type not in SOURCE_CASE_TYPES:
        raise InvalidInput(
            _("Work orders are made from repair requests, warranty claims and complaints."),
            code="case_type_not_repairable",
        )
    if case.status in (CaseStatus.CLOSED, CaseStatus.CANCELLED):
        raise InvalidInput(_("The case is closed."), code="case_closed")
    if urgency not in Urgency.values:
        raise InvalidInput(_("Unknown urgency."), code="invalid_choice")
    if required_certificate and required_certificate not in CertificateType.values:
        raise InvalidInput(_("Unknown certificate type."), code="invalid_choice")
    _check_times(inspection_at, repair_at)
    skills = _clean_skills(required_skills)
    contact = case.contact
    if not contact_name and contact is not None:
        contact_name = contact.name
    phone = normalize_phone(contact_phone) if contact_phone else (contact.phone if contact else "")
    if not address or latitude is None:
        default = case.customer.addresses.order_by("-is_default", "id").first()
        if default is not None and not address:
            address = str(default)
            latitude, longitude = default.latitude, default.longitude
    if (latitude is None) != (longitude is None):
        raise InvalidInput(_("Give both latitude and longitude, or neither."), code="coords")
    if latitude is not None and not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise InvalidInput(_("The coordinates are out of range."), code="coords")
    if service_center is None and latitude is not None:
        from .coverage import nearest_covering_center

        found = nearest_covering_center(latitude, longitude)
        service_center = found[0] if found else None
    request = (request or "").strip() or case.description or case.title
    now = timezone.now()
    order = WorkOrder.objects.create(
        number=workorder_number_next(timezone.localtime(now).year),
        case=case,
        customer=case.customer,
        asset=case.asset,
        status=Status.NEW,
        status_changed_at=now,
        request=request,
        contact_name=contact_name[:100],
        contact_phone=phone,
        address=address[:300],
        latitude=latitude,
        longitude=longitude,
        service_center=service_center,
        inspection_at=inspection_at,
        repair_at=repair_at,
        urgency=urgency,
        required_skills=skills,
        required_certificate=required_certificate,
        created_by=_user(actor),
    )
    event_add(order=order, kind="created", actor=actor, to_status=Status.NEW)
    audit_record(
        actor=actor,
        action="workorder.create",
        obj=order,
        after=model_snapshot(order, AUDIT_FIELDS),
    )
    from aftersales.cases.events import event_add as case_event_add

    case_event_add(
        case=case,
        kind="internal_note",
        actor=actor,
        body=_("Work order %(number)s opened.") % {"number": order.number},
        data={"work_order": order.number},
    )
    return order


@transaction.atomic
def workorder_create_direct(
    *,
    actor: User,
    customer: Customer,
    title: str,
    asset: Asset | None = None,
    **kwargs: Any,
) -> WorkOrder:
    """A dispatcher opens an order without a case: the repair-request case is made first, so
    every order keeps its customer-facing record."""
    from aftersales.cases.services import case_create

    case = case_create(
        actor=actor,
        customer=customer,
        case_type=CaseType.REPAIR,
        channel="hotline",
        title=title,
        description=kwargs.get("request", "") or title,
        asset=asset,
    )
    return workorder_create(actor=actor, case=case, **kwargs)


@transaction.atomic
def workorder_update(
    *, actor: User, order: WorkOrder, expected_version: int | None, changes: dict[str, Any]
) -> WorkOrder:
    """Change the request's details (times, urgency, skills, address) while the order is open."""
    allowed = {
        "request",
        "contact_name",
        "address",
        "inspection_at",
        "repair_at",
        "urgency",
        "required_skills",
        "required_certificate",
        "service_center",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise InvalidInput(
            _("These fields cannot be changed here: %s") % ", ".join(sorted(unknown)),
            code="field_not_editable",
        )
    require_version(order, expected_version, ORDER_CHANGED)
    if order.status not in OPEN_STATUSES:
        raise Conflict(_("This work order is finished."), code="order_finished")
    values = dict(changes)
    if "required_skills" in values:
        values["required_skills"] = _clean_skills(values["required_skills"])
    if values.get("urgency") is not None and values["urgency"] not in Urgency.values:
        raise InvalidInput(_("Unknown urgency."), code="invalid_choice")
    if values.get("required_certificate") and (
        values["required_certificate"] not in CertificateType.values
    ):
        raise InvalidInput(_("Unknown certificate type."), code="invalid_choice")
    _check_times(
        values.get("inspection_at", order.inspection_at), values.get("repair_at", order.repair_at)
    )
    before = model_snapshot(order, AUDIT_FIELDS)
    versioned_update(order, expected_version, ORDER_CHANGED, **values)
    after = model_snapshot(order, AUDIT_FIELDS)
    from aftersales.core.audit import diff

    b, a = diff(before, after)
    event_add(order=order, kind="updated", actor=actor, data={"fields": sorted(a)})
    audit_record(actor=actor, action="workorder.update", obj=order, before=b, after=a)
    return order


# --- dispatch --------------------------------------------------------------------------------


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
        from .models import Certificate

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


# --- the technician's flow ---------------------------------------------------------------------


def _open_visit(order: WorkOrder) -> Visit | None:
    return (
        order.visits.filter(cancelled=False, check_in_at__isnull=False, check_out_at__isnull=True)
        .order_by("-id")
        .first()
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


@transaction.atomic
def workorder_depart(*, actor: User, order: WorkOrder) -> WorkOrder:
    return workorder_transition(actor=actor, order=order, to_status=Status.ON_THE_WAY)


@transaction.atomic
def workorder_check_in(*, actor: User, order: WorkOrder) -> WorkOrder:
    """The technician arrives: the visit's check-in instant is recorded, the case moves to in
    progress and the SLA's on-site milestone is recorded. From a pause, the job resumes."""
    now = timezone.now()
    resuming = order.status == Status.PAUSED
    to = Status.IN_PROGRESS if resuming else Status.ON_SITE
    order = workorder_transition(actor=actor, order=order, to_status=to, pause_reason="")
    visit = (
        order.visits.filter(cancelled=False, check_in_at__isnull=True, technician=actor)
        .order_by("planned_start", "id")
        .first()
    )
    if visit is None:
        # an unplanned return (second visit agreed on the phone): the visit is what happened
        visit = Visit.objects.create(
            work_order=order,
            technician=actor,
            planned_start=now,
            planned_end=now + dt.timedelta(hours=2),
        )
    Visit.objects.filter(pk=visit.pk).update(check_in_at=now)
    event_add(order=order, kind="check_in", actor=actor, data={"visit": visit.pk})
    audit_record(
        actor=actor,
        action="workorder.check_in",
        obj=order,
        after={"visit": visit.pk, "check_in_at": now.isoformat()},
    )
    _case_follow(actor=actor, case=order.case, to_status=CaseStatus.IN_PROGRESS)
    if not resuming:
        integrations.sla_on_site(order.case, now, actor)
    return order


@transaction.atomic
def workorder_start(*, actor: User, order: WorkOrder) -> WorkOrder:
    return workorder_transition(actor=actor, order=order, to_status=Status.IN_PROGRESS)


def _check_out(*, actor: User, order: WorkOrder) -> Visit | None:
    visit = _open_visit(order)
    if visit is None:
        return None
    now = timezone.now()
    Visit.objects.filter(pk=visit.pk).update(check_out_at=now)
    event_add(order=order, kind="check_out", actor=actor, data={"visit": visit.pk})
    audit_record(
        actor=actor,
        action="workorder.check_out",
        obj=order,
        after={"visit": visit.pk, "check_out_at": now.isoformat()},
    )
    return visit


@transaction.atomic
def workorder_check_out(*, actor: User, order: WorkOrder) -> WorkOrder:
    """Leave the site without finishing: the job pauses for a second visit."""
    if _open_visit(order) is None:
        raise Conflict(_("There is no visit to check out of."), code="no_open_visit")
    return workorder_pause(
        actor=actor, order=order, reason=PauseReason.SECOND_VISIT, note=_("Checked out")
    )


@transaction.atomic
def workorder_pause(*, actor: User, order: WorkOrder, reason: str, note: str = "") -> WorkOrder:
    """Waiting for parts, customer absent, or a second visit needed. The case moves to a
    waiting status, which pauses its SLA clocks (pause and resume follow the case status)."""
    if reason not in PauseReason.values:
        raise InvalidInput(
            _("Choose why the work pauses."),
            code="pause_reason_required",
            detail={"allowed": list(PauseReason.values)},
        )
    text = f"{PauseReason(reason).label}" + (f": {note.strip()}" if note.strip() else "")
    order = workorder_transition(
        actor=actor, order=order, to_status=Status.PAUSED, reason=text, pause_reason=reason
    )
    _check_out(actor=actor, order=order)
    waiting = (
        CaseStatus.WAITING_CUSTOMER
        if reason == PauseReason.CUSTOMER_ABSENT
        else CaseStatus.WAITING_THIRD_PARTY
    )
    _case_follow(actor=actor, case=order.case, to_status=waiting, reason=text)
    return order


def _require_field_work(actor: User, order: WorkOrder) -> None:
    if TECH not in sides_of(actor, order):
        raise TransitionNotAllowed(
            _("Only the technician on this order can record its work."), code="not_your_order"
        )
    if order.status not in (Status.ON_SITE, Status.IN_PROGRESS, Status.PAUSED):
        raise Conflict(
            _("Record the work after checking in, before completing."), code="not_on_site"
        )


def _signature_void(actor: User, order: WorkOrder) -> None:
    """A change to what the customer signed for voids the signature: they sign again."""
    if order.signed_at is not None:
        WorkOrder.objects.filter(pk=order.pk).update(signed_at=None, signer_name="", signature="")
        order.refresh_from_db()
        event_add(order=order, kind="signature_voided", actor=actor)


@transaction.atomic
def workorder_record(
    *,
    actor: User,
    order: WorkOrder,
    findings: str | None = None,
    fault_cause: str | None = None,
    repair_details: str | None = None,
    result: str | None = None,
    labour_minutes: int | None = None,
) -> WorkOrder:
    """The technician's findings, fault cause, repair details, result and labour time; labour
    time becomes one labour line priced by the hour and covered when the unit is in warranty."""
    _require_field_work(actor, order)
    values: dict[str, Any] = {}
    for name, value in (
        ("findings", findings),
        ("fault_cause", fault_cause),
        ("repair_details", repair_details),
        ("result", result),
    ):
        if value is not None:
            values[name] = value.strip()
    if labour_minutes is not None:
        if labour_minutes < 0 or labour_minutes > 24 * 60:
            raise InvalidInput(
                _("Labour time must be between 0 and 1440 minutes."), code="labour_invalid"
            )
        values["labour_minutes"] = labour_minutes
    if not values:
        return order
    before = model_snapshot(order, list(values))
    versioned_update(order, None, ORDER_CHANGED, **values)
    if labour_minutes is not None and labour_minutes != before.get("labour_minutes"):
        order.lines.filter(kind=LineKind.LABOUR).delete()
        if labour_minutes:
            cover = warranty_cover(order)
            WorkOrderLine.objects.create(
                work_order=order,
                kind=LineKind.LABOUR,
                description=_("Labour"),
                quantity=(Decimal(labour_minutes) / 60).quantize(
                    Decimal("0.01"), rounding=ROUND_HALF_UP
                ),
                unit_price=labour_rate(),
                covered=cover["unit"],
                added_by=actor,
            )
        _signature_void(actor, order)
    event_add(order=order, kind="recorded", actor=actor, data={"fields": sorted(values)})
    audit_record(
        actor=actor,
        action="workorder.record",
        obj=order,
        before=before,
        after=model_snapshot(order, list(values)),
    )
    return order


def labour_rate() -> Decimal:
    """CNY per hour of labour (setting ``WORKORDER_LABOUR_RATE``, default 80.00)."""
    return Decimal(str(getattr(settings, "WORKORDER_LABOUR_RATE", "80.00")))


def warranty_cover(order: WorkOrder, on: dt.date | None = None) -> dict[str, Any]:
    """Whether the whole unit and its main components are in warranty on ``on`` (R3.6):
    derived from the asset's purchase date and its product model's terms."""
    on = on or timezone.localdate()
    asset = order.asset
    if asset is None or asset.warranty_end is None:
        return {"unit": False, "main": False, "unit_end": None, "main_end": None}
    main_end = asset.main_parts_warranty_end or asset.warranty_end
    return {
        "unit": on <= asset.warranty_end,
        "main": on <= main_end,
        "unit_end": asset.warranty_end,
        "main_end": main_end,
    }


@transaction.atomic
def workorder_part_add(
    *,
    actor: User,
    order: WorkOrder,
    part_code: str,
    quantity: Decimal,
    batch_code: str = "",
    is_main_component: bool = False,
    location: Any = None,
) -> WorkOrderLine:
    """A part used on the job, from the parts catalog (code, specification and model, list
    price), issued through the stock ledger from the technician's van unless another location
    is named. Covered when the unit (or, for a main component, its longer term) is in warranty.
    """
    _require_field_work(actor, order)
    code = (part_code or "").strip()
    if not code:
        raise InvalidInput(_("Enter the part code."), code="part_code_required")
    try:
        quantity = Decimal(quantity)
    except (ArithmeticError, TypeError, ValueError) as exc:
        raise InvalidInput(_("The quantity is not a number."), code="quantity_invalid") from exc
    if not quantity.is_finite() or quantity <= 0 or quantity > 1000:
        raise InvalidInput(_("The quantity must be between 1 and 1000."), code="quantity_invalid")
    part = integrations.part_lookup(code)
    if part is None:
        raise InvalidInput(
            _("No part with code %(code)s in the catalog.") % {"code": code}, code="part_unknown"
        )
    location = location or integrations.technician_van(actor)
    if location is None:
        raise InvalidInput(
            _("You have no van stock location to issue parts from."), code="no_van_stock"
        )
    cover = warranty_cover(order)
    covered = cover["main"] if is_main_component else cover["unit"]
    movement = integrations.stock_issue_for(
        part=part,
        location=location,
        quantity=quantity,
        work_order=order,
        batch_code=(batch_code or "").strip(),
        actor=actor,
    )
    line = WorkOrderLine.objects.create(
        work_order=order,
        kind=LineKind.PART,
        description=part.name[:200],
        part_code=part.code,
        specification=(part.specification or "")[:200],
        batch_code=(batch_code or "").strip()[:40],
        is_main_component=bool(is_main_component),
        quantity=quantity,
        unit_price=Decimal(part.list_price).quantize(Decimal("0.01")),
        covered=covered,
        stock_reference=str(movement.pk),
        added_by=actor,
    )
    WorkOrder.objects.filter(pk=order.pk).update(version=F("version") + 1)
    order.refresh_from_db()
    _signature_void(actor, order)
    event_add(order=order, kind="part_added", actor=actor, data={"line": line.pk, "code": code})
    audit_record(
        actor=actor,
        action="workorder.part_add",
        obj=order,
        after={
            "line": line.pk,
            "part_code": code,
            "specification": line.specification,
            "quantity": str(quantity),
            "batch": line.batch_code,
            "covered": covered,
            "movement": movement.pk,
            "location": location.code,
        },
    )
    return line


@transaction.atomic
def workorder_photo_add(
    *, actor: User, order: WorkOrder, kind: str, upload: UploadedFile
) -> WorkOrderPhoto:
    """A photo before or after the repair, checked by content like every upload."""
    _require_field_work(actor, order)
    if kind not in PhotoKind.values:
        raise InvalidInput(_("Say whether the photo is before or after the repair."), code="kind")
    if order.photos.count() >= MAX_PHOTOS:
        raise InvalidInput(
            _("This work order already holds %(n)s photos.") % {"n": MAX_PHOTOS},
            code="too_many_files",
        )
    content_type, ext = sniff_upload(upload)
    if not content_type.startswith("image/"):
        raise InvalidInput(
            _("“%(name)s” is not a photo.") % {"name": upload.name}, code="attachment_type"
        )
    photo = WorkOrderPhoto(
        work_order=order,
        kind=kind,
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
    )
    photo.file.save(f"{uuid.uuid4().hex}.{ext}", upload, save=False)
    photo.save()
    event_add(order=order, kind="photo_added", actor=actor, data={"photo": photo.pk, "kind": kind})
    audit_record(
        actor=actor,
        action="workorder.photo_add",
        obj=order,
        after={"photo": photo.pk, "kind": kind, "type": content_type, "size": upload.size},
    )
    return photo


def order_totals(order: WorkOrder) -> dict[str, Decimal]:
    total = covered = Decimal("0.00")
    for line in order.lines.all():
        total += line.amount
        if line.covered:
            covered += line.amount
    return {"total": total, "covered": covered, "chargeable": total - covered}


@transaction.atomic
def workorder_sign(
    *,
    actor: User,
    order: WorkOrder,
    signature: bytes,
    signer_name: str,
    amount_seen: Decimal,
) -> WorkOrder:
    """The customer signs on the technician's phone. The amount they saw must be the amount
    now owed, so nobody signs for a bill that changed after it was shown (issue 5)."""
    _require_field_work(actor, order)
    signer_name = (signer_name or "").strip()
    if not signer_name:
        raise InvalidInput(_("Enter the name of the person signing."), code="signer_required")
    if not signature:
        raise InvalidInput(_("The customer has not signed."), code="signature_required")
    if len(signature) > SIGNATURE_MAX_BYTES:
        raise InvalidInput(_("The signature image is too large."), code="attachment_too_large")
    upload = _as_upload(signature, "signature")
    content_type, _ext = sniff_upload(upload)
    if content_type != "image/png":
        raise InvalidInput(_("The signature must be a PNG image."), code="attachment_type")
    _check_not_blank(signature)
    owed = order_totals(order)["chargeable"]
    if Decimal(amount_seen).quantize(Decimal("0.01")) != owed:
        raise Conflict(
            _("The amount changed to ¥%(amount)s; show it to the customer before signing.")
            % {"amount": owed},
            code="amount_changed",
            detail={"chargeable": str(owed)},
        )
    now = timezone.now()
    name = f"workorders/signatures/{order.number}-{uuid.uuid4().hex[:8]}.png"
    stored = order.signature.storage.save(name, ContentFile(signature))
    versioned_update(
        order, None, ORDER_CHANGED, signature=stored, signer_name=signer_name[:100], signed_at=now
    )
    event_add(order=order, kind="signed", actor=actor, data={"signer": signer_name})
    audit_record(
        actor=actor,
        action="workorder.sign",
        obj=order,
        after={"signer_name": signer_name, "signed_at": now.isoformat(), "amount": str(owed)},
    )
    return order


def _as_upload(data: bytes, name: str) -> UploadedFile:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def _check_not_blank(png: bytes) -> None:
    """A signature must contain ink: an empty canvas is refused."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as img:
        rgba = img.convert("RGBA")
        alpha_box = rgba.getchannel("A").getbbox()
        ink = rgba.convert("L").point(lambda p: 255 if p < 200 else 0).getbbox()
    if alpha_box is None or ink is None:
        raise InvalidInput(_("The signature is empty."), code="signature_empty")


@transaction.atomic
def workorder_complete(
    *,
    actor: User,
    order: WorkOrder,
    rating: int | None = None,
    comment: str = "",
) -> WorkOrder:
    """The technician completes the job with the customer's signature (R3.3): findings, fault
    cause, result and labour time must be recorded and the customer must have signed. The
    order is then signed off, waits for the supervisor's review, and a follow-up is planned."""
    _require_field_work(actor, order)
    missing = [
        str(label)
        for field, label in (
            ("findings", _lazy("findings")),
            ("fault_cause", _lazy("fault cause")),
            ("result", _lazy("result")),
        )
        if not getattr(order, field).strip()
    ]
    if not order.labour_minutes:
        missing.append(str(_lazy("labour time")))
    if missing:
        raise InvalidInput(
            _("Fill in before completing: %(fields)s.") % {"fields": ", ".join(missing)},
            code="fields_missing",
            detail={"missing": missing},
        )
    if order.signed_at is None or not order.signature:
        raise InvalidInput(
            _("The customer must sign before the job is completed."), code="signature_required"
        )
    if rating is not None and not 1 <= rating <= 5:
        raise InvalidInput(_("The rating is from 1 to 5."), code="rating_invalid")
    if order.status == Status.ON_SITE:
        order = workorder_transition(actor=actor, order=order, to_status=Status.IN_PROGRESS)
    now = timezone.now()
    order = workorder_transition(
        actor=actor,
        order=order,
        to_status=Status.COMPLETED,
        completed_at=now,
        customer_rating=rating,
        customer_comment=(comment or "").strip()[:500],
    )
    _check_out(actor=actor, order=order)
    order = workorder_transition(
        actor=actor,
        order=order,
        to_status=Status.SIGNED_OFF,
        side=SYSTEM,
        review_state=ReviewState.PENDING,
    )
    _case_follow(
        actor=actor, case=order.case, to_status=CaseStatus.RESOLVED, reason=order.result[:500]
    )
    from .followups import followup_schedule

    followup_schedule(order=order)
    return order


# --- review and closing --------------------------------------------------------------------------


@transaction.atomic
def workorder_review(
    *,
    actor: User,
    order: WorkOrder,
    approve: bool,
    comment: str = "",
    expected_version: int | None = None,
) -> WorkOrder:
    """The supervisor approves the repair report, or returns it with comments for the
    technician to correct (the order stays signed off until approved)."""
    comment = (comment or "").strip()
    if approve:
        return workorder_transition(
            actor=actor,
            order=order,
            to_status=Status.REVIEWED,
            reason=comment,
            expected_version=expected_version,
            review_state=ReviewState.APPROVED,
            review_comment=comment,
            reviewed_by=actor,
            reviewed_at=timezone.now(),
        )
    if REVIEW not in sides_of(actor, order):
        raise TransitionNotAllowed(_("You may not review repair reports."))
    if order.status != Status.SIGNED_OFF:
        raise TransitionNotAllowed(
            _("Only a signed-off work order can be reviewed."), code="transition_not_allowed"
        )
    if not comment:
        raise InvalidInput(_("Say what must be corrected."), code="comment_required")
    versioned_update(
        order,
        expected_version,
        ORDER_CHANGED,
        review_state=ReviewState.RETURNED,
        review_comment=comment,
        reviewed_by=actor,
        reviewed_at=timezone.now(),
    )
    event_add(order=order, kind="review_returned", actor=actor, reason=comment)
    audit_record(
        actor=actor,
        action="workorder.review_return",
        obj=order,
        after={"review_state": ReviewState.RETURNED, "review_comment": comment},
    )
    return order


@transaction.atomic
def workorder_report_correct(
    *,
    actor: User,
    order: WorkOrder,
    findings: str | None = None,
    fault_cause: str | None = None,
    repair_details: str | None = None,
) -> WorkOrder:
    """The technician corrects a returned report; it goes back to the supervisor."""
    if TECH not in sides_of(actor, order):
        raise TransitionNotAllowed(_("Only the technician on this order can correct it."))
    if order.status != Status.SIGNED_OFF or order.review_state != ReviewState.RETURNED:
        raise Conflict(_("This report was not returned for correction."), code="not_returned")
    values = {
        k: v.strip()
        for k, v in (
            ("findings", findings),
            ("fault_cause", fault_cause),
            ("repair_details", repair_details),
        )
        if v is not None
    }
    before = model_snapshot(order, [*values, "review_state"])
    versioned_update(order, None, ORDER_CHANGED, review_state=ReviewState.PENDING, **values)
    event_add(order=order, kind="report_corrected", actor=actor)
    audit_record(
        actor=actor,
        action="workorder.report_correct",
        obj=order,
        before=before,
        after=model_snapshot(order, [*values, "review_state"]),
    )
    return order


@transaction.atomic
def workorder_cancel(
    *, actor: User, order: WorkOrder, reason: str, expected_version: int | None = None
) -> WorkOrder:
    order = workorder_transition(
        actor=actor,
        order=order,
        to_status=Status.CANCELLED,
        reason=reason,
        expected_version=expected_version,
    )
    Visit.objects.filter(work_order=order, check_in_at__isnull=True, cancelled=False).update(
        cancelled=True
    )
    _reservations_release(actor=actor, order=order, reason=reason)
    return order


@transaction.atomic
def workorder_close(
    *, actor: User, order: WorkOrder, expected_version: int | None = None
) -> WorkOrder:
    return workorder_transition(
        actor=actor, order=order, to_status=Status.CLOSED, expected_version=expected_version
    )


# --- idempotent submissions from the phone -------------------------------------------------------


def submission_run(
    *, actor: User, key: str | None, action: str, order: WorkOrder, run: Any
) -> tuple[dict[str, Any], bool]:
    """Run ``run()`` (which returns a JSON-ready dict) once per ``(actor, key)``.

    The phone retries a save until the server confirms; a retry of a save that did reach the
    server answers the first result instead of doing the work twice. Returns
    ``(response, replayed)``."""
    key = (key or "").strip()[:100]
    if not key:
        return run(), False

    def replay(existing: SubmissionKey) -> tuple[dict[str, Any], bool]:
        if existing.action != action or existing.work_order_id != order.pk:
            raise InvalidInput(
                _("This Idempotency-Key was already used for a different request."),
                code="idempotency_key_reused",
            )
        return existing.response, True

    existing = SubmissionKey.objects.filter(user=actor, key=key).first()
    if existing is not None:
        return replay(existing)
    from django.db import IntegrityError

    try:
        with transaction.atomic():
            response = run()
            SubmissionKey.objects.create(
                user=actor, key=key, action=action, work_order=order, response=response
            )
    except IntegrityError:
        existing = SubmissionKey.objects.filter(user=actor, key=key).first()
        if existing is None:
            raise
        return replay(existing)
    return response, False
