"""Reads of service levels, restricted to what the user may see (style rule 5).

Clocks are internal: staff who may see the case see its clocks; customers never do. Policies are
read by staff who hold ``sla.view_slapolicy`` (everyone who works cases) and edited by those with
``sla.manage_slapolicy`` (supervisors, administrators).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from aftersales.accounts.models import User
from aftersales.cases.models import Case

from .choices import MILESTONE_LABELS, ClockState
from .models import EscalationLevel, SlaClock, SlaClockEvent, SlaPolicy, SlaTarget


def can_see_clocks(user: User) -> bool:
    return bool(getattr(user, "is_staff_member", False) and user.has_perm("cases.view_case"))


def policy_list(*, user: User) -> QuerySet[SlaPolicy]:
    return SlaPolicy.objects.order_by("position", "id").prefetch_related(
        Prefetch("targets", queryset=SlaTarget.objects.order_by("position", "id")),
        Prefetch(
            "levels",
            queryset=EscalationLevel.objects.order_by("position", "id").prefetch_related("users"),
        ),
    )


def case_clocks(*, user: User, case: Case) -> list[SlaClock]:
    """The case's clocks with their history, for staff who may see the case (already
    checked by the caller through the case selectors); nothing for anyone else."""
    if not can_see_clocks(user):
        return []
    return list(
        SlaClock.objects.filter(case=case)
        .select_related("calendar")
        .prefetch_related(
            Prefetch(
                "history", queryset=SlaClockEvent.objects.order_by("id").select_related("actor")
            )
        )
        .order_by("id")
    )


@dataclass(frozen=True)
class Remaining:
    """Time left (positive) or overdue (negative) at ``now``; frozen while paused."""

    seconds: int
    frozen: bool

    @property
    def overdue(self) -> bool:
        return self.seconds < 0


def clock_remaining(clock: SlaClock, now: dt.datetime | None = None) -> Remaining | None:
    if clock.due_at is None or clock.state in (ClockState.MET, ClockState.CANCELLED):
        return None
    if clock.state == ClockState.BREACHED and clock.met_at is not None:
        return None
    now = now or timezone.now()
    if clock.state == ClockState.PAUSED and clock.paused_at is not None:
        return Remaining(int((clock.due_at - clock.paused_at).total_seconds()), True)
    return Remaining(int((clock.due_at - now).total_seconds()), False)


def milestone_name(code: str) -> str:
    """The name of a milestone code: the name of a target that is or ends on it, else the
    label of a milestone the product records itself (``onsite_arrival``), else the code."""
    if not code:
        return ""
    if code in MILESTONE_LABELS:
        return str(MILESTONE_LABELS[code])
    name = (
        SlaTarget.objects.filter(Q(milestone_code=code) | Q(end_milestone=code))
        .values_list("name", flat=True)
        .first()
    )
    return name or code
