"""Request and response shapes of the parts API.

Quantities travel as decimal strings or numbers; the services check sign, places and whole
units, so every caller (API, screens, work orders, import) gets the same message.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from aftersales.core.api import MAX_ID, Cursor, InputSchema, ObjectId, Version, omitted

from .choices import AbcClass, LocationKind, MovementKind, ReservationStatus, StockClass, Unit
from .services import CODE_PATTERN

UnitValue = Literal[tuple(Unit.values)]
StockClassValue = Literal[tuple(StockClass.values)]
AbcValue = Literal[tuple(AbcClass.values)]
LocationKindValue = Literal[tuple(LocationKind.values)]
MovementKindValue = Literal[tuple(MovementKind.values)]
ReservationStatusValue = Literal[tuple(ReservationStatus.values)]

Code = Field(..., min_length=1, max_length=40, pattern=CODE_PATTERN)
Quantity = Field(..., description='A decimal number, e.g. 2 or "1.5"; whole for whole units')
Money = Field(..., ge=0, max_digits=12, decimal_places=2)


# --- catalog -------------------------------------------------------------------------------


class PartQuery(InputSchema):
    q: str = Field("", max_length=60, description="Part code, name, specification or model code")
    stock_class: StockClassValue = omitted()
    abc_class: AbcValue = omitted()
    active: bool = True
    cursor: Cursor = ""
    limit: int = Field(50, ge=1, le=200)


class PartIn(InputSchema):
    code: str = Code
    name: str = Field(..., min_length=1, max_length=150)
    specification: str = Field("", max_length=200)
    unit: UnitValue = Unit.PIECE
    whole_units: bool | None = Field(None, description="Defaults from the unit")
    stock_class: StockClassValue = StockClass.COMMON
    standard_cost: Decimal = Field(Decimal("0"), ge=0, max_digits=12, decimal_places=2)
    list_price: Decimal = Field(Decimal("0"), ge=0, max_digits=12, decimal_places=2)
    reorder_point: Decimal | None = Field(None, description="Defaults from the stock class")
    safety_stock: Decimal | None = Field(None, description="Defaults from the stock class")
    lead_time_days: int | None = Field(None, ge=0, le=3650)
    product_models: list[str] = Field(
        default_factory=list, max_length=200, description="Product model codes"
    )
    active: bool = True


class PartPatch(InputSchema):
    version: Version
    code: str = omitted(min_length=1, max_length=40, pattern=CODE_PATTERN)
    name: str = omitted(min_length=1, max_length=150)
    specification: str = omitted(max_length=200)
    unit: UnitValue = omitted()
    whole_units: bool = omitted()
    stock_class: StockClassValue = omitted()
    standard_cost: Decimal = omitted(ge=0, max_digits=12, decimal_places=2)
    list_price: Decimal = omitted(ge=0, max_digits=12, decimal_places=2)
    reorder_point: Decimal = omitted()
    safety_stock: Decimal = omitted()
    lead_time_days: int = omitted(ge=0, le=3650)
    product_models: list[str] = omitted(max_length=200)
    active: bool = omitted()


class PartOut(Schema):
    id: int
    code: str
    name: str
    specification: str
    unit: str
    whole_units: bool
    stock_class: str
    abc_class: str
    standard_cost: Decimal
    list_price: Decimal
    reorder_point: Decimal
    safety_stock: Decimal
    lead_time_days: int
    product_models: list[str]
    image_url: str | None
    active: bool
    on_hand: Decimal
    reserved: Decimal
    available: Decimal
    version: int


class PartPageOut(Schema):
    items: list[PartOut]
    next_cursor: str | None


# --- locations and stock -------------------------------------------------------------------


class LocationIn(InputSchema):
    code: str = Code
    name: str = Field(..., min_length=1, max_length=120)
    kind: LocationKindValue = LocationKind.WAREHOUSE
    parent: str | None = Field(None, max_length=40, description="Warehouse code, for a bin")
    technician: str | None = Field(None, max_length=150, description="User name, for a van")
    active: bool = True


class LocationPatch(InputSchema):
    name: str = omitted(min_length=1, max_length=120)
    active: bool = omitted()


class LocationOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    parent: str | None
    technician: str | None
    active: bool


class StockRowOut(Schema):
    part: str
    part_name: str
    location: str
    location_name: str
    on_hand: Decimal
    reserved: Decimal
    available: Decimal
    version: int


class PartStockOut(Schema):
    part: str
    on_hand: Decimal
    reserved: Decimal
    available: Decimal
    reorder_point: Decimal
    below_reorder_point: bool
    locations: list[StockRowOut]


# --- movements -----------------------------------------------------------------------------


class MoveBase(InputSchema):
    part: str = Code
    quantity: Decimal = Quantity


class ReceiveIn(MoveBase):
    location: str = Code
    unit_cost: Decimal = Money
    batch_lot: str | None = Field(None, min_length=1, max_length=60)
    reference: str = Field("", max_length=100)


class IssueIn(MoveBase):
    location: str = Code
    work_order: str | None = Field(None, max_length=20, description="Work order number")
    batch_lot: str | None = Field(None, min_length=1, max_length=60)
    reservation_id: int | None = Field(None, ge=1, le=MAX_ID)
    reason: str = Field("", max_length=300)


class ReturnIn(MoveBase):
    location: str = Code
    work_order: str | None = Field(None, max_length=20, description="Work order number")
    batch_lot: str | None = Field(None, min_length=1, max_length=60)
    reason: str = Field("", max_length=300)


class TransferIn(MoveBase):
    source: str = Code
    target: str = Code
    batch_lot: str | None = Field(None, min_length=1, max_length=60)
    reason: str = Field("", max_length=300)


class AdjustIn(InputSchema):
    part: str = Code
    location: str = Code
    quantity_delta: Decimal = Field(..., description="Signed change of on-hand stock")
    reason: str = Field(..., min_length=1, max_length=300)


class ScrapIn(MoveBase):
    location: str = Code
    batch_lot: str | None = Field(None, min_length=1, max_length=60)
    reason: str = Field(..., min_length=1, max_length=300)


class MovementOut(Schema):
    id: int
    kind: str
    part: str
    location: str
    quantity: Decimal
    reserved_delta: Decimal
    batch_lot: str | None
    work_order: str | None
    unit_cost: Decimal
    reason: str
    reference: str
    actor: str | None
    created_at: dt.datetime


class TransferOut(Schema):
    out: MovementOut
    into: MovementOut


class MovementQuery(InputSchema):
    part: str = omitted(max_length=40, pattern=CODE_PATTERN)
    location: str = omitted(max_length=40, pattern=CODE_PATTERN)
    kind: MovementKindValue = omitted()
    work_order: str = omitted(max_length=20)
    cursor: Cursor = ""
    limit: int = Field(50, ge=1, le=200)


class MovementPageOut(Schema):
    items: list[MovementOut]
    next_cursor: str | None


# --- reservations --------------------------------------------------------------------------


class ReservationIn(InputSchema):
    part: str = Code
    location: str = Code
    work_order: str = Field(..., min_length=1, max_length=20, description="Work order number")
    quantity: Decimal = Quantity


class ReservationReleaseIn(InputSchema):
    reason: str = Field("", max_length=300)


class ReservationQuery(InputSchema):
    part: str = omitted(max_length=40, pattern=CODE_PATTERN)
    work_order: str = omitted(max_length=20)
    status: ReservationStatusValue = omitted()
    cursor: Cursor = ""
    limit: int = Field(50, ge=1, le=200)


class ReservationOut(Schema):
    id: ObjectId
    part: str
    location: str
    work_order: str
    quantity: Decimal
    status: str
    created_at: dt.datetime
    closed_at: dt.datetime | None


class ReservationPageOut(Schema):
    items: list[ReservationOut]
    next_cursor: str | None


# --- replenishment -------------------------------------------------------------------------


class LowStockOut(Schema):
    part: str
    name: str
    on_hand: Decimal
    reserved: Decimal
    available: Decimal
    reorder_point: Decimal
    shortfall: Decimal


class PlanOut(Schema):
    part: str
    name: str
    consumed: Decimal
    daily: Decimal
    lead_time_days: int
    lead_time_demand: Decimal
    safety_stock: Decimal
    available: Decimal
    on_order: Decimal
    suggested: Decimal
    below_reorder_point: bool


class PlanQuery(InputSchema):
    days: int = Field(90, ge=7, le=730, description="Consumption window in days")
