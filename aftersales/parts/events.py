"""Domain events of the stock: every movement of the ledger is one event in the domain event
outbox (:mod:`aftersales.core.domain_events`), written in the movement's transaction, with the
stock level it left behind."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from aftersales.core.domain_events import EventType, event_record, event_type

from .choices import MovementKind
from .models import Movement

KINDS: dict[str, EventType] = {
    kind.value: event_type(f"stock.{kind.value}", aggregate="part", label=label)
    for kind, label in [
        (MovementKind.RECEIPT, _("Stock received")),
        (MovementKind.ISSUE, _("Stock issued")),
        (MovementKind.RETURN, _("Stock returned")),
        (MovementKind.TRANSFER_OUT, _("Stock transferred out")),
        (MovementKind.TRANSFER_IN, _("Stock transferred in")),
        (MovementKind.ADJUSTMENT, _("Stock adjusted")),
        (MovementKind.SCRAP, _("Stock scrapped")),
        (MovementKind.RESERVE, _("Stock reserved")),
        (MovementKind.RELEASE, _("Reserved stock released")),
    ]
}


def stock_moved(
    *,
    movement: Movement,
    part_code: str,
    location_code: str,
    on_hand: Decimal,
    reserved: Decimal,
    work_order: str | None,
    actor: Any,
) -> None:
    event_record(
        KINDS[movement.kind],
        aggregate_id=movement.part_id,
        reference=part_code,
        actor=actor,
        payload={
            "movement": movement.pk,
            "part": part_code,
            "location": location_code,
            "quantity": str(movement.quantity),
            "reserved_delta": str(movement.reserved_delta),
            "on_hand": str(on_hand),
            "reserved": str(reserved),
            "work_order": work_order,
            "batch": movement.batch_id,
            "reason": movement.reason,
            "reference": movement.reference,
        },
    )
