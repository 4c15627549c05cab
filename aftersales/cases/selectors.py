"""Reads of cases, restricted to what the user may see (style rule 5).

Two scopes (docs/adr/0006-customer-history-at-the-desk.md):

- the **working scope** (:func:`case_visible_q`, :func:`case_list`, :func:`case_get_for`): the
  cases a user works on — staff see the cases assigned to them, the cases they registered
  (themselves or through their API key) and, with the team permission, their teams' cases;
  roles with triage rights also see the unassigned pool; technicians see only their own jobs;
  supervisors, dispatchers and auditors see everything; a customer sees only their own. Queues,
  every change, internal notes and internal files stay inside it.
- the **customer history** (:func:`case_history_q`, :func:`case_history_list`,
  :func:`case_read_for`): what the service desk reads when a customer calls — with the history
  permission, every case of every customer: its facts (status, type, team, assignee, product,
  dates, description, result) and its public thread; internal notes and internal files of a
  case outside the working scope stay hidden. Without that permission it is the working scope.

A single case comes from :func:`case_get_for` or :func:`case_read_for`, which answer 404 both
for a missing case and for one the user may not see.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet, Value
from django.http import Http404
from django.utils import timezone

from aftersales.accounts.models import Team, User
from aftersales.customers.models import Asset, Customer

from .choices import OPEN_STATUSES, CaseType
from .models import Attachment, Case, CaseEvent

_CASE_RELATED = ("customer", "contact", "asset__product_model", "team", "assignee", "category")


def case_visible_q(user: User, *, registered: Q | None = None) -> Q | None:
    """The working scope: ``None`` = no restriction; otherwise the condition a case meets.

    ``registered`` stands for "registered by ``user``" on another table than ``Case`` (the
    search index has no such column); by default ``created_by = user``."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.is_superuser or user.has_perm("cases.view_all_cases"):
        return None
    if user.has_perm("cases.view_case"):
        cond = Q(assignee=user)
        # whoever registered a case keeps it, wherever routing sent it
        cond |= Q(created_by=user) if registered is None else registered
        if user.has_perm("cases.view_team_cases"):
            cond |= Q(team_id__in=_whole_teams(user))
        if user.has_perm("cases.add_case"):
            cond |= Q(team__isnull=True)  # the triage pool that intake staff route from
        if user.has_perm("cases.handle_complaints"):
            cond |= Q(case_type=CaseType.COMPLAINT)
        return cond
    return Q(customer__user=user)


def case_registered_ids(user: User) -> QuerySet:
    """Ids of the cases ``user`` registered (a subquery)."""
    return Case.objects.filter(created_by=user).values("pk")


def reads_customer_history(user: User) -> bool:
    """Whether ``user`` reads every customer's cases beyond their working scope."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.has_perm("cases.view_case")
        and user.has_perm("cases.view_customer_history")
    )


def case_history_q(user: User) -> Q | None:
    """The customer history: ``None`` = every case; otherwise the working scope."""
    if reads_customer_history(user):
        return None
    return case_visible_q(user)


def case_history_list(*, user: User) -> QuerySet[Case]:
    """The cases whose facts and public thread ``user`` may read (the customer page, the
    intake look-up and repeat warning, ``GET /api/v1/cases?customer=``)."""
    q = case_history_q(user)
    return Case.objects.all() if q is None else Case.objects.filter(q)


def in_working_scope(case: Case) -> bool:
    """Whether a case from :func:`case_read_for` is also in the reader's working scope (its
    internal thread and its actions); a case from :func:`case_get_for` always is."""
    return bool(getattr(case, "in_work", True))


def case_read_for(*, user: User, number: str) -> Case:
    """One case of the customer history, annotated ``in_work`` (see :func:`in_working_scope`)
    in the same query; 404 when missing or outside the history."""
    work = case_visible_q(user)
    flag = Value(True) if work is None else ExpressionWrapper(work, output_field=BooleanField())
    qs = case_history_list(user=user).select_related(*_CASE_RELATED).annotate(in_work=flag)
    try:
        case = qs.get(number=number)
    except Case.DoesNotExist as exc:
        raise Http404("case") from exc
    case.in_work = bool(case.in_work)
    return case


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


def case_list_scope(*, user: User, team: Team | None = None, customer: int | None = None):
    """What the queue and ``GET /api/v1/cases`` narrow with their filter: one customer's
    cases come from the customer history, every other list is the working scope."""
    if customer:
        qs = case_history_list(user=user)
        return qs.filter(team=team) if team is not None else qs
    return case_list(user=user, team=team)


def _whole_teams(user: User) -> list[int]:
    """The teams every case of which ``user`` sees: their own, with the team permission."""
    if not (user.has_perm("cases.view_case") and user.has_perm("cases.view_team_cases")):
        return []
    # read once per request: a search asks for the working scope several times
    if not hasattr(user, "_whole_teams_cache"):
        user._whole_teams_cache = list(user.teams.values_list("id", flat=True))
    return user._whole_teams_cache


def _sees_whole_team(user: User, team: Team) -> bool:
    return user.is_authenticated and user.is_active and team.pk in _whole_teams(user)


def case_get_for(*, user: User, number: str, for_update: bool = False) -> Case:
    qs = case_list(user=user).select_related(*_CASE_RELATED)
    try:
        return qs.get(number=number)
    except Case.DoesNotExist as exc:
        raise Http404("case") from exc


def _sees_internal(user: User, case: Case) -> bool:
    return bool(getattr(user, "is_staff_member", False)) and in_working_scope(case)


def case_timeline(*, user: User, case: Case) -> list[CaseEvent]:
    """The events the user may see, attachments included, oldest first: staff see internal
    events of the cases they work on, everyone else (and staff reading another team's case in
    the customer history) the public thread."""
    qs = case.events.select_related("actor").prefetch_related("attachments")
    if not _sees_internal(user, case):
        qs = qs.filter(is_public=True)
    return list(qs.order_by("id"))


def attachment_list(*, user: User, case: Case) -> QuerySet[Attachment]:
    qs = case.attachments.all()
    if not _sees_internal(user, case):
        qs = qs.filter(is_public=True)
    return qs


def attachment_get_for(*, user: User, pk: int) -> Attachment:
    """A file of a case in the working scope (internal files for staff), or a public file of
    a case in the customer history."""
    qs = Attachment.objects.select_related("case")
    work = case_visible_q(user)
    staff = getattr(user, "is_staff_member", False)
    in_work = Q() if work is None else Q(case__in=Case.objects.filter(work).values("pk"))
    if not staff:
        in_work &= Q(is_public=True)
    cond = in_work
    if staff and reads_customer_history(user):
        cond = in_work | Q(is_public=True)
    try:
        return qs.filter(cond).get(pk=pk)
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
    """Open or recently closed cases of the same customer or asset (R1.8 repeat detection),
    from the customer history: another team's case is shown too."""
    cond = _related_q(customer, asset, days)
    if cond is None:
        return []
    qs = case_history_list(user=user).filter(cond)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return list(qs.select_related("asset__product_model", "team").order_by("-id")[:limit])


def related_cases_hidden_count(
    *, user: User, customer: Customer | None, asset: Asset | None = None, days: int = 30
) -> int:
    """How many such cases lie outside what the user may read (a role without the customer
    history): a repeat request must not pass unnoticed because another team holds the first
    one. Only the number is told."""
    cond = _related_q(customer, asset, days)
    if cond is None:
        return 0
    visible = case_history_q(user)
    if visible is None:
        return 0
    return Case.objects.filter(cond).exclude(visible).count()
