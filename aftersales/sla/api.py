"""API: service levels — the policies, a case's clocks, and milestones recorded on a case.

A case comes from the cases selectors, so one the caller may not see answers 404 like a missing
one; a role that sees it but may not read clocks or record milestones answers 403.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema, Status

from aftersales.accounts.models import User
from aftersales.cases import selectors as case_selectors
from aftersales.cases.api_schemas import CASE_NUMBER_PATTERN
from aftersales.core.api import ERRORS_READ, ERRORS_WRITE, InputSchema, require, require_perm

from . import selectors, services
from .choices import ClockState, TargetKind
from .models import SlaClock, SlaPolicy

router = Router(tags=["sla"])

CaseNumber = Path(
    ..., max_length=20, pattern=CASE_NUMBER_PATTERN, description="e.g. SC-2026-000123"
)


class SlaTargetOut(Schema):
    kind: str
    milestone_code: str
    name: str
    priorities: list[str]
    duration: str = Field(description="24h, 90m natural; 8wh, 30wm working; 1wd working days")
    calendar: str | None
    pausable: bool
    end_on: str
    end_statuses: list[str]
    end_milestone: str


class SlaLevelOut(Schema):
    position: int
    target_kinds: list[str]
    trigger: str
    share_percent: int | None
    past_due: str
    recipients: list[str]
    users: list[str]
    channels: list[str]


class SlaPolicyOut(Schema):
    code: str
    name: str
    position: int
    is_active: bool
    case_types: list[str]
    categories: list[str]
    priorities: list[str]
    customer_tiers: list[str]
    channels: list[str]
    service_centers: list[str]
    pause_rules: dict[str, str]
    calendar: str | None
    version: int
    targets: list[SlaTargetOut]
    levels: list[SlaLevelOut]


class SlaClockEventOut(Schema):
    kind: str
    at: dt.datetime
    actor: str | None
    data: dict[str, Any]


class SlaClockOut(Schema):
    id: int
    kind: str
    kind_label: str
    milestone_code: str
    name: str
    duration: str
    calendar: str | None
    state: str
    state_label: str
    started_at: dt.datetime
    due_at: dt.datetime | None
    seconds_left: int | None = Field(
        description="Until the due time; negative when overdue; null when met or stopped"
    )
    paused_at: dt.datetime | None
    pause_reason: str
    paused_seconds: int = Field(description="Paused time so far, in the clock's own measure")
    met_at: dt.datetime | None
    breached_at: dt.datetime | None
    estimated: bool = Field(description="The calendar lacked a year: due in natural time")
    history: list[SlaClockEventOut]


class SlaMilestoneIn(InputSchema):
    code: str = Field(
        ...,
        min_length=1,
        max_length=40,
        pattern=r"^[-a-zA-Z0-9_]+$",
        description="e.g. onsite_arrival",
    )
    at: dt.datetime | None = Field(None, description="When it happened; now when left out")


class SlaMilestoneOut(Schema):
    code: str
    at: dt.datetime
    met: list[SlaClockOut]


def _code(obj: Any) -> str | None:
    return getattr(obj, "code", None) if obj is not None else None


def _policy_out(policy: SlaPolicy) -> dict[str, Any]:
    return {
        **{
            f: getattr(policy, f)
            for f in (
                "code",
                "name",
                "position",
                "is_active",
                "case_types",
                "categories",
                "priorities",
                "customer_tiers",
                "channels",
                "service_centers",
                "pause_rules",
                "version",
            )
        },
        "calendar": _code(policy.calendar) if policy.calendar_id else None,
        "targets": [
            {
                "kind": t.kind,
                "milestone_code": t.milestone_code,
                "name": t.name,
                "priorities": t.priorities,
                "duration": t.duration,
                "calendar": _code(t.calendar) if t.calendar_id else None,
                "pausable": t.pausable,
                "end_on": t.end_on,
                "end_statuses": t.end_statuses,
                "end_milestone": t.end_milestone,
            }
            for t in policy.targets.all()
        ],
        "levels": [
            {
                "position": lv.position,
                "target_kinds": lv.target_kinds,
                "trigger": lv.trigger,
                "share_percent": lv.share_percent,
                "past_due": lv.past_due,
                "recipients": lv.recipients,
                "users": [u.get_username() for u in lv.users.all()],
                "channels": lv.channels,
            }
            for lv in policy.levels.all()
        ],
    }


def clock_out(clock: SlaClock) -> dict[str, Any]:
    left = selectors.clock_remaining(clock)
    return {
        "id": clock.pk,
        "kind": clock.kind,
        "kind_label": str(TargetKind(clock.kind).label),
        "milestone_code": clock.milestone_code,
        "name": clock.label,
        "duration": clock.duration,
        "calendar": _code(clock.calendar) if clock.calendar_id else None,
        "state": clock.state,
        "state_label": str(ClockState(clock.state).label),
        "started_at": clock.started_at,
        "due_at": clock.due_at,
        "seconds_left": left.seconds if left else None,
        "paused_at": clock.paused_at,
        "pause_reason": clock.pause_reason,
        "paused_seconds": clock.paused_seconds,
        "met_at": clock.met_at,
        "breached_at": clock.breached_at,
        "estimated": clock.estimated,
        "history": [
            {
                "kind": h.kind,
                "at": h.at,
                "actor": str(h.actor) if h.actor_id else None,
                "data": h.data or {},
            }
            for h in clock.history.all()
        ],
    }


def _case_for(user: User, number: str):
    require_perm(user, "cases.view_case", also_if=user.is_customer)
    return case_selectors.case_get_for(user=user, number=number)


@router.get(
    "/sla/policies", response={200: list[SlaPolicyOut], **ERRORS_READ}, summary="SLA policies"
)
def policy_list(request: HttpRequest):
    """Every policy in matching order, with its targets and escalation levels."""
    user: User = request.auth
    require_perm(user, "sla.view_slapolicy")
    return [_policy_out(p) for p in selectors.policy_list(user=user).select_related("calendar")]


@router.get(
    "/cases/{number}/clocks",
    response={200: list[SlaClockOut], **ERRORS_READ},
    summary="A case's service-level clocks",
)
def case_clocks(request: HttpRequest, number: str = CaseNumber):
    """Due time, state, time left, paused time and history of each target on the case."""
    user: User = request.auth
    case = _case_for(user, number)
    require(selectors.can_see_clocks(user))
    return [clock_out(c) for c in selectors.case_clocks(user=user, case=case)]


@router.post(
    "/cases/{number}/milestones",
    response={201: SlaMilestoneOut, **ERRORS_WRITE},
    summary="Record a milestone",
)
def milestone_record(request: HttpRequest, payload: SlaMilestoneIn, number: str = CaseNumber):
    """Record that a milestone happened (e.g. ``onsite_arrival``); the targets that end on it
    are met. ``at`` may not lie in the future nor before the case was opened (422)."""
    user: User = request.auth
    case = _case_for(user, number)
    refused = _("You are not allowed to record milestones.")
    require(selectors.can_see_clocks(user), refused)
    require_perm(user, "cases.transition_case", message=refused)
    from django.utils import timezone

    at = payload.at or timezone.now()
    met = services.sla_milestone_record(case=case, milestone_code=payload.code, at=at, actor=user)
    fresh = {c.pk: c for c in selectors.case_clocks(user=user, case=case)}
    return Status(
        201, {"code": payload.code, "at": at, "met": [clock_out(fresh[c.pk]) for c in met]}
    )
