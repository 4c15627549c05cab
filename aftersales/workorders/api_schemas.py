"""Request and response shapes of the work-order API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Schema
from pydantic import Field

from aftersales.core.api import Cursor, InputSchema, ObjectId, Version

from .choices import CertificateType, PauseReason, Status, Urgency

NUMBER_PATTERN = r"^WO-\d{4}-\d{6,}$"
StatusValue = Literal[tuple(Status.values)]  # type: ignore[valid-type]
UrgencyValue = Literal[tuple(Urgency.values)]  # type: ignore[valid-type]
CertificateValue = Literal[tuple(CertificateType.values)]  # type: ignore[valid-type]
PauseValue = Literal[tuple(PauseReason.values)]  # type: ignore[valid-type]


class WorkOrderPersonOut(Schema):
    id: int
    name: str


class WorkOrderCustomerRef(Schema):
    id: int
    name: str


class WorkOrderItemOut(Schema):
    number: str
    status: str
    status_label: str
    case: str
    customer: WorkOrderCustomerRef
    address: str
    urgency: str
    repair_at: dt.datetime | None
    technician: WorkOrderPersonOut | None
    version: int


class WorkOrderPageOut(Schema):
    items: list[WorkOrderItemOut]
    next_cursor: str | None


class WorkOrderLineOut(Schema):
    id: int
    kind: str
    description: str
    part_code: str
    specification: str
    batch: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    covered: bool
    charged: Decimal


class WorkOrderVisitOut(Schema):
    id: int
    technician: WorkOrderPersonOut | None
    planned_start: dt.datetime
    planned_end: dt.datetime
    check_in_at: dt.datetime | None
    check_out_at: dt.datetime | None
    confirmed_conflicts: list[str]


class WorkOrderPhotoOut(Schema):
    id: int
    kind: str
    url: str


class WorkOrderProductOut(Schema):
    model: str
    name: str
    serial_number: str
    purchase_date: dt.date | None
    warranty_end: dt.date | None
    main_parts_warranty_end: dt.date | None


class WorkOrderOut(WorkOrderItemOut):
    request: str
    contact_name: str
    contact_phone: str = Field(description="Masked unless your role may see the whole number")
    latitude: Decimal | None
    longitude: Decimal | None
    service_center: str | None
    inspection_at: dt.datetime | None
    required_skills: list[str]
    required_certificate: str | None
    pause_reason: str | None
    pause_reason_label: str | None
    status_note: str
    product: WorkOrderProductOut | None
    warranty: dict[str, bool]
    findings: str
    fault_cause: str
    repair_details: str
    result: str
    labour_minutes: int
    lines: list[WorkOrderLineOut]
    totals: dict[str, Decimal]
    visits: list[WorkOrderVisitOut]
    photos: list[WorkOrderPhotoOut]
    signed: bool
    signer_name: str
    signed_at: dt.datetime | None
    customer_rating: int | None
    completed_at: dt.datetime | None
    review_state: str | None
    review_comment: str
    allowed: list[str] = Field(description="Statuses you may move the order to now")
    report_url: str | None


class WorkOrderQuery(InputSchema):
    status: StatusValue | None = None
    technician: ObjectId | None = None
    unassigned: bool = False
    cursor: Cursor = ""
    limit: int = Field(50, ge=1, le=200)


class WorkOrderIn(InputSchema):
    case: str = Field(..., max_length=20, pattern=r"^SC-\d{4}-\d{6,}$")
    request: str = Field("", max_length=5000)
    contact_name: str = Field("", max_length=100)
    contact_phone: str = Field("", max_length=30)
    address: str = Field("", max_length=300)
    latitude: Decimal | None = Field(None, ge=-90, le=90, max_digits=9, decimal_places=6)
    longitude: Decimal | None = Field(None, ge=-180, le=180, max_digits=9, decimal_places=6)
    inspection_at: dt.datetime | None = None
    repair_at: dt.datetime | None = None
    urgency: UrgencyValue = Urgency.NORMAL.value
    required_skills: list[str] = Field(default_factory=list, max_length=20)
    required_certificate: CertificateValue | None = None


class DirectWorkOrderIn(WorkOrderIn):
    case: str | None = None  # type: ignore[assignment]
    customer_id: ObjectId
    title: str = Field(..., min_length=1, max_length=200)
    asset_id: ObjectId | None = None


class WorkOrderPatch(InputSchema):
    version: Version
    request: str | None = Field(None, max_length=5000)
    address: str | None = Field(None, max_length=300)
    inspection_at: dt.datetime | None = None
    repair_at: dt.datetime | None = None
    urgency: UrgencyValue | None = None
    required_skills: list[str] | None = Field(None, max_length=20)
    required_certificate: CertificateValue | Literal[""] | None = None


class WorkOrderAssignIn(InputSchema):
    technician: ObjectId
    start: dt.datetime
    end: dt.datetime
    version: Version
    confirm: bool = Field(False, description="Book despite the conflicts listed in a 409")


class TechnicianSuggestionOut(Schema):
    technician: WorkOrderPersonOut
    score: float
    eligible: bool
    reasons: list[str]
    conflicts: list[str]
    distance_km: float | None = Field(
        description="Straight-line km from the technician's last job that day or service center"
    )
    distance_approximate: bool = Field(
        False, description="The order or the origin is located only to a district or city centroid"
    )
    out_of_reach: bool = Field(False, description="Farther than 100 km: listed after the others")
    load: int


class WorkOrderStepIn(InputSchema):
    action: Literal[
        "accept", "depart", "check_in", "start", "check_out", "reject", "cancel", "close"
    ]
    reason: str = Field("", max_length=500)


class WorkOrderPauseIn(InputSchema):
    reason: PauseValue
    note: str = Field("", max_length=400)


class WorkOrderRecordIn(InputSchema):
    findings: str | None = Field(None, max_length=5000)
    fault_cause: str | None = Field(None, max_length=5000)
    repair_details: str | None = Field(None, max_length=5000)
    result: str | None = Field(None, max_length=5000)
    labour_minutes: int | None = Field(None, ge=0, le=1440)


class WorkOrderPartIn(InputSchema):
    part_code: str = Field(..., min_length=1, max_length=40)
    quantity: Decimal = Field(..., gt=0, le=1000, max_digits=10, decimal_places=2)
    batch: str = Field("", max_length=40)
    is_main_component: bool = False


class WorkOrderCompleteIn(InputSchema):
    rating: int | None = Field(None, ge=1, le=5, description="The customer's rating on the spot")
    comment: str = Field("", max_length=500)


class WorkOrderReviewIn(InputSchema):
    approve: bool
    comment: str = Field("", max_length=2000)
    version: Version | None = None


class DispatchLaneVisitOut(Schema):
    id: int
    number: str
    status: str
    customer: str
    address: str
    planned_start: dt.datetime
    planned_end: dt.datetime
    double_booked: bool


class DispatchLaneOut(Schema):
    technician: WorkOrderPersonOut
    load: int
    visits: list[DispatchLaneVisitOut]


class DispatchBoardOut(Schema):
    day: dt.date
    week: bool
    unassigned_count: int
    unassigned: list[WorkOrderItemOut]
    lanes: list[DispatchLaneOut]


class WorkOrderFollowUpOut(Schema):
    id: int
    work_order: str
    customer: str
    technician: str | None
    due_at: dt.datetime
    state: str
    attempts: int
    reached: bool | None
    scores: dict[str, int]
    comments: str
    complaint_case: str | None
    version: int


class WorkOrderFollowUpIn(InputSchema):
    reached: bool
    scores: dict[str, int] = Field(default_factory=dict, description="The ten items, 1–5")
    comments: str = Field("", max_length=2000)
    version: Version | None = None


class WorkOrderFollowUpRateOut(Schema):
    completed: int
    done: int
    rate: Decimal | None
    target: Decimal
    meets_target: bool


class TechnicianCertificateIn(InputSchema):
    cert_type: CertificateValue
    level: str = Field("", max_length=40)
    number: str = Field("", max_length=60)
    issued_on: dt.date
    expires_on: dt.date


class TechnicianCertificateOut(Schema):
    id: int
    holder: WorkOrderPersonOut
    cert_type: str
    cert_type_label: str
    level: str
    number: str
    issued_on: dt.date
    expires_on: dt.date


class TechnicianSkillIn(InputSchema):
    skill: str = Field(..., max_length=40)
    level: int = Field(1, ge=1, le=5)


class NearestCenterOut(Schema):
    center: str | None
    center_name: str | None
    distance_km: float | None
