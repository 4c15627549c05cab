"""One JSON picture of a work order for a given user, shared by the API and the phone page.

The picture holds only what the user's role needs: the contact number is masked unless the
user may see it (see :func:`selectors.phone_visible`); a customer sees no internal timeline.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from aftersales.accounts.models import User

from . import selectors
from .choices import PauseReason, PhotoKind, Status
from .models import WorkOrder
from .services import order_totals, warranty_cover
from .transitions import allowed_steps


def _person(user: Any) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"id": user.pk, "name": str(user)}


def order_item(user: User, order: WorkOrder) -> dict[str, Any]:
    return {
        "number": order.number,
        "status": order.status,
        "status_label": str(Status(order.status).label),
        "case": order.case.number,
        "customer": {"id": order.customer_id, "name": order.customer.name},
        "address": order.address,
        "urgency": order.urgency,
        "repair_at": order.repair_at,
        "technician": _person(order.technician),
        "version": order.version,
    }


def order_out(user: User, order: WorkOrder) -> dict[str, Any]:
    from .services import sides_of

    staff = getattr(user, "is_staff_member", False)
    lines = list(order.lines.all())
    totals = order_totals(order)
    cover = warranty_cover(order)
    asset = order.asset
    sides = sides_of(user, order) if staff else set()
    return {
        **order_item(user, order),
        "request": order.request,
        "contact_name": order.contact_name,
        "contact_phone": selectors.contact_phone_for(user, order) if staff else order.contact_phone,
        "latitude": order.latitude,
        "longitude": order.longitude,
        "service_center": order.service_center.name if order.service_center_id else None,
        "inspection_at": order.inspection_at,
        "required_skills": order.required_skills,
        "required_certificate": order.required_certificate or None,
        "pause_reason": order.pause_reason or None,
        "pause_reason_label": str(PauseReason(order.pause_reason).label)
        if order.pause_reason
        else None,
        "status_note": order.status_note,
        "product": {
            "model": asset.product_model.code,
            "name": asset.product_model.name,
            "serial_number": asset.serial_number,
            "purchase_date": asset.purchase_date,
            "warranty_end": cover["unit_end"],
            "main_parts_warranty_end": cover["main_end"],
        }
        if asset
        else None,
        "warranty": {"unit": cover["unit"], "main_components": cover["main"]},
        "findings": order.findings,
        "fault_cause": order.fault_cause,
        "repair_details": order.repair_details,
        "result": order.result,
        "labour_minutes": order.labour_minutes,
        "lines": [
            {
                "id": line.pk,
                "kind": line.kind,
                "description": line.description,
                "part_code": line.part_code,
                "specification": line.specification,
                "batch": line.batch_code,
                "quantity": line.quantity,
                "unit_price": line.unit_price,
                "amount": line.amount,
                "covered": line.covered,
                "charged": line.charged,
            }
            for line in lines
        ],
        "totals": totals,
        "visits": [
            {
                "id": v.pk,
                "technician": _person(v.technician),
                "planned_start": v.planned_start,
                "planned_end": v.planned_end,
                "check_in_at": v.check_in_at,
                "check_out_at": v.check_out_at,
                "confirmed_conflicts": v.confirmed_conflicts,
            }
            for v in order.visits.filter(cancelled=False).select_related("technician")
        ]
        if staff
        else [],
        "photos": [
            {
                "id": p.pk,
                "kind": p.kind,
                "kind_label": str(PhotoKind(p.kind).label),
                "url": reverse("workorders:photo", args=[p.pk]),
            }
            for p in order.photos.all()
        ],
        "signed": order.signed_at is not None,
        "signer_name": order.signer_name,
        "signed_at": order.signed_at,
        "customer_rating": order.customer_rating,
        "completed_at": order.completed_at,
        "review_state": order.review_state or None,
        "review_comment": order.review_comment if staff else "",
        "allowed": sorted({s.to.value for s in allowed_steps(order.status, sides)}),
        "report_url": reverse("workorders:report_pdf", args=[order.number])
        if order.completed_at
        else None,
    }
