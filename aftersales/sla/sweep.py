"""The sweep: every minute, act on the clocks whose next check has come (R2.3).

It reads clocks through the partial index on ``next_check_at``, so its cost grows with the
number of clocks due, not with the number open. For each one it marks the breach at the due
time and fires the escalation levels whose threshold has passed. A level is announced by
inserting its :class:`EscalationNotice` with ``INSERT … ON CONFLICT DO NOTHING RETURNING``: only
the sweep whose row went in notifies, so a level is announced once however many sweeps run (on
PostgreSQL the clocks are also claimed with ``FOR UPDATE SKIP LOCKED``; SQLite's write lock
serialises sweeps). Notices to staff outside the recipient's working hours are held until the
next working instant of their calendar, unless the case is urgent; a second pass releases them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from aftersales.accounts.models import User
from aftersales.accounts.roles import Role
from aftersales.calendars.worktime import UnknownYear
from aftersales.cases.choices import EventKind, Priority
from aftersales.cases.models import Case, CaseEvent
from aftersales.core.audit import audit_record
from aftersales.core.rows import insert_rows
from aftersales.notifications.models import Channel
from aftersales.notifications.services import Message, notifications_queue

from . import calendars as sla_calendars
from . import events as sla_events
from .choices import ClockEventKind, ClockState, DeliveryState, Recipient
from .models import (
    EscalationContact,
    EscalationDelivery,
    EscalationLevel,
    EscalationNotice,
    SlaClock,
    SlaClockEvent,
)
from .services import clock_next_check, clock_state_to, clock_threshold
from .transitions import DELIVERIES, SYSTEM

TEMPLATE = "sla_escalation"


@dataclass
class SweepResult:
    clocks: int = 0
    breached: int = 0
    notices: int = 0
    queued: int = 0
    held: int = 0
    released: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def sla_sweep(*, now: dt.datetime | None = None, batch: int = 2000) -> SweepResult:
    """One pass over what is due at ``now``: at most ``batch`` clocks and held notices."""
    now = now or timezone.now()
    result = SweepResult()
    with transaction.atomic():
        _sweep_clocks(now, batch, result)
    with transaction.atomic():
        _release_held(now, batch, result)
    return result


# --- clocks ----------------------------------------------------------------------------------


class _Context:
    """What one sweep loads once: calendars, levels, contacts, staff calendars."""

    def __init__(self, policy_ids: set[int]) -> None:
        self.cals = sla_calendars.CalendarCache()
        self.levels: dict[tuple[int, str], list[EscalationLevel]] = {}
        self._all_levels = defaultdict(list)
        for level in (
            EscalationLevel.objects.filter(policy_id__in=policy_ids)
            .prefetch_related("users")
            .order_by("position", "id")
        ):
            self._all_levels[level.policy_id].append(level)
        self._contacts: list[EscalationContact] | None = None
        self._supervisors: list[User] | None = None
        self._user_cals: dict[int, Any] = {}

    def levels_for(self, policy_id: int | None, kind: str) -> list[EscalationLevel]:
        key = (policy_id or 0, kind)
        if key not in self.levels:
            self.levels[key] = [
                lv for lv in self._all_levels.get(policy_id, []) if lv.applies_to(kind)
            ]
        return self.levels[key]

    def contacts(self) -> list[EscalationContact]:
        if self._contacts is None:
            self._contacts = list(EscalationContact.objects.select_related("user"))
        return self._contacts

    def supervisors(self) -> list[User]:
        if self._supervisors is None:
            self._supervisors = list(
                User.objects.filter(groups__name=Role.SUPERVISOR, is_active=True).order_by("id")
            )
        return self._supervisors

    def _contact(self, role: str, case: Case) -> list[User]:
        rows = [c for c in self.contacts() if c.role == role]
        team = case.team
        for test in (
            lambda c: team is not None and c.team_id == team.pk,
            lambda c: (
                team is not None and c.team_id is None and c.department_id == team.department_id
            ),
            lambda c: c.team_id is None and c.department_id is None,
        ):
            found = [c.user for c in rows if test(c)]
            if found:
                return found
        return []

    def recipients(self, level: EscalationLevel, case: Case) -> list[User]:
        """The people a level names, relative to the case; inactive users are left out."""
        people: list[User | None] = []
        for role in level.recipients:
            if role == Recipient.OWNER:
                people.append(case.assignee)
            elif role == Recipient.TEAM_LEAD:
                people.append(case.team.lead if case.team_id else None)
            elif role == Recipient.DEPARTMENT_HEAD:
                head = case.team.department.head if case.team_id else None
                people.extend([head] if head else self._contact(role, case))
            elif role == Recipient.SERVICE_MANAGER:
                people.extend(self._contact(role, case) or self.supervisors())
        people.extend(level.users.all())
        seen, out = set(), []
        for user in people:
            if user is not None and user.is_active and user.pk not in seen:
                seen.add(user.pk)
                out.append(user)
        return out

    def prime_staff(self, users: list[User]) -> None:
        """Load the calendars of these recipients at once."""
        missing = [u for u in users if u.pk not in self._user_cals]
        if missing:
            for user_id, calendar_id in sla_calendars.calendar_ids_for_staff(missing).items():
                self._user_cals[user_id] = self.cals.get(calendar_id)

    def hold_until(self, user: User, case: Case, now: dt.datetime) -> dt.datetime | None:
        """The recipient's next working instant when ``now`` is outside it; urgent cases and
        recipients without a calendar are not held."""
        if case.priority == Priority.URGENT:
            return None
        if user.pk not in self._user_cals:
            self.prime_staff([user])
        cal = self._user_cals[user.pk]
        if cal is None:
            return None
        try:
            if cal.is_working(now):
                return None
            return cal.next_working_instant(now)
        except UnknownYear:
            return None


def _claim_due(now: dt.datetime, batch: int) -> list[SlaClock]:
    qs = SlaClock.objects.filter(next_check_at__lte=now).order_by("next_check_at", "id")
    if connection.features.has_select_for_update_skip_locked:
        qs = qs.select_for_update(skip_locked=True, of=("self",))
    return list(
        qs.select_related("case__assignee", "case__team__lead", "case__team__department__head")[
            :batch
        ]
    )


def _insert_notices(rows: list[tuple[int, int, int, dt.datetime]], now: dt.datetime) -> list[tuple]:
    """Insert (clock, level, case, reached) rows; return (id, clock, level) of those that went
    in. A row already present (another sweep's) is left alone and not returned."""
    if not rows:
        return []
    qn = connection.ops.quote_name
    adapt = connection.ops.adapt_datetimefield_value
    table = qn(EscalationNotice._meta.db_table)
    won: list[tuple] = []
    for start in range(0, len(rows), 500):
        chunk = rows[start : start + 500]
        values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(chunk))
        params: list[Any] = []
        for clock_id, level_id, case_id, reached in chunk:
            params += [clock_id, level_id, case_id, adapt(reached), adapt(now)]
        sql = (
            f"INSERT INTO {table} ({qn('clock_id')}, {qn('level_id')}, {qn('case_id')}, "
            f"{qn('reached_at')}, {qn('created_at')}) VALUES {values} "
            f"ON CONFLICT ({qn('clock_id')}, {qn('level_id')}) DO NOTHING "
            f"RETURNING {qn('id')}, {qn('clock_id')}, {qn('level_id')}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            won.extend(cursor.fetchall())
    return won


def _update_clocks(clocks: list[SlaClock]) -> None:
    """Write the swept clocks' state, breach, level and next check in one statement per 500:
    ``WITH v(…) AS (VALUES …) UPDATE … FROM v`` (PostgreSQL and SQLite ≥ 3.33)."""
    qn = connection.ops.quote_name
    adapt = connection.ops.adapt_datetimefield_value
    stamp = "::timestamptz" if connection.vendor == "postgresql" else ""
    table = qn(SlaClock._meta.db_table)
    for start in range(0, len(clocks), 500):
        chunk = clocks[start : start + 500]
        values = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(chunk))
        params: list[Any] = []
        for c in chunk:
            params += [
                c.pk,
                c.state,
                adapt(c.breached_at),
                c.next_level,
                adapt(c.next_check_at),
                adapt(c.updated_at),
            ]
        sql = (
            f"WITH v (id, state, breached_at, next_level, next_check_at, updated_at) AS "
            f"(VALUES {values}) "
            f"UPDATE {table} SET {qn('state')} = v.state, "
            f"{qn('breached_at')} = CAST(v.breached_at AS TEXT){stamp}, "
            f"{qn('next_level')} = v.next_level, "
            f"{qn('next_check_at')} = CAST(v.next_check_at AS TEXT){stamp}, "
            f"{qn('updated_at')} = CAST(v.updated_at AS TEXT){stamp} "
            f"FROM v WHERE {table}.{qn('id')} = v.id"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def _sweep_clocks(now: dt.datetime, batch: int, result: SweepResult) -> None:
    clocks = _claim_due(now, batch)
    result.clocks = len(clocks)
    if not clocks:
        return
    ctx = _Context({c.policy_id for c in clocks if c.policy_id})
    fired: list[tuple[SlaClock, EscalationLevel, dt.datetime]] = []
    breached: list[SlaClock] = []
    for clock in clocks:
        cal = ctx.cals.get(clock.calendar_id)
        levels = ctx.levels_for(clock.policy_id, clock.kind)
        if clock.state in (ClockState.RUNNING, ClockState.BREACHED) and clock.due_at:
            while clock.next_level < len(levels):
                level = levels[clock.next_level]
                at = clock_threshold(clock, level, cal)
                if at > now:
                    break
                fired.append((clock, level, at))
                clock.next_level += 1
            if clock.breached_at is None and clock.due_at <= now:
                clock.breached_at = clock.due_at
                clock_state_to(clock, ClockState.BREACHED)
                breached.append(clock)
        clock.next_check_at = clock_next_check(clock, levels, cal)
        clock.updated_at = now
    _update_clocks(clocks)
    won = _insert_notices([(c.pk, lv.pk, c.case_id, at) for c, lv, at in fired], now)
    won_keys = {(clock_id, level_id): pk for pk, clock_id, level_id in won}
    notices = [
        (won_keys[(c.pk, lv.pk)], c, lv, at) for c, lv, at in fired if (c.pk, lv.pk) in won_keys
    ]
    result.notices = len(notices)
    result.breached = len(breached)
    _record_breaches(breached, now)
    _deliver_notices(ctx, notices, now, result)


def _record_breaches(breached: list[SlaClock], now: dt.datetime) -> None:
    if not breached:
        return
    sla_events.targets_breached(breached)
    insert_rows(
        [
            SlaClockEvent(clock=c, kind=ClockEventKind.BREACHED, at=c.breached_at, data={})
            for c in breached
        ]
    )
    insert_rows(
        [
            CaseEvent(
                case_id=c.case_id,
                kind=EventKind.SLA_BREACHED,
                data={
                    "clock": c.pk,
                    "kind": c.kind,
                    "name": c.label,
                    "due_at": c.due_at.isoformat(),
                },
            )
            for c in breached
        ]
    )
    for c in breached:
        audit_record(
            actor=None,
            action="sla.breach",
            object_type="sla.slaclock",
            object_id=c.pk,
            object_repr=f"{c.case.number} {c.label}"[:200],
            before={"state": ClockState.RUNNING},
            after={"state": ClockState.BREACHED, "breached_at": c.breached_at.isoformat()},
        )


def _deliver_notices(
    ctx: _Context,
    notices: list[tuple[int, SlaClock, EscalationLevel, dt.datetime]],
    now: dt.datetime,
    result: SweepResult,
) -> None:
    if not notices:
        return
    deliveries: list[EscalationDelivery] = []
    events: list[CaseEvent] = []
    history: list[SlaClockEvent] = []
    send: list[tuple[EscalationDelivery, SlaClock, EscalationLevel]] = []
    reached: list[tuple[SlaClock, EscalationLevel, dt.datetime, list]] = []
    recipients = {}
    for notice_id, clock, level, _at in notices:
        recipients[notice_id] = ctx.recipients(level, clock.case)
    ctx.prime_staff([u for group in recipients.values() for u in group])
    for notice_id, clock, level, at in notices:
        case = clock.case
        names = []
        for user in recipients[notice_id]:
            hold = ctx.hold_until(user, case, now)
            delivery = EscalationDelivery(
                notice_id=notice_id,
                user=user,
                state=DeliveryState.HELD if hold else DeliveryState.QUEUED,
                hold_until=hold,
                queued_at=None if hold else now,
            )
            deliveries.append(delivery)
            names.append({"user": str(user), "held_until": hold.isoformat() if hold else None})
            if hold:
                result.held += 1
            else:
                send.append((delivery, clock, level))
        data = {
            "clock": clock.pk,
            "kind": clock.kind,
            "name": clock.label,
            "level": str(level),
            "reached_at": at.isoformat(),
            "recipients": names,
        }
        events.append(CaseEvent(case_id=case.pk, kind=EventKind.SLA_ESCALATED, data=data))
        history.append(SlaClockEvent(clock=clock, kind=ClockEventKind.ESCALATED, at=at, data=data))
        reached.append((clock, level, at, names))
    insert_rows(deliveries)
    insert_rows(events)
    insert_rows(history)
    sla_events.levels_reached(reached)
    result.queued += _outbox(send, now)


def _release_held(now: dt.datetime, batch: int, result: SweepResult) -> None:
    qs = EscalationDelivery.objects.filter(state=DeliveryState.HELD, hold_until__lte=now).order_by(
        "hold_until", "id"
    )
    if connection.features.has_select_for_update_skip_locked:
        qs = qs.select_for_update(skip_locked=True, of=("self",))
    held = list(qs.select_related("user", "notice__level", "notice__clock__case")[:batch])
    if not held:
        return
    send = []
    for delivery in held:
        clock = delivery.notice.clock
        if (
            clock.state in (ClockState.RUNNING, ClockState.BREACHED)
            or clock.case.priority == Priority.URGENT
        ):
            DELIVERIES.check(delivery.state, DeliveryState.QUEUED, SYSTEM)
            delivery.state = DeliveryState.QUEUED
            send.append((delivery, clock, delivery.notice.level))
        else:  # met or stopped while the notice waited: no longer worth a message
            DELIVERIES.check(delivery.state, DeliveryState.SKIPPED, SYSTEM)
            delivery.state = DeliveryState.SKIPPED
        delivery.queued_at = now
    EscalationDelivery.objects.bulk_update(held, ["state", "queued_at"], batch_size=500)
    result.released += _outbox(send, now)


# --- the outbox ------------------------------------------------------------------------------


def _address(user: User, channel: str) -> str:
    if channel == Channel.EMAIL:
        return user.email or ""
    if channel == Channel.SMS:
        return user.phone or ""
    return user.get_username()


def render_notice(*, case: Case, clock: SlaClock, user: User, now: dt.datetime) -> tuple[str, str]:
    """Subject and body of an escalation notice in the active language (the caller activates
    the recipient's). Plain translated strings: a sweep writes a thousand of them."""
    overdue = clock.due_at is not None and clock.due_at <= now
    values = {
        "name": str(user),
        "number": case.number,
        "title": case.title,
        "target": clock.label,
        "due": timezone.localtime(clock.due_at).strftime("%Y-%m-%d %H:%M") if clock.due_at else "",
    }
    if overdue:
        subject = _("Overdue: %(target)s of case %(number)s") % values
    else:
        subject = _("Due soon: %(target)s of case %(number)s") % values
    lines = [
        _("%(name)s, the target “%(target)s” of case %(number)s (%(title)s) is due at %(due)s.")
        % values,
        _("It is overdue: please act on it now.")
        if overdue
        else _("Please make sure it is met in time."),
    ]
    if clock.estimated:
        lines.append(_("The due time is an estimate: the working calendar lacks the year."))
    lines.append(f"{settings.SITE_URL}/cases/{case.number}/")
    return " ".join(subject.split())[:200], "\n".join(lines)


def _outbox(
    items: list[tuple[EscalationDelivery, SlaClock, EscalationLevel]], now: dt.datetime
) -> int:
    """Render one message per delivery and channel, in each recipient's language, and hand
    them to the notification outbox."""
    messages: list[Message] = []
    by_language: dict[str, list] = defaultdict(list)
    for item in items:
        by_language[item[0].user.preferred_language].append(item)
    for language, group in by_language.items():
        with translation.override(language):
            for delivery, clock, level in group:
                user = delivery.user
                case = clock.case
                subject, body = render_notice(case=case, clock=clock, user=user, now=now)
                for channel in level.channels or [Channel.IN_APP]:
                    messages.append(
                        Message(
                            channel=channel,
                            template=TEMPLATE,
                            language=language,
                            recipient=_address(user, channel),
                            recipient_user=user,
                            case=case,
                            subject=subject,
                            body=body,
                        )
                    )
    notifications_queue(messages)
    return len(items) if messages else 0
