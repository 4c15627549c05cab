"""Reads of work orders, restricted to what the user may see (style rule 5).

Dispatchers, supervisors and auditors see every order; a technician sees only the orders
assigned to them; staff who follow up see the orders of the cases they can see; a customer
sees only their own. A single order comes from :func:`workorder_get_for`, which answers 404
both for a missing order and for one the user may not see.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from aftersales.accounts.models import User
from aftersales.customers.phones import mask_phone

from .choices import OPEN_STATUSES, FollowUpState, Status
from .followups import FOLLOWUP_TARGET
from .models import FollowUp, Visit, WorkOrder, WorkOrderPhoto


def workorder_visible_q(user: User) -> Q | None:
    """``None`` = no restriction; otherwise the condition a visible order meets."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.is_superuser or user.has_perm("workorders.view_all_workorders"):
        return None
    if getattr(user, "is_staff_member", False):
        if not user.has_perm("workorders.view_workorder"):
            return Q(pk__in=[])
        cond = Q(technician=user)
        if user.has_perm("workorders.followup_workorder") or user.has_perm(
            "workorders.add_workorder"
        ):
            from aftersales.cases.selectors import case_visible_q

            case_q = case_visible_q(user)
            if case_q is None:
                return None
            from aftersales.cases.models import Case

            cond |= Q(case__in=Case.objects.filter(case_q).values("pk"))
        return cond
    return Q(customer__user=user)


def workorder_list(*, user: User) -> QuerySet[WorkOrder]:
    q = workorder_visible_q(user)
    qs = WorkOrder.objects.all()
    return qs if q is None else qs.filter(q)


RELATED = ("case", "customer", "asset__product_model", "technician", "service_center")


def workorder_get_for(*, user: User, number: str) -> WorkOrder:
    try:
        return workorder_list(user=user).select_related(*RELATED).get(number=number)
    except WorkOrder.DoesNotExist as exc:
        raise Http404("work order") from exc


def photo_get_for(*, user: User, pk: int) -> WorkOrderPhoto:
    visible = workorder_list(user=user)
    try:
        return WorkOrderPhoto.objects.select_related("work_order").get(
            pk=pk, work_order__in=visible
        )
    except (WorkOrderPhoto.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("photo") from exc


def phone_visible(user: User, order: WorkOrder, today: dt.date | None = None) -> bool:
    """The whole number: roles with full personal data always; the assigned technician only
    on the day of a visit (tap to call); everybody else sees it masked."""
    if user.has_perm("customers.view_full_personal_data") or user.has_perm(
        "workorders.dispatch_workorder"
    ):
        return True
    if order.technician_id != user.pk or order.status not in OPEN_STATUSES:
        return False
    today = today or timezone.localdate()
    start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    return order.visits.filter(
        technician=user,
        cancelled=False,
        planned_start__lt=start + dt.timedelta(days=1),
        planned_end__gte=start,
    ).exists()


def contact_phone_for(user: User, order: WorkOrder) -> str:
    if not order.contact_phone:
        return ""
    return order.contact_phone if phone_visible(user, order) else mask_phone(order.contact_phone)


def technician_today(*, user: User, day: dt.date | None = None) -> list[dict[str, Any]]:
    """The technician's jobs for the day in visit order, then open jobs without a visit today."""
    day = day or timezone.localdate()
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    end = start + dt.timedelta(days=1)
    visits = (
        Visit.objects.filter(
            technician=user,
            cancelled=False,
            planned_start__lt=end,
            planned_end__gte=start,
            work_order__technician=user,
        )
        .select_related("work_order__customer", "work_order__asset__product_model")
        .order_by("planned_start", "id")
    )
    rows: list[dict[str, Any]] = []
    seen: set[int] = set()
    for visit in visits:
        if visit.work_order_id in seen:
            continue
        seen.add(visit.work_order_id)
        rows.append({"order": visit.work_order, "visit": visit})
    others = (
        WorkOrder.objects.filter(technician=user, status__in=OPEN_STATUSES)
        .exclude(pk__in=seen)
        .select_related("customer", "asset__product_model")
        .order_by("repair_at", "id")
    )
    rows.extend({"order": o, "visit": None} for o in others)
    return rows


def followups_due(*, user: User, now: dt.datetime | None = None) -> QuerySet[FollowUp]:
    """Follow-ups whose time has come and that ``user`` may make (never their own repairs)."""
    now = now or timezone.now()
    return (
        FollowUp.objects.filter(
            state=FollowUpState.DUE,
            due_at__lte=now,
            work_order__in=workorder_list(user=user),
        )
        .exclude(work_order__technician=user)
        .select_related("work_order__customer", "work_order__technician", "work_order__case")
        .order_by("due_at", "id")
    )


def followups_overdue(*, user: User, now: dt.datetime | None = None, grace_days: int = 2):
    now = now or timezone.now()
    return followups_due(user=user, now=now - dt.timedelta(days=grace_days))


def followup_rate(start: dt.datetime, end: dt.datetime) -> dict[str, Any]:
    """Follow-up rate = follow-ups done ÷ orders completed in [start, end) (R3.5, target 80 %)."""
    completed = WorkOrder.objects.filter(completed_at__gte=start, completed_at__lt=end)
    stats = completed.aggregate(
        completed=Count("pk"),
        done=Count("pk", filter=Q(follow_up__state=FollowUpState.DONE)),
    )
    rate = (
        (Decimal(stats["done"]) / Decimal(stats["completed"])).quantize(Decimal("0.001"))
        if stats["completed"]
        else None
    )
    return {
        **stats,
        "rate": rate,
        "target": FOLLOWUP_TARGET,
        "meets_target": rate is not None and rate >= FOLLOWUP_TARGET,
    }


def review_queue() -> QuerySet[WorkOrder]:
    return (
        WorkOrder.objects.filter(status=Status.SIGNED_OFF)
        .select_related("customer", "technician")
        .order_by("completed_at", "id")
    )


def can_see_batches(user: Any) -> bool:
    """Whether the order's page includes purchasing's "batches used" fragment (R8.6): buyers
    see any order's, staff who may open work orders see those they can open (the fragment's
    own view checks the order again)."""
    return bool(
        user.has_perm("purchasing.view_purchaseorder") or user.has_perm("workorders.view_workorder")
    )
