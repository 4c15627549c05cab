"""Reads of cases, restricted to what the user may see (style rule 5).

Staff see the cases assigned to them and, with the team permission, their teams' cases; roles
with triage rights also see the unassigned pool; technicians see only their own jobs;
supervisors, dispatchers and auditors see everything; a customer sees only their own. A single
case comes from :func:`case_get_for`, which answers 404 both for a missing case and for one the
user may not see.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from aftersales.accounts.models import Team, User
from aftersales.customers.models import Asset, Customer

from .choices import OPEN_STATUSES, CaseType
from .models import Attachment, Case, CaseEvent


def case_visible_q(user: User) -> Q | None:
    """``None`` = no restriction; otherwise the condition a visible case meets."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.is_superuser or user.has_perm("cases.view_all_cases"):
        return None
    if user.has_perm("cases.view_case"):
        cond = Q(assignee=user)
        if user.has_perm("cases.view_team_cases"):
            cond |= Q(team_id__in=_whole_teams(user))
        if user.has_perm("cases.add_case"):
            cond |= Q(team__isnull=True)  # the triage pool that intake staff route from
        if user.has_perm("cases.handle_complaints"):
            cond |= Q(case_type=CaseType.COMPLAINT)
        return cond
    return Q(customer__user=user)


def case_list(*, user: User, team: Team | None = None) -> QuerySet[Case]:
    """The cases ``user`` may see; with ``team``, only that team's.

    A member who sees the whole team (the team permission) sees every case of it, so the
    visibility condition adds nothing to ``team = t`` and is left out: the database can then
    answer a team queue and its count from the (team, status, id) index alone instead of
    reading each row for its assignee (docs/performance.md)."""
    qs = Case.objects.all()
    if team is not None:
        qs = qs.filter(team=team)
        if _sees_whole_team(user, team):
            return qs
    q = case_visible_q(user)
    return qs if q is None else qs.filter(q)


def _whole_teams(user: User) -> list[int]:
    """The teams every case of which ``user`` sees: their own, with the team permission."""
    if not (user.has_perm("cases.view_case") and user.has_perm("cases.view_team_cases")):
        return []
    return list(user.teams.values_list("id", flat=True))


def _sees_whole_team(user: User, team: Team) -> bool:
    return user.is_authenticated and user.is_active and team.pk in _whole_teams(user)


def case_get_for(*, user: User, number: str, for_update: bool = False) -> Case:
    qs = case_list(user=user).select_related(
        "customer", "contact", "asset__product_model", "team", "assignee", "category"
    )
    try:
        return qs.get(number=number)
    except Case.DoesNotExist as exc:
        raise Http404("case") from exc


def case_timeline(*, user: User, case: Case) -> list[CaseEvent]:
    """The events the user may see, attachments included, oldest first."""
    qs = case.events.select_related("actor").prefetch_related("attachments")
    if not getattr(user, "is_staff_member", False):
        qs = qs.filter(is_public=True)
    return list(qs.order_by("id"))


def attachment_list(*, user: User, case: Case) -> QuerySet[Attachment]:
    qs = case.attachments.all()
    if not getattr(user, "is_staff_member", False):
        qs = qs.filter(is_public=True)
    return qs


def attachment_get_for(*, user: User, pk: int) -> Attachment:
    visible = case_list(user=user)
    qs = Attachment.objects.select_related("case").filter(case__in=visible)
    if not getattr(user, "is_staff_member", False):
        qs = qs.filter(is_public=True)
    try:
        return qs.get(pk=pk)
    except (Attachment.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("attachment") from exc


def _related_q(customer: Customer | None, asset: Asset | None, days: int) -> Q | None:
    if customer is None and asset is None:
        return None
    who = Q()
    if customer is not None:
        who |= Q(customer=customer)
    if asset is not None:
        who |= Q(asset=asset)
    since = timezone.now() - dt.timedelta(days=days)
    return who & (Q(status__in=OPEN_STATUSES) | Q(closed_at__gte=since))


def related_cases(
    *,
    user: User,
    customer: Customer | None,
    asset: Asset | None = None,
    days: int = 30,
    exclude: Case | None = None,
    limit: int = 10,
) -> list[Case]:
    """Open or recently closed cases of the same customer or asset (R1.8 repeat detection)."""
    cond = _related_q(customer, asset, days)
    if cond is None:
        return []
    qs = case_list(user=user).filter(cond)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return list(qs.select_related("asset__product_model").order_by("-id")[:limit])


def related_cases_hidden_count(
    *, user: User, customer: Customer | None, asset: Asset | None = None, days: int = 30
) -> int:
    """How many such cases sit in queues the user cannot see: a repeat request must not pass
    unnoticed because another team holds the first one. Only the number is told."""
    cond = _related_q(customer, asset, days)
    if cond is None:
        return 0
    visible = case_visible_q(user)
    if visible is None:
        return 0
    return Case.objects.filter(cond).exclude(visible).count()
