"""Which status changes each case type allows, and who may make them (style rule 3).

The table is the single choke point: :func:`aftersales.cases.services.case_transition` refuses
anything not listed here, whoever asks. ``by`` says whether staff, the customer, or the system
(a side effect of another action, such as a customer reply) may take the step.
"""

from __future__ import annotations

from dataclasses import dataclass

from .choices import CaseType, Status

STAFF = "staff"
CUSTOMER = "customer"
SYSTEM = "system"


@dataclass(frozen=True)
class Step:
    to: Status
    by: frozenset[str] = frozenset({STAFF})
    reason_required: bool = False


def _s(to: Status, *by: str, reason: bool = False) -> Step:
    return Step(to=to, by=frozenset(by or (STAFF,)), reason_required=reason)


_S = Status

# The shared core: consultation, repair request and delivery issue follow it as it is.
_GENERAL: dict[Status, list[Step]] = {
    _S.NEW: [
        _s(_S.ACCEPTED),
        _s(_S.IN_PROGRESS),
        _s(_S.CANCELLED, STAFF, CUSTOMER, reason=True),
    ],
    _S.ACCEPTED: [
        _s(_S.IN_PROGRESS),
        _s(_S.WAITING_CUSTOMER),
        _s(_S.RESOLVED),
        _s(_S.CANCELLED, STAFF, CUSTOMER, reason=True),
    ],
    _S.IN_PROGRESS: [
        _s(_S.WAITING_CUSTOMER),
        _s(_S.WAITING_THIRD_PARTY),
        _s(_S.RESOLVED),
        _s(_S.CANCELLED, reason=True),
    ],
    _S.WAITING_CUSTOMER: [
        _s(_S.IN_PROGRESS, STAFF, SYSTEM),
        _s(_S.RESOLVED),
        _s(_S.CANCELLED, STAFF, CUSTOMER, reason=True),
    ],
    _S.WAITING_THIRD_PARTY: [_s(_S.IN_PROGRESS), _s(_S.RESOLVED)],
    # The customer confirms the result, or says it is not solved and the case reopens.
    _S.RESOLVED: [
        _s(_S.CLOSED, STAFF, CUSTOMER),
        _s(_S.IN_PROGRESS, STAFF, CUSTOMER, reason=True),
    ],
    _S.CLOSED: [_s(_S.IN_PROGRESS, STAFF, reason=True)],
    _S.CANCELLED: [],
}

_COMPLAINT: dict[Status, list[Step]] = {
    _S.NEW: [_s(_S.VERIFYING), _s(_S.CANCELLED, STAFF, CUSTOMER, reason=True)],
    _S.VERIFYING: [
        _s(_S.IN_PROGRESS),
        _s(_S.WAITING_CUSTOMER),
        _s(_S.REJECTED, reason=True),
    ],
    _S.IN_PROGRESS: [
        _s(_S.WAITING_CUSTOMER),
        _s(_S.WAITING_THIRD_PARTY),
        _s(_S.RESOLVED),
    ],
    _S.WAITING_CUSTOMER: [
        _s(_S.VERIFYING, STAFF, SYSTEM),
        _s(_S.IN_PROGRESS, STAFF, SYSTEM),
        _s(_S.CANCELLED, STAFF, CUSTOMER, reason=True),
    ],
    _S.WAITING_THIRD_PARTY: [_s(_S.IN_PROGRESS), _s(_S.RESOLVED)],
    _S.REJECTED: [_s(_S.CLOSED), _s(_S.VERIFYING, STAFF, CUSTOMER, reason=True)],
    _S.RESOLVED: [
        _s(_S.CLOSED, STAFF, CUSTOMER),
        _s(_S.IN_PROGRESS, STAFF, CUSTOMER, reason=True),
    ],
    _S.CLOSED: [_s(_S.IN_PROGRESS, STAFF, reason=True)],
    _S.CANCELLED: [],
}

# Returns, exchanges and warranty claims are decided (approved or rejected) before work starts.
_DECIDED: dict[Status, list[Step]] = {
    _S.NEW: [
        _s(_S.ACCEPTED),
        _s(_S.REJECTED, reason=True),
        _s(_S.CANCELLED, STAFF, CUSTOMER, reason=True),
    ],
    _S.ACCEPTED: [
        _s(_S.APPROVED),
        _s(_S.REJECTED, reason=True),
        _s(_S.WAITING_CUSTOMER),
    ],
    _S.WAITING_CUSTOMER: [
        _s(_S.ACCEPTED, STAFF, SYSTEM),
        _s(_S.CANCELLED, STAFF, CUSTOMER, reason=True),
    ],
    _S.APPROVED: [_s(_S.IN_PROGRESS), _s(_S.RESOLVED)],
    _S.IN_PROGRESS: [_s(_S.WAITING_THIRD_PARTY), _s(_S.RESOLVED)],
    _S.WAITING_THIRD_PARTY: [_s(_S.IN_PROGRESS), _s(_S.RESOLVED)],
    _S.REJECTED: [_s(_S.CLOSED), _s(_S.ACCEPTED, STAFF, reason=True)],
    _S.RESOLVED: [
        _s(_S.CLOSED, STAFF, CUSTOMER),
        _s(_S.IN_PROGRESS, STAFF, CUSTOMER, reason=True),
    ],
    _S.CLOSED: [_s(_S.IN_PROGRESS, STAFF, reason=True)],
    _S.CANCELLED: [],
}

# Proposals (R6.3): studied, then adopted, rejected or held; adopted ones are implemented.
_PROPOSAL: dict[Status, list[Step]] = {
    _S.NEW: [_s(_S.ACCEPTED), _s(_S.CANCELLED, STAFF, CUSTOMER, reason=True)],
    _S.ACCEPTED: [_s(_S.IN_PROGRESS)],
    _S.IN_PROGRESS: [
        _s(_S.ADOPTED),
        _s(_S.REJECTED, reason=True),
        _s(_S.HELD, reason=True),
    ],
    _S.HELD: [_s(_S.ADOPTED), _s(_S.REJECTED, reason=True)],
    _S.ADOPTED: [_s(_S.RESOLVED)],
    _S.REJECTED: [_s(_S.CLOSED)],
    _S.RESOLVED: [_s(_S.CLOSED, STAFF, CUSTOMER)],
    _S.CLOSED: [],
    _S.CANCELLED: [],
}

TABLE: dict[CaseType, dict[Status, list[Step]]] = {
    CaseType.CONSULTATION: _GENERAL,
    CaseType.REPAIR: _GENERAL,
    CaseType.DELIVERY_ISSUE: _GENERAL,
    CaseType.COMPLAINT: _COMPLAINT,
    CaseType.RETURN_EXCHANGE: _DECIDED,
    CaseType.WARRANTY_CLAIM: _DECIDED,
    CaseType.PROPOSAL: _PROPOSAL,
}


def initial_status(case_type: str) -> Status:
    return Status.NEW


def statuses_for(case_type: str) -> list[Status]:
    return list(TABLE[CaseType(case_type)].keys())


def find_step(case_type: str, current: str, to: str) -> Step | None:
    for step in TABLE[CaseType(case_type)].get(Status(current), []):
        if step.to == to:
            return step
    return None


def allowed_steps(case_type: str, current: str, by: str) -> list[Step]:
    """The steps ``by`` (staff, customer or system) may take from ``current``."""
    return [s for s in TABLE[CaseType(case_type)].get(Status(current), []) if by in s.by]
