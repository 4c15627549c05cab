"""Follow-up calls (回访) after completed repairs (R3.5, R7.1–R7.2, R7.4).

A follow-up is planned N days after completion (policy ``WORKORDER_FOLLOWUP_DAYS``, default 3).
The caller is never the technician who did the work. The caller records whether the customer
was reached and, if so, the ten dimensions of the service evaluation form on five levels. After
``WORKORDER_FOLLOWUP_ATTEMPTS`` (default 3) unanswered calls a survey link goes to the customer
instead. A dissatisfied answer opens a complaint case linked to the order.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.accounts.models import User
from aftersales.cases.choices import CaseType
from aftersales.core.actors import actor_or_none
from aftersales.core.audit import audit_record
from aftersales.core.errors import Conflict, InvalidInput, PermissionDeniedError
from aftersales.core.versions import require_version

from . import notify
from .choices import EVALUATION_DIMENSIONS, FollowUpState, Satisfaction, Status
from .models import FollowUp, WorkOrder
from .transitions import CALLER, CUSTOMER, FOLLOW_UPS

DIMENSIONS = [code for code, _label in EVALUATION_DIMENSIONS]
FOLLOWUP_TARGET = Decimal("0.80")
SURVEY_SALT = "workorders.survey"
FOLLOWUP_CHANGED = _("Someone else recorded this follow-up in the meantime. Reload it.")


def followup_days() -> int:
    return int(getattr(settings, "WORKORDER_FOLLOWUP_DAYS", 3))


def followup_attempts() -> int:
    return int(getattr(settings, "WORKORDER_FOLLOWUP_ATTEMPTS", 3))


def followup_schedule(*, order: WorkOrder) -> FollowUp:
    """Plan the follow-up call; called by the completion service inside its transaction."""
    completed = order.completed_at or timezone.now()
    caller = order.case.assignee
    if caller is not None and (
        caller.pk == order.technician_id or not caller.has_perm("workorders.followup_workorder")
    ):
        caller = None
    follow_up, _created = FollowUp.objects.get_or_create(
        work_order=order,
        defaults={"due_at": completed + dt.timedelta(days=followup_days()), "caller": caller},
    )
    return follow_up


def survey_token(follow_up: FollowUp) -> str:
    return signing.dumps({"f": follow_up.pk}, salt=SURVEY_SALT)


def survey_follow_up(token: str, max_age_days: int = 30) -> FollowUp | None:
    try:
        data = signing.loads(token, salt=SURVEY_SALT, max_age=max_age_days * 86400)
    except signing.BadSignature:
        return None
    return FollowUp.objects.select_related("work_order__customer").filter(pk=data.get("f")).first()


def _clean_scores(scores: dict[str, Any] | None) -> dict[str, int]:
    scores = scores or {}
    unknown = sorted(set(scores) - set(DIMENSIONS))
    if unknown:
        raise InvalidInput(
            _("Unknown evaluation items: %(items)s") % {"items": ", ".join(unknown)},
            code="unknown_dimension",
        )
    clean: dict[str, int] = {}
    for code in DIMENSIONS:
        value = scores.get(code)
        try:
            value = int(value)
        except (TypeError, ValueError):
            value = None
        if value not in Satisfaction.values:
            raise InvalidInput(
                _("Rate every item of the evaluation form from 1 to 5."),
                code="scores_incomplete",
                detail={"missing": [c for c in DIMENSIONS if c not in clean and c == code]},
            )
        clean[code] = value
    return clean


def is_dissatisfied(scores: dict[str, int]) -> bool:
    return any(v <= Satisfaction.DISSATISFIED for v in scores.values())


def _open_complaint(*, actor: Any, follow_up: FollowUp, scores: dict[str, int], comments: str):
    from aftersales.cases.services import case_create

    order = follow_up.work_order
    low = [str(label) for code, label in EVALUATION_DIMENSIONS if scores.get(code, 5) <= 2]
    case = case_create(
        actor=actor,
        customer=order.customer,
        case_type=CaseType.COMPLAINT,
        channel="hotline",
        title=_("Dissatisfied at follow-up of %(number)s") % {"number": order.number},
        description=_("Follow-up of work order %(number)s: dissatisfied with %(items)s. %(c)s")
        % {"number": order.number, "items": "、".join(low), "c": comments},
        asset=order.asset,
        contact=order.case.contact,
        extra={"complaint_about": "service"},
    )
    from aftersales.cases.events import event_add as case_event_add

    case_event_add(
        case=case,
        kind="internal_note",
        actor=actor,
        body=_("Opened from the follow-up of work order %(number)s (case %(case)s).")
        % {"number": order.number, "case": order.case.number},
        data={"work_order": order.number, "source_case": order.case.number},
    )
    return case


def _finish(*, actor: Any, follow_up: FollowUp, scores: dict[str, int], comments: str) -> None:
    complaint = None
    if is_dissatisfied(scores):
        complaint = _open_complaint(
            actor=actor, follow_up=follow_up, scores=scores, comments=comments
        )
    now = timezone.now()
    updated = FollowUp.objects.filter(pk=follow_up.pk, version=follow_up.version).update(
        state=FollowUpState.DONE,
        reached=True,
        scores=scores,
        comments=comments,
        done_at=now,
        caller=actor_or_none(actor) or follow_up.caller,
        complaint_case=complaint,
        version=F("version") + 1,
    )
    if not updated:
        raise Conflict(FOLLOWUP_CHANGED, code="version_conflict")
    follow_up.refresh_from_db()
    order = follow_up.work_order
    audit_record(
        actor=actor,
        action="workorder.followup",
        obj=order,
        after={
            "reached": True,
            "scores": scores,
            "comments": comments,
            "complaint": complaint.number if complaint else None,
        },
    )
    if order.status == Status.REVIEWED:
        from .services import workorder_transition

        workorder_transition(actor=None, order=order, to_status=Status.CLOSED, side="system")


@transaction.atomic
def followup_record(
    *,
    actor: User,
    follow_up: FollowUp,
    reached: bool,
    scores: dict[str, Any] | None = None,
    comments: str = "",
    expected_version: int | None = None,
) -> FollowUp:
    """Record one follow-up call. Not reached: one more attempt; after the policy's attempts a
    survey link is sent instead. Reached: the ten ratings; dissatisfied opens a complaint."""
    if not actor.has_perm("workorders.followup_workorder"):
        raise PermissionDeniedError(_("You may not make follow-up calls."))
    order = follow_up.work_order
    if actor.pk == order.technician_id:
        raise PermissionDeniedError(
            _("The technician who did the repair cannot make its follow-up call."),
            code="caller_is_technician",
        )
    require_version(follow_up, expected_version, FOLLOWUP_CHANGED)
    if not FOLLOW_UPS.allowed_steps(follow_up.state, CALLER):
        raise Conflict(_("This follow-up is already finished."), code="followup_finished")
    comments = (comments or "").strip()
    if reached:
        _finish(actor=actor, follow_up=follow_up, scores=_clean_scores(scores), comments=comments)
        return follow_up
    attempts = follow_up.attempts + 1
    values: dict[str, Any] = {"attempts": F("attempts") + 1, "reached": False, "caller": actor}
    give_up = attempts >= followup_attempts()
    to = FollowUpState.SURVEY_SENT if give_up else FollowUpState.DUE
    FOLLOW_UPS.check(follow_up.state, to, CALLER)
    if give_up:
        values["state"] = to
    updated = FollowUp.objects.filter(pk=follow_up.pk, version=follow_up.version).update(
        version=F("version") + 1, **values
    )
    if not updated:
        raise Conflict(FOLLOWUP_CHANGED, code="version_conflict")
    follow_up.refresh_from_db()
    audit_record(
        actor=actor,
        action="workorder.followup_attempt",
        obj=order,
        after={"attempts": follow_up.attempts, "survey_sent": give_up, "comments": comments},
    )
    if give_up:
        path = reverse("workorders:survey", args=[survey_token(follow_up)])
        notify.to_customer(order, "workorder_survey", survey_path=path)
    return follow_up


@transaction.atomic
def followup_survey_answer(
    *, follow_up: FollowUp, scores: dict[str, Any], comments: str = ""
) -> FollowUp:
    """The customer answers the survey link that replaced an unanswered call."""
    if not FOLLOW_UPS.allows(follow_up.state, FollowUpState.DONE, CUSTOMER):
        raise Conflict(_("Thank you, your answer was already recorded."), code="followup_finished")
    _finish(actor=None, follow_up=follow_up, scores=_clean_scores(scores), comments=comments)
    return follow_up
