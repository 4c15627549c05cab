"""Request and response shapes of the cases API.

Choices are ``Literal`` so the OpenAPI schema lists them; the services check them again for
every other caller. String lengths mirror the model columns.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, Union

from ninja import Field, Schema
from pydantic import ConfigDict

from aftersales.core.api import MAX_ID, Cursor, InputSchema, ObjectId, Version, omitted

from .choices import CaseType, Channel, EventKind, Priority, Severity, Status
from .filters import SORTS, STATE_CHOICES
from .schemas import EXTRA_SCHEMAS

CaseTypeValue = Literal[tuple(CaseType.values)]
ChannelValue = Literal[tuple(Channel.values)]
PriorityValue = Literal[tuple(Priority.values)]
SeverityValue = Literal[tuple(Severity.values)]
StatusValue = Literal[tuple(Status.values)]
EventKindValue = Literal[tuple(EventKind.values)]
SortValue = Literal[tuple(SORTS)]
StateValue = Literal[tuple(v for v, _label in STATE_CHOICES)]

# The per-type detail models; the service checks ``extra`` against the one of the case's type.
ExtraIn = Union[tuple(EXTRA_SCHEMAS.values())]  # noqa: UP007

CASE_NUMBER_PATTERN = r"^[A-Za-z0-9-]{1,20}$"


class CaseQuery(InputSchema):
    """The agent queue's filter (:class:`aftersales.cases.filters.CaseFilterForm`) as query
    parameters; repeat a list parameter to give several values."""

    case_type: list[CaseTypeValue] = Field(default_factory=list, max_length=len(CaseType))
    status: list[StatusValue] = Field(default_factory=list, max_length=len(Status))
    state: StateValue = omitted()
    priority: list[PriorityValue] = Field(default_factory=list, max_length=len(Priority))
    channel: list[ChannelValue] = Field(default_factory=list, max_length=len(Channel))
    team: str = Field("", max_length=40, pattern=r"^[-a-zA-Z0-9_]*$", description="Team code")
    assignee: str = Field("", max_length=150, description="“me”, “none” or a user name")
    customer: int = omitted(ge=1, le=MAX_ID, description="Customer id")
    q: str = Field("", max_length=50, description="Case number or part of the title")
    created: str = Field(
        "",
        max_length=22,
        pattern=r"^(\d{4}-\d{2}-\d{2}\.\.\d{4}-\d{2}-\d{2})?$",
        description="Created from..to (local dates), e.g. 2026-03-01..2026-03-31",
    )
    sla: str = Field(
        "",
        max_length=30,
        pattern=r"^((met|breached)(:[a-z_]{1,20})?)?$",
        description="Cases with an SLA target met or breached, e.g. breached:first_response",
    )
    sort: SortValue = omitted()
    cursor: Cursor = ""
    limit: int = Field(50, ge=1, le=200)


# --- out -------------------------------------------------------------------------------------


class CaseCustomerOut(Schema):
    id: int
    name: str


class CaseContactOut(Schema):
    id: int
    name: str
    phone: str = Field(description="Masked (138****5678) unless the caller may see it whole")


class CaseAssetOut(Schema):
    id: int
    product_model: str
    product_model_name: str
    serial_number: str
    vin: str
    purchase_date: dt.date | None
    warranty_end: dt.date | None
    main_parts_warranty_end: dt.date | None
    in_warranty: bool | None


class CaseListItemOut(Schema):
    number: str
    case_type: CaseTypeValue
    channel: ChannelValue
    status: StatusValue
    status_label: str
    priority: PriorityValue
    severity: SeverityValue
    title: str
    category: str | None = Field(description="Category code")
    customer: CaseCustomerOut
    asset_id: int | None
    team: str | None = Field(description="Team code; hidden from customers")
    assignee: str | None = Field(description="User name; hidden from customers")
    created_at: dt.datetime
    updated_at: dt.datetime
    status_changed_at: dt.datetime | None
    version: int


class CaseOut(CaseListItemOut):
    description: str
    customer_demand: str
    extra: dict[str, Any]
    contact: CaseContactOut | None
    asset: CaseAssetOut | None
    is_open: bool
    first_response_at: dt.datetime | None
    resolved_at: dt.datetime | None
    closed_at: dt.datetime | None
    resolution: str
    customer_rating: int | None
    customer_feedback: str
    rated_at: dt.datetime | None
    rating_channel: str = Field(
        description="portal: the customer rated in the portal or API; phone: staff recorded it"
    )


class CasePageOut(Schema):
    items: list[CaseListItemOut]
    next_cursor: str | None
    count: int | None = Field(
        None,
        description="How many cases match the filters; given on the first page (no cursor) "
        "only. Exact up to 1,000, an estimate above (see count_estimated).",
    )
    count_estimated: bool = Field(
        False, description="True when count is an estimate (lists over 1,000 cases)."
    )


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    is_public: bool
    created_at: dt.datetime
    url: str


class EventOut(Schema):
    id: int
    kind: EventKindValue
    kind_label: str
    actor: str | None
    created_at: dt.datetime
    is_public: bool
    body: str
    data: dict[str, Any]
    attachments: list[AttachmentOut]


class StepOut(Schema):
    to_status: StatusValue
    label: str
    reason_required: bool


class TransitionsOut(Schema):
    status: StatusValue
    version: int
    steps: list[StepOut]


# --- in --------------------------------------------------------------------------------------


class CaseIn(InputSchema):
    customer_id: ObjectId | None = Field(
        None, description="Required for staff; customers always create for themselves"
    )
    case_type: CaseTypeValue
    channel: ChannelValue | None = Field(
        None, description="Staff only; defaults to api for API keys, hotline otherwise"
    )
    title: str = Field("", max_length=200)
    description: str = Field("", max_length=20000)
    customer_demand: str = Field("", max_length=500)
    priority: PriorityValue = Priority.NORMAL.value
    severity: SeverityValue = Severity.GENERAL.value
    category: str | None = Field(None, max_length=60, description="Category code")
    asset_id: ObjectId | None = None
    contact_id: ObjectId | None = None
    team: str | None = Field(None, max_length=40, description="Team code (staff only)")
    assignee: str | None = Field(None, max_length=150, description="User name (staff only)")
    extra: ExtraIn = Field(
        default_factory=dict,
        description="The fields of the case's type: ConsultationExtra for consultation, "
        "RepairExtra for repair_request, and so on",
    )


class CasePatch(InputSchema):
    model_config = ConfigDict(extra="forbid")

    version: Version
    title: str = omitted(min_length=1, max_length=200)
    description: str = omitted(max_length=20000)
    customer_demand: str = omitted(max_length=500)
    resolution: str = omitted(max_length=5000, description="Service provided and result")
    priority: PriorityValue = omitted()
    severity: SeverityValue = omitted()
    channel: ChannelValue = omitted()
    category: str | None = omitted(max_length=60, description="Category code; null clears it")
    asset_id: ObjectId | None = omitted(description="null clears it")
    extra: ExtraIn = omitted(description="The fields of the case's type; replaces them all")


class RatingIn(InputSchema):
    rating: int = Field(ge=1, le=5, description="5 very satisfied … 1 very dissatisfied")
    feedback: str = Field("", max_length=2000)


class MessageIn(InputSchema):
    body: str = Field(min_length=1, max_length=20000)


class TransitionIn(InputSchema):
    to_status: StatusValue
    reason: str = Field("", max_length=500)
    version: Version


class AssignmentIn(InputSchema):
    team: str | None = Field(None, max_length=40, description="Team code; null clears it")
    assignee: str | None = Field(None, max_length=150, description="User name; null clears it")
    version: Version
