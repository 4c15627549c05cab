"""Domain events of purchasing: an order placed, moved or received, goods inspected, a return
shipped — each one event in the domain event outbox (:mod:`aftersales.core.domain_events`),
written in the change's transaction with the figures the audit record keeps."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from aftersales.core.domain_events import event_record, event_type

ORDER_CREATED = event_type(
    "purchase_order.created", aggregate="purchase_order", label=_("Purchase order created")
)
ORDER_STATUS_CHANGED = event_type(
    "purchase_order.status_changed",
    aggregate="purchase_order",
    label=_("Purchase order status changed"),
)
ORDER_RECEIVED = event_type(
    "purchase_order.received", aggregate="purchase_order", label=_("Goods received")
)
INSPECTION_RECORDED = event_type(
    "inspection.recorded", aggregate="inspection", label=_("Incoming inspection recorded")
)
RETURN_SHIPPED = event_type(
    "supplier_return.shipped", aggregate="supplier_return", label=_("Return to supplier shipped")
)


def order_created(*, order: Any, actor: Any, lines: list[dict[str, str]]) -> None:
    event_record(
        ORDER_CREATED,
        aggregate_id=order.pk,
        reference=order.number,
        actor=actor,
        payload={
            "number": order.number,
            "supplier": order.supplier_id,
            "status": order.status,
            "lines": lines,
        },
    )


def order_status_changed(
    *, order: Any, actor: Any, from_status: str, to_status: str, reason: str = ""
) -> None:
    event_record(
        ORDER_STATUS_CHANGED,
        aggregate_id=order.pk,
        reference=order.number,
        actor=actor,
        payload={"number": order.number, "from": from_status, "to": to_status, "reason": reason},
    )


def order_received(*, order: Any, actor: Any, receipt_id: int, lines: list[dict]) -> None:
    event_record(
        ORDER_RECEIVED,
        aggregate_id=order.pk,
        reference=order.number,
        actor=actor,
        payload={
            "number": order.number,
            "status": order.status,
            "receipt": receipt_id,
            "lines": lines,
        },
    )


def inspection_recorded(*, inspection: Any, actor: Any, figures: dict[str, Any]) -> None:
    event_record(
        INSPECTION_RECORDED,
        aggregate_id=inspection.pk,
        reference=str(figures.get("order") or ""),
        actor=actor,
        payload=figures,
    )


def return_shipped(*, supplier_return: Any, actor: Any) -> None:
    event_record(
        RETURN_SHIPPED,
        aggregate_id=supplier_return.pk,
        reference=supplier_return.number,
        actor=actor,
        payload={"number": supplier_return.number, "supplier": supplier_return.supplier_id},
    )
