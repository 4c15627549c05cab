"""The supervisor's review of the repair report and corrections after it (R3.4)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.accounts.models import User
from aftersales.core.audit import audit_record, model_snapshot
from aftersales.core.errors import Conflict, InvalidInput, TransitionNotAllowed
from aftersales.core.versions import versioned_update

from ..choices import ReviewState, Status
from ..models import WorkOrder
from ..transitions import REVIEW, REVIEWS, TECH
from .base import ORDER_CHANGED, event_add, sides_of, workorder_transition


@transaction.atomic
def workorder_review(
    *,
    actor: User,
    order: WorkOrder,
    approve: bool,
    comment: str = "",
    expected_version: int | None = None,
) -> WorkOrder:
    """The supervisor approves the repair report, or returns it with comments for the
    technician to correct (the order stays signed off until approved)."""
    comment = (comment or "").strip()
    if approve:
        review_before = order.review_state
        order = workorder_transition(
            actor=actor,
            order=order,
            to_status=Status.REVIEWED,
            reason=comment,
            expected_version=expected_version,
            review_state=ReviewState.APPROVED,
            review_comment=comment,
            reviewed_by=actor,
            reviewed_at=timezone.now(),
        )
        # Checked after the status step so that its refusals (not a reviewer, not signed off)
        # stay the ones callers see; a refusal here still rolls the step back.
        REVIEWS.check(review_before, ReviewState.APPROVED, REVIEW)
        return order
    if REVIEW not in sides_of(actor, order):
        raise TransitionNotAllowed(_("You may not review repair reports."))
    if order.status != Status.SIGNED_OFF:
        raise TransitionNotAllowed(
            _("Only a signed-off work order can be reviewed."), code="transition_not_allowed"
        )
    if not comment:
        raise InvalidInput(_("Say what must be corrected."), code="comment_required")
    REVIEWS.check(order.review_state, ReviewState.RETURNED, REVIEW)
    versioned_update(
        order,
        expected_version,
        ORDER_CHANGED,
        review_state=ReviewState.RETURNED,
        review_comment=comment,
        reviewed_by=actor,
        reviewed_at=timezone.now(),
    )
    event_add(order=order, kind="review_returned", actor=actor, reason=comment)
    audit_record(
        actor=actor,
        action="workorder.review_return",
        obj=order,
        after={"review_state": ReviewState.RETURNED, "review_comment": comment},
    )
    return order


@transaction.atomic
def workorder_report_correct(
    *,
    actor: User,
    order: WorkOrder,
    findings: str | None = None,
    fault_cause: str | None = None,
    repair_details: str | None = None,
) -> WorkOrder:
    """The technician corrects a returned report; it goes back to the supervisor."""
    if TECH not in sides_of(actor, order):
        raise TransitionNotAllowed(_("Only the technician on this order can correct it."))
    if order.status != Status.SIGNED_OFF or not REVIEWS.allows(
        order.review_state, ReviewState.PENDING, TECH
    ):
        raise Conflict(_("This report was not returned for correction."), code="not_returned")
    values = {
        k: v.strip()
        for k, v in (
            ("findings", findings),
            ("fault_cause", fault_cause),
            ("repair_details", repair_details),
        )
        if v is not None
    }
    before = model_snapshot(order, [*values, "review_state"])
    versioned_update(order, None, ORDER_CHANGED, review_state=ReviewState.PENDING, **values)
    event_add(order=order, kind="report_corrected", actor=actor)
    audit_record(
        actor=actor,
        action="workorder.report_correct",
        obj=order,
        before=before,
        after=model_snapshot(order, [*values, "review_state"]),
    )
    return order
