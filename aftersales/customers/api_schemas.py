"""Request and response shapes of the customers API.

Lengths mirror the model columns so an over-long value is refused as 422 instead of failing in
the database; choices are ``Literal`` so the OpenAPI schema lists them (the services check
them again for every other caller).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from aftersales.core.api import (
    MAX_ID,
    Cursor,
    EmailAddress,
    InputSchema,
    ObjectId,
    Version,
    omitted,
)

from .choices import CustomerKind, CustomerTier

Kind = Literal[tuple(CustomerKind.values)]
Tier = Literal[tuple(CustomerTier.values)]
Language = Literal["zh-hans", "en"]


Email = EmailAddress
Phone = Annotated[
    str,
    Field(
        max_length=40,
        pattern=r"^[0-9+()\-. ]*$",
        description="Any common form (138 1234 5678, +86-138…, 010-12345678); stored as E.164",
    ),
]


class ListQuery(InputSchema):
    q: str = Field("", max_length=100, description="Start of a name or company, or 4+ digits")
    cursor: Cursor = ""
    limit: int = Field(50, ge=1, le=200)


class AssetQuery(ListQuery):
    customer_id: int = omitted(ge=1, le=MAX_ID)


# --- customers ------------------------------------------------------------------------------


class ContactOut(Schema):
    id: int
    name: str
    phone: str = Field(description="Masked (138****5678) unless the caller may see it whole")
    phone_masked: bool
    email: str = Field(description="Masked (z***@example.cn) like the phone")
    is_primary: bool
    version: int


class AddressOut(Schema):
    id: int
    label: str
    province: str
    city: str
    district: str
    street: str = Field(description="Masked (张江****) unless the caller may see it whole")
    is_default: bool
    geo_precision: str = Field(
        description="point, street, district, city, province, or empty when not located"
    )
    geo_source: str = Field(description="manual, online, offline, or empty")
    version: int


class CustomerOut(Schema):
    id: int
    kind: Kind
    name: str
    company_name: str
    tier: Tier
    email: str
    preferred_language: str
    phone: str = Field(description="The primary contact's phone, masked by role")
    has_portal_account: bool
    created_at: dt.datetime
    version: int


class CustomerDetailOut(CustomerOut):
    notes: str
    consent_marketing: bool
    consent_recorded_at: dt.datetime | None
    updated_at: dt.datetime
    contacts: list[ContactOut]
    addresses: list[AddressOut]


class CustomerPageOut(Schema):
    items: list[CustomerOut]
    next_cursor: str | None


class CustomerIn(InputSchema):
    name: str = Field(min_length=1, max_length=100)
    phone: Phone = ""
    kind: Kind = CustomerKind.INDIVIDUAL.value
    company_name: str = Field("", max_length=200)
    email: Email = ""
    tier: Tier = CustomerTier.STANDARD.value
    preferred_language: Language = "zh-hans"


class CustomerPatch(InputSchema):
    model_config = ConfigDict(extra="forbid")

    version: Version
    name: str = omitted(min_length=1, max_length=100)
    company_name: str = omitted(max_length=200)
    email: Email = omitted()
    tier: Tier = omitted()
    kind: Kind = omitted()
    preferred_language: Language = omitted()
    notes: str = omitted(max_length=5000)


class ContactPatch(InputSchema):
    """Change a contact: the fields sent, with the version the caller saw."""

    model_config = ConfigDict(extra="forbid")

    version: Version
    name: str = omitted(max_length=100)
    phone: Phone = omitted(min_length=1)
    email: Email = omitted()
    is_primary: bool = omitted()


class AddressPatch(InputSchema):
    """Change an address: the fields sent, with the version the caller saw."""

    model_config = ConfigDict(extra="forbid")

    version: Version
    label: str = omitted(max_length=50)
    province: str = omitted(max_length=50)
    city: str = omitted(max_length=50)
    district: str = omitted(max_length=50)
    street: str = omitted(min_length=1, max_length=300)
    is_default: bool = omitted()


class ContactIn(InputSchema):
    name: str = Field("", max_length=100)
    phone: Annotated[Phone, Field(min_length=1)]
    email: Email = ""
    is_primary: bool = False


class AddressIn(InputSchema):
    street: str = Field(min_length=1, max_length=300)
    province: str = Field("", max_length=50)
    city: str = Field("", max_length=50)
    district: str = Field("", max_length=50)
    label: str = Field("", max_length=50)
    is_default: bool = False
    latitude: Decimal | None = Field(
        None, ge=-90, le=90, description="A point typed by staff (GCJ-02, as AMap shows it)"
    )
    longitude: Decimal | None = Field(None, ge=-180, le=180)


class RevealIn(InputSchema):
    reason: str = Field("", max_length=500, description="Why the full number is needed")


class RevealOut(Schema):
    contact_id: int
    phone: str


# --- products and assets --------------------------------------------------------------------


class ProductModelOut(Schema):
    id: int
    code: str
    name: str
    brand: str
    product_line: str
    is_vehicle: bool
    warranty_months: int
    main_parts_warranty_months: int
    warranty_km: int | None


class ProductModelPageOut(Schema):
    items: list[ProductModelOut]
    next_cursor: str | None


class ProductModelRefOut(Schema):
    id: int
    code: str
    name: str


class AssetOut(Schema):
    id: int
    customer_id: int
    customer_name: str
    product_model: ProductModelRefOut
    serial_number: str
    vin: str
    plate_number: str
    purchase_date: dt.date | None
    invoice_number: str
    warranty_end: dt.date | None
    main_parts_warranty_end: dt.date | None
    in_warranty: bool | None
    version: int
    created_at: dt.datetime


class AssetPageOut(Schema):
    items: list[AssetOut]
    next_cursor: str | None


class AssetIn(InputSchema):
    customer_id: ObjectId
    product_model: str = Field(min_length=1, max_length=60, description="Product model code")
    serial_number: str = Field("", max_length=60)
    vin: str = Field("", max_length=17)
    plate_number: str = Field("", max_length=16)
    purchase_date: dt.date | None = None
    invoice_number: str = Field("", max_length=40)


class AssetPatch(InputSchema):
    model_config = ConfigDict(extra="forbid")

    version: Version
    serial_number: str = omitted(max_length=60)
    vin: str = omitted(max_length=17)
    plate_number: str = omitted(max_length=16)
    purchase_date: dt.date | None = omitted()
    invoice_number: str = omitted(max_length=40)
