"""Concurrent buyers on a real database (SQLite file in WAL mode, or PostgreSQL): order numbers
are never handed out twice, receipts never pass the ordered quantity, a line is inspected once,
and a recall opens one case per customer however many press the button."""

from __future__ import annotations

from decimal import Decimal

import pytest

from aftersales.cases.models import Case
from aftersales.core.errors import Conflict
from aftersales.core.testing import run_concurrently
from aftersales.parts.models import Batch, StockLevel
from aftersales.parts.services import stock_issue, stock_receive
from aftersales.purchasing import recall, services
from aftersales.purchasing.models import Inspection, PurchaseOrder, RecallCase, ReceiptLine

from .conftest import make_work_order

pytestmark = pytest.mark.django_db(transaction=True)


def test_order_numbers_and_receipts_under_concurrency(users, parts, suppliers, warehouse, promised):
    buyer = users["parts_keeper"]
    numbers = run_concurrently(
        6,
        lambda i: (
            services.order_create(
                actor=buyer,
                supplier=suppliers["hualeng"],
                promised_date=promised,
                lines=[{"part": parts["capacitor"], "quantity": 10, "unit_price": "11"}],
            ).number
        ),
    )
    assert not [n for n in numbers if isinstance(n, Exception)], numbers
    assert len(set(numbers)) == 6

    order = PurchaseOrder.objects.get(number=numbers[0])
    services.order_transition(actor=buyer, order=order, to_status="ordered", version=1)
    line = order.lines.get()

    def receive(i: int):
        return services.receipt_create(
            actor=buyer,
            order=PurchaseOrder.objects.get(pk=order.pk),
            location=warehouse,
            lines=[{"order_line": line.pk, "quantity": 4, "lot_number": f"L{i}"}],
        )

    results = run_concurrently(4, receive)
    refused = [r for r in results if isinstance(r, Conflict)]
    assert len(refused) == 2 and all(r.code == "over_receipt" for r in refused), results
    line.refresh_from_db()
    assert line.received_quantity == Decimal("8")
    assert ReceiptLine.objects.filter(order_line=line).count() == 2
    assert PurchaseOrder.objects.get(pk=order.pk).status == "partially_received"

    target = ReceiptLine.objects.filter(order_line=line).first()
    results = run_concurrently(
        3,
        lambda i: services.inspection_record(
            actor=buyer, receipt_line=target, accepted=4, rejected=0
        ),
    )
    assert sum(isinstance(r, Inspection) for r in results) == 1, results
    assert Inspection.objects.count() == 1
    assert StockLevel.objects.get(part=parts["capacitor"]).on_hand == 4


def test_recall_opens_one_case_per_customer_when_pressed_twice_at_once(
    users, parts, warehouse, customers
):
    keeper = users["parts_keeper"]
    stock_receive(
        part=parts["capacitor"],
        location=warehouse,
        quantity=5,
        unit_cost="12",
        batch_lot="LOT-C",
        actor=keeper,
    )
    batch = Batch.objects.get()
    for i, key in enumerate(("alice", "bob"), start=1):
        stock_issue(
            part=parts["capacitor"],
            location=warehouse,
            quantity=1,
            work_order=make_work_order(customers[key], f"WO-2026-00030{i}"),
            batch=batch,
            actor=keeper,
        )
    recall.batch_mark_defective(actor=keeper, batch=batch, reason="漏液")
    cases_before = Case.objects.count()
    results = run_concurrently(
        2,
        lambda i: recall.recall_open_cases(
            actor=users["supervisor"], batch=Batch.objects.get(pk=batch.pk)
        ),
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert RecallCase.objects.filter(case__isnull=False).count() == 2
    assert Case.objects.count() == cases_before + 2
