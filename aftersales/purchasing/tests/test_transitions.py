"""The purchasing tables step by step: purchase orders (the buyer's and the receipt's steps),
price changes and returns to the supplier. Each (from, to, side) is allowed exactly when the
table lists it, every state is reachable and none is a dead end, and the services take exactly
the table's steps from every state, answering a refusal as before.

Parametrisation ids come from sorted sequences so that parallel collection agrees."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import translation

from aftersales.core.errors import Conflict, DomainError, TransitionNotAllowed
from aftersales.purchasing import pricing, services
from aftersales.purchasing.choices import OrderStatus, PriceChangeStatus, ReturnStatus
from aftersales.purchasing.models import PriceChange, PurchaseOrder, SupplierReturn
from aftersales.purchasing.transitions import (
    APPROVER,
    BUYER,
    MANUAL,
    ORDERS,
    PRICE_CHANGES,
    RECEIPT,
    RECEIVABLE,
    RETURNS,
    manual_step_allowed,
)

MACHINES = {"order": ORDERS, "price_change": PRICE_CHANGES, "return": RETURNS}
MOVES = sorted((name, *move) for name, machine in MACHINES.items() for move in machine.moves())


@pytest.mark.parametrize(
    ("name", "source", "to", "side"), MOVES, ids=["-".join(move) for move in MOVES]
)
def test_every_step_is_allowed_or_refused_by_the_table(name, source, to, side):
    machine = MACHINES[name]
    step = machine.find_step(source, to)
    listed = step is not None and side in step.by
    assert (source in machine.sources(to, side)) is listed
    if listed:
        assert machine.check(source, to, side) is step
    else:
        with pytest.raises(TransitionNotAllowed):
            machine.check(source, to, side)
    if name == "order" and side == BUYER:
        assert manual_step_allowed(source, to) is listed
        assert (to in MANUAL[source]) is listed


@pytest.mark.parametrize("name", sorted(MACHINES))
def test_every_state_is_reachable_and_none_is_a_dead_end(name):
    machine = MACHINES[name]
    assert machine.unreachable() == [] and machine.trapped() == []


def test_the_derived_views_of_the_order_table():
    assert sorted(RECEIVABLE) == [OrderStatus.ORDERED, OrderStatus.PARTIALLY_RECEIVED]
    assert ORDERS.initial == (OrderStatus.DRAFT,)
    assert PRICE_CHANGES.initial == (PriceChangeStatus.PENDING,)
    assert RETURNS.initial == (ReturnStatus.OPEN,)
    assert ORDERS.sides == {BUYER, RECEIPT} and PRICE_CHANGES.sides == {APPROVER}


def _attempt(service, **kwargs) -> DomainError | None:
    """Call ``service`` and undo what it did; the refusal it raised, if any."""
    try:
        with transaction.atomic():
            service(**kwargs)
            transaction.set_rollback(True)
    except DomainError as exc:
        return exc
    return None


@pytest.mark.django_db
def test_order_steps_through_the_services_from_every_status(
    users, parts, suppliers, warehouse, promised
):
    buyer = users["parts_keeper"]
    order = services.order_create(
        actor=buyer,
        supplier=suppliers["hualeng"],
        promised_date=promised,
        lines=[{"part": parts["capacitor"], "quantity": 5, "unit_price": "10"}],
    )
    line = order.lines.get()
    wrong = []
    for source in sorted(OrderStatus.values):
        for to in sorted(OrderStatus.values):
            PurchaseOrder.objects.filter(pk=order.pk).update(status=source)
            order.refresh_from_db()
            refused = _attempt(
                services.order_transition,
                actor=buyer,
                order=order,
                to_status=to,
                version=order.version,
                reason="walk",
            )
            listed = ORDERS.allows(source, to, BUYER)
            if listed and refused is not None:
                wrong.append((source, to, "refused", refused.as_dict()))
            elif not listed:
                with pytest.raises(TransitionNotAllowed) as expected:
                    ORDERS.check(source, to, BUYER)
                if refused is None or refused.as_dict() != expected.value.as_dict():
                    wrong.append((source, to, "allowed", refused))
        # A receipt of part of the order moves it to partially received, from where allowed.
        PurchaseOrder.objects.filter(pk=order.pk).update(status=source)
        order.refresh_from_db()
        refused = _attempt(
            services.receipt_create,
            actor=buyer,
            order=order,
            location=warehouse,
            lines=[{"order_line": line.pk, "quantity": 1, "lot_number": "L1"}],
        )
        if (refused is None) != ORDERS.allows(source, OrderStatus.PARTIALLY_RECEIVED, RECEIPT):
            wrong.append((source, "receipt", refused))
    assert not wrong, wrong


def test_the_order_refusal_reads_as_before(users):
    with translation.override("en"), pytest.raises(TransitionNotAllowed) as exc:
        ORDERS.check("draft", "closed", BUYER)
    assert exc.value.as_dict() == {
        "code": "transition_not_allowed",
        "message": "An order that is “Draft” cannot become “Closed”.",
        "detail": {"from": "draft", "to": "closed"},
    }


@pytest.mark.django_db
def test_price_changes_are_decided_only_from_the_tables_states(users, parts):
    change = pricing.price_change_request(
        actor=users["parts_keeper"], part=parts["capacitor"], list_price="31", reason="铜价"
    )
    wrong = []
    for source in sorted(PriceChangeStatus.values):
        for to, approve in (
            (PriceChangeStatus.APPROVED, True),
            (PriceChangeStatus.REJECTED, False),
        ):
            PriceChange.objects.filter(pk=change.pk).update(status=source)
            change.refresh_from_db()
            refused = _attempt(
                pricing.price_change_decide,
                actor=users["supervisor"],
                change=change,
                approve=approve,
                note="走查",
            )
            if (refused is None) != PRICE_CHANGES.allows(source, to, APPROVER):
                wrong.append((source, to, refused))
            elif refused is not None and not isinstance(refused, Conflict):
                wrong.append((source, to, refused.as_dict()))
    assert not wrong, wrong


@pytest.mark.django_db
def test_returns_are_shipped_only_from_the_tables_states(
    users, parts, suppliers, warehouse, promised
):
    buyer = users["parts_keeper"]
    order = services.order_create(
        actor=buyer,
        supplier=suppliers["meidi"],
        promised_date=promised,
        lines=[{"part": parts["capacitor"], "quantity": 5, "unit_price": "10"}],
    )
    order = services.order_transition(
        actor=buyer, order=order, to_status="ordered", version=order.version
    )
    receipt = services.receipt_create(
        actor=buyer,
        order=order,
        location=warehouse,
        lines=[{"order_line": order.lines.get().pk, "quantity": 5, "lot_number": "BAD-1"}],
    )
    services.inspection_record(
        actor=buyer,
        receipt_line=receipt.lines.get(),
        accepted=0,
        rejected=5,
        defect_description="容量不达标",
    )
    note = SupplierReturn.objects.get()
    wrong = []
    for source in sorted(ReturnStatus.values):
        SupplierReturn.objects.filter(pk=note.pk).update(status=source)
        note.refresh_from_db()
        refused = _attempt(services.return_ship, actor=buyer, supplier_return=note)
        if (refused is None) != RETURNS.allows(source, ReturnStatus.SHIPPED, BUYER):
            wrong.append((source, refused))
        elif refused is not None and refused.code != "already_shipped":
            wrong.append((source, refused.as_dict()))
    assert not wrong, wrong
