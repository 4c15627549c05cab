"""Who inside a team gets a routed case: round-robin or the least loaded available agent.

Only agents who can work on cases, are active, are not absent now and are inside their working
hours (the calendars module) are candidates. When nobody is available the case stays in the
team's queue unassigned. Round-robin moves the team's pointer with a compare-and-set UPDATE;
least loaded counts open cases assigned, in one aggregate query.
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from aftersales.accounts.models import Team, User
from aftersales.cases.choices import OPEN_STATUSES

from .models import AssignmentMode, TeamRotation


def _calendar_api():
    """The calendars app's ``(calendar_for_user, calendar_for, staff_absent)``, or ``None``
    where that app is not installed."""
    try:
        selectors = importlib.import_module("aftersales.calendars.selectors")
        services = importlib.import_module("aftersales.calendars.services")
    except ImportError:
        return None
    found = (
        getattr(selectors, "calendar_for_user", None),
        getattr(services, "calendar_for", None),
        getattr(services, "staff_absent", None),
    )
    return None if None in found else found


def routing_now() -> dt.datetime:
    """The instant availability is judged at (one place, so tests can pin it)."""
    return timezone.now()


def unavailable_reason(user: User, at: dt.datetime) -> str:
    """``""`` when ``user`` can take a case at ``at``; else ``"absent"`` or ``"off_hours"``.

    A calendar that cannot answer (a year nobody entered yet) does not block assignment."""
    api = _calendar_api()
    if api is None:
        return ""
    calendar_for_user, calendar_for, staff_absent = api
    if staff_absent(user, at, at + dt.timedelta(seconds=1)):
        return "absent"
    try:
        working = calendar_for(calendar_for_user(user)).is_working(at)
    except Exception:
        return ""
    return "" if working else "off_hours"


def team_agents(team: Team) -> QuerySet[User]:
    """Active members of ``team`` whose role lets them work on cases, in a stable order."""
    can_work = (
        Q(is_superuser=True)
        | Q(
            groups__permissions__codename="view_case",
            groups__permissions__content_type__app_label="cases",
        )
        | Q(
            user_permissions__codename="view_case",
            user_permissions__content_type__app_label="cases",
        )
    )
    ids = team.members.filter(is_active=True, is_integration=False).filter(can_work).values("pk")
    return User.objects.filter(pk__in=ids).order_by("pk")


@dataclass
class Pick:
    """The agent chosen (or ``None``), why, and who was skipped as unavailable."""

    assignee: User | None
    reason: str
    skipped: list[dict]
    open_cases: int | None = None


def _reasons(agents: list[User], at: dt.datetime) -> dict[int, str]:
    """:func:`unavailable_reason` for a whole team at once: one query for absences, three for
    the members' calendars and one stamp check per distinct calendar, however many members."""
    api = _calendar_api()
    if api is None or not agents:
        return {}
    _for_user, calendar_for, _absent = api
    from aftersales.calendars.models import StaffAbsence
    from aftersales.calendars.selectors import calendar_ids_for_users

    absent = set(
        StaffAbsence.objects.filter(
            user__in=[a.pk for a in agents], start__lt=at + dt.timedelta(seconds=1), end__gt=at
        ).values_list("user_id", flat=True)
    )
    reasons = {pk: "absent" for pk in absent}
    present = [a for a in agents if a.pk not in absent]
    working: dict[int | None, bool] = {}
    for user_id, calendar_id in calendar_ids_for_users(present).items():
        if calendar_id not in working:
            try:
                working[calendar_id] = calendar_for(calendar_id).is_working(at)
            except Exception:
                working[calendar_id] = True  # a calendar that cannot answer does not block
        if not working[calendar_id]:
            reasons[user_id] = "off_hours"
    return reasons


def _available(agents: list[User], at: dt.datetime) -> tuple[list[User], list[dict]]:
    ok, skipped = [], []
    reasons = _reasons(agents, at)
    for agent in agents:
        why = reasons.get(agent.pk, "")
        if why:
            skipped.append({"user": agent.username, "name": str(agent), "why": why})
        else:
            ok.append(agent)
    return ok, skipped


def least_loaded(team: Team, at: dt.datetime) -> Pick:
    """The available agent with the fewest open cases assigned (ties: lowest id)."""
    agents = list(
        team_agents(team)
        .annotate(load=Count("assigned_cases", filter=Q(assigned_cases__status__in=OPEN_STATUSES)))
        .order_by("load", "pk")
    )
    available, skipped = _available(agents, at)
    if not available:
        return Pick(None, "nobody_available", skipped)
    chosen = available[0]
    return Pick(chosen, "least_loaded", skipped, open_cases=chosen.load)


def _next_after(available: list[User], last_id: int | None) -> User:
    for agent in available:
        if last_id is None or agent.pk > last_id:
            return agent
    return available[0]


def round_robin(team: Team, at: dt.datetime, *, advance: bool) -> Pick:
    """The next available agent after the one who got the team's last case.

    With ``advance`` the team's pointer moves by ``UPDATE … WHERE last_assignee = <seen>``; if
    another intake moved it first the update touches no row and the choice is made again from
    the new position, so two concurrent intakes never get the same "next" agent by a race.
    """
    available, skipped = _available(list(team_agents(team)), at)
    if not available:
        return Pick(None, "nobody_available", skipped)
    if not advance:
        state = TeamRotation.objects.filter(team=team).values_list("last_assignee", flat=True)
        last = state[0] if state else None
        return Pick(_next_after(available, last), "round_robin", skipped)
    TeamRotation.objects.get_or_create(team=team)
    for _attempt in range(20):
        last = TeamRotation.objects.filter(team=team).values_list("last_assignee", flat=True).get()
        chosen = _next_after(available, last)
        moved = TeamRotation.objects.filter(team=team, last_assignee=last).update(
            last_assignee=chosen, turns=F("turns") + 1
        )
        if moved:
            return Pick(chosen, "round_robin", skipped)
    return Pick(None, "nobody_available", skipped)


def pick_assignee(team: Team, mode: str, *, at: dt.datetime | None = None, advance: bool) -> Pick:
    """Choose an agent of ``team`` by ``mode``; ``advance=False`` only looks (dry run)."""
    at = at or routing_now()
    if mode == AssignmentMode.ROUND_ROBIN:
        return round_robin(team, at, advance=advance)
    if mode == AssignmentMode.LEAST_LOADED:
        return least_loaded(team, at)
    return Pick(None, "queue", [])
