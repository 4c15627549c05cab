"""The extra fields each case type carries on top of the shared core (R1.1, R1.3).

Each type has a Pydantic model; :func:`validate_extra` checks a case's ``extra`` against it so
that the HTML forms, the API and the demo loader all obey one definition.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.utils.translation import gettext as _
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidatorFunctionWrapHandler,
    field_validator,
)
from pydantic_core import PydanticCustomError

from aftersales.core.api import number_problem
from aftersales.core.errors import InvalidInput

from .choices import CaseType


class _Extra(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="wrap")
    @classmethod
    def _strict_numbers(cls, raw: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        """The API's rule for every body (``core.api.number_problem``): ``1`` is not ``true``,
        ``true`` is not a mileage."""
        value = handler(raw)
        problem = number_problem(raw, value)
        if problem:
            raise PydanticCustomError("invalid_number", problem)
        return value


class ConsultationExtra(_Extra):
    topic: str = Field(default="", max_length=100)


class RepairExtra(_Extra):
    fault_symptom: str = Field(default="", max_length=500)
    preferred_visit: str = Field(default="", max_length=100)
    on_site: bool = True
    service_address: str = Field(default="", max_length=300)


class ComplaintExtra(_Extra):
    complaint_about: Literal["product", "service", "staff", "delivery", "price", "other"] = "other"
    demand: Literal[
        "repair", "exchange", "refund", "compensation", "apology", "explanation", "other"
    ] = "other"
    incident_date: dt.date | None = None
    repeat: bool = False


class ReturnExchangeExtra(_Extra):
    request: Literal["return", "exchange"] = "return"
    order_number: str = Field(default="", max_length=60)
    received_date: dt.date | None = None
    reason: str = Field(default="", max_length=500)
    goods_intact: bool | None = None


class WarrantyClaimExtra(_Extra):
    failure_date: dt.date | None = None
    mileage_km: int | None = Field(default=None, ge=0, le=2_000_000)
    invoice_number: str = Field(default="", max_length=60)


class ProposalExtra(_Extra):
    proposal_category: Literal[
        "shopping_environment",
        "product_quality",
        "design_packaging",
        "new_technology",
        "new_materials",
        "logistics_channels",
        "after_sales_service",
        "other",
    ] = "other"


class DeliveryIssueExtra(_Extra):
    order_number: str = Field(default="", max_length=60)
    promised_date: dt.date | None = None


EXTRA_SCHEMAS: dict[str, type[_Extra]] = {
    CaseType.CONSULTATION: ConsultationExtra,
    CaseType.REPAIR: RepairExtra,
    CaseType.COMPLAINT: ComplaintExtra,
    CaseType.RETURN_EXCHANGE: ReturnExchangeExtra,
    CaseType.WARRANTY_CLAIM: WarrantyClaimExtra,
    CaseType.PROPOSAL: ProposalExtra,
    CaseType.DELIVERY_ISSUE: DeliveryIssueExtra,
}


def validate_extra(case_type: str, extra: dict[str, Any] | None) -> dict[str, Any]:
    """Return the cleaned extra fields for ``case_type`` or raise :class:`InvalidInput`."""
    schema = EXTRA_SCHEMAS[case_type]
    try:
        model = schema.model_validate(extra or {})
    except ValidationError as exc:
        errors = [
            {"field": ".".join(str(p) for p in err["loc"]), "error": err["msg"]}
            for err in exc.errors()
        ]
        raise InvalidInput(
            _("The details for this type of case are not valid."),
            code="invalid_extra",
            detail=errors,
        ) from exc
    return model.model_dump(mode="json")
