"""The technician's work on site: departure, check-in and out, pauses, findings, parts
from the stock ledger, photos, the customer's signature and completion (R3.3, R3.6).
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
from django.utils.translation import gettext_lazy

from aftersales.accounts.models import User
from aftersales.cases.attachments import sniff_upload
from aftersales.cases.choices import Status as CaseStatus
from aftersales.core.audit import audit_record, model_snapshot
from aftersales.core.errors import Conflict, InvalidInput, TransitionNotAllowed
from aftersales.core.images import check_image
from aftersales.core.versions import versioned_update

from .. import integrations
from ..choices import LineKind, PauseReason, PhotoKind, ReviewState, Status
from ..models import Visit, WorkOrder, WorkOrderLine, WorkOrderPhoto
from ..transitions import SYSTEM, TECH
from .base import (
    MAX_PHOTOS,
    ORDER_CHANGED,
    SIGNATURE_MAX_BYTES,
    SIGNATURE_MAX_PIXELS,
    _case_follow,
    event_add,
    sides_of,
    workorder_transition,
)


def _open_visit(order: WorkOrder) -> Visit | None:
    return (
        order.visits.filter(cancelled=False, check_in_at__isnull=False, check_out_at__isnull=True)
        .order_by("-id")
        .first()
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
        size=upload.size,  # type: ignore[misc]  # a received upload knows its size
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
    # a phone's pad is a few megapixels at most; reading the ink decodes every pixel
    check_image(signature, name="signature.png", limit=SIGNATURE_MAX_PIXELS)
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
            ("findings", gettext_lazy("findings")),
            ("fault_cause", gettext_lazy("fault cause")),
            ("result", gettext_lazy("result")),
        )
        if not getattr(order, field).strip()
    ]
    if not order.labour_minutes:
        missing.append(str(gettext_lazy("labour time")))
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
    from ..followups import followup_schedule

    followup_schedule(order=order)
    return order
