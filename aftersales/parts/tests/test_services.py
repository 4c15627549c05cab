"""The stock ledger services against a real database."""

from __future__ import annotations

from decimal import Decimal

import pytest

from aftersales.core.errors import Conflict, InvalidInput
from aftersales.core.models import AuditLog, DomainEvent
from aftersales.notifications.models import Notification
from aftersales.parts.errors import InsufficientStock
from aftersales.parts.models import Batch, Movement, Reservation, StockLevel
from aftersales.parts.selectors import ledger_totals, part_available
from aftersales.parts.services import (
    part_create,
    reservation_create,
    reservation_release,
    reservations_release_for_work_order,
    stock_adjust,
    stock_issue,
    stock_receive,
    stock_return,
    stock_scrap,
    stock_transfer,
)

pytestmark = pytest.mark.django_db


def level(part, location):
    row = StockLevel.objects.filter(part=part, location=location).first()
    if row is None:
        return Decimal("0"), Decimal("0")
    return Decimal(str(row.on_hand)), Decimal(str(row.reserved))


def assert_ledger_matches(part, location):
    on_hand, reserved = level(part, location)
    assert ledger_totals(part, location) == (on_hand, reserved)
    assert on_hand >= 0 and reserved >= 0 and reserved <= on_hand


def test_receive_issue_return_keep_level_equal_to_ledger(stock_setup):
    s = stock_setup
    cap, wh, keeper = s["cap"], s["wh"], s["keeper"]
    m = stock_receive(
        part=cap, location=wh, quantity=10, unit_cost="11.80", batch_lot="L2026-11", actor=keeper
    )
    assert m.kind == "receipt" and m.quantity == 10 and m.unit_cost == Decimal("11.80")
    assert Batch.objects.get(part=cap, lot_number="L2026-11") == m.batch
    issue = stock_issue(part=cap, location=wh, quantity=3, work_order=s["wo"], actor=keeper)
    assert issue.quantity == -3 and issue.unit_cost == cap.standard_cost
    stock_return(part=cap, location=wh, quantity=1, work_order=s["wo"], actor=keeper)
    assert level(cap, wh) == (Decimal("8"), Decimal("0"))
    assert_ledger_matches(cap, wh)
    audit = AuditLog.objects.filter(action="stock.issue").get()
    assert audit.before["on_hand"] == "10" and audit.after["on_hand"] == "7"
    assert audit.actor == keeper and audit.after["work_order"] == "WO-0001"
    # Each movement is one domain event with the level it left, in ledger order.
    events = list(DomainEvent.objects.filter(aggregate="part", aggregate_id=cap.pk).order_by("id"))
    assert [e.kind for e in events] == ["stock.receipt", "stock.issue", "stock.return"]
    assert events[1].payload["quantity"] == "-3.000" and events[1].payload["on_hand"] == "7.000"
    assert events[1].payload["work_order"] == "WO-0001" and events[1].actor == keeper


def test_issue_more_than_available_is_refused_and_changes_nothing(stock_setup):
    s = stock_setup
    stock_receive(part=s["cap"], location=s["wh"], quantity=2, unit_cost=10, actor=s["keeper"])
    movements = Movement.objects.count()
    with pytest.raises(InsufficientStock) as err:
        stock_issue(part=s["cap"], location=s["wh"], quantity=3, actor=s["keeper"])
    assert err.value.status_code == 409 and err.value.code == "insufficient_stock"
    assert "2 available" in str(err.value.message) and "3 needed" in str(err.value.message)
    assert Movement.objects.count() == movements
    assert level(s["cap"], s["wh"]) == (Decimal("2"), Decimal("0"))
    # nothing at all at a location that never had stock
    with pytest.raises(InsufficientStock):
        stock_issue(part=s["cap"], location=s["van"], quantity=1, actor=s["keeper"])


@pytest.mark.parametrize("bad", [-1, 0, "1.5", "abc", "1.0001", "NaN", "1e30"])
def test_bad_quantities_for_whole_unit_part_are_refused(stock_setup, bad):
    s = stock_setup
    with pytest.raises(InvalidInput) as err:
        stock_receive(part=s["cap"], location=s["wh"], quantity=bad, unit_cost=1, actor=s["keeper"])
    assert err.value.code == "invalid_quantity"
    assert not Movement.objects.exists() and not StockLevel.objects.exists()


def test_fractional_quantities_allowed_for_metre_parts(stock_setup):
    s = stock_setup
    stock_receive(
        part=s["pipe"], location=s["wh"], quantity="10.5", unit_cost=18, actor=s["keeper"]
    )
    stock_issue(part=s["pipe"], location=s["wh"], quantity="0.1", actor=s["keeper"])
    stock_issue(part=s["pipe"], location=s["wh"], quantity="0.2", actor=s["keeper"])
    stock_issue(part=s["pipe"], location=s["wh"], quantity="10.2", actor=s["keeper"])
    assert level(s["pipe"], s["wh"]) == (Decimal("0"), Decimal("0"))
    assert_ledger_matches(s["pipe"], s["wh"])


def test_transfer_moves_stock_and_refuses_same_location(stock_setup):
    s = stock_setup
    stock_receive(part=s["cap"], location=s["wh"], quantity=5, unit_cost=10, actor=s["keeper"])
    out, into = stock_transfer(
        part=s["cap"], source=s["wh"], target=s["van"], quantity=2, actor=s["keeper"]
    )
    assert (out.kind, out.quantity, into.kind, into.quantity) == (
        "transfer_out",
        -2,
        "transfer_in",
        2,
    )
    assert level(s["cap"], s["van"]) == (Decimal("2"), Decimal("0"))
    before = Movement.objects.count()
    with pytest.raises(InvalidInput) as err:
        stock_transfer(part=s["cap"], source=s["wh"], target=s["wh"], quantity=1, actor=s["keeper"])
    assert err.value.code == "same_location"
    with pytest.raises(InsufficientStock):
        stock_transfer(
            part=s["cap"], source=s["van"], target=s["wh"], quantity=3, actor=s["keeper"]
        )
    assert Movement.objects.count() == before
    assert level(s["cap"], s["wh"]) == (Decimal("3"), Decimal("0"))


def test_adjust_and_scrap_need_reasons(stock_setup):
    s = stock_setup
    stock_receive(part=s["cap"], location=s["wh"], quantity=5, unit_cost=10, actor=s["keeper"])
    with pytest.raises(InvalidInput):
        stock_adjust(
            part=s["cap"], location=s["wh"], quantity_delta=-1, reason=" ", actor=s["keeper"]
        )
    with pytest.raises(InvalidInput):
        stock_adjust(
            part=s["cap"], location=s["wh"], quantity_delta=0, reason="盘点", actor=s["keeper"]
        )
    stock_adjust(
        part=s["cap"], location=s["wh"], quantity_delta=-2, reason="盘点差异", actor=s["keeper"]
    )
    stock_scrap(part=s["cap"], location=s["wh"], quantity=1, reason="外壳破损", actor=s["keeper"])
    with pytest.raises(InsufficientStock):
        stock_adjust(
            part=s["cap"], location=s["wh"], quantity_delta=-3, reason="盘点", actor=s["keeper"]
        )
    assert level(s["cap"], s["wh"]) == (Decimal("2"), Decimal("0"))
    assert_ledger_matches(s["cap"], s["wh"])


def test_reservation_consumed_by_issue_and_released_on_cancel(stock_setup):
    s = stock_setup
    cap, wh, keeper = s["cap"], s["wh"], s["keeper"]
    stock_receive(part=cap, location=wh, quantity=4, unit_cost=10, actor=keeper)
    r1 = reservation_create(part=cap, location=wh, quantity=3, work_order=s["wo"], actor=keeper)
    assert level(cap, wh) == (Decimal("4"), Decimal("3"))
    with pytest.raises(InsufficientStock):
        stock_issue(part=cap, location=wh, quantity=2, actor=keeper)  # only 1 unreserved
    with pytest.raises(InsufficientStock):
        reservation_create(part=cap, location=wh, quantity=2, work_order=s["wo2"], actor=keeper)
    m = stock_issue(part=cap, location=wh, quantity=2, reservation=r1, actor=keeper)
    assert m.work_order_id == s["wo"].pk and m.reserved_delta == -3
    r1.refresh_from_db()
    assert r1.status == "consumed"
    assert level(cap, wh) == (Decimal("2"), Decimal("0"))
    with pytest.raises(Conflict):  # a reservation is consumed once
        stock_issue(part=cap, location=wh, quantity=1, reservation=r1, actor=keeper)
    r2 = reservation_create(part=cap, location=wh, quantity=2, work_order=s["wo2"], actor=keeper)
    assert reservations_release_for_work_order(s["wo2"], actor=keeper) == 1
    r2.refresh_from_db()
    assert r2.status == "released"
    with pytest.raises(Conflict):
        reservation_release(r2, actor=keeper)
    assert level(cap, wh) == (Decimal("2"), Decimal("0"))
    assert_ledger_matches(cap, wh)
    assert Reservation.objects.filter(status="active").count() == 0


def test_return_cannot_exceed_what_the_work_order_received(stock_setup):
    s = stock_setup
    stock_receive(part=s["cap"], location=s["wh"], quantity=5, unit_cost=10, actor=s["keeper"])
    stock_issue(part=s["cap"], location=s["wh"], quantity=2, work_order=s["wo"], actor=s["keeper"])
    with pytest.raises(InvalidInput):
        stock_return(
            part=s["cap"], location=s["wh"], quantity=3, work_order=s["wo"], actor=s["keeper"]
        )
    stock_return(part=s["cap"], location=s["wh"], quantity=2, work_order=s["wo"], actor=s["keeper"])
    assert level(s["cap"], s["wh"]) == (Decimal("5"), Decimal("0"))


def test_defective_batch_cannot_be_issued(stock_setup):
    s = stock_setup
    m = stock_receive(
        part=s["cap"],
        location=s["wh"],
        quantity=5,
        unit_cost=10,
        batch_lot="BAD-1",
        actor=s["keeper"],
    )
    Batch.objects.filter(pk=m.batch_id).update(defective=True, defective_reason="漏电")
    with pytest.raises(Conflict) as err:
        stock_issue(
            part=s["cap"],
            location=s["wh"],
            quantity=1,
            batch=Batch.objects.get(pk=m.batch_id),
            actor=s["keeper"],
        )
    assert err.value.code == "defective_batch"


def test_low_stock_alert_once_per_shortage(stock_setup, users):
    s = stock_setup
    cap, wh, keeper = s["cap"], s["wh"], s["keeper"]  # reorder point 5
    stock_receive(part=cap, location=wh, quantity=8, unit_cost=10, actor=keeper)
    alerts = Notification.objects.filter(template="parts_low_stock")
    stock_issue(part=cap, location=wh, quantity=3, actor=keeper)  # 5 left: not below
    assert alerts.count() == 0
    stock_issue(part=cap, location=wh, quantity=1, actor=keeper)  # 4 < 5
    assert alerts.count() == 1
    note = alerts.get()
    assert note.recipient_user == keeper and "CAP-35UF" in note.subject
    stock_issue(part=cap, location=wh, quantity=1, actor=keeper)  # still short: no second alert
    assert alerts.count() == 1
    stock_receive(part=cap, location=wh, quantity=10, unit_cost=10, actor=keeper)  # re-armed
    cap.refresh_from_db()
    assert cap.low_stock_alerted is False
    stock_issue(part=cap, location=wh, quantity=10, actor=keeper)
    assert alerts.count() == 2
    assert part_available(cap) == Decimal("3")


def test_part_defaults_from_class_and_whole_units_from_unit(users):
    keeper = users["parts_keeper"]
    p = part_create(code="PCB-X1", name="主控电路板", stock_class="critical", actor=keeper)
    assert (p.reorder_point, p.safety_stock, p.lead_time_days, p.whole_units) == (
        Decimal("5"),
        Decimal("3"),
        14,
        True,
    )
    oil = part_create(code="OIL-1", name="冷冻油", unit="l", actor=keeper)
    assert oil.whole_units is False
    with pytest.raises(Conflict):
        part_create(code="PCB-X1", name="重复", actor=keeper)
    with pytest.raises(InvalidInput):
        part_create(code="X", name="x", standard_cost="-1", actor=keeper)
