"""Which status changes each case type allows, and who may make them (style rule 3).

The tables are the single choke point: :func:`aftersales.cases.services.case_transition`
refuses anything not listed here, whoever asks. ``by`` says whether staff, the customer, or
the system (a side effect of another action, such as a customer reply) may take the step. Each
case type has its own :class:`~aftersales.core.statemachine.StateMachine` in :data:`MACHINES`.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from aftersales.core.statemachine import Exit, StateMachine, Step, step_to

from .choices import CaseType, Status

STAFF = "staff"
CUSTOMER = "customer"
SYSTEM = "system"
SIDES = (STAFF, CUSTOMER, SYSTEM)

__all__ = [
    "CUSTOMER",
    "MACHINES",
    "SIDES",
    "STAFF",
    "SYSTEM",
    "TABLE",
    "Step",
    "allowed_steps",
    "find_step",
    "initial_status",
    "machine_for",
    "statuses_for",
]


def _s(to: Status, *by: str, reason: bool = False) -> Exit[Status]:
    return step_to(to, *(by or (STAFF,)), reason=reason)


_S = Status

# The shared core: consultation, repair request and delivery issue follow it as it is.
_GENERAL: dict[Status, list[Exit[Status]]] = {
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

_COMPLAINT: dict[Status, list[Exit[Status]]] = {
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
_DECIDED: dict[Status, list[Exit[Status]]] = {
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
_PROPOSAL: dict[Status, list[Exit[Status]]] = {
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

_TABLES: dict[CaseType, dict[Status, list[Exit[Status]]]] = {
    CaseType.CONSULTATION: _GENERAL,
    CaseType.REPAIR: _GENERAL,
    CaseType.DELIVERY_ISSUE: _GENERAL,
    CaseType.COMPLAINT: _COMPLAINT,
    CaseType.RETURN_EXCHANGE: _DECIDED,
    CaseType.WARRANTY_CLAIM: _DECIDED,
    CaseType.PROPOSAL: _PROPOSAL,
}


def _machine(case_type: CaseType, table: dict[Status, list[Exit[Status]]]) -> StateMachine[Status]:
    return StateMachine(
        name=f"case:{case_type.value}",
        field="cases.Case.status",
        states=Status,
        initial=Status.NEW,
        table=table,
        complete=False,  # each type's flow uses some of the statuses
        final=[Status.CLOSED],  # a closed case may be reopened, yet its life has ended
        refusal=_("A case in status “%(from)s” cannot move to “%(to)s”."),
    )


MACHINES: dict[CaseType, StateMachine[Status]] = {
    ct: _machine(ct, table) for ct, table in _TABLES.items()
}

# The steps as ``{case type: {status: [Step, …]}}`` for readers that walk a whole table (the
# demo data).
TABLE: dict[CaseType, dict[Status, list[Step[Status]]]] = {
    ct: m.table for ct, m in MACHINES.items()
}


def machine_for(case_type: str) -> StateMachine[Status]:
    return MACHINES[CaseType(case_type)]


def initial_status(case_type: str) -> Status:
    return machine_for(case_type).initial[0]


def statuses_for(case_type: str) -> list[Status]:
    return list(machine_for(case_type).table)


def find_step(case_type: str, current: str, to: str) -> Step[Status] | None:
    return machine_for(case_type).find_step(Status(current), to)


def allowed_steps(case_type: str, current: str, by: str) -> list[Step[Status]]:
    """The steps ``by`` (staff, customer or system) may take from ``current``."""
    return machine_for(case_type).allowed_steps(Status(current), by)
