"""Which status changes a work order allows, and who may make them (style rule 3).

:func:`aftersales.workorders.services.workorder_transition` is the single choke point: every
service that changes the status goes through it, and it refuses anything not listed here.
``by`` names the side allowed to take the step: the dispatcher (workshop or engineering
manager), the technician assigned to the order, the reviewing supervisor, or the system (a
side effect of another action such as a completion).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from aftersales.core.statemachine import Exit, StateMachine, Step, step_to

from .choices import FollowUpState, ReviewState, Status

DISPATCH = "dispatch"
TECH = "technician"
REVIEW = "review"
SYSTEM = "system"
CALLER = "caller"  # staff making the follow-up call
CUSTOMER = "customer"  # the customer answering the survey link
SIDES = (DISPATCH, TECH, REVIEW, SYSTEM, CALLER, CUSTOMER)

__all__ = [
    "CALLER",
    "CUSTOMER",
    "DISPATCH",
    "FOLLOW_UPS",
    "MACHINE",
    "REVIEW",
    "REVIEWS",
    "SIDES",
    "SYSTEM",
    "TABLE",
    "TECH",
    "Step",
    "allowed_steps",
    "find_step",
]


def _s(to: Status, *by: str, reason: bool = False) -> Exit[Status]:
    return step_to(to, *by, reason=reason)


_S = Status

_TABLE: dict[Status, list[Exit[Status]]] = {
    _S.NEW: [
        _s(_S.SCHEDULED, DISPATCH),
        _s(_S.DISPATCHED, DISPATCH),
        _s(_S.CANCELLED, DISPATCH, reason=True),
        _s(_S.REJECTED, DISPATCH, reason=True),
    ],
    _S.SCHEDULED: [
        _s(_S.DISPATCHED, DISPATCH),
        _s(_S.CANCELLED, DISPATCH, reason=True),
        _s(_S.REJECTED, DISPATCH, reason=True),
    ],
    # Reassigning a dispatched or accepted order keeps it dispatched for the new technician.
    _S.DISPATCHED: [
        _s(_S.DISPATCHED, DISPATCH),
        _s(_S.ACCEPTED, TECH),
        _s(_S.REJECTED, TECH, DISPATCH, reason=True),
        _s(_S.CANCELLED, DISPATCH, reason=True),
    ],
    _S.ACCEPTED: [
        _s(_S.DISPATCHED, DISPATCH),
        _s(_S.ON_THE_WAY, TECH),
        _s(_S.ON_SITE, TECH),
        _s(_S.CANCELLED, DISPATCH, reason=True),
    ],
    _S.ON_THE_WAY: [
        _s(_S.ON_SITE, TECH),
        _s(_S.PAUSED, TECH, reason=True),
        _s(_S.CANCELLED, DISPATCH, reason=True),
    ],
    _S.ON_SITE: [
        _s(_S.IN_PROGRESS, TECH),
        _s(_S.PAUSED, TECH, reason=True),
    ],
    _S.IN_PROGRESS: [
        _s(_S.PAUSED, TECH, reason=True),
        _s(_S.COMPLETED, TECH),
    ],
    # Waiting for parts, customer absent or a second visit: the next check-in resumes; the
    # dispatcher may plan the next visit for another technician.
    _S.PAUSED: [
        _s(_S.IN_PROGRESS, TECH),
        _s(_S.ON_SITE, TECH),
        _s(_S.DISPATCHED, DISPATCH),
        _s(_S.CANCELLED, DISPATCH, reason=True),
    ],
    # Completion carries the customer's signature, so the order is signed off at once.
    _S.COMPLETED: [_s(_S.SIGNED_OFF, SYSTEM)],
    _S.SIGNED_OFF: [_s(_S.REVIEWED, REVIEW)],
    _S.REVIEWED: [_s(_S.CLOSED, DISPATCH, REVIEW, SYSTEM)],
    _S.CLOSED: [],
    _S.CANCELLED: [],
    _S.REJECTED: [
        _s(_S.SCHEDULED, DISPATCH),
        _s(_S.DISPATCHED, DISPATCH),
        _s(_S.CANCELLED, DISPATCH, reason=True),
    ],
}


MACHINE: StateMachine[Status] = StateMachine(
    name="workorder",
    field="workorders.WorkOrder.status",
    states=Status,
    initial=Status.NEW,
    table=_TABLE,
    refusal=_("A work order in status “%(from)s” cannot move to “%(to)s”."),
)

TABLE: dict[Status, list[Step[Status]]] = MACHINE.table


def find_step(current: str, to: str) -> Step[Status] | None:
    return MACHINE.find_step(Status(current), to)


def allowed_steps(current: str, sides: set[str]) -> list[Step[Status]]:
    return MACHINE.allowed_steps(Status(current), sides)


# The supervisor's review of the repair report (R3.4). Signing the order off opens the review
# (the initial state); the supervisor approves it or returns it with comments, the technician
# sends a returned report back, and a returned report may be returned again or approved as it is.
REVIEWS: StateMachine[ReviewState] = StateMachine(
    name="workorder.review",
    field="workorders.WorkOrder.review_state",
    states=ReviewState,
    initial=ReviewState.PENDING,
    table={
        ReviewState.PENDING: [
            step_to(ReviewState.APPROVED, REVIEW),
            step_to(ReviewState.RETURNED, REVIEW),
        ],
        ReviewState.RETURNED: [
            step_to(ReviewState.PENDING, TECH),
            step_to(ReviewState.RETURNED, REVIEW),
            step_to(ReviewState.APPROVED, REVIEW),
        ],
        ReviewState.APPROVED: [],
    },
)

# The follow-up call after a completed order (R3.5, R7.2): each unanswered call is one more
# attempt, after the last one a survey link goes out; a reached call or the customer's answer
# to the survey finishes it.
FOLLOW_UPS: StateMachine[FollowUpState] = StateMachine(
    name="workorder.follow_up",
    field="workorders.FollowUp.state",
    states=FollowUpState,
    initial=FollowUpState.DUE,
    table={
        FollowUpState.DUE: [
            step_to(FollowUpState.DUE, CALLER),
            step_to(FollowUpState.SURVEY_SENT, CALLER),
            step_to(FollowUpState.DONE, CALLER, CUSTOMER),
        ],
        FollowUpState.SURVEY_SENT: [step_to(FollowUpState.DONE, CUSTOMER)],
        FollowUpState.DONE: [],
    },
)
