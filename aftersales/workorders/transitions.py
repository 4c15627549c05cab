"""Which status changes a work order allows, and who may make them (style rule 3).

:func:`aftersales.workorders.services.workorder_transition` is the single choke point: every
service that changes the status goes through it, and it refuses anything not listed here.
``by`` names the side allowed to take the step: the dispatcher (workshop or engineering
manager), the technician assigned to the order, the reviewing supervisor, or the system (a
side effect of another action such as a completion).
"""

from __future__ import annotations

from dataclasses import dataclass

from .choices import Status

DISPATCH = "dispatch"
TECH = "technician"
REVIEW = "review"
SYSTEM = "system"


@dataclass(frozen=True)
class Step:
    to: Status
    by: frozenset[str]
    reason_required: bool = False


def _s(to: Status, *by: str, reason: bool = False) -> Step:
    return Step(to=to, by=frozenset(by), reason_required=reason)


_S = Status

TABLE: dict[Status, list[Step]] = {
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


def find_step(current: str, to: str) -> Step | None:
    for step in TABLE.get(Status(current), []):
        if step.to == to:
            return step
    return None


def allowed_steps(current: str, sides: set[str]) -> list[Step]:
    return [s for s in TABLE.get(Status(current), []) if s.by & sides]
