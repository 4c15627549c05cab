"""Request and response shapes of the purchasing API. Choices are ``Literal`` so the OpenAPI
schema lists them; amounts and quantities are decimal strings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema

from aftersales.core.api import Cursor, EmailAddress, InputSchema, ObjectId, Version
from aftersales.customers.choices import CustomerTier

from .choices import OrderStatus, PriceChangeStatus, PriceRuleKind, ReturnStatus

OrderStatusValue = Literal[tuple(OrderStatus.values)]
RuleKindValue = Literal[tuple(PriceRuleKind.values)]
TierValue = Literal[tuple(CustomerTier.values)]
Quantity = Decimal
Money = Decimal
Code = Field(..., min_length=1, max_length=40, pattern=r"^[-a-zA-Z0-9_]+$")
PartCode = Field(..., min_length=1, max_length=40)


# --- suppliers -------------------------------------------------------------------------------


class PurchasingContactIn(InputSchema):
    name: str = Field(..., min_length=1, max_length=100)
    role: str = Field("", max_length=60)
    phone: str = Field("", max_length=30)
    email: EmailAddress = ""


class PurchasingSupplierIn(InputSchema):
    code: str = Code
    name: str = Field(..., min_length=1, max_length=200)
    tax_id: str = Field("", max_length=30)
    address: str = Field("", max_length=300)
    notes: str = Field("", max_length=2000)
    contacts: list[PurchasingContactIn] = Field(default_factory=list, max_length=20)


class PurchasingSupplierPatch(InputSchema):
    version: Version
    name: str | None = Field(None, min_length=1, max_length=200)
    tax_id: str | None = Field(None, max_length=30)
    address: str | None = Field(None, max_length=300)
    notes: str | None = Field(None, max_length=2000)
    active: bool | None = None


class PurchasingContactOut(Schema):
    name: str
    role: str
    phone: str
    email: str


class PurchasingSupplierOut(Schema):
    id: int
    code: str
    name: str
    tax_id: str
    address: str
    active: bool
    version: int


class PurchasingSupplierPriceOut(Schema):
    part: str
    part_name: str
    supplier_code: str
    price: Money
    valid_from: dt.date
    valid_to: dt.date | None
    lead_time_days: int


class PurchasingSupplierDetailOut(PurchasingSupplierOut):
    notes: str
    contacts: list[PurchasingContactOut]
    prices: list[PurchasingSupplierPriceOut]


class PurchasingSupplierPriceIn(InputSchema):
    part: str = PartCode
    price: Decimal = Field(..., ge=0, max_digits=12, decimal_places=2)
    valid_from: dt.date
    valid_to: dt.date | None = None
    lead_time_days: int = Field(7, ge=0, le=365)
    supplier_code: str = Field("", max_length=60)


class PurchasingRatingIn(InputSchema):
    score: int = Field(..., ge=1, le=5)
    comment: str = Field("", max_length=500)


class PurchasingRatingOut(Schema):
    id: int
    score: int
    comment: str
    rated_at: dt.datetime


# --- orders ----------------------------------------------------------------------------------


class PurchasingOrderLineIn(InputSchema):
    part: str = PartCode
    quantity: Decimal = Field(..., gt=0, max_digits=12, decimal_places=3)
    unit_price: Decimal | None = Field(
        None, ge=0, max_digits=12, decimal_places=2, description="From the price list if empty"
    )


class PurchasingOrderIn(InputSchema):
    supplier: str = Code
    promised_date: dt.date
    notes: str = Field("", max_length=2000)
    lines: list[PurchasingOrderLineIn] = Field(..., min_length=1, max_length=200)


class PurchasingOrderQuery(InputSchema):
    status: OrderStatusValue | None = None
    supplier: str = Field("", max_length=40, pattern=r"^[-a-zA-Z0-9_]*$")
    cursor: Cursor = ""
    limit: int = Field(50, ge=1, le=200)


class PurchasingOrderLineOut(Schema):
    id: int
    part: str
    part_name: str
    quantity: Quantity
    unit_price: Money
    received_quantity: Quantity
    open_quantity: Quantity


class PurchasingOrderOut(Schema):
    id: int
    number: str
    supplier: str
    supplier_name: str
    status: OrderStatusValue
    ordered_at: dt.datetime | None
    promised_date: dt.date
    notes: str
    version: int


class PurchasingOrderDetailOut(PurchasingOrderOut):
    lines: list[PurchasingOrderLineOut]
    receipt_lines: list[PurchasingReceiptLineOut]


class PurchasingPlanOrdersOut(Schema):
    orders: list[PurchasingOrderDetailOut]
    unsourced: list[str] = Field(description="Suggested parts no supplier lists")


class PurchasingOrderPageOut(Schema):
    items: list[PurchasingOrderOut]
    next_cursor: str | None


class PurchasingTransitionIn(InputSchema):
    to_status: Literal["ordered", "cancelled", "closed"]
    version: Version
    reason: str = Field("", max_length=500)


class PurchasingReceiptLineIn(InputSchema):
    order_line: ObjectId
    quantity: Decimal = Field(..., gt=0, max_digits=12, decimal_places=3)
    lot_number: str = Field(..., min_length=1, max_length=60)


class PurchasingReceiptIn(InputSchema):
    location: str = Field(..., min_length=1, max_length=40, description="Location code")
    version: Version | None = None
    delivery_note: str = Field("", max_length=60)
    lines: list[PurchasingReceiptLineIn] = Field(..., min_length=1, max_length=200)


class PurchasingInspectionOut(Schema):
    id: int
    accepted_quantity: Quantity
    rejected_quantity: Quantity
    defect_description: str
    inspected_at: dt.datetime
    photos: int
    photo_ids: list[int] = Field(description="GET /purchasing/inspection-photos/{id}")
    return_note: str | None


class PurchasingReceiptLineOut(Schema):
    id: int
    receipt: int
    received_at: dt.datetime
    location: str
    part: str
    quantity: Quantity
    lot_number: str
    on_time: bool
    inspection: PurchasingInspectionOut | None


PurchasingOrderDetailOut.model_rebuild()
PurchasingPlanOrdersOut.model_rebuild()


class PurchasingReceiptOut(Schema):
    id: int
    order: str
    order_status: OrderStatusValue
    order_version: int
    lines: list[PurchasingReceiptLineOut]


class PurchasingInspectionIn(InputSchema):
    accepted: Decimal = Field(..., ge=0, max_digits=12, decimal_places=3)
    rejected: Decimal = Field(Decimal("0"), ge=0, max_digits=12, decimal_places=3)
    defect_description: str = Field("", max_length=2000)


class PurchasingReturnOut(Schema):
    id: int
    number: str
    supplier: str
    part: str
    quantity: Quantity
    lot_number: str
    reason: str
    status: Literal[tuple(ReturnStatus.values)]
    created_at: dt.datetime


# --- scorecard -------------------------------------------------------------------------------


class PurchasingPeriodQuery(InputSchema):
    start: dt.date | None = Field(None, description="First day; default 90 days ago")
    end: dt.date | None = Field(None, description="Last day; default today")


class PurchasingScoreOut(Schema):
    rank: int | None
    supplier_id: int
    supplier_code: str
    supplier: str
    received_quantity: Quantity
    inspected_quantity: Quantity
    accepted_quantity: Quantity
    receipt_lines: int
    lines_on_time: int
    quality: Decimal | None = Field(description="accepted ÷ inspected, %")
    on_time: Decimal | None = Field(description="lines received by the promised date, %")
    price_index: Decimal | None = Field(description="paid ÷ standard cost")
    price_vs_others: Decimal | None = Field(description="paid ÷ what all suppliers were paid")
    price_score: Decimal | None
    service: Decimal | None = Field(description="average buyer rating, 1–5")
    ratings: int
    service_score: Decimal | None
    total: Decimal | None


class PurchasingScorecardOut(Schema):
    start: dt.date
    end: dt.date
    weights: dict[str, Decimal]
    suppliers: list[PurchasingScoreOut]


# --- batches and recall ----------------------------------------------------------------------


class PurchasingBatchQuery(InputSchema):
    defective: bool | None = None
    q: str = Field("", max_length=60)
    cursor: Cursor = ""
    limit: int = Field(50, ge=1, le=200)


class PurchasingBatchOut(Schema):
    id: int
    part: str
    part_name: str
    lot_number: str
    received_at: dt.datetime
    supplier_ref: str
    defective: bool
    defective_reason: str
    marked_at: dt.datetime | None


class PurchasingBatchPageOut(Schema):
    items: list[PurchasingBatchOut]
    next_cursor: str | None


class PurchasingDefectIn(InputSchema):
    reason: str = Field(..., min_length=1, max_length=2000)


class PurchasingRecallLineOut(Schema):
    work_order: str
    customer_id: int
    customer: str
    phone: str = Field(description="Masked unless the role sees personal data whole")
    asset: str | None
    quantity: Quantity
    case: str | None


class PurchasingRecallOut(Schema):
    batch: PurchasingBatchOut
    lines: list[PurchasingRecallLineOut]


class PurchasingRecallCasesOut(Schema):
    opened: list[str]


class PurchasingUsedBatchOut(Schema):
    batch: PurchasingBatchOut
    quantity: Quantity


# --- pricing ---------------------------------------------------------------------------------


class PurchasingPriceRuleIn(InputSchema):
    name: str = Field(..., min_length=1, max_length=100)
    kind: RuleKindValue
    part: str | None = Field(None, max_length=40)
    percent: Decimal = Field(Decimal("0"), ge=0, le=1000, max_digits=6, decimal_places=2)
    tier_discounts: dict[TierValue, Decimal] = Field(default_factory=dict)
    reason: str = Field(..., min_length=1, max_length=500)


class PurchasingPriceRuleOut(Schema):
    id: int
    name: str
    kind: RuleKindValue
    part: str | None
    percent: Decimal
    tier_discounts: dict[str, Any]
    active: bool
    version: int


class PurchasingPriceChangeIn(InputSchema):
    part: str | None = Field(None, max_length=40, description="Change this part's list price")
    list_price: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    rule: ObjectId | None = Field(None, description="…or change this rule")
    percent: Decimal | None = Field(None, ge=0, le=1000, max_digits=6, decimal_places=2)
    tier_discounts: dict[TierValue, Decimal] | None = None
    active: bool | None = None
    reason: str = Field(..., min_length=1, max_length=500)


class PurchasingPriceChangeOut(Schema):
    id: int
    target: str
    part: str | None
    rule: int | None
    old_value: dict[str, Any]
    new_value: dict[str, Any]
    reason: str
    status: Literal[tuple(PriceChangeStatus.values)]
    requested_by: str | None
    requested_at: dt.datetime
    decided_by: str | None
    decided_at: dt.datetime | None
    decision_note: str


class PurchasingPriceChangeQuery(InputSchema):
    status: Literal[tuple(PriceChangeStatus.values)] | None = None
    cursor: Cursor = ""
    limit: int = Field(50, ge=1, le=200)


class PurchasingPriceChangePageOut(Schema):
    items: list[PurchasingPriceChangeOut]
    next_cursor: str | None


class PurchasingDecisionIn(InputSchema):
    approve: bool
    note: str = Field("", max_length=500)


class PurchasingQuoteQuery(InputSchema):
    part: str = PartCode
    tier: TierValue = "standard"


class PurchasingQuoteOut(Schema):
    part: str
    tier: str
    base: Money
    base_rule: str | None
    discount_percent: Decimal
    discount_rule: str | None
    price: Money


# --- figures ---------------------------------------------------------------------------------


class PurchasingFiguresQuery(InputSchema):
    months: int = Field(12, ge=1, le=36)
    dead_days: int = Field(180, ge=1, le=3650)


class PurchasingTurnoverOut(Schema):
    period: str
    stock_class: str
    issued_cost: Money
    opening_value: Money
    closing_value: Money
    average_value: Money
    turnover: Decimal | None


class PurchasingPartCountOut(Schema):
    part: str
    part_name: str
    count: int


class PurchasingDeadStockOut(Schema):
    part: str
    part_name: str
    on_hand: Quantity
    value: Money
    last_issue: dt.datetime | None


class PurchasingFiguresOut(Schema):
    stock_value: dict[str, Money]
    turnover: list[PurchasingTurnoverOut]
    stock_outs: list[PurchasingPartCountOut]
    current_stock_outs: list[str]
    dead_stock: list[PurchasingDeadStockOut]


class PurchasingOpenOrderOut(Schema):
    part: str
    open_quantity: Quantity
