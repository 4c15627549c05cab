"""API: suppliers, purchase orders, receipts, incoming inspection, returns, the scorecard,
batches and recalls, pricing and stock figures (R8.4–R8.7).

Handlers check the shape and the permission, then call the same services as the screens.
Objects named in a path answer 404 when missing; parts or locations named in a body that do
not exist answer 422.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import FileResponse, Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Path, Query, Router, Status
from ninja.files import UploadedFile

from aftersales.accounts.models import User
from aftersales.core.api import (
    ERRORS_READ,
    ERRORS_WRITE,
    ObjectId,
    has_unstorable_text,
    paginate,
    require_perm,
)
from aftersales.core.errors import InvalidInput
from aftersales.customers.phones import mask_phone
from aftersales.customers.selectors import sees_full_personal_data
from aftersales.parts.models import Batch, Location, Part

from . import figures, pricing, recall, selectors, services
from . import permissions as perms
from .api_schemas import (
    PurchasingBatchPageOut,
    PurchasingBatchQuery,
    PurchasingDecisionIn,
    PurchasingDefectIn,
    PurchasingFiguresOut,
    PurchasingFiguresQuery,
    PurchasingInspectionIn,
    PurchasingOpenOrderOut,
    PurchasingOrderDetailOut,
    PurchasingOrderIn,
    PurchasingOrderPageOut,
    PurchasingOrderQuery,
    PurchasingPeriodQuery,
    PurchasingPlanOrdersOut,
    PurchasingPriceChangeIn,
    PurchasingPriceChangeOut,
    PurchasingPriceChangePageOut,
    PurchasingPriceChangeQuery,
    PurchasingPriceRuleIn,
    PurchasingPriceRuleOut,
    PurchasingQuoteOut,
    PurchasingQuoteQuery,
    PurchasingRatingIn,
    PurchasingRatingOut,
    PurchasingRecallCasesOut,
    PurchasingRecallOut,
    PurchasingReceiptIn,
    PurchasingReceiptLineOut,
    PurchasingReceiptOut,
    PurchasingReturnOut,
    PurchasingScorecardOut,
    PurchasingSupplierDetailOut,
    PurchasingSupplierIn,
    PurchasingSupplierOut,
    PurchasingSupplierPatch,
    PurchasingSupplierPriceIn,
    PurchasingTransitionIn,
    PurchasingUsedBatchOut,
)
from .models import InspectionPhoto, PurchaseOrder, ReceiptLine, Supplier, SupplierReturn
from .scorecard import WEIGHTS, scorecard_rows, supplier_scorecard

router = Router(tags=["purchasing"])

OrderNumber = Path(
    ..., max_length=20, pattern=r"^[A-Za-z0-9-]{1,20}$", description="PO-2026-000123"
)
SupplierCode = Path(..., max_length=40, pattern=r"^[-a-zA-Z0-9_]{1,40}$")


def _part(code: str) -> Part:
    part = Part.objects.filter(code=code).first()
    if part is None:
        raise InvalidInput(_("There is no part “%(code)s”.") % {"code": code}, code="unknown_part")
    return part


def _location(code: str) -> Location:
    location = Location.objects.filter(code=code).first()
    if location is None:
        raise InvalidInput(
            _("There is no location “%(code)s”.") % {"code": code}, code="unknown_location"
        )
    return location


def _supplier(code: str) -> Supplier:
    return selectors._get(Supplier.objects.prefetch_related("contacts"), code=code)


# --- presenting ------------------------------------------------------------------------------


def _supplier_out(s: Supplier) -> dict[str, Any]:
    return {
        "id": s.pk,
        "code": s.code,
        "name": s.name,
        "tax_id": s.tax_id,
        "address": s.address,
        "active": s.active,
        "version": s.version,
    }


def _supplier_detail(s: Supplier) -> dict[str, Any]:
    return {
        **_supplier_out(s),
        "notes": s.notes,
        "contacts": [
            {"name": c.name, "role": c.role, "phone": c.phone, "email": c.email}
            for c in s.contacts.all()
        ],
        "prices": [
            {
                "part": p.part.code,
                "part_name": p.part.name,
                "supplier_code": p.supplier_code,
                "price": p.price,
                "valid_from": p.valid_from,
                "valid_to": p.valid_to,
                "lead_time_days": p.lead_time_days,
            }
            for p in selectors.supplier_price_list(s)
        ],
    }


def _order_out(o: PurchaseOrder) -> dict[str, Any]:
    return {
        "id": o.pk,
        "number": o.number,
        "supplier": o.supplier.code,
        "supplier_name": o.supplier.name,
        "status": o.status,
        "ordered_at": o.ordered_at,
        "promised_date": o.promised_date,
        "notes": o.notes,
        "version": o.version,
    }


def _receipt_line_out(rl: ReceiptLine) -> dict[str, Any]:
    insp = getattr(rl, "inspection", None)
    return {
        "id": rl.pk,
        "receipt": rl.receipt_id,
        "received_at": rl.receipt.received_at,
        "location": rl.receipt.location.code,
        "part": rl.order_line.part.code,
        "quantity": rl.quantity,
        "lot_number": rl.lot_number,
        "on_time": rl.on_time,
        "inspection": None
        if insp is None
        else {
            "id": insp.pk,
            "accepted_quantity": insp.accepted_quantity,
            "rejected_quantity": insp.rejected_quantity,
            "defect_description": insp.defect_description,
            "inspected_at": insp.inspected_at,
            "photos": len(insp.photos.all()),
            "photo_ids": [p.pk for p in insp.photos.all()],
            "return_note": getattr(getattr(insp, "return_note", None), "number", None),
        },
    }


def _order_detail(o: PurchaseOrder) -> dict[str, Any]:
    return {
        **_order_out(o),
        "lines": [
            {
                "id": line.pk,
                "part": line.part.code,
                "part_name": line.part.name,
                "quantity": line.quantity,
                "unit_price": line.unit_price,
                "received_quantity": line.received_quantity,
                "open_quantity": line.open_quantity,
            }
            for line in selectors.order_lines(o)
        ],
        "receipt_lines": [_receipt_line_out(rl) for rl in selectors.receipt_lines_for_order(o)],
    }


def _batch_out(b: Batch) -> dict[str, Any]:
    return {
        "id": b.pk,
        "part": b.part.code,
        "part_name": b.part.name,
        "lot_number": b.lot_number,
        "received_at": b.received_at,
        "supplier_ref": b.supplier_ref,
        "defective": b.defective,
        "defective_reason": b.defective_reason,
        "marked_at": b.marked_at,
    }


def _return_out(r: SupplierReturn) -> dict[str, Any]:
    return {
        "id": r.pk,
        "number": r.number,
        "supplier": r.supplier.code,
        "part": r.part.code,
        "quantity": r.quantity,
        "lot_number": r.lot_number,
        "reason": r.reason,
        "status": r.status,
        "created_at": r.created_at,
    }


def _change_out(c) -> dict[str, Any]:
    return {
        "id": c.pk,
        "target": c.target,
        "part": c.part.code if c.part_id else None,
        "rule": c.rule_id,
        "old_value": c.old_value,
        "new_value": c.new_value,
        "reason": c.reason,
        "status": c.status,
        "requested_by": c.requested_by.get_username() if c.requested_by_id else None,
        "requested_at": c.requested_at,
        "decided_by": c.decided_by.get_username() if c.decided_by_id else None,
        "decided_at": c.decided_at,
        "decision_note": c.decision_note,
    }


def _rule_out(r) -> dict[str, Any]:
    return {
        "id": r.pk,
        "name": r.name,
        "kind": r.kind,
        "part": r.part.code if r.part_id else None,
        "percent": r.percent,
        "tier_discounts": r.tier_discounts or {},
        "active": r.active,
        "version": r.version,
    }


# --- suppliers -------------------------------------------------------------------------------


@router.get(
    "/purchasing/suppliers",
    response={200: list[PurchasingSupplierOut], **ERRORS_READ},
    summary="Suppliers",
)
def supplier_list(request: HttpRequest):
    require_perm(request.auth, perms.VIEW)
    return [_supplier_out(s) for s in selectors.supplier_list()]


@router.post(
    "/purchasing/suppliers",
    response={201: PurchasingSupplierDetailOut, **ERRORS_WRITE},
    summary="Register a supplier",
)
def supplier_create(request: HttpRequest, payload: PurchasingSupplierIn):
    require_perm(request.auth, perms.MANAGE_SUPPLIERS)
    supplier = services.supplier_create(
        actor=request.auth,
        code=payload.code,
        name=payload.name,
        tax_id=payload.tax_id,
        address=payload.address,
        notes=payload.notes,
        contacts=[c.model_dump() for c in payload.contacts],
    )
    return Status(201, _supplier_detail(_supplier(supplier.code)))


@router.get(
    "/purchasing/suppliers/{code}",
    response={200: PurchasingSupplierDetailOut, **ERRORS_READ},
    summary="A supplier with contacts and price list",
)
def supplier_detail(request: HttpRequest, code: str = SupplierCode):
    require_perm(request.auth, perms.VIEW)
    return _supplier_detail(_supplier(code))


@router.patch(
    "/purchasing/suppliers/{code}",
    response={200: PurchasingSupplierDetailOut, **ERRORS_WRITE},
    summary="Change a supplier",
)
def supplier_update(
    request: HttpRequest, payload: PurchasingSupplierPatch, code: str = SupplierCode
):
    require_perm(request.auth, perms.MANAGE_SUPPLIERS)
    supplier = _supplier(code)
    changes = {k: getattr(payload, k) for k in payload.model_fields_set if k != "version"}
    if any(v is None for v in changes.values()):
        raise InvalidInput(_("Fields sent must not be null."))
    services.supplier_update(
        actor=request.auth, supplier=supplier, version=payload.version, **changes
    )
    return _supplier_detail(_supplier(code))


@router.post(
    "/purchasing/suppliers/{code}/prices",
    response={201: PurchasingSupplierDetailOut, **ERRORS_WRITE},
    summary="Add a price to a supplier's price list",
)
def supplier_price_add(
    request: HttpRequest, payload: PurchasingSupplierPriceIn, code: str = SupplierCode
):
    require_perm(request.auth, perms.MANAGE_SUPPLIERS)
    supplier = _supplier(code)
    services.supplier_price_set(
        actor=request.auth,
        supplier=supplier,
        part=_part(payload.part),
        price=payload.price,
        valid_from=payload.valid_from,
        valid_to=payload.valid_to,
        lead_time_days=payload.lead_time_days,
        supplier_code=payload.supplier_code,
    )
    return Status(201, _supplier_detail(_supplier(code)))


@router.post(
    "/purchasing/suppliers/{code}/ratings",
    response={201: PurchasingRatingOut, **ERRORS_WRITE},
    summary="Rate a supplier's service (1–5)",
)
def supplier_rate(request: HttpRequest, payload: PurchasingRatingIn, code: str = SupplierCode):
    require_perm(request.auth, perms.MANAGE_SUPPLIERS)
    rating = services.supplier_rate(
        actor=request.auth, supplier=_supplier(code), score=payload.score, comment=payload.comment
    )
    return Status(
        201,
        {
            "id": rating.pk,
            "score": rating.score,
            "comment": rating.comment,
            "rated_at": rating.rated_at,
        },
    )


@router.get(
    "/purchasing/scorecard",
    response={200: PurchasingScorecardOut, **ERRORS_READ},
    summary="Supplier scorecard and ranking for a period",
)
def scorecard(request: HttpRequest, period: Query[PurchasingPeriodQuery]):
    """Quality, on-time delivery, price and service per supplier, the weighted total and the
    rank. The formulas are in ``aftersales/purchasing/scorecard.py``."""
    require_perm(request.auth, perms.VIEW)
    end = period.end or timezone.localdate()
    start = period.start or end - dt.timedelta(days=90)
    if start > end:
        raise InvalidInput(_("The period starts after it ends."), code="invalid_period")
    if (end - start).days > 3660:
        raise InvalidInput(_("The period is longer than ten years."), code="invalid_period")
    return {
        "start": start,
        "end": end,
        "weights": WEIGHTS,
        "suppliers": scorecard_rows(supplier_scorecard(start, end)),
    }


# --- purchase orders -------------------------------------------------------------------------


@router.get(
    "/purchasing/orders",
    response={200: PurchasingOrderPageOut, **ERRORS_READ},
    summary="Purchase orders, newest first",
)
def order_list(request: HttpRequest, filters: Query[PurchasingOrderQuery]):
    require_perm(request.auth, perms.VIEW)
    qs = selectors.order_list(status=filters.status or "")
    if filters.supplier:
        qs = qs.filter(supplier__code=filters.supplier)
    page = paginate(qs, order=["-id"], cursor=filters.cursor, limit=filters.limit)
    return {"items": [_order_out(o) for o in page.items], "next_cursor": page.next_cursor}


@router.post(
    "/purchasing/orders",
    response={201: PurchasingOrderDetailOut, **ERRORS_WRITE},
    summary="Create a draft purchase order",
)
def order_create(request: HttpRequest, payload: PurchasingOrderIn):
    require_perm(request.auth, perms.BUY)
    supplier = Supplier.objects.filter(code=payload.supplier).first()
    if supplier is None:
        raise InvalidInput(_("There is no supplier “%(code)s”.") % {"code": payload.supplier})
    order = services.order_create(
        actor=request.auth,
        supplier=supplier,
        promised_date=payload.promised_date,
        notes=payload.notes,
        lines=[
            {"part": _part(line.part), "quantity": line.quantity, "unit_price": line.unit_price}
            for line in payload.lines
        ],
    )
    return Status(201, _order_detail(selectors.order_get(pk=order.pk)))


@router.post(
    "/purchasing/orders/from-plan",
    response={201: PurchasingPlanOrdersOut, **ERRORS_WRITE},
    summary="Draft orders from the suggested purchase plan",
)
def orders_from_plan(request: HttpRequest):
    """One draft per supplier with the lowest valid price for each suggested part; parts no
    supplier lists come back in ``unsourced``."""
    require_perm(request.auth, perms.BUY)
    orders, unsourced = services.orders_from_plan(actor=request.auth)
    return Status(
        201,
        {
            "orders": [_order_detail(selectors.order_get(pk=o.pk)) for o in orders],
            "unsourced": [p.code for p in unsourced],
        },
    )


@router.get(
    "/purchasing/orders/{number}",
    response={200: PurchasingOrderDetailOut, **ERRORS_READ},
    summary="A purchase order with its receipts and inspections",
)
def order_detail(request: HttpRequest, number: str = OrderNumber):
    require_perm(request.auth, perms.VIEW)
    return _order_detail(selectors.order_get(number=number))


@router.post(
    "/purchasing/orders/{number}/transitions",
    response={200: PurchasingOrderDetailOut, **ERRORS_WRITE},
    summary="Place, cancel or close an order",
)
def order_transition(
    request: HttpRequest, payload: PurchasingTransitionIn, number: str = OrderNumber
):
    require_perm(request.auth, perms.BUY)
    order = selectors.order_get(number=number)
    services.order_transition(
        actor=request.auth,
        order=order,
        to_status=payload.to_status,
        version=payload.version,
        reason=payload.reason,
    )
    return _order_detail(selectors.order_get(number=number))


@router.post(
    "/purchasing/orders/{number}/receipts",
    response={201: PurchasingReceiptOut, **ERRORS_WRITE},
    summary="Record goods received (partial deliveries allowed)",
)
def receipt_create(request: HttpRequest, payload: PurchasingReceiptIn, number: str = OrderNumber):
    """Quantities above what is still open on a line are refused (409 ``over_receipt``). The
    goods enter stock only when inspected."""
    require_perm(request.auth, perms.BUY)
    order = selectors.order_get(number=number)
    receipt = services.receipt_create(
        actor=request.auth,
        order=order,
        location=_location(payload.location),
        version=payload.version,
        delivery_note=payload.delivery_note,
        lines=[line.model_dump() for line in payload.lines],
    )
    order.refresh_from_db()
    lines = [rl for rl in selectors.receipt_lines_for_order(order) if rl.receipt_id == receipt.pk]
    return Status(
        201,
        {
            "id": receipt.pk,
            "order": order.number,
            "order_status": order.status,
            "order_version": order.version,
            "lines": [_receipt_line_out(rl) for rl in lines],
        },
    )


@router.post(
    "/purchasing/receipt-lines/{line_id}/inspection",
    response={201: PurchasingReceiptLineOut, **ERRORS_WRITE},
    summary="Inspect a receipt line (accept / reject, defect, photos)",
)
def inspection_record(
    request: HttpRequest,
    line_id: ObjectId,
    payload: Form[PurchasingInspectionIn],
    photos: File[list[UploadedFile]] = None,
):
    """Multipart form. Accepted + rejected must equal the quantity received; the accepted
    quantity enters stock under the line's lot number, the rejected one gets a return note."""
    require_perm(request.auth, perms.BUY)
    line = selectors.receipt_line_get(pk=line_id)
    for upload in photos or []:
        if has_unstorable_text(upload.name or ""):
            raise InvalidInput(_("A file name contains characters that cannot be stored."))
    services.inspection_record(
        actor=request.auth,
        receipt_line=line,
        accepted=payload.accepted,
        rejected=payload.rejected,
        defect_description=payload.defect_description,
        photos=list(photos or []),
    )
    order = line.receipt.order
    fresh = next(rl for rl in selectors.receipt_lines_for_order(order) if rl.pk == line.pk)
    return Status(201, _receipt_line_out(fresh))


@router.get(
    "/purchasing/inspection-photos/{photo_id}",
    response=ERRORS_READ,
    summary="Download a defect photo",
    openapi_extra={
        "responses": {
            200: {
                "description": "The photo",
                "content": {"image/*": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def inspection_photo(request: HttpRequest, photo_id: ObjectId):
    require_perm(request.auth, perms.VIEW)
    photo = selectors._get(InspectionPhoto.objects.all(), pk=photo_id)
    try:
        handle = photo.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404("file") from exc
    response = FileResponse(handle, content_type=photo.content_type, filename=photo.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


@router.get(
    "/purchasing/returns",
    response={200: list[PurchasingReturnOut], **ERRORS_READ},
    summary="Return notes for rejected goods",
)
def return_list(request: HttpRequest):
    require_perm(request.auth, perms.VIEW)
    return [_return_out(r) for r in selectors.return_list()[:500]]


@router.post(
    "/purchasing/returns/{return_id}/shipment",
    response={200: PurchasingReturnOut, **ERRORS_WRITE},
    summary="Record that rejected goods went back to the supplier",
)
def return_ship(request: HttpRequest, return_id: ObjectId):
    require_perm(request.auth, perms.BUY)
    note = selectors.return_get(pk=return_id)
    return _return_out(services.return_ship(actor=request.auth, supplier_return=note))


@router.get(
    "/purchasing/open-orders",
    response={200: list[PurchasingOpenOrderOut], **ERRORS_READ},
    summary="Quantities on order and not yet received, per part",
)
def open_orders(request: HttpRequest):
    require_perm(request.auth, perms.VIEW)
    quantities = selectors.open_order_quantities()
    codes = dict(Part.objects.filter(pk__in=quantities).values_list("pk", "code"))
    return [
        {"part": codes[pid], "open_quantity": qty}
        for pid, qty in sorted(quantities.items(), key=lambda kv: codes[kv[0]])
    ]


# --- batches and recall ----------------------------------------------------------------------


@router.get(
    "/purchasing/batches",
    response={200: PurchasingBatchPageOut, **ERRORS_READ},
    summary="Batches (lots) received",
)
def batch_list(request: HttpRequest, filters: Query[PurchasingBatchQuery]):
    require_perm(request.auth, perms.VIEW)
    qs = selectors.batch_list(defective=filters.defective, q=filters.q)
    page = paginate(qs, order=["-id"], cursor=filters.cursor, limit=filters.limit)
    return {"items": [_batch_out(b) for b in page.items], "next_cursor": page.next_cursor}


def _recall_out(user: User, batch: Batch) -> dict[str, Any]:
    whole = sees_full_personal_data(user)
    lines = []
    for line in selectors.recall_list(batch):
        contacts = list(line.customer.contacts.all())  # prefetched, primary first
        contact = contacts[0] if contacts else None
        phone = contact.phone if contact else ""
        lines.append(
            {
                "work_order": line.work_order.number,
                "customer_id": line.customer.pk,
                "customer": line.customer.name,
                "phone": phone if whole else mask_phone(phone),
                "asset": str(line.asset) if line.asset else None,
                "quantity": line.quantity,
                "case": line.case.number if line.case else None,
            }
        )
    return {"batch": _batch_out(batch), "lines": lines}


@router.get(
    "/purchasing/batches/{batch_id}/recall",
    response={200: PurchasingRecallOut, **ERRORS_READ},
    summary="Recall list: every work order, asset and customer that received the batch",
)
def batch_recall_list(request: HttpRequest, batch_id: ObjectId):
    require_perm(request.auth, perms.RECALL)
    return _recall_out(request.auth, selectors.batch_get(pk=batch_id))


@router.post(
    "/purchasing/batches/{batch_id}/defect",
    response={200: PurchasingRecallOut, **ERRORS_WRITE},
    summary="Mark a batch defective",
)
def batch_defect(request: HttpRequest, batch_id: ObjectId, payload: PurchasingDefectIn):
    require_perm(request.auth, perms.RECALL)
    batch = selectors.batch_get(pk=batch_id)
    recall.batch_mark_defective(actor=request.auth, batch=batch, reason=payload.reason)
    return _recall_out(request.auth, batch)


@router.post(
    "/purchasing/batches/{batch_id}/recall-cases",
    response={200: PurchasingRecallCasesOut, **ERRORS_WRITE},
    summary="Notify the customers on the recall list and open a case for each",
)
def batch_recall_cases(request: HttpRequest, batch_id: ObjectId):
    """Idempotent: customers who already have a recall case for the batch are skipped."""
    require_perm(request.auth, perms.RECALL)
    require_perm(request.auth, "cases.add_case")
    batch = selectors.batch_get(pk=batch_id)
    opened = recall.recall_open_cases(actor=request.auth, batch=batch)
    return {"opened": [c.number for c in opened]}


@router.get(
    "/purchasing/work-orders/{number}/batches",
    response={200: list[PurchasingUsedBatchOut], **ERRORS_READ},
    summary="The batches a work order used",
)
def work_order_batches(request: HttpRequest, number: str = OrderNumber):
    require_perm(request.auth, perms.VIEW)
    from aftersales.workorders.models import WorkOrder

    work_order = selectors._get(WorkOrder.objects.all(), number=number)
    return [
        {"batch": _batch_out(u.batch), "quantity": u.quantity}
        for u in selectors.batches_for_work_order(work_order)
    ]


# --- pricing ---------------------------------------------------------------------------------


@router.get(
    "/purchasing/price-rules",
    response={200: list[PurchasingPriceRuleOut], **ERRORS_READ},
    summary="Price rules",
)
def price_rule_list(request: HttpRequest):
    require_perm(request.auth, perms.VIEW)
    return [_rule_out(r) for r in selectors.price_rule_list()]


@router.post(
    "/purchasing/price-rules",
    response={201: PurchasingPriceChangeOut, **ERRORS_WRITE},
    summary="Propose a price rule (active once approved)",
)
def price_rule_create(request: HttpRequest, payload: PurchasingPriceRuleIn):
    require_perm(request.auth, perms.REQUEST_PRICE)
    change = pricing.price_rule_propose(
        actor=request.auth,
        name=payload.name,
        kind=payload.kind,
        reason=payload.reason,
        part=_part(payload.part) if payload.part else None,
        percent=payload.percent,
        tier_discounts=dict(payload.tier_discounts),
    )
    return Status(201, _change_out(selectors.price_change_get(pk=change.pk)))


@router.get(
    "/purchasing/price-changes",
    response={200: PurchasingPriceChangePageOut, **ERRORS_READ},
    summary="Price changes: requests and history",
)
def price_change_list(request: HttpRequest, filters: Query[PurchasingPriceChangeQuery]):
    require_perm(request.auth, perms.VIEW)
    qs = selectors.price_change_list(status=filters.status or "")
    page = paginate(qs, order=["-id"], cursor=filters.cursor, limit=filters.limit)
    return {"items": [_change_out(c) for c in page.items], "next_cursor": page.next_cursor}


@router.post(
    "/purchasing/price-changes",
    response={201: PurchasingPriceChangeOut, **ERRORS_WRITE},
    summary="Ask for a list-price or rule change",
)
def price_change_create(request: HttpRequest, payload: PurchasingPriceChangeIn):
    require_perm(request.auth, perms.REQUEST_PRICE)
    rule = None
    if payload.rule is not None:
        rule = selectors.price_rule_list().filter(pk=payload.rule).first()
        if rule is None:
            raise InvalidInput(_("There is no such price rule."), code="unknown_rule")
    change = pricing.price_change_request(
        actor=request.auth,
        reason=payload.reason,
        part=_part(payload.part) if payload.part else None,
        list_price=payload.list_price,
        rule=rule,
        percent=payload.percent,
        tier_discounts=dict(payload.tier_discounts) if payload.tier_discounts is not None else None,
        active=payload.active,
    )
    return Status(201, _change_out(selectors.price_change_get(pk=change.pk)))


@router.post(
    "/purchasing/price-changes/{change_id}/decision",
    response={200: PurchasingPriceChangeOut, **ERRORS_WRITE},
    summary="Approve or reject a price change",
)
def price_change_decide(request: HttpRequest, change_id: ObjectId, payload: PurchasingDecisionIn):
    require_perm(request.auth, perms.APPROVE_PRICE)
    change = selectors.price_change_get(pk=change_id)
    pricing.price_change_decide(
        actor=request.auth, change=change, approve=payload.approve, note=payload.note
    )
    return _change_out(selectors.price_change_get(pk=change_id))


@router.get(
    "/purchasing/quote",
    response={200: PurchasingQuoteOut, **ERRORS_READ},
    summary="A part's selling price for a customer tier",
)
def price_quote(request: HttpRequest, query: Query[PurchasingQuoteQuery]):
    require_perm(request.auth, perms.VIEW)
    return pricing.price_quote(_part(query.part), query.tier)


# --- figures ---------------------------------------------------------------------------------


def figures_json(summary: dict) -> dict[str, Any]:
    return {
        "stock_value": summary["stock_value"],
        "turnover": [vars(r) for r in summary["turnover"]],
        "stock_outs": [
            {"part": r["part"].code, "part_name": r["part"].name, "count": r["count"]}
            for r in summary["stock_outs"]
        ],
        "current_stock_outs": [p.code for p in summary["current_stock_outs"]],
        "dead_stock": [
            {
                "part": r.part.code,
                "part_name": r.part.name,
                "on_hand": r.on_hand,
                "value": r.value,
                "last_issue": r.last_issue,
            }
            for r in summary["dead_stock"]
        ],
    }


@router.get(
    "/purchasing/figures",
    response={200: PurchasingFiguresOut, **ERRORS_READ},
    summary="Stock value, turnover, stock-outs and dead stock",
)
def stock_figures(request: HttpRequest, query: Query[PurchasingFiguresQuery]):
    """Formulas in ``aftersales/purchasing/figures.py``: turnover = issued cost ÷ average stock
    value, per stock class and month."""
    require_perm(request.auth, perms.FIGURES)
    return figures_json(figures.figures_summary(months=query.months, dead_days=query.dead_days))
