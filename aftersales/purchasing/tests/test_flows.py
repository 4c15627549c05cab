"""The issue's end-to-end scenarios: purchasing with incoming inspection, and a batch recall."""

from __future__ import annotations

from decimal import Decimal

import pytest

from aftersales.cases.models import Case
from aftersales.core.errors import Conflict
from aftersales.core.models import AuditLog
from aftersales.notifications.models import Notification
from aftersales.parts.models import Batch, StockLevel
from aftersales.parts.services import stock_issue, stock_receive, stock_return
from aftersales.purchasing import recall, selectors, services
from aftersales.purchasing.models import Receipt, SupplierReturn
from aftersales.purchasing.scorecard import supplier_scorecard

from .conftest import make_work_order

pytestmark = pytest.mark.django_db


def on_hand(part, location) -> Decimal:
    level = StockLevel.objects.filter(part=part, location=location).first()
    return level.on_hand if level else Decimal("0")


def test_partial_receipt_with_rejects_only_stocks_accepted_and_moves_quality(
    users, parts, warehouse, suppliers, today, promised
):
    buyer = users["parts_keeper"]
    hualeng = suppliers["hualeng"]
    compressor, capacitor = parts["compressor"], parts["capacitor"]
    order = services.order_create(
        actor=buyer,
        supplier=hualeng,
        promised_date=promised,
        lines=[
            {"part": compressor, "quantity": 10, "unit_price": "760.00"},
            {"part": capacitor, "quantity": 100, "unit_price": "11.50"},
        ],
    )
    assert order.number.startswith(f"PO-{today.year}-")
    order = services.order_transition(
        actor=buyer, order=order, to_status="ordered", version=order.version
    )
    line = order.lines.get(part=compressor)

    receipt = services.receipt_create(
        actor=buyer,
        order=order,
        location=warehouse,
        version=order.version,
        lines=[{"order_line": line.pk, "quantity": 6, "lot_number": "HL-2026-11-A"}],
    )
    order.refresh_from_db()
    assert order.status == "partially_received"
    # Received but not yet inspected: nothing in stock, no quality figure yet.
    assert on_hand(compressor, warehouse) == 0
    before = {s.supplier.code: s for s in supplier_scorecard(today, today)}
    assert before["sz-hualeng"].quality is None

    inspection = services.inspection_record(
        actor=buyer,
        receipt_line=receipt.lines.get(),
        accepted=4,
        rejected=2,
        defect_description="外壳磕碰变形，接线端子锈蚀",
    )

    assert on_hand(compressor, warehouse) == Decimal("4")
    batch = Batch.objects.get(part=compressor, lot_number="HL-2026-11-A")
    assert inspection.movement.batch_id == batch.pk
    assert inspection.movement.unit_cost == Decimal("760.00")
    note = SupplierReturn.objects.get(inspection=inspection)
    assert (note.quantity, note.supplier, note.lot_number) == (
        Decimal("2"),
        hualeng,
        "HL-2026-11-A",
    )
    after = {s.supplier.code: s for s in supplier_scorecard(today, today)}
    assert after["sz-hualeng"].quality == Decimal("66.7")  # 4 accepted of 6 inspected
    assert after["sz-hualeng"].on_time == Decimal("100.0")
    assert after["sz-hualeng"].rank == 1
    # Still on order: 4 compressors and all the capacitors.
    assert selectors.open_order_quantities() == {
        compressor.pk: Decimal("4"),
        capacitor.pk: Decimal("100"),
    }
    actions = set(AuditLog.objects.values_list("action", flat=True))
    assert {
        "purchase_order.create",
        "purchase_order.transition",
        "purchase_order.receive",
        "inspection.record",
        "stock.receipt",
    } <= actions

    # More than is still open is refused and changes nothing.
    receipts = Receipt.objects.count()
    with pytest.raises(Conflict) as exc:
        services.receipt_create(
            actor=buyer,
            order=order,
            location=warehouse,
            lines=[{"order_line": line.pk, "quantity": 5, "lot_number": "HL-2026-11-B"}],
        )
    assert exc.value.code == "over_receipt"
    assert Receipt.objects.count() == receipts
    line.refresh_from_db()
    assert line.received_quantity == Decimal("6")

    # The rest arrives and passes: the order is received, the quality score recovers.
    order.refresh_from_db()
    rest = services.receipt_create(
        actor=buyer,
        order=order,
        location=warehouse,
        lines=[
            {"order_line": line.pk, "quantity": 4, "lot_number": "HL-2026-11-B"},
            {
                "order_line": order.lines.get(part=capacitor).pk,
                "quantity": 100,
                "lot_number": "DR-1101",
            },
        ],
    )
    for rl in rest.lines.all():
        services.inspection_record(actor=buyer, receipt_line=rl, accepted=rl.quantity, rejected=0)
    order.refresh_from_db()
    assert order.status == "received"
    assert on_hand(compressor, warehouse) == Decimal("8")
    assert on_hand(capacitor, warehouse) == Decimal("100")
    assert selectors.open_order_quantities() == {}
    final = {s.supplier.code: s for s in supplier_scorecard(today, today)}
    assert final["sz-hualeng"].quality == Decimal("98.2")  # 108 of 110


def test_defective_batch_recall_names_exactly_the_customers_who_received_it(
    users, parts, warehouse, three_customers
):
    keeper = users["parts_keeper"]
    supervisor = users["supervisor"]
    capacitor = parts["capacitor"]
    stock_receive(
        part=capacitor,
        location=warehouse,
        quantity=20,
        unit_cost="12.00",
        batch_lot="DR-2026-BAD",
        actor=keeper,
    )
    stock_receive(
        part=capacitor,
        location=warehouse,
        quantity=20,
        unit_cost="12.00",
        batch_lot="DR-2026-GOOD",
        actor=keeper,
    )
    bad = Batch.objects.get(lot_number="DR-2026-BAD")
    good = Batch.objects.get(lot_number="DR-2026-GOOD")
    c = three_customers
    orders = {
        key: make_work_order(c[key], f"WO-2026-00000{i}")
        for i, key in enumerate(["alice", "bob", "wang", "zhao"], start=1)
    }
    for key in ("alice", "bob", "wang"):
        stock_issue(
            part=capacitor,
            location=warehouse,
            quantity=1,
            work_order=orders[key],
            batch=bad,
            actor=keeper,
        )
    # Zhao got a part of the good batch; Bob also got one more of the bad batch and returned it
    # unused, so he still holds one.
    stock_issue(
        part=capacitor,
        location=warehouse,
        quantity=1,
        work_order=orders["zhao"],
        batch=good,
        actor=keeper,
    )
    stock_issue(
        part=capacitor,
        location=warehouse,
        quantity=1,
        work_order=orders["bob"],
        batch=bad,
        actor=keeper,
    )
    stock_return(
        part=capacitor,
        location=warehouse,
        quantity=1,
        work_order=orders["bob"],
        batch=bad,
        actor=keeper,
    )

    recall.batch_mark_defective(actor=keeper, batch=bad, reason="电容鼓包，批量漏液")
    bad.refresh_from_db()
    assert bad.defective and bad.marked_by == keeper and bad.marked_at is not None
    with pytest.raises(Conflict):
        recall.batch_mark_defective(actor=keeper, batch=bad, reason="again")

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        listed = selectors.recall_list(bad)
        phones = [line.customer.contacts.all()[0].phone for line in listed]
    assert len(queries) == 4 and len(phones) == 3  # however many work orders are listed
    assert {line.customer.pk for line in listed} == {
        c["alice"].pk,
        c["bob"].pk,
        c["wang"].pk,
    }
    assert {line.work_order.number for line in listed} == {
        orders[k].number for k in ("alice", "bob", "wang")
    }
    assert all(line.quantity == Decimal("1") for line in listed)
    # And back: from a work order to the batches it used.
    used = selectors.batches_for_work_order(orders["bob"])
    assert [(u.batch.lot_number, u.quantity) for u in used] == [("DR-2026-BAD", Decimal("1"))]
    assert [u.batch.lot_number for u in selectors.batches_for_work_order(orders["zhao"])] == [
        "DR-2026-GOOD"
    ]

    cases_before = Case.objects.count()
    opened = recall.recall_open_cases(actor=supervisor, batch=bad)
    assert {case.customer_id for case in opened} == {c["alice"].pk, c["bob"].pk, c["wang"].pk}
    assert all(case.case_type == "repair_request" for case in opened)
    assert Case.objects.count() == cases_before + 3
    recall_notes = Notification.objects.filter(template="batch_recall")
    assert {n.case_id for n in recall_notes} == {case.pk for case in opened}
    assert "DR-2026-BAD" in recall_notes.first().body
    # Idempotent: a second run opens nothing.
    assert recall.recall_open_cases(actor=supervisor, batch=bad) == []
    assert Case.objects.count() == cases_before + 3
    assert all(line.case is not None for line in selectors.recall_list(bad))
