"""Reads of purchasing: suppliers, orders, open quantities, batch traceability (R8.4, R8.6).

Views and the API read through these; the other apps use :func:`open_order_quantities` (the
purchase plan) and :func:`batches_for_work_order` (the work-order page).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, ExpressionWrapper, F, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import Http404

from aftersales.customers.models import Contact
from aftersales.parts.choices import MovementKind
from aftersales.parts.models import Batch, Movement

from .choices import OPEN_ORDER_STATUSES
from .models import (
    PriceChange,
    PriceRule,
    PurchaseOrder,
    PurchaseOrderLine,
    RecallCase,
    ReceiptLine,
    Supplier,
    SupplierReturn,
)

ZERO = Decimal("0")
QTY_PLACES = Decimal("0.001")


def _get(qs: QuerySet, **lookup: Any) -> Any:
    try:
        return qs.get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(qs.model._meta.model_name) from exc


def supplier_list(*, active: bool | None = None) -> QuerySet[Supplier]:
    qs = Supplier.objects.all()
    if active is not None:
        qs = qs.filter(active=active)
    return qs


def supplier_get(*, pk: int) -> Supplier:
    return _get(Supplier.objects.prefetch_related("contacts"), pk=pk)


def supplier_price_list(supplier: Supplier):
    return supplier.parts.select_related("part").order_by("part__code", "-valid_from")


def order_list(*, status: str = "", supplier: Supplier | None = None) -> QuerySet[PurchaseOrder]:
    qs = PurchaseOrder.objects.select_related("supplier")
    if status:
        qs = qs.filter(status=status)
    if supplier is not None:
        qs = qs.filter(supplier=supplier)
    return qs


def order_get(*, pk: int | None = None, number: str | None = None) -> PurchaseOrder:
    lookup = {"pk": pk} if pk is not None else {"number": number}
    return _get(PurchaseOrder.objects.select_related("supplier"), **lookup)


def order_lines(order: PurchaseOrder) -> list[PurchaseOrderLine]:
    return list(order.lines.select_related("part"))


def receipt_lines_for_order(order: PurchaseOrder) -> list[ReceiptLine]:
    """Every line received on the order, with its inspection and return note if any."""
    return list(
        ReceiptLine.objects.filter(receipt__order=order)
        .select_related(
            "receipt__location",
            "order_line__part",
            "inspection__return_note",
        )
        .prefetch_related("inspection__photos")
        .order_by("receipt__received_at", "id")
    )


def receipt_line_get(*, pk: int) -> ReceiptLine:
    return _get(ReceiptLine.objects.select_related("receipt__order", "order_line__part"), pk=pk)


def return_list() -> QuerySet[SupplierReturn]:
    return SupplierReturn.objects.select_related("supplier", "part", "inspection")


def return_get(*, pk: int) -> SupplierReturn:
    return _get(return_list(), pk=pk)


def open_order_quantities() -> dict[int, Decimal]:
    """Part id → quantity ordered but not yet received on open purchase orders (ordered or
    partially received). Draft, closed and cancelled orders do not count."""
    rows = (
        PurchaseOrderLine.objects.filter(order__status__in=OPEN_ORDER_STATUSES)
        .values("part_id")
        .annotate(open=Sum(F("quantity") - F("received_quantity")))
        .filter(open__gt=0)
    )
    return {row["part_id"]: Decimal(row["open"]).quantize(QTY_PLACES) for row in rows}


# --- batches and recall ----------------------------------------------------------------------


def batch_list(*, defective: bool | None = None, q: str = "") -> QuerySet[Batch]:
    qs = Batch.objects.select_related("part", "marked_by")
    if defective is not None:
        qs = qs.filter(defective=defective)
    if q:
        qs = qs.filter(Q(lot_number__icontains=q) | Q(part__code__icontains=q))
    return qs


def batch_get(*, pk: int) -> Batch:
    return _get(Batch.objects.select_related("part", "marked_by"), pk=pk)


def _net_issued() -> Any:
    """Issued minus returned: issues are negative on the ledger, returns positive."""
    return ExpressionWrapper(
        -Sum("quantity"), output_field=DecimalField(max_digits=14, decimal_places=3)
    )


@dataclass
class RecallLine:
    """One work order that received parts of the batch, and whose they are."""

    work_order: Any
    customer: Any
    asset: Any
    quantity: Decimal
    case: Any = None


@dataclass
class RecallCustomer:
    customer: Any
    lines: list[RecallLine] = field(default_factory=list)
    case: Any = None


def recall_list(batch: Batch) -> list[RecallLine]:
    """Every work order that still holds parts of ``batch`` (issued minus returned), with its
    asset and customer (R8.6) — three queries whatever the size of the list."""
    from aftersales.workorders.models import WorkOrder

    net = (
        Movement.objects.filter(
            batch=batch,
            work_order__isnull=False,
            kind__in=[MovementKind.ISSUE, MovementKind.RETURN],
        )
        .values("work_order_id")
        .annotate(net=_net_issued())
        .filter(net__gt=0)
    )
    quantities = {row["work_order_id"]: Decimal(row["net"]).quantize(QTY_PLACES) for row in net}
    orders = (
        WorkOrder.objects.filter(pk__in=quantities)
        .select_related("customer", "asset__product_model")
        .prefetch_related(
            Prefetch("customer__contacts", queryset=Contact.objects.order_by("-is_primary", "id"))
        )
    )
    cases = {
        rc.customer_id: rc.case
        for rc in RecallCase.objects.filter(batch=batch).select_related("case")
    }
    return [
        RecallLine(
            work_order=wo,
            customer=wo.customer,
            asset=wo.asset,
            quantity=quantities[wo.pk],
            case=cases.get(wo.customer_id),
        )
        for wo in sorted(orders, key=lambda w: w.number)
    ]


def recall_by_customer(batch: Batch) -> list[RecallCustomer]:
    grouped: dict[int, RecallCustomer] = {}
    for line in recall_list(batch):
        entry = grouped.setdefault(
            line.customer.pk, RecallCustomer(customer=line.customer, case=line.case)
        )
        entry.lines.append(line)
    return list(grouped.values())


@dataclass
class UsedBatch:
    batch: Batch
    quantity: Decimal


def batches_for_work_order(work_order: Any) -> list[UsedBatch]:
    """The batches whose parts went into ``work_order`` (issued minus returned), for its page:
    the trace from a job back to the lots (R8.6)."""
    rows = (
        Movement.objects.filter(
            work_order=work_order,
            batch__isnull=False,
            kind__in=[MovementKind.ISSUE, MovementKind.RETURN],
        )
        .values("batch_id")
        .annotate(net=_net_issued())
        .filter(net__gt=0)
    )
    quantities = {row["batch_id"]: Decimal(row["net"]).quantize(QTY_PLACES) for row in rows}
    batches = Batch.objects.filter(pk__in=quantities).select_related("part")
    return [
        UsedBatch(batch=b, quantity=quantities[b.pk])
        for b in sorted(batches, key=lambda b: (b.part.code, b.lot_number))
    ]


def batch_supplier(batch: Batch) -> Supplier | None:
    """The supplier whose receipt brought the batch in, if it came through purchasing."""
    line = (
        ReceiptLine.objects.filter(order_line__part=batch.part, lot_number=batch.lot_number)
        .select_related("receipt__order__supplier")
        .first()
    )
    return line.receipt.order.supplier if line else None


# --- pricing ---------------------------------------------------------------------------------


def price_rule_list() -> QuerySet[PriceRule]:
    return PriceRule.objects.select_related("part")


def price_change_list(*, status: str = "") -> QuerySet[PriceChange]:
    qs = PriceChange.objects.select_related("part", "rule", "requested_by", "decided_by")
    if status:
        qs = qs.filter(status=status)
    return qs


def price_change_get(*, pk: int) -> PriceChange:
    return _get(price_change_list(), pk=pk)


def received_value(qs: QuerySet[ReceiptLine]) -> Decimal:
    return qs.aggregate(
        v=Coalesce(
            Sum(F("quantity") * F("order_line__unit_price")),
            ZERO,
            output_field=DecimalField(max_digits=18, decimal_places=2),
        )
    )["v"]
