"""Every write of purchasing: suppliers, their prices and ratings, purchase orders, receipts,
incoming inspection and returns to suppliers (R8.4, R8.5; style rules 1, 3, 4, 8).

Each service is atomic, keyword-only, takes the acting user and writes an audit record. An
order changes only on the version its editor saw; goods received move an order line's
received quantity by a conditional update that can never pass the ordered quantity; only the
quantity accepted at inspection enters stock, through the parts ledger.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.accounts.models import User
from aftersales.cases.attachments import sniff_upload
from aftersales.core.actors import actor_or_none
from aftersales.core.audit import audit_record, diff, model_snapshot
from aftersales.core.errors import Conflict, InvalidInput, TransitionNotAllowed, VersionConflict
from aftersales.core.versions import RECORD_CHANGED, require_version, versioned_update
from aftersales.parts.models import Batch, Location, Part

from . import events
from .choices import OrderStatus, ReturnStatus
from .models import (
    Inspection,
    InspectionPhoto,
    PurchaseOrder,
    PurchaseOrderLine,
    Receipt,
    ReceiptLine,
    Supplier,
    SupplierContact,
    SupplierPart,
    SupplierRating,
    SupplierReturn,
)
from .numbering import order_number_next
from .transitions import BUYER, ORDERS, RECEIPT, RECEIVABLE, RETURNS

SUPPLIER_FIELDS = ["code", "name", "tax_id", "address", "active", "notes", "version"]
ORDER_FIELDS = ["number", "supplier", "status", "ordered_at", "promised_date", "notes", "version"]
MAX_LINES = 200
MAX_PHOTOS = 10


def quantity_clean(
    value: Any, *, part: Part, field: str = "quantity", zero_ok: bool = False
) -> Decimal:
    """A positive quantity (or zero when ``zero_ok``), whole when the part is counted in
    pieces; otherwise :class:`InvalidInput` naming the field."""
    try:
        qty = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError) as exc:
        raise InvalidInput(
            _("Enter a number for %(field)s.") % {"field": field}, code="invalid_quantity"
        ) from exc
    if not qty.is_finite() or qty < 0 or (qty == 0 and not zero_ok):
        raise InvalidInput(
            _("The quantity must be greater than zero.")
            if not zero_ok
            else _("The quantity cannot be negative."),
            code="invalid_quantity",
            detail={"field": field},
        )
    if qty != qty.quantize(Decimal("0.001")) or qty >= Decimal("1e9"):
        raise InvalidInput(
            _("The quantity has too many digits."), code="invalid_quantity", detail={"field": field}
        )
    if part.whole_units and qty != qty.to_integral_value():
        raise InvalidInput(
            _("%(part)s is counted in whole units.") % {"part": part.code},
            code="whole_units",
            detail={"field": field},
        )
    return qty


def money_clean(value: Any, *, field: str = "price") -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError) as exc:
        raise InvalidInput(
            _("Enter an amount for %(field)s.") % {"field": field}, code="invalid_amount"
        ) from exc
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e10"):
        raise InvalidInput(
            _("The amount cannot be negative."), code="invalid_amount", detail={"field": field}
        )
    if amount != amount.quantize(Decimal("0.01")):
        raise InvalidInput(
            _("Amounts have at most two decimal places."),
            code="invalid_amount",
            detail={"field": field},
        )
    return amount


# --- suppliers -------------------------------------------------------------------------------


@transaction.atomic
def supplier_create(
    *,
    actor: User | None,
    code: str,
    name: str,
    tax_id: str = "",
    address: str = "",
    notes: str = "",
    contacts: list[dict[str, str]] | None = None,
) -> Supplier:
    """Register a supplier with its contacts; codes are unique."""
    code = (code or "").strip().lower()
    name = (name or "").strip()
    if not code or not name:
        raise InvalidInput(_("A supplier needs a code and a name."), code="supplier_incomplete")
    try:
        with transaction.atomic():
            supplier = Supplier.objects.create(
                code=code[:40],
                name=name[:200],
                tax_id=tax_id[:30],
                address=address[:300],
                notes=notes,
            )
    except IntegrityError as exc:
        raise Conflict(
            _("A supplier with the code “%(code)s” exists already.") % {"code": code},
            code="supplier_exists",
        ) from exc
    for contact in contacts or []:
        if (contact.get("name") or "").strip():
            SupplierContact.objects.create(
                supplier=supplier,
                name=contact["name"].strip()[:100],
                role=(contact.get("role") or "")[:60],
                phone=(contact.get("phone") or "")[:30],
                email=(contact.get("email") or "")[:254],
            )
    audit_record(
        actor=actor,
        action="supplier.create",
        obj=supplier,
        after={**model_snapshot(supplier, SUPPLIER_FIELDS), "contacts": len(contacts or [])},
    )
    return supplier


@transaction.atomic
def supplier_update(
    *, actor: User | None, supplier: Supplier, version: int | None, **changes: Any
) -> Supplier:
    """Change a supplier's details on the version the editor saw."""
    require_version(supplier, version)
    allowed = {"name", "tax_id", "address", "active", "notes"}
    unknown = set(changes) - allowed
    if unknown:
        raise InvalidInput(_("These fields cannot be changed: %(f)s") % {"f": ", ".join(unknown)})
    if "name" in changes and not (changes["name"] or "").strip():
        raise InvalidInput(_("A supplier needs a code and a name."), code="supplier_incomplete")
    before = model_snapshot(supplier, SUPPLIER_FIELDS)
    versioned_update(supplier, version, **changes)
    old, new = diff(before, model_snapshot(supplier, SUPPLIER_FIELDS))
    audit_record(actor=actor, action="supplier.update", obj=supplier, before=old, after=new)
    return supplier


@transaction.atomic
def supplier_price_set(
    *,
    actor: User | None,
    supplier: Supplier,
    part: Part,
    price: Any,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    lead_time_days: int = 7,
    supplier_code: str = "",
) -> SupplierPart:
    """Add a line to a supplier's price list. The previous open-ended line for the same part
    ends the day before, so one price is valid on any day."""
    amount = money_clean(price)
    if valid_to is not None and valid_to < valid_from:
        raise InvalidInput(_("The end date is before the start date."), code="invalid_period")
    if not 0 <= int(lead_time_days) <= 365:
        raise InvalidInput(_("The lead time must be between 0 and 365 days."))
    SupplierPart.objects.filter(
        supplier=supplier, part=part, valid_to__isnull=True, valid_from__lt=valid_from
    ).update(valid_to=valid_from - dt.timedelta(days=1))
    try:
        with transaction.atomic():
            row = SupplierPart.objects.create(
                supplier=supplier,
                part=part,
                price=amount,
                valid_from=valid_from,
                valid_to=valid_to,
                lead_time_days=int(lead_time_days),
                supplier_code=supplier_code[:60],
            )
    except IntegrityError as exc:
        raise Conflict(
            _("This supplier already has a price for this part from that day."),
            code="price_exists",
        ) from exc
    audit_record(
        actor=actor,
        action="supplier.price_set",
        obj=supplier,
        after={"part": part.code, "price": str(amount), "valid_from": valid_from},
    )
    return row


@transaction.atomic
def supplier_rate(
    *, actor: User | None, supplier: Supplier, score: int, comment: str = ""
) -> SupplierRating:
    """The buyer rates the supplier's service (1–5): the scorecard's service dimension."""
    try:
        score = int(score)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(_("The rating is a whole number from 1 to 5.")) from exc
    if not 1 <= score <= 5:
        raise InvalidInput(_("The rating is a whole number from 1 to 5."), code="invalid_rating")
    rating = SupplierRating.objects.create(
        supplier=supplier, score=score, comment=comment[:500], rated_by=actor_or_none(actor)
    )
    audit_record(
        actor=actor,
        action="supplier.rate",
        obj=supplier,
        after={"score": score, "comment": comment},
    )
    return rating


# --- purchase orders -------------------------------------------------------------------------


def _order_snapshot(order: PurchaseOrder) -> dict[str, Any]:
    return model_snapshot(order, ORDER_FIELDS)


@transaction.atomic
def order_create(
    *,
    actor: User | None,
    supplier: Supplier,
    promised_date: dt.date,
    lines: list[dict[str, Any]],
    notes: str = "",
) -> PurchaseOrder:
    """A draft purchase order. ``lines``: ``{"part": Part, "quantity": …, "unit_price": …}``;
    a missing price is taken from the supplier's price list valid today."""
    if not supplier.active:
        raise InvalidInput(_("This supplier is not active."), code="supplier_inactive")
    if not lines:
        raise InvalidInput(_("Add at least one part to the order."), code="order_empty")
    if len(lines) > MAX_LINES:
        raise InvalidInput(_("An order has at most %(n)s lines.") % {"n": MAX_LINES})
    today = timezone.localdate()
    cleaned = []
    seen: set[int] = set()
    for i, line in enumerate(lines):
        part = line["part"]
        if part.pk in seen:
            raise InvalidInput(
                _("%(part)s is on the order twice.") % {"part": part.code},
                code="duplicate_part",
                detail={"line": i},
            )
        seen.add(part.pk)
        qty = quantity_clean(line.get("quantity"), part=part, field=f"lines.{i}.quantity")
        price = line.get("unit_price")
        if price in (None, ""):
            listed = (
                SupplierPart.objects.filter(supplier=supplier, part=part, valid_from__lte=today)
                .exclude(valid_to__lt=today)
                .order_by("-valid_from")
                .first()
            )
            if listed is None:
                raise InvalidInput(
                    _("No price for %(part)s: enter one or add it to the price list.")
                    % {"part": part.code},
                    code="price_missing",
                    detail={"line": i},
                )
            price = listed.price
        cleaned.append((part, qty, money_clean(price, field=f"lines.{i}.unit_price")))
    now = timezone.now()
    order = PurchaseOrder.objects.create(
        number=order_number_next(timezone.localtime(now).year),
        supplier=supplier,
        promised_date=promised_date,
        notes=notes,
        created_by=actor_or_none(actor),
        created_at=now,
        updated_at=now,
    )
    PurchaseOrderLine.objects.bulk_create(
        PurchaseOrderLine(order=order, part=p, quantity=q, unit_price=u) for p, q, u in cleaned
    )
    lines = [{"part": p.code, "quantity": str(q), "unit_price": str(u)} for p, q, u in cleaned]
    audit_record(
        actor=actor,
        action="purchase_order.create",
        obj=order,
        after={**_order_snapshot(order), "lines": lines},
    )
    events.order_created(order=order, actor=actor, lines=lines)
    return order


@transaction.atomic
def order_transition(
    *,
    actor: User | None,
    order: PurchaseOrder,
    to_status: str,
    version: int | None,
    reason: str = "",
) -> PurchaseOrder:
    """Place, cancel or close an order (the table in :mod:`.transitions`)."""
    require_version(order, version)
    if to_status not in OrderStatus.values:
        raise InvalidInput(_("Unknown status “%(s)s”.") % {"s": to_status}, code="invalid_choice")
    step = ORDERS.check(order.status, to_status, BUYER)
    if step.reason_required and not (reason or "").strip():
        raise InvalidInput(_("Say why the order is cancelled."), code="reason_required")
    before = _order_snapshot(order)
    values: dict[str, Any] = {"status": to_status}
    if to_status == OrderStatus.ORDERED:
        values["ordered_at"] = timezone.now()
    # Conditional on the status too: a receipt that moved the order in between wins.
    updated = PurchaseOrder.objects.filter(
        pk=order.pk, version=order.version, status=order.status
    ).update(version=F("version") + 1, updated_at=timezone.now(), **values)
    if not updated:
        raise VersionConflict(RECORD_CHANGED)
    order.refresh_from_db()
    old, new = diff(before, _order_snapshot(order))
    audit_record(
        actor=actor,
        action="purchase_order.transition",
        obj=order,
        before=old,
        after=new,
        reason=reason,
    )
    events.order_status_changed(
        order=order,
        actor=actor,
        from_status=before["status"],
        to_status=order.status,
        reason=reason or "",
    )
    return order


# --- receipts and inspection -----------------------------------------------------------------


@transaction.atomic
def receipt_create(
    *,
    actor: User | None,
    order: PurchaseOrder,
    location: Location,
    lines: list[dict[str, Any]],
    version: int | None = None,
    delivery_note: str = "",
    received_at: dt.datetime | None = None,
) -> Receipt:
    """Record goods that arrived: ``lines`` are ``{"order_line": id, "quantity": …,
    "lot_number": "…"}``. Partial deliveries are fine; more than was ordered is refused. The
    goods wait for inspection before they enter stock."""
    # The order row is locked for the whole receipt so that the status it ends in is judged
    # on every line's final received quantity (PostgreSQL; SQLite serialises writers anyway).
    locked = PurchaseOrder.objects.select_for_update().get(pk=order.pk)
    require_version(locked, version)
    if locked.status not in RECEIVABLE:
        raise TransitionNotAllowed(
            _("Goods can be received only on an ordered purchase order (this one is “%(s)s”).")
            % {"s": OrderStatus(locked.status).label},
            code="order_not_receivable",
        )
    if not lines:
        raise InvalidInput(_("Enter the quantity received for at least one line."))
    if not location.active:
        raise InvalidInput(_("This location is not active."), code="location_inactive")
    order_lines = {ol.pk: ol for ol in locked.lines.select_related("part")}
    received_at = received_at or timezone.now()
    on_time = timezone.localtime(received_at).date() <= locked.promised_date
    receipt = Receipt.objects.create(
        order=locked,
        location=location,
        received_at=received_at,
        delivery_note=delivery_note[:60],
        received_by=actor_or_none(actor),
    )
    recorded = []
    for i, line in enumerate(lines):
        order_line = order_lines.get(int(line.get("order_line") or 0))
        if order_line is None:
            raise InvalidInput(
                _("Line %(n)s is not a line of this order.") % {"n": i + 1},
                code="unknown_line",
                detail={"line": i},
            )
        qty = quantity_clean(
            line.get("quantity"), part=order_line.part, field=f"lines.{i}.quantity"
        )
        lot = (line.get("lot_number") or "").strip()
        if not lot:
            raise InvalidInput(
                _("Enter the lot number of %(part)s.") % {"part": order_line.part.code},
                code="lot_required",
                detail={"line": i},
            )
        moved = PurchaseOrderLine.objects.filter(
            pk=order_line.pk, received_quantity__lte=F("quantity") - qty
        ).update(received_quantity=F("received_quantity") + qty)
        if not moved:
            order_line.refresh_from_db()
            raise Conflict(
                _(
                    "Only %(open)s of %(part)s are still open on this order; "
                    "%(qty)s cannot be received."
                )
                % {"open": order_line.open_quantity, "part": order_line.part.code, "qty": qty},
                code="over_receipt",
                detail={"line": i, "open": str(order_line.open_quantity)},
            )
        recorded.append(
            ReceiptLine.objects.create(
                receipt=receipt,
                order_line=order_line,
                quantity=qty,
                lot_number=lot[:60],
                on_time=on_time,
            )
        )
    before = _order_snapshot(locked)
    complete = not locked.lines.filter(received_quantity__lt=F("quantity")).exists()
    new_status = OrderStatus.RECEIVED if complete else OrderStatus.PARTIALLY_RECEIVED
    ORDERS.check(locked.status, new_status, RECEIPT)
    PurchaseOrder.objects.filter(pk=locked.pk).update(
        status=new_status, version=F("version") + 1, updated_at=timezone.now()
    )
    locked.refresh_from_db()
    order.refresh_from_db()
    audit_record(
        actor=actor,
        action="purchase_order.receive",
        obj=locked,
        before=diff(before, _order_snapshot(locked))[0],
        after={
            **diff(before, _order_snapshot(locked))[1],
            "receipt": receipt.pk,
            "lines": [
                {
                    "part": rl.order_line.part.code,
                    "quantity": str(rl.quantity),
                    "lot": rl.lot_number,
                }
                for rl in recorded
            ],
        },
    )
    events.order_received(
        order=locked,
        actor=actor,
        receipt_id=receipt.pk,
        lines=[
            {
                "part": rl.order_line.part.code,
                "quantity": str(rl.quantity),
                "lot": rl.lot_number,
            }
            for rl in recorded
        ],
    )
    return receipt


def _save_photos(*, inspection: Inspection, files: list[UploadedFile]) -> list[InspectionPhoto]:
    if len(files) > MAX_PHOTOS:
        raise InvalidInput(
            _("Send at most %(n)s files at a time.") % {"n": MAX_PHOTOS}, code="too_many_files"
        )
    checked = [(f, *sniff_upload(f)) for f in files]  # refuse all before storing any
    saved = []
    for upload, content_type, ext in checked:
        if not content_type.startswith("image/"):
            raise InvalidInput(
                _("“%(name)s” is not a photo.") % {"name": upload.name}, code="attachment_type"
            )
        photo = InspectionPhoto(
            inspection=inspection,
            original_name=(upload.name or "photo")[:200],
            content_type=content_type,
            size=upload.size,  # type: ignore[misc]  # a received upload knows its size
        )
        photo.file.save(f"{uuid.uuid4().hex}.{ext}", upload, save=False)
        photo.save()
        saved.append(photo)
    return saved


@transaction.atomic
def inspection_record(
    *,
    actor: User | None,
    receipt_line: ReceiptLine,
    accepted: Any,
    rejected: Any,
    defect_description: str = "",
    photos: list[UploadedFile] | None = None,
) -> Inspection:
    """Inspect one receipt line (R8.4): accepted + rejected must equal what arrived. The
    accepted quantity enters stock under the line's lot number; the rejected quantity gets a
    return note to the supplier. A line is inspected once."""
    from aftersales.parts.services import stock_receive

    line = ReceiptLine.objects.select_related(
        "receipt__order__supplier", "receipt__location", "order_line__part"
    ).get(pk=receipt_line.pk)
    part = line.order_line.part
    ok = quantity_clean(accepted, part=part, field="accepted", zero_ok=True)
    bad = quantity_clean(rejected, part=part, field="rejected", zero_ok=True)
    if ok + bad != line.quantity:
        raise InvalidInput(
            _("Accepted and rejected together must be the %(qty)s received.")
            % {"qty": line.quantity},
            code="inspection_mismatch",
            detail={"received": str(line.quantity)},
        )
    description = (defect_description or "").strip()
    if bad > 0 and not description:
        raise InvalidInput(
            _("Describe the defect of the rejected parts."), code="defect_description_required"
        )
    order = line.receipt.order
    try:
        with transaction.atomic():
            inspection = Inspection.objects.create(
                receipt_line=line,
                accepted_quantity=ok,
                rejected_quantity=bad,
                defect_description=description,
                inspected_by=actor_or_none(actor),
            )
    except IntegrityError as exc:
        raise Conflict(
            _("This receipt line has been inspected already."), code="already_inspected"
        ) from exc
    if photos:
        _save_photos(inspection=inspection, files=photos)
    if ok > 0:
        movement = stock_receive(
            part=part,
            location=line.receipt.location,
            quantity=ok,
            unit_cost=line.order_line.unit_price,
            batch_lot=line.lot_number,
            actor=actor,
            reference=order.number,
        )
        inspection.movement = movement
        inspection.save(update_fields=["movement"])
        Batch.objects.filter(part=part, lot_number=line.lot_number, supplier_ref="").update(
            supplier_ref=f"{order.supplier.code} {order.number}"[:120]
        )
    note = None
    if bad > 0:
        note = SupplierReturn.objects.create(
            number=f"RT-{timezone.localdate().year}-{inspection.pk:06d}",
            inspection=inspection,
            supplier=order.supplier,
            part=part,
            quantity=bad,
            lot_number=line.lot_number,
            reason=description,
            created_by=actor_or_none(actor),
        )
    figures = {
        "order": order.number,
        "part": part.code,
        "lot": line.lot_number,
        "received": str(line.quantity),
        "accepted": str(ok),
        "rejected": str(bad),
        "defect": description,
        "return_note": note.number if note else None,
        "photos": len(photos or []),
    }
    audit_record(
        actor=actor,
        action="inspection.record",
        obj=inspection,
        object_repr=f"{order.number} {part.code} {line.lot_number}",
        after=figures,
    )
    events.inspection_recorded(inspection=inspection, actor=actor, figures=figures)
    return inspection


@transaction.atomic
def return_ship(*, actor: User | None, supplier_return: SupplierReturn) -> SupplierReturn:
    """The rejected goods left for the supplier; conditional so it is recorded once."""
    updated = SupplierReturn.objects.filter(
        pk=supplier_return.pk, status__in=RETURNS.sources(ReturnStatus.SHIPPED, BUYER)
    ).update(status=ReturnStatus.SHIPPED)
    if not updated:
        raise Conflict(_("This return has been shipped already."), code="already_shipped")
    supplier_return.refresh_from_db()
    audit_record(
        actor=actor,
        action="supplier_return.ship",
        obj=supplier_return,
        before={"status": ReturnStatus.OPEN},
        after={"status": ReturnStatus.SHIPPED},
    )
    events.return_shipped(supplier_return=supplier_return, actor=actor)
    return supplier_return


# --- from the purchase plan ------------------------------------------------------------------


@transaction.atomic
def orders_from_plan(
    *, actor: User | None, days: int = 90
) -> tuple[list[PurchaseOrder], list[Part]]:
    """Draft purchase orders for the parts' suggested purchase plan (R8.4): each suggested
    part goes to the active supplier with the lowest price valid today, one draft per
    supplier, promised after the longest lead time among its lines. Parts already on a draft
    are left out; parts no supplier lists are returned apart so the buyer can source them."""
    from aftersales.parts.selectors import purchase_plan

    today = timezone.localdate()
    by_supplier: dict[int, list[tuple[Part, Decimal, SupplierPart]]] = {}
    unsourced: list[Part] = []
    # Parts already on a draft are being ordered: a second press drafts nothing twice.
    drafted = set(
        PurchaseOrderLine.objects.filter(order__status=OrderStatus.DRAFT).values_list(
            "part_id", flat=True
        )
    )
    for row in purchase_plan(days=days):
        if row.part.pk in drafted:
            continue
        offer = (
            SupplierPart.objects.filter(part=row.part, supplier__active=True, valid_from__lte=today)
            .exclude(valid_to__lt=today)
            .select_related("supplier")
            .order_by("price", "lead_time_days", "supplier__code")
            .first()
        )
        if offer is None:
            unsourced.append(row.part)
            continue
        by_supplier.setdefault(offer.supplier_id, []).append((row.part, row.suggested, offer))
    orders = []
    for lines in by_supplier.values():
        supplier = lines[0][2].supplier
        lead = max(offer.lead_time_days for _p, _q, offer in lines)
        orders.append(
            order_create(
                actor=actor,
                supplier=supplier,
                promised_date=today + dt.timedelta(days=lead),
                notes=_("Drafted from the purchase plan."),
                lines=[
                    {"part": part, "quantity": qty, "unit_price": offer.price}
                    for part, qty, offer in lines
                ],
            )
        )
    return orders, unsourced
