"""Rules of the purchasing services: order steps, receipts, inspection, prices, sequences."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from aftersales.core.errors import (
    Conflict,
    InvalidInput,
    PermissionDeniedError,
    TransitionNotAllowed,
    VersionConflict,
)
from aftersales.core.models import AuditLog, DomainEvent
from aftersales.core.testing import image_bytes
from aftersales.parts.models import Part, StockLevel
from aftersales.purchasing import pricing, selectors, services
from aftersales.purchasing.models import (
    Inspection,
    InspectionPhoto,
    PriceRule,
    PurchaseOrder,
    SupplierReturn,
)

pytestmark = pytest.mark.django_db


def ordered(actor, supplier, promised, *lines):
    order = services.order_create(
        actor=actor,
        supplier=supplier,
        promised_date=promised,
        lines=[{"part": p, "quantity": q, "unit_price": u} for p, q, u in lines],
    )
    return services.order_transition(
        actor=actor, order=order, to_status="ordered", version=order.version
    )


def receive(actor, order, location, part, qty, lot, **kw):
    line = order.lines.get(part=part)
    order.refresh_from_db()
    return services.receipt_create(
        actor=actor,
        order=order,
        location=location,
        lines=[{"order_line": line.pk, "quantity": qty, "lot_number": lot}],
        **kw,
    )


def test_order_numbers_count_up_per_year(users, parts, suppliers, promised):
    first = services.order_create(
        actor=None,
        supplier=suppliers["hualeng"],
        promised_date=promised,
        lines=[{"part": parts["capacitor"], "quantity": 1, "unit_price": 1}],
    )
    second = services.order_create(
        actor=None,
        supplier=suppliers["hualeng"],
        promised_date=promised,
        lines=[{"part": parts["capacitor"], "quantity": 1, "unit_price": 1}],
    )
    year = first.number.split("-")[1]
    assert first.number == f"PO-{year}-000001"
    assert second.number == f"PO-{year}-000002"


def test_order_steps_follow_the_table(users, parts, suppliers, promised):
    buyer = users["parts_keeper"]
    order = services.order_create(
        actor=buyer,
        supplier=suppliers["hualeng"],
        promised_date=promised,
        lines=[{"part": parts["capacitor"], "quantity": 5, "unit_price": "11.00"}],
    )
    with pytest.raises(TransitionNotAllowed):
        services.order_transition(actor=buyer, order=order, to_status="closed", version=1)
    with pytest.raises(InvalidInput) as exc:
        services.order_transition(actor=buyer, order=order, to_status="cancelled", version=1)
    assert exc.value.code == "reason_required"
    services.order_transition(actor=buyer, order=order, to_status="ordered", version=1)
    assert order.status == "ordered" and order.ordered_at is not None and order.version == 2
    # An editor who saw version 1 is told, and nothing changes.
    with pytest.raises(VersionConflict):
        services.order_transition(
            actor=buyer, order=order, to_status="cancelled", version=1, reason="不要了"
        )
    order.refresh_from_db()
    assert order.status == "ordered"
    # One domain event per change that happened; the refused steps left none.
    events = DomainEvent.objects.filter(aggregate="purchase_order", aggregate_id=order.pk)
    assert [(e.kind, e.payload.get("to")) for e in events.order_by("id")] == [
        ("purchase_order.created", None),
        ("purchase_order.status_changed", "ordered"),
    ]


def test_receipt_refused_on_a_draft_and_with_a_stale_version(
    users, parts, suppliers, warehouse, promised
):
    buyer = users["parts_keeper"]
    draft = services.order_create(
        actor=buyer,
        supplier=suppliers["hualeng"],
        promised_date=promised,
        lines=[{"part": parts["capacitor"], "quantity": 5, "unit_price": "11.00"}],
    )
    with pytest.raises(TransitionNotAllowed):
        receive(buyer, draft, warehouse, parts["capacitor"], 1, "L1")
    order = services.order_transition(actor=buyer, order=draft, to_status="ordered", version=1)
    with pytest.raises(VersionConflict):
        receive(buyer, order, warehouse, parts["capacitor"], 1, "L1", version=1)
    with pytest.raises(InvalidInput) as exc:
        receive(buyer, order, warehouse, parts["capacitor"], "1.5", "L1")
    assert exc.value.code == "whole_units"
    with pytest.raises(InvalidInput):
        receive(buyer, order, warehouse, parts["capacitor"], 1, "  ")
    assert order.receipts.count() == 0


def test_a_late_receipt_counts_against_on_time(users, parts, suppliers, warehouse, today):
    buyer = users["parts_keeper"]
    order = ordered(
        buyer, suppliers["hualeng"], today - dt.timedelta(days=2), (parts["capacitor"], 10, "11")
    )
    receipt = receive(buyer, order, warehouse, parts["capacitor"], 10, "L-LATE")
    assert receipt.lines.get().on_time is False


def test_inspection_rules(users, parts, suppliers, warehouse, promised):
    buyer = users["parts_keeper"]
    order = ordered(buyer, suppliers["hualeng"], promised, (parts["compressor"], 3, "760"))
    line = receive(buyer, order, warehouse, parts["compressor"], 3, "HL-1").lines.get()
    with pytest.raises(InvalidInput) as exc:
        services.inspection_record(actor=buyer, receipt_line=line, accepted=2, rejected=0)
    assert exc.value.code == "inspection_mismatch"
    with pytest.raises(InvalidInput) as exc:
        services.inspection_record(actor=buyer, receipt_line=line, accepted=2, rejected=1)
    assert exc.value.code == "defect_description_required"
    # A disguised file refuses the whole inspection: nothing enters stock.
    fake = SimpleUploadedFile("defect.jpg", b"not an image at all" * 10, content_type="image/jpeg")
    with pytest.raises(InvalidInput):
        services.inspection_record(
            actor=buyer,
            receipt_line=line,
            accepted=2,
            rejected=1,
            defect_description="裂纹",
            photos=[fake],
        )
    assert not Inspection.objects.exists()
    assert not StockLevel.objects.filter(part=parts["compressor"]).exists()

    photo = SimpleUploadedFile("defect.png", image_bytes("PNG"), content_type="image/png")
    inspection = services.inspection_record(
        actor=buyer,
        receipt_line=line,
        accepted=2,
        rejected=1,
        defect_description="外壳裂纹",
        photos=[photo],
    )
    assert InspectionPhoto.objects.get(inspection=inspection).content_type == "image/png"
    assert SupplierReturn.objects.get().quantity == 1
    with pytest.raises(Conflict) as exc:
        services.inspection_record(actor=buyer, receipt_line=line, accepted=3, rejected=0)
    assert exc.value.code == "already_inspected"
    assert StockLevel.objects.get(part=parts["compressor"]).on_hand == 2


def test_a_fully_rejected_line_puts_nothing_on_stock(users, parts, suppliers, warehouse, promised):
    buyer = users["parts_keeper"]
    order = ordered(buyer, suppliers["meidi"], promised, (parts["capacitor"], 5, "10"))
    line = receive(buyer, order, warehouse, parts["capacitor"], 5, "BAD-1").lines.get()
    inspection = services.inspection_record(
        actor=buyer, receipt_line=line, accepted=0, rejected=5, defect_description="容量不达标"
    )
    assert inspection.movement is None
    assert not StockLevel.objects.filter(part=parts["capacitor"], on_hand__gt=0).exists()
    note = SupplierReturn.objects.get()
    services.return_ship(actor=buyer, supplier_return=note)
    with pytest.raises(Conflict):
        services.return_ship(actor=buyer, supplier_return=note)


def test_order_takes_the_price_list_and_open_quantities_skip_drafts(
    users, parts, suppliers, promised, today
):
    buyer = users["parts_keeper"]
    hualeng = suppliers["hualeng"]
    services.supplier_price_set(
        actor=buyer, supplier=hualeng, part=parts["compressor"], price="780.00", valid_from=today
    )
    with pytest.raises(InvalidInput) as exc:
        services.order_create(
            actor=buyer,
            supplier=hualeng,
            promised_date=promised,
            lines=[{"part": parts["capacitor"], "quantity": 1}],
        )
    assert exc.value.code == "price_missing"
    draft = services.order_create(
        actor=buyer,
        supplier=hualeng,
        promised_date=promised,
        lines=[{"part": parts["compressor"], "quantity": 2}],
    )
    assert draft.lines.get().unit_price == Decimal("780.00")
    assert selectors.open_order_quantities() == {}
    services.order_transition(actor=buyer, order=draft, to_status="ordered", version=1)
    assert selectors.open_order_quantities() == {parts["compressor"].pk: Decimal("2")}
    services.order_transition(
        actor=buyer, order=draft, to_status="cancelled", version=2, reason="供应商停产"
    )
    assert selectors.open_order_quantities() == {}
    assert PurchaseOrder.objects.get().status == "cancelled"


def test_a_new_price_ends_the_previous_one(users, parts, suppliers, today):
    buyer = users["parts_keeper"]
    old = services.supplier_price_set(
        actor=buyer,
        supplier=suppliers["hualeng"],
        part=parts["compressor"],
        price="780",
        valid_from=today - dt.timedelta(days=30),
    )
    services.supplier_price_set(
        actor=buyer,
        supplier=suppliers["hualeng"],
        part=parts["compressor"],
        price="770",
        valid_from=today,
    )
    old.refresh_from_db()
    assert old.valid_to == today - dt.timedelta(days=1)
    with pytest.raises(InvalidInput):
        services.supplier_price_set(
            actor=buyer,
            supplier=suppliers["hualeng"],
            part=parts["capacitor"],
            price="-1",
            valid_from=today,
        )


def test_supplier_codes_are_unique_and_ratings_bounded(users, suppliers):
    with pytest.raises(Conflict):
        services.supplier_create(actor=None, code="sz-hualeng", name="重复")
    with pytest.raises(InvalidInput):
        services.supplier_rate(actor=users["parts_keeper"], supplier=suppliers["meidi"], score=6)
    services.supplier_rate(actor=users["parts_keeper"], supplier=suppliers["meidi"], score=4)
    assert AuditLog.objects.filter(action="supplier.rate").count() == 1


# --- pricing ---------------------------------------------------------------------------------


def test_list_price_change_applies_only_when_someone_else_approves(users, parts):
    keeper, supervisor = users["parts_keeper"], users["supervisor"]
    part = parts["compressor"]
    change = pricing.price_change_request(
        actor=keeper, part=part, list_price="1350.00", reason="铜价上涨"
    )
    part.refresh_from_db()
    assert part.list_price == Decimal("1280.00")  # not yet
    with pytest.raises(PermissionDeniedError):
        pricing.price_change_decide(actor=keeper, change=change, approve=True)
    pricing.price_change_decide(actor=supervisor, change=change, approve=True, note="同意")
    part.refresh_from_db()
    assert part.list_price == Decimal("1350.00")
    with pytest.raises(Conflict):
        pricing.price_change_decide(actor=supervisor, change=change, approve=False, note="x")
    assert AuditLog.objects.filter(action="price_change.approve").count() == 1


def test_an_approval_never_overwrites_a_price_that_moved(users, parts):
    keeper, supervisor = users["parts_keeper"], users["supervisor"]
    part = parts["capacitor"]
    first = pricing.price_change_request(actor=keeper, part=part, list_price="35", reason="a")
    second = pricing.price_change_request(actor=keeper, part=part, list_price="40", reason="b")
    pricing.price_change_decide(actor=supervisor, change=first, approve=True)
    with pytest.raises(Conflict) as exc:
        pricing.price_change_decide(actor=supervisor, change=second, approve=True)
    assert exc.value.code == "price_moved"
    part.refresh_from_db()
    assert part.list_price == Decimal("35.00")
    second.refresh_from_db()
    assert second.status == "pending"  # the refused approval left nothing behind


def test_rejection_needs_a_reason(users, parts):
    change = pricing.price_change_request(
        actor=users["parts_keeper"], part=parts["capacitor"], list_price="31", reason="a"
    )
    with pytest.raises(InvalidInput):
        pricing.price_change_decide(actor=users["supervisor"], change=change, approve=False)
    pricing.price_change_decide(
        actor=users["supervisor"], change=change, approve=False, note="涨幅过大"
    )
    change.refresh_from_db()
    assert change.status == "rejected"


def test_quote_with_cost_plus_and_member_discount(users, parts):
    keeper, supervisor = users["parts_keeper"], users["supervisor"]
    compressor = parts["compressor"]
    assert pricing.price_quote(compressor, "gold")["price"] == Decimal("1280.00")
    plus = pricing.price_rule_propose(
        actor=keeper,
        name="压缩机成本加成",
        kind="cost_plus",
        part=compressor,
        percent="50",
        reason="新规",
    )
    member = pricing.price_rule_propose(
        actor=keeper,
        name="会员折扣",
        kind="member_discount",
        tier_discounts={"gold": "10", "vip": "15"},
        reason="会员权益",
    )
    assert not PriceRule.objects.filter(active=True).exists()
    pricing.price_change_decide(actor=supervisor, change=plus, approve=True)
    pricing.price_change_decide(actor=supervisor, change=member, approve=True)
    quote = pricing.price_quote(compressor, "gold")
    assert quote["base"] == Decimal("1200.00")  # 800 × 1.5
    assert quote["discount_percent"] == Decimal("10")
    assert quote["price"] == Decimal("1080.00")
    assert pricing.price_quote(compressor, "standard")["price"] == Decimal("1200.00")
    # The general discount applies to other parts on their list price.
    assert pricing.price_quote(parts["capacitor"], "vip")["price"] == Decimal("25.50")
    with pytest.raises(InvalidInput):
        pricing.price_rule_propose(
            actor=keeper,
            name="x",
            kind="member_discount",
            tier_discounts={"diamond": 5},
            reason="r",
        )


def test_whole_unit_parts_refuse_fractions_on_orders(users, parts, suppliers, promised):
    litre = Part.objects.create(code="R32", name="冷媒 R32", unit="kg", whole_units=False)
    order = services.order_create(
        actor=None,
        supplier=suppliers["hualeng"],
        promised_date=promised,
        lines=[{"part": litre, "quantity": "2.5", "unit_price": "60"}],
    )
    assert order.lines.get().quantity == Decimal("2.5")
    with pytest.raises(InvalidInput):
        services.order_create(
            actor=None,
            supplier=suppliers["hualeng"],
            promised_date=promised,
            lines=[{"part": parts["capacitor"], "quantity": "2.5", "unit_price": "60"}],
        )


def test_orders_from_the_purchase_plan_go_to_the_cheapest_supplier(users, parts, suppliers, today):
    buyer = users["parts_keeper"]
    compressor, capacitor = parts["compressor"], parts["capacitor"]
    Part.objects.filter(pk=compressor.pk).update(reorder_point=5, safety_stock=2)
    Part.objects.filter(pk=capacitor.pk).update(reorder_point=10, safety_stock=5)
    services.supplier_price_set(
        actor=buyer, supplier=suppliers["hualeng"], part=compressor, price="780", valid_from=today
    )
    services.supplier_price_set(
        actor=buyer,
        supplier=suppliers["meidi"],
        part=compressor,
        price="760",
        valid_from=today,
        lead_time_days=10,
    )
    orders, unsourced = services.orders_from_plan(actor=buyer)
    assert [p.code for p in unsourced] == ["DR-35UF"]  # nobody lists the capacitor
    [order] = orders
    assert (order.supplier, order.status) == (suppliers["meidi"], "draft")
    assert order.promised_date == today + dt.timedelta(days=10)
    line = order.lines.get()
    assert (line.part, line.quantity, line.unit_price) == (compressor, Decimal("5"), Decimal("760"))
    # Pressed again: the compressor is already on a draft.
    assert services.orders_from_plan(actor=buyer)[0] == []
