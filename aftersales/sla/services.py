"""Every write to SLA clocks and policies (R2.1–R2.3, R5.2).

The case services call the ``sla_case_*`` hooks inside their own transaction: a case is opened
(policy matched, clocks started), replied to (first response met), moved to another status
(paused, resumed, met or cancelled), or reclassified (clocks recomputed). Later issues record
milestones with :func:`sla_milestone_record`. Clock rows are locked (``SELECT … FOR UPDATE``)
before they change, so the sweep and a case change never overwrite each other; each change
writes the clock's history, a timeline event and an audit record.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, transaction
from django.db.models import Min, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.accounts.models import User
from aftersales.calendars.worktime import Calendar, Duration
from aftersales.cases.choices import EventKind, Status
from aftersales.cases.events import event_add
from aftersales.cases.models import Case
from aftersales.core.actors import actor_or_none
from aftersales.core.audit import audit_record, model_snapshot
from aftersales.core.errors import InvalidInput
from aftersales.core.rows import insert_rows

from . import calendars as sla_calendars
from .choices import (
    LIVE_STATES,
    TICKING_STATES,
    ClockEventKind,
    ClockState,
    EndOn,
    PauseReason,
    TargetKind,
    Trigger,
)
from .models import (
    CasePolicyPin,
    EscalationLevel,
    SlaClock,
    SlaClockEvent,
    SlaPolicy,
    SlaTarget,
)
from .timing import past_due_threshold, schedule, share_threshold
from .transitions import CLOCKS, SYSTEM

NO_DUE = dt.datetime(9999, 1, 1, tzinfo=dt.UTC)


# --- matching --------------------------------------------------------------------------------


def case_service_center(case: Case) -> str:
    """The service center a case is handled at: named in its details, else the assignee's."""
    code = (case.extra or {}).get("service_center") if isinstance(case.extra, dict) else None
    if code:
        return str(code)
    assignee = case.assignee if case.assignee_id else None
    center = assignee.service_center if assignee and assignee.service_center_id else None
    return center.code if center else ""


def _fits(values: list, value: Any) -> bool:
    return not values or value in values


def policy_matches(policy: SlaPolicy, case: Case) -> bool:
    """Whether every condition of ``policy`` holds for ``case`` (empty conditions hold)."""
    category = case.category.code if case.category else None
    return (
        _fits(policy.case_types, case.case_type)
        and _fits(policy.categories, category)
        and _fits(policy.priorities, case.priority)
        and _fits(policy.customer_tiers, case.customer.tier)
        and _fits(policy.channels, case.channel)
        and (not policy.service_centers or case_service_center(case) in policy.service_centers)
    )


def pinned_policy(case: Case) -> SlaPolicy | None:
    """The active policy a routing rule pinned on ``case``, if any."""
    if case.pk is None:
        return None
    pin = (
        CasePolicyPin.objects.filter(case_id=case.pk, policy__is_active=True)
        .select_related("policy")
        .first()
    )
    return pin.policy if pin is not None else None


def sla_policy_pin(*, actor: Any, case: Case, policy: SlaPolicy, source: str = "") -> None:
    """Fix ``policy`` for ``case`` (a routing rule named it): clocks start and are recomputed on
    it, whatever the policies' own conditions say. Audited; call before the clocks start."""
    before = CasePolicyPin.objects.filter(case_id=case.pk).values_list("policy_id", flat=True)
    before_id = next(iter(before), None)
    CasePolicyPin.objects.update_or_create(
        case_id=case.pk, defaults={"policy": policy, "source": source[:120]}
    )
    audit_record(
        actor=actor,
        action="sla.policy_pin",
        obj=case,
        before={"pinned_policy": before_id},
        after={"pinned_policy": policy.pk, "policy_code": policy.code, "source": source},
        reason=source,
    )


def policy_for_case(case: Case) -> SlaPolicy | None:
    """The policy pinned on the case by its routing rule while it is active; else the first
    active policy, in order, whose conditions the case meets."""
    pinned = pinned_policy(case)
    if pinned is not None:
        return pinned
    for policy in SlaPolicy.objects.filter(is_active=True).order_by("position", "id"):
        if policy_matches(policy, case):
            return policy
    return None


class _PolicyBook:
    """The active policies in order with their targets and escalation levels, as intake needs
    them: read once per process and again only when the policies' stamp changed."""

    def __init__(self) -> None:
        self.policies = list(SlaPolicy.objects.filter(is_active=True).order_by("position", "id"))
        ids = [p.pk for p in self.policies]
        self.targets: dict[int, list[SlaTarget]] = {pk: [] for pk in ids}
        for target in SlaTarget.objects.filter(policy_id__in=ids).order_by("position", "id"):
            self.targets[target.policy_id].append(target)
        self.levels: dict[int, list[EscalationLevel]] = {pk: [] for pk in ids}
        for level in EscalationLevel.objects.filter(policy_id__in=ids).order_by("position", "id"):
            self.levels[level.policy_id].append(level)


_book_cache: tuple[tuple, _PolicyBook] | None = None
_book_lock = threading.Lock()


def _book_stamp() -> tuple:
    """Count, highest id, latest change and sum of versions of the policies, and count and
    highest id of their targets and levels — one plain query. Editing a policy, its targets or
    its levels goes through ``sla_policy_save``, which moves the policy's version and time."""
    qn = connection.ops.quote_name
    pol, tgt, lvl = (qn(m._meta.db_table) for m in (SlaPolicy, SlaTarget, EscalationLevel))
    sql = (
        f"SELECT (SELECT COUNT(*) FROM {pol}), (SELECT MAX(id) FROM {pol}), "
        f"(SELECT MAX(updated_at) FROM {pol}), (SELECT SUM(version) FROM {pol}), "
        f"(SELECT COUNT(*) FROM {tgt}), (SELECT MAX(id) FROM {tgt}), "
        f"(SELECT COUNT(*) FROM {lvl}), (SELECT MAX(id) FROM {lvl})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchone())


def policy_book() -> _PolicyBook:
    """The active policies with targets and levels, cached per process behind their stamp."""
    global _book_cache
    stamp = _book_stamp()
    cached = _book_cache
    if cached is not None and cached[0] == stamp:
        return cached[1]
    book = _PolicyBook()
    with _book_lock:
        _book_cache = (stamp, book)
    return book


def _pick_targets(targets: Iterable[SlaTarget], case: Case) -> list[SlaTarget]:
    chosen: dict[tuple[str, str], SlaTarget] = {}
    for target in targets:
        if target.priorities and case.priority not in target.priorities:
            continue
        chosen.setdefault(target.clock_key, target)
    return list(chosen.values())


def targets_for_case(policy: SlaPolicy | None, case: Case) -> list[SlaTarget]:
    """The policy's targets for this case: per kind (and milestone), the first that fits the
    case's priority."""
    if policy is None:
        return []
    return _pick_targets(policy.targets.order_by("position", "id"), case)


def levels_for(policy_id: int | None, kind: str) -> list[EscalationLevel]:
    if policy_id is None:
        return []
    levels = EscalationLevel.objects.filter(policy_id=policy_id).order_by("position", "id")
    return [lv for lv in levels if lv.applies_to(kind)]


# --- arithmetic on one clock -----------------------------------------------------------------


def _pause_intervals(
    clock: SlaClock, until: dt.datetime | None = None
) -> list[tuple[dt.datetime, dt.datetime]]:
    """Closed pause intervals read back from the clock's history; an open pause is closed at
    ``until`` when given."""
    intervals = []
    opened: dt.datetime | None = None
    if clock.pk:
        for kind, at in clock.history.filter(
            kind__in=[ClockEventKind.PAUSED, ClockEventKind.RESUMED]
        ).values_list("kind", "at"):
            if kind == ClockEventKind.PAUSED:
                opened = at
            elif opened is not None:
                intervals.append((opened, at))
                opened = None
    if until is not None and clock.state == ClockState.PAUSED and clock.paused_at is not None:
        intervals.append((clock.paused_at, until))
    return intervals


def clock_threshold(clock: SlaClock, level: EscalationLevel, cal: Calendar | None) -> dt.datetime:
    duration = Duration.parse(clock.duration)
    if level.trigger == Trigger.SHARE:
        return share_threshold(
            cal,
            duration,
            estimated=clock.estimated,
            started_at=clock.started_at,
            allotted_seconds=clock.allotted_seconds,
            paused_seconds=clock.paused_seconds,
            percent=level.share_percent or 100,
        )
    return past_due_threshold(
        cal,
        duration,
        estimated=clock.estimated,
        due_at=clock.due_at,  # type: ignore[arg-type]  # escalation runs on clocks with a due time
        past_due=Duration.parse(level.past_due or "0m"),
    )


def clock_next_check(
    clock: SlaClock, levels: list[EscalationLevel], cal: Calendar | None
) -> dt.datetime | None:
    """The next instant the sweep must look at the clock: its breach, or the next level."""
    if clock.state not in TICKING_STATES or clock.due_at is None:
        return None
    candidates = []
    if clock.breached_at is None:
        candidates.append(clock.due_at)
    if clock.next_level < len(levels):
        candidates.append(clock_threshold(clock, levels[clock.next_level], cal))
    return min(candidates) if candidates else None


def _reschedule(clock: SlaClock, cal: Calendar | None, *, until: dt.datetime | None) -> None:
    """Recompute due time, allowed and paused time from the start and the pause history."""
    result = schedule(
        cal, Duration.parse(clock.duration), clock.started_at, _pause_intervals(clock, until)
    )
    clock.due_at = result.due_at
    clock.allotted_seconds = result.allotted_seconds
    clock.paused_seconds = result.paused_seconds
    clock.estimated = result.estimated


def _history(clock: SlaClock, kind: str, at: dt.datetime, actor: Any, **data: Any) -> None:
    SlaClockEvent.objects.create(
        clock=clock,
        kind=kind,
        at=at,
        actor=actor_or_none(actor),
        data=data,
    )


def _iso(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def _clock_line(clock: SlaClock) -> dict[str, Any]:
    return {
        "clock": clock.pk,
        "kind": clock.kind,
        "name": clock.label,
        "due_at": _iso(clock.due_at),
        "state": clock.state,
        "estimated": clock.estimated,
    }


CLOCK_AUDIT = ["kind", "due_at", "state", "paused_seconds", "met_at", "breached_at", "estimated"]


def _save(clock: SlaClock, cal: Calendar | None, *fields: str) -> None:
    clock.next_check_at = clock_next_check(clock, levels_for(clock.policy_id, clock.kind), cal)
    clock.save(update_fields=[*fields, "next_check_at", "updated_at"])


def case_due_refresh(case_ids: Iterable[int]) -> None:
    """Write each case's nearest due time of a ticking clock (for the queue's sort)."""
    ids = list(case_ids)
    if not ids:
        return
    nearest = (
        SlaClock.objects.filter(case=OuterRef("pk"), state__in=TICKING_STATES)
        .order_by()
        .values("case")
        .annotate(m=Min("due_at"))
        .values("m")
    )
    Case.objects.filter(pk__in=ids).update(sla_due_at=Coalesce(Subquery(nearest), Value(NO_DUE)))


def _locked_clocks(case: Case) -> list[SlaClock]:
    return list(
        SlaClock.objects.select_for_update(of=("self",))
        .select_related("policy", "target")
        .filter(case=case)
        .order_by("id")
    )


# --- starting ---------------------------------------------------------------------------------


class _Starter:
    """Starts clocks of one policy on one case, resolving each calendar and the policy's
    levels once (intake should not pay a query per target)."""

    def __init__(
        self, case: Case, policy: SlaPolicy, levels: list[EscalationLevel] | None = None
    ) -> None:
        self.case, self.policy = case, policy
        self._calendars: dict[int | None, tuple[int | None, Calendar | None]] = {}
        self._levels = (
            levels
            if levels is not None
            else list(EscalationLevel.objects.filter(policy=policy).order_by("position", "id"))
        )

    def calendar(self, target: SlaTarget) -> tuple[int | None, Calendar | None]:
        key = target.calendar_id or self.policy.calendar_id
        if key not in self._calendars:
            self._calendars[key] = sla_calendars.calendar_for_target(
                case=self.case, policy=self.policy, target=target
            )
        return self._calendars[key]

    def clock(self, target: SlaTarget, start: dt.datetime) -> tuple[SlaClock, Calendar | None]:
        calendar_id, cal = self.calendar(target)
        clock = SlaClock(
            case=self.case,
            policy=self.policy,
            target=target,
            kind=target.kind,
            milestone_code=target.milestone_code if target.kind == TargetKind.MILESTONE else "",
            name=target.name,
            duration=target.duration,
            calendar_id=calendar_id,
            started_at=start,
            state=ClockState.RUNNING,
        )
        _reschedule(clock, cal, until=None)
        levels = [lv for lv in self._levels if lv.applies_to(clock.kind)]
        clock.next_check_at = clock_next_check(clock, levels, cal)
        return clock, cal


def _new_clock(
    case: Case, policy: SlaPolicy, target: SlaTarget, start: dt.datetime
) -> tuple[SlaClock, Calendar | None]:
    return _Starter(case, policy).clock(target, start)


@transaction.atomic(savepoint=False)  # inside case_create's transaction: no savepoint
def sla_case_opened(
    *,
    case: Case,
    actor: User | None,
    now: dt.datetime | None = None,
    new_case: bool = False,
    pinned: SlaPolicy | None = None,
) -> list:
    """Match the case's policy and start one clock per target (hook of ``case_create``).

    ``case_create`` passes ``new_case=True`` with the policy its routing rule pinned (if any):
    a case created in this transaction has no other pin, so it is not read back. Policies,
    targets and levels come from the per-process :func:`policy_book`."""
    now = now or timezone.now()
    book = policy_book()
    policy = pinned if new_case else pinned_policy(case)
    if policy is None:
        policy = next((p for p in book.policies if policy_matches(p, case)), None)
    if policy is None:
        return []
    if policy.pk in book.targets:
        targets = _pick_targets(book.targets[policy.pk], case)
        levels = book.levels[policy.pk]
    else:  # a pinned policy the book does not hold (deactivated meanwhile): read it
        targets, levels = targets_for_case(policy, case), None
    if not targets:
        return []
    starter = _Starter(case, policy, levels)
    clocks = [starter.clock(t, case.created_at or now)[0] for t in targets]
    insert_rows(clocks, returning=True)
    insert_rows(
        [
            SlaClockEvent(
                clock=c,
                kind=ClockEventKind.STARTED,
                at=now,
                actor=actor_or_none(actor),
                data={"due_at": _iso(c.due_at)},
            )
            for c in clocks
        ]
    )
    ticking = [c.due_at for c in clocks if c.due_at is not None]
    case.sla_due_at = min(ticking) if ticking else NO_DUE
    Case.objects.filter(pk=case.pk).update(sla_due_at=case.sla_due_at)
    event_add(
        case=case,
        kind=EventKind.SLA_STARTED,
        actor=actor,
        data={"policy": policy.name, "clocks": [_clock_line(c) for c in clocks]},
    )
    audit_record(
        actor=actor,
        action="sla.start",
        obj=case,
        after={"policy": policy.code, "clocks": [_clock_line(c) for c in clocks]},
    )
    return clocks


# --- ending, pausing, resuming ---------------------------------------------------------------


def clock_state_to(clock: SlaClock, to: str) -> None:
    """The one place a clock's state changes in memory (saved by the caller): the step must be
    in :data:`~aftersales.sla.transitions.CLOCKS`."""
    CLOCKS.check(clock.state, to, SYSTEM)
    clock.state = to


def _finish(clock: SlaClock, cal: Calendar | None, at: dt.datetime) -> None:
    """Stop a live clock at ``at``: met, or breached when it ended after its due time."""
    if clock.state == ClockState.PAUSED:
        _reschedule(clock, cal, until=at)
        clock.paused_at = None
        clock.pause_reason = ""
    clock.met_at = at
    late = clock.due_at is not None and at > clock.due_at
    if late and clock.breached_at is None:
        clock.breached_at = clock.due_at
    clock_state_to(clock, ClockState.BREACHED if late else ClockState.MET)
    _save(
        clock,
        cal,
        "met_at",
        "breached_at",
        "state",
        "paused_at",
        "pause_reason",
        "due_at",
        "paused_seconds",
        "allotted_seconds",
        "estimated",
    )


def _pause(clock: SlaClock, cal: Calendar | None, at: dt.datetime, reason: str) -> None:
    clock_state_to(clock, ClockState.PAUSED)
    clock.paused_at = at
    clock.pause_reason = reason
    _save(clock, cal, "state", "paused_at", "pause_reason")


def _resume(clock: SlaClock, cal: Calendar | None, at: dt.datetime) -> None:
    _reschedule(clock, cal, until=at)
    clock_state_to(clock, ClockState.BREACHED if clock.breached_at else ClockState.RUNNING)
    clock.paused_at = None
    clock.pause_reason = ""
    _save(
        clock,
        cal,
        "state",
        "paused_at",
        "pause_reason",
        "due_at",
        "paused_seconds",
        "allotted_seconds",
        "estimated",
    )


def _announce(
    case: Case,
    actor: Any,
    changes: Sequence[tuple[SlaClock, str, dict[str, Any]]],
    *,
    reason: str = "",
) -> None:
    """One timeline event and one audit record for what happened to a case's clocks."""
    if not changes:
        return
    case_due_refresh([case.pk])
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for clock, what, before in changes:
        by_kind.setdefault(what, []).append({**_clock_line(clock), "before": before})
    kinds: dict[str, str] = {
        ClockEventKind.MET: EventKind.SLA_MET,
        ClockEventKind.PAUSED: EventKind.SLA_PAUSED,
        ClockEventKind.RESUMED: EventKind.SLA_RESUMED,
        ClockEventKind.CANCELLED: EventKind.SLA_STOPPED,
        ClockEventKind.RECOMPUTED: EventKind.SLA_RECOMPUTED,
    }
    for what, lines in by_kind.items():
        event_add(
            case=case, kind=kinds[what], actor=actor, data={"clocks": lines, "reason": reason}
        )
    audit_record(
        actor=actor,
        action="sla.clocks",
        obj=case,
        before={str(c.pk): b for c, _w, b in changes},
        after={str(c.pk): model_snapshot(c, CLOCK_AUDIT) for c, _w, _b in changes},
        reason=reason,
    )


def _snap(clock: SlaClock) -> dict[str, Any]:
    return {k: (_iso(v) if isinstance(v, dt.datetime) else v) for k, v in _raw(clock).items()}


def _raw(clock: SlaClock) -> dict[str, Any]:
    return {"due_at": clock.due_at, "state": clock.state, "estimated": clock.estimated}


def _end_matching(
    case: Case, actor: Any, at: dt.datetime, test, reason: str = ""
) -> list[SlaClock]:
    changes = []
    cals = sla_calendars.CalendarCache()
    for clock in _locked_clocks(case):
        target = clock.target
        if clock.state not in LIVE_STATES or target is None or not test(target):
            continue
        before = _snap(clock)
        _finish(clock, cals.get(clock.calendar_id), at)
        _history(clock, ClockEventKind.MET, at, actor, state=clock.state)
        changes.append((clock, ClockEventKind.MET, before))
    _announce(case, actor, changes, reason=reason)
    return [c for c, _w, _b in changes]


@transaction.atomic
def sla_case_replied(*, case: Case, actor: User | None, now: dt.datetime | None = None) -> None:
    """A public reply from staff meets the targets that end on the first public reply."""
    now = now or timezone.now()
    _end_matching(case, actor, now, lambda t: t.end_on == EndOn.FIRST_REPLY)


@transaction.atomic
def sla_case_transitioned(
    *,
    case: Case,
    actor: User | None,
    from_status: str,
    to_status: str,
    now: dt.datetime | None = None,
) -> None:
    """Pause, resume, meet or stop the case's clocks after a status change."""
    now = now or timezone.now()
    cals = sla_calendars.CalendarCache()
    changes: list[tuple[SlaClock, str, dict[str, Any]]] = []
    for clock in _locked_clocks(case):
        if clock.state not in LIVE_STATES:
            continue
        target, policy = clock.target, clock.policy
        cal = cals.get(clock.calendar_id)
        before = _snap(clock)
        rules = (policy.pause_rules if policy else {}) or {}
        pausable = target.pausable if target else True
        if (
            target is not None
            and target.end_on == EndOn.STATUS
            and to_status in target.end_statuses
        ):
            _finish(clock, cal, now)
            _history(clock, ClockEventKind.MET, now, actor, state=clock.state, status=to_status)
            changes.append((clock, ClockEventKind.MET, before))
        elif to_status in (Status.CLOSED, Status.CANCELLED, Status.REJECTED) and (
            to_status != Status.REJECTED or clock.kind != TargetKind.VERIFICATION
        ):
            clock_state_to(clock, ClockState.CANCELLED)
            clock.paused_at = None
            _save(clock, cal, "state", "paused_at")
            _history(clock, ClockEventKind.CANCELLED, now, actor, status=to_status)
            changes.append((clock, ClockEventKind.CANCELLED, before))
        elif pausable and to_status in rules and clock.state != ClockState.PAUSED:
            reason = rules[to_status]
            _pause(clock, cal, now, reason)
            _history(clock, ClockEventKind.PAUSED, now, actor, reason=reason, status=to_status)
            changes.append((clock, ClockEventKind.PAUSED, before))
        elif clock.state == ClockState.PAUSED and to_status not in rules:
            _resume(clock, cal, now)
            _history(clock, ClockEventKind.RESUMED, now, actor, due_at=_iso(clock.due_at))
            changes.append((clock, ClockEventKind.RESUMED, before))
    _announce(case, actor, changes)


@transaction.atomic
def sla_milestone_record(
    *, case: Case, milestone_code: str, at: dt.datetime | None = None, actor: User | None
) -> list[SlaClock]:
    """Record a milestone on a case (e.g. ``onsite_arrival`` from a work order) and meet the
    targets that end on it. ``at`` defaults to now and may not lie in the future or before
    the case was opened."""
    now = timezone.now()
    at = at or now
    code = (milestone_code or "").strip()
    if not code or len(code) > 40 or not all(ch.isalnum() or ch in "-_" for ch in code):
        raise InvalidInput(
            _("A milestone code is letters, digits, - and _ (at most 40)."),
            code="milestone_invalid",
            detail={"field": "code"},
        )
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    if at > now + dt.timedelta(minutes=5):
        raise InvalidInput(
            _("A milestone cannot be recorded in the future."),
            code="milestone_in_future",
            detail={"field": "at"},
        )
    if case.created_at and at < case.created_at:
        raise InvalidInput(
            _("A milestone cannot precede the case."),
            code="milestone_before_case",
            detail={"field": "at"},
        )
    event_add(
        case=case,
        kind=EventKind.SLA_MILESTONE,
        actor=actor,
        data={"code": code, "at": at.isoformat()},
    )
    audit_record(actor=actor, action="sla.milestone", obj=case, after={"code": code, "at": at})
    return _end_matching(
        case,
        actor,
        at,
        lambda t: t.end_on == EndOn.MILESTONE and t.end_milestone == code,
        reason=code,
    )


# --- recomputing -----------------------------------------------------------------------------


def _recompute_clock(clock: SlaClock, cal: Calendar | None, now: dt.datetime) -> None:
    # A paused clock keeps the due time of its closed pauses; the open one counts on resume.
    _reschedule(clock, cal, until=None)
    if clock.state == ClockState.BREACHED and clock.due_at and clock.due_at > now:
        # the deadline moved past now (e.g. an estimated day became a working day): not late
        clock_state_to(clock, ClockState.RUNNING)
        clock.breached_at = None
    _save(
        clock,
        cal,
        "policy",
        "target",
        "duration",
        "calendar",
        "name",
        "due_at",
        "allotted_seconds",
        "paused_seconds",
        "estimated",
        "state",
        "breached_at",
    )


@transaction.atomic
def sla_case_recompute(
    *, case: Case, actor: User | None, reason: str, now: dt.datetime | None = None
) -> bool:
    """Match the policy again and recompute every live clock from its start: after a change
    of priority, type, category or channel, a policy edit, or a calendar edit. Clocks of
    targets the case no longer has are stopped; new targets start from the case's opening.
    Writes one timeline event when any due time or state changed; returns whether it did."""
    now = now or timezone.now()
    case = Case.objects.select_related("customer", "category", "assignee__service_center").get(
        pk=case.pk
    )
    existing = {(c.kind, c.milestone_code): c for c in _locked_clocks(case)}
    if case.status in (Status.CLOSED, Status.CANCELLED):
        return False
    policy = policy_for_case(case)
    targets = targets_for_case(policy, case)
    lines = []
    seen = set()
    for target in targets:
        key = target.clock_key
        seen.add(key)
        clock = existing.get(key)
        if clock is None:
            # Targets come only from a policy, so ``policy`` is set here.
            clock, _cal = _new_clock(case, policy, target, case.created_at)  # type: ignore[arg-type]
            clock.save()
            _history(clock, ClockEventKind.STARTED, now, actor, due_at=_iso(clock.due_at))
            if target.end_on == EndOn.FIRST_REPLY and case.first_response_at:
                _finish(clock, _cal, case.first_response_at)
            lines.append({**_clock_line(clock), "before": None})
            continue
        if clock.state not in LIVE_STATES:
            continue
        before = _snap(clock)
        calendar_id, cal = sla_calendars.calendar_for_target(
            case=case, policy=policy, target=target
        )
        clock.policy, clock.target, clock.calendar_id = policy, target, calendar_id
        clock.duration, clock.name = target.duration, target.name
        _recompute_clock(clock, cal, now)
        after = _snap(clock)
        if after != before:
            _history(clock, ClockEventKind.RECOMPUTED, now, actor, before=before, reason=reason)
            lines.append({**_clock_line(clock), "before": before})
    for key, clock in existing.items():
        if key not in seen and clock.state in LIVE_STATES:
            before = _snap(clock)
            clock_state_to(clock, ClockState.CANCELLED)
            clock.paused_at = None
            clock.save(update_fields=["state", "paused_at", "updated_at"])
            SlaClock.objects.filter(pk=clock.pk).update(next_check_at=None)
            _history(clock, ClockEventKind.CANCELLED, now, actor, reason=reason)
            lines.append({**_clock_line(clock), "before": before})
    if not lines:
        return False
    case_due_refresh([case.pk])
    event_add(
        case=case,
        kind=EventKind.SLA_RECOMPUTED,
        actor=actor,
        data={"reason": reason, "policy": policy.name if policy else "", "clocks": lines},
    )
    audit_record(
        actor=actor, action="sla.recompute", obj=case, after={"clocks": lines}, reason=reason
    )
    return True


def sla_recompute_clocks(
    *,
    calendar_id: int | None = None,
    policy_id: int | None = None,
    after_id: int = 0,
    batch: int = 200,
) -> tuple[int, int | None]:
    """Recompute the open cases whose live clocks use a calendar (or a policy), ``batch``
    clocks at a time from ``after_id``. Returns (cases recomputed, id to continue after, or
    None when done)."""
    qs = SlaClock.objects.filter(state__in=LIVE_STATES, pk__gt=after_id).order_by("pk")
    if calendar_id is not None:
        qs = qs.filter(calendar_id=calendar_id)
    if policy_id is not None:
        qs = qs.filter(policy_id=policy_id)
    rows = list(qs.values_list("pk", "case_id")[:batch])
    done = set()
    reason = "calendar" if calendar_id is not None else "policy"
    for _pk, case_id in rows:
        if case_id in done:
            continue
        done.add(case_id)
        case = Case.objects.filter(pk=case_id).first()
        if case is not None:
            sla_case_recompute(case=case, actor=None, reason=reason)
    next_after = rows[-1][0] if len(rows) == batch else None
    return len(done), next_after


PAUSE_LABELS = dict(PauseReason.choices)
