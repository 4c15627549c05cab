"""API: work orders, dispatch, the technician's field work, reports, follow-ups, skills and
certificates, service-center coverage (issue 5).

Handlers check the shape and the role, then call the same services as the HTML screens. An
order comes from :func:`selectors.workorder_get_for`, so one the caller may not see answers
404 exactly like a missing one. Field-work writes accept an ``Idempotency-Key``: the phone
retries a save until the server confirms, and a retry answers the first result.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Header, Path, Query, Router, Status
from ninja.files import UploadedFile

from aftersales.accounts.models import User
from aftersales.cases.selectors import case_get_for
from aftersales.core.api import (
    ERRORS_READ,
    ERRORS_WRITE,
    ObjectId,
    has_unstorable_text,
    paginate,
    require,
    require_perm,
)
from aftersales.core.errors import InvalidInput
from aftersales.customers.selectors import asset_get_for, customer_get_for

from . import dispatch, followups, selectors, services, staff
from .api_schemas import (
    NUMBER_PATTERN,
    DirectWorkOrderIn,
    DispatchBoardOut,
    NearestCenterOut,
    TechnicianCertificateIn,
    TechnicianCertificateOut,
    TechnicianSkillIn,
    TechnicianSuggestionOut,
    WorkOrderAssignIn,
    WorkOrderCompleteIn,
    WorkOrderFollowUpIn,
    WorkOrderFollowUpOut,
    WorkOrderFollowUpRateOut,
    WorkOrderIn,
    WorkOrderOut,
    WorkOrderPageOut,
    WorkOrderPartIn,
    WorkOrderPatch,
    WorkOrderPauseIn,
    WorkOrderQuery,
    WorkOrderRecordIn,
    WorkOrderReviewIn,
    WorkOrderStepIn,
)
from .coverage import nearest_covering_center
from .models import Certificate, FollowUp, Skill, WorkOrder
from .present import order_item, order_out

router = Router(tags=["workorders"])

OrderNumber = Path(..., max_length=20, pattern=NUMBER_PATTERN, description="e.g. WO-2026-000123")
IdemKey = Header(
    None,
    alias="Idempotency-Key",
    max_length=100,
    description="Send the same key when retrying a save: the first result is answered",
)


def _order(user: User, number: str) -> WorkOrder:
    require_perm(user, "workorders.view_workorder", also_if=not user.is_staff_member)
    return selectors.workorder_get_for(user=user, number=number)


def _out(user: User, order: WorkOrder) -> dict[str, Any]:
    order = selectors.workorder_get_for(user=user, number=order.number)
    return order_out(user, order)


def _field(request: HttpRequest, number: str, action: str, key: str | None, run) -> Any:
    """A field-work save: the technician's own order, run once per Idempotency-Key."""
    user: User = request.auth
    require_perm(user, "workorders.work_workorder", "workorders.dispatch_workorder")
    if has_unstorable_text(key):
        raise InvalidInput(_("The Idempotency-Key contains characters that cannot be stored."))
    order = _order(user, number)

    def go() -> dict[str, Any]:
        run(user, order)
        return _json(_out(user, order))

    response, _replayed = services.submission_run(
        actor=user, key=key, action=action, order=order, run=go
    )
    return response


def _json(data: Any) -> Any:
    """Make the picture storable as JSON for idempotent replays (dates and decimals as text)."""
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


# --- orders ------------------------------------------------------------------------------------


@router.get("/workorders", response={200: WorkOrderPageOut, **ERRORS_READ}, summary="Work orders")
def workorder_list(request: HttpRequest, filters: Query[WorkOrderQuery]):
    """Orders the caller may see, newest first: a technician only their own."""
    user: User = request.auth
    require_perm(user, "workorders.view_workorder")
    qs = selectors.workorder_list(user=user).select_related("case", "customer", "technician")
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.technician:
        qs = qs.filter(technician_id=filters.technician)
    if filters.unassigned:
        qs = qs.filter(technician__isnull=True)
    page = paginate(qs, order=["-id"], cursor=filters.cursor, limit=filters.limit)
    return {"items": [order_item(user, o) for o in page.items], "next_cursor": page.next_cursor}


@router.post(
    "/workorders", response={201: WorkOrderOut, **ERRORS_WRITE}, summary="Open a work order"
)
def workorder_create(request: HttpRequest, payload: WorkOrderIn):
    """From a repair request, warranty claim or complaint case the caller can see."""
    user: User = request.auth
    require_perm(user, "workorders.add_workorder")
    case = case_get_for(user=user, number=payload.case)
    order = services.workorder_create(
        actor=user,
        case=case,
        **payload.model_dump(exclude={"case", "required_certificate"}),
        required_certificate=payload.required_certificate or "",
    )
    return Status(201, _out(user, order))


@router.post(
    "/workorders/direct",
    response={201: WorkOrderOut, **ERRORS_WRITE},
    summary="Open a work order and its case",
)
def workorder_create_direct(request: HttpRequest, payload: DirectWorkOrderIn):
    """A dispatcher opens an order directly; the repair-request case is created with it."""
    user: User = request.auth
    require_perm(user, "workorders.dispatch_workorder")
    customer = customer_get_for(user=user, pk=payload.customer_id)
    asset = asset_get_for(user=user, pk=payload.asset_id) if payload.asset_id else None
    if asset is not None and asset.customer_id != customer.pk:
        raise InvalidInput(_("This product does not belong to the customer."), code="asset")
    fields = payload.model_dump(
        exclude={"case", "customer_id", "asset_id", "title", "required_certificate"}
    )
    order = services.workorder_create_direct(
        actor=user,
        customer=customer,
        asset=asset,
        title=payload.title,
        required_certificate=payload.required_certificate or "",
        **fields,
    )
    return Status(201, _out(user, order))


@router.get(
    "/workorders/{number}",
    response={200: WorkOrderOut, **ERRORS_READ},
    url_name="api_workorder",
    summary="One work order",
)
def workorder_get(request: HttpRequest, number: str = OrderNumber):
    user: User = request.auth
    return order_out(user, _order(user, number))


@router.patch(
    "/workorders/{number}", response={200: WorkOrderOut, **ERRORS_WRITE}, summary="Change details"
)
def workorder_patch(request: HttpRequest, payload: WorkOrderPatch, number: str = OrderNumber):
    user: User = request.auth
    require_perm(user, "workorders.dispatch_workorder")
    order = _order(user, number)
    changes = {k: getattr(payload, k) for k in payload.model_fields_set if k != "version"}
    order = services.workorder_update(
        actor=user, order=order, expected_version=payload.version, changes=changes
    )
    return _out(user, order)


@router.post(
    "/workorders/{number}/assign",
    response={200: WorkOrderOut, **ERRORS_WRITE},
    summary="Assign a technician and a visit window",
)
def workorder_assign(request: HttpRequest, payload: WorkOrderAssignIn, number: str = OrderNumber):
    """Conflicts (double booking, outside working hours, absence) answer 409
    ``needs_confirmation`` with the list; send ``confirm=true`` to book anyway. A stale
    ``version`` answers 409 ``version_conflict``."""
    user: User = request.auth
    require_perm(user, "workorders.dispatch_workorder")
    order = _order(user, number)
    technician = User.objects.filter(pk=payload.technician, is_active=True).first()
    if technician is None:
        raise InvalidInput(_("No such technician."), code="not_a_technician")
    order = services.workorder_assign(
        actor=user,
        order=order,
        technician=technician,
        start=payload.start,
        end=payload.end,
        expected_version=payload.version,
        confirm=payload.confirm,
    )
    return _out(user, order)


@router.get(
    "/workorders/{number}/suggestions",
    response={200: list[TechnicianSuggestionOut], **ERRORS_READ},
    summary="Technicians suggested for an order",
)
def workorder_suggestions(
    request: HttpRequest,
    number: str = OrderNumber,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    limit: int = Query(5, ge=1, le=50),
):
    """Ranked and explained: certificate, skills, distance, load, calendar and bookings."""
    user: User = request.auth
    require_perm(user, "workorders.dispatch_workorder")
    order = _order(user, number)
    if (start is None) != (end is None) or (start and end and end <= start):
        raise InvalidInput(_("Give a window that ends after it starts."), code="window_invalid")
    return [
        {
            "technician": {"id": s.technician.pk, "name": str(s.technician)},
            "score": s.score,
            "eligible": s.eligible,
            "reasons": s.reasons,
            "conflicts": s.conflicts,
            "distance_km": round(s.distance_km, 1) if s.distance_km is not None else None,
            "distance_approximate": s.distance_approximate,
            "out_of_reach": s.out_of_reach,
            "load": s.load,
        }
        for s in dispatch.suggest_technicians(order=order, start=start, end=end, limit=limit)
    ]


@router.post(
    "/workorders/{number}/steps",
    response={200: WorkOrderOut, **ERRORS_WRITE},
    summary="Accept, depart, check in, start, check out, reject, cancel or close",
)
def workorder_step(
    request: HttpRequest,
    payload: WorkOrderStepIn,
    number: str = OrderNumber,
    key: str | None = IdemKey,
):
    """One step of the flow; the transition table decides who may take it (409 otherwise)."""
    actions = {
        "accept": lambda u, o: services.workorder_accept(actor=u, order=o),
        "depart": lambda u, o: services.workorder_depart(actor=u, order=o),
        "check_in": lambda u, o: services.workorder_check_in(actor=u, order=o),
        "start": lambda u, o: services.workorder_start(actor=u, order=o),
        "check_out": lambda u, o: services.workorder_check_out(actor=u, order=o),
        "reject": lambda u, o: services.workorder_reject(actor=u, order=o, reason=payload.reason),
        "cancel": lambda u, o: services.workorder_cancel(actor=u, order=o, reason=payload.reason),
        "close": lambda u, o: services.workorder_close(actor=u, order=o),
    }
    return _field(request, number, f"step:{payload.action}", key, actions[payload.action])


@router.post(
    "/workorders/{number}/pause",
    response={200: WorkOrderOut, **ERRORS_WRITE},
    summary="Pause the work with a reason",
)
def workorder_pause(
    request: HttpRequest,
    payload: WorkOrderPauseIn,
    number: str = OrderNumber,
    key: str | None = IdemKey,
):
    return _field(
        request,
        number,
        "pause",
        key,
        lambda u, o: services.workorder_pause(
            actor=u, order=o, reason=payload.reason, note=payload.note
        ),
    )


@router.post(
    "/workorders/{number}/record",
    response={200: WorkOrderOut, **ERRORS_WRITE},
    summary="Findings, fault cause, repair details, result, labour time",
)
def workorder_record(
    request: HttpRequest,
    payload: WorkOrderRecordIn,
    number: str = OrderNumber,
    key: str | None = IdemKey,
):
    return _field(
        request,
        number,
        "record",
        key,
        lambda u, o: services.workorder_record(actor=u, order=o, **payload.model_dump()),
    )


@router.post(
    "/workorders/{number}/parts",
    response={200: WorkOrderOut, **ERRORS_WRITE},
    summary="A part used, issued from the van stock",
)
def workorder_part_add(
    request: HttpRequest,
    payload: WorkOrderPartIn,
    number: str = OrderNumber,
    key: str | None = IdemKey,
):
    return _field(
        request,
        number,
        "part",
        key,
        lambda u, o: services.workorder_part_add(
            actor=u,
            order=o,
            part_code=payload.part_code,
            quantity=payload.quantity,
            batch_code=payload.batch,
            is_main_component=payload.is_main_component,
        ),
    )


@router.post(
    "/workorders/{number}/photos",
    response={200: WorkOrderOut, **ERRORS_WRITE},
    summary="A photo before or after the repair",
)
def workorder_photo_add(
    request: HttpRequest,
    file: File[UploadedFile],
    kind: Form[str],
    number: str = OrderNumber,
    key: str | None = IdemKey,
):
    """JPEG, PNG, WebP or GIF, checked by content; other files answer 422."""
    if has_unstorable_text(file.name or ""):
        raise InvalidInput(_("A file name contains characters that cannot be stored."))
    return _field(
        request,
        number,
        "photo",
        key,
        lambda u, o: services.workorder_photo_add(actor=u, order=o, kind=kind, upload=file),
    )


@router.post(
    "/workorders/{number}/signature",
    response={200: WorkOrderOut, **ERRORS_WRITE},
    summary="The customer's signature (PNG) for the amount shown",
)
def workorder_sign(
    request: HttpRequest,
    file: File[UploadedFile],
    signer_name: Form[str],
    amount_seen: Form[str],
    number: str = OrderNumber,
    key: str | None = IdemKey,
):
    """``amount_seen`` is the chargeable amount the customer was shown; 409 ``amount_changed``
    when it differs from what is owed now."""
    from decimal import Decimal, InvalidOperation

    try:
        amount = Decimal(amount_seen)
    except InvalidOperation as exc:
        raise InvalidInput(_("The amount is not a number."), code="amount_invalid") from exc
    if file.size and file.size > services.SIGNATURE_MAX_BYTES:
        raise InvalidInput(_("The signature image is too large."), code="attachment_too_large")
    data = file.read()
    return _field(
        request,
        number,
        "signature",
        key,
        lambda u, o: services.workorder_sign(
            actor=u, order=o, signature=data, signer_name=signer_name[:100], amount_seen=amount
        ),
    )


@router.post(
    "/workorders/{number}/complete",
    response={200: WorkOrderOut, **ERRORS_WRITE},
    summary="Complete the job (needs the signature)",
)
def workorder_complete(
    request: HttpRequest,
    payload: WorkOrderCompleteIn,
    number: str = OrderNumber,
    key: str | None = IdemKey,
):
    return _field(
        request,
        number,
        "complete",
        key,
        lambda u, o: services.workorder_complete(
            actor=u, order=o, rating=payload.rating, comment=payload.comment
        ),
    )


@router.post(
    "/workorders/{number}/review",
    response={200: WorkOrderOut, **ERRORS_WRITE},
    summary="Approve the repair report or return it with comments",
)
def workorder_review(request: HttpRequest, payload: WorkOrderReviewIn, number: str = OrderNumber):
    user: User = request.auth
    require_perm(user, "workorders.review_workorder")
    order = _order(user, number)
    order = services.workorder_review(
        actor=user,
        order=order,
        approve=payload.approve,
        comment=payload.comment,
        expected_version=payload.version,
    )
    return _out(user, order)


@router.get(
    "/workorders/{number}/report.pdf",
    response=ERRORS_READ,
    summary="The repair report as PDF",
    openapi_extra={
        "responses": {
            200: {
                "description": "PDF",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def workorder_report_pdf(request: HttpRequest, number: str = OrderNumber):
    """Staff once the job is completed; the customer once the supervisor approved it."""
    from .report import report_export_record, report_pdf_response, report_visible

    user: User = request.auth
    order = _order(user, number)
    require(report_visible(user, order), _("The repair report is not ready yet."))
    report_export_record(user=user, order=order, where=f"GET {request.path}")
    return report_pdf_response(order)


# --- dispatch board ---------------------------------------------------------------------------


@router.get(
    "/workorder-board", response={200: DispatchBoardOut, **ERRORS_READ}, summary="Dispatch board"
)
def board(request: HttpRequest, day: dt.date | None = None, week: bool = False):
    user: User = request.auth
    require_perm(user, "workorders.dispatch_workorder")
    data = dispatch.dispatch_board(day=day, week=week)
    return {
        "day": data["day"],
        "week": data["week"],
        "unassigned_count": data["unassigned_count"],
        "unassigned": [
            {
                "number": o.number,
                "status": o.status,
                "status_label": o.status_label,
                "case": "",
                "customer": {"id": o.customer_id, "name": o.customer.name},
                "address": o.address,
                "urgency": o.urgency,
                "repair_at": o.repair_at,
                "technician": None,
                "version": o.version,
            }
            for o in data["unassigned"]
        ],
        "lanes": [
            {
                "technician": {"id": lane["technician"].pk, "name": str(lane["technician"])},
                "load": lane["load"],
                "visits": [
                    {
                        "id": v["id"],
                        "number": v["number"],
                        "status": v["status"],
                        "customer": v["customer"],
                        "address": v["address"],
                        "planned_start": v["planned_start"],
                        "planned_end": v["planned_end"],
                        "double_booked": v["id"] in lane["conflicts"],
                    }
                    for v in lane["visits"]
                ],
            }
            for lane in data["lanes"]
        ],
    }


# --- follow-ups -------------------------------------------------------------------------------


def _follow_up_out(f: FollowUp) -> dict[str, Any]:
    return {
        "id": f.pk,
        "work_order": f.work_order.number,
        "customer": f.work_order.customer.name,
        "technician": str(f.work_order.technician) if f.work_order.technician_id else None,
        "due_at": f.due_at,
        "state": f.state,
        "attempts": f.attempts,
        "reached": f.reached,
        "scores": f.scores or {},
        "comments": f.comments,
        "complaint_case": f.complaint_case.number if f.complaint_case_id else None,
        "version": f.version,
    }


@router.get(
    "/followups",
    response={200: list[WorkOrderFollowUpOut], **ERRORS_READ},
    summary="Follow-ups due (or overdue)",
)
def followup_list(
    request: HttpRequest, overdue: bool = False, limit: int = Query(100, ge=1, le=500)
):
    user: User = request.auth
    require_perm(user, "workorders.followup_workorder")
    qs = (selectors.followups_overdue if overdue else selectors.followups_due)(user=user)
    return [_follow_up_out(f) for f in qs.select_related("complaint_case")[:limit]]


@router.get(
    "/followups/rate",
    response={200: WorkOrderFollowUpRateOut, **ERRORS_READ},
    summary="Follow-up rate in a period (target 80 %)",
)
def followup_rate(request: HttpRequest, start: dt.date, end: dt.date):
    user: User = request.auth
    require_perm(user, "workorders.followup_workorder")
    if end < start:
        raise InvalidInput(_("The period ends before it starts."), code="period_invalid")
    tz = timezone.get_current_timezone()
    return selectors.followup_rate(
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )


@router.post(
    "/followups/{follow_up_id}",
    response={200: WorkOrderFollowUpOut, **ERRORS_WRITE},
    summary="Record a follow-up call",
)
def followup_record(request: HttpRequest, payload: WorkOrderFollowUpIn, follow_up_id: ObjectId):
    """Not reached: one more attempt (a survey link after the policy's attempts). Reached: the
    ten items of the evaluation form; a dissatisfied answer opens a linked complaint."""
    user: User = request.auth
    require_perm(user, "workorders.followup_workorder")
    visible = selectors.workorder_list(user=user)
    follow_up = get_object_or_404(
        FollowUp.objects.select_related("work_order__customer", "work_order__technician"),
        pk=follow_up_id,
        work_order__in=visible,
    )
    follow_up = followups.followup_record(
        actor=user,
        follow_up=follow_up,
        reached=payload.reached,
        scores=payload.scores,
        comments=payload.comments,
        expected_version=payload.version,
    )
    follow_up = FollowUp.objects.select_related(
        "work_order__customer", "work_order__technician", "complaint_case"
    ).get(pk=follow_up.pk)
    return _follow_up_out(follow_up)


# --- skills and certificates ----------------------------------------------------------------------


def _cert_out(c: Certificate) -> dict[str, Any]:
    return {
        "id": c.pk,
        "holder": {"id": c.user_id, "name": str(c.user)},
        "cert_type": c.cert_type,
        "cert_type_label": c.get_cert_type_display(),
        "level": c.level,
        "number": c.number,
        "issued_on": c.issued_on,
        "expires_on": c.expires_on,
    }


@router.get(
    "/certificates/expiring",
    response={200: list[TechnicianCertificateOut], **ERRORS_READ},
    summary="Certificates expiring within 30 days",
)
def certificates_expiring(request: HttpRequest):
    user: User = request.auth
    require_perm(user, "workorders.manage_skills")
    return [_cert_out(c) for c in staff.certificates_expiring()]


def _technician(pk: int) -> User:
    return get_object_or_404(User, pk=pk, groups__name="technician")


@router.post(
    "/technicians/{user_id}/certificates",
    response={201: TechnicianCertificateOut, **ERRORS_WRITE},
    summary="Add a certificate",
)
def certificate_add(request: HttpRequest, payload: TechnicianCertificateIn, user_id: ObjectId):
    user: User = request.auth
    require_perm(user, "workorders.manage_skills")
    cert = staff.certificate_add(actor=user, user=_technician(user_id), **payload.model_dump())
    return Status(201, _cert_out(cert))


@router.post(
    "/technicians/{user_id}/skills", response={201: dict, **ERRORS_WRITE}, summary="Grant a skill"
)
def skill_grant(request: HttpRequest, payload: TechnicianSkillIn, user_id: ObjectId):
    user: User = request.auth
    require_perm(user, "workorders.manage_skills")
    skill = Skill.objects.filter(code=payload.skill).first()
    if skill is None:
        raise InvalidInput(_("Unknown skill."), code="unknown_skill")
    row = staff.skill_grant(actor=user, user=_technician(user_id), skill=skill, level=payload.level)
    return Status(201, {"skill": skill.code, "level": row.level})


# --- coverage -------------------------------------------------------------------------------------


@router.get(
    "/service-centers/nearest",
    response={200: NearestCenterOut, **ERRORS_READ},
    summary="The nearest covering service center for a position",
)
def nearest_center(
    request: HttpRequest,
    latitude: float = Query(..., ge=-90, le=90),
    longitude: float = Query(..., ge=-180, le=180),
):
    user: User = request.auth
    require_perm(user, "workorders.add_workorder")
    found = nearest_covering_center(latitude, longitude)
    if found is None:
        return {"center": None, "center_name": None, "distance_km": None}
    return {
        "center": found[0].code,
        "center_name": found[0].name,
        "distance_km": round(found[1], 1),
    }
