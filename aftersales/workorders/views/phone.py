"""The technician's phone (issue 5): today's jobs in order, and one job's page.

The job page is drawn by the server; its saves go to the work-order API with an
Idempotency-Key and are retried by ``static/js/workorders-phone.js`` until the server confirms.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from aftersales.core.access import staff_required

from .. import selectors
from ..choices import PauseReason, Status
from ..integrations import technician_van
from ..present import order_out
from ..selectors import can_see_batches

PERM = ("workorders.work_workorder",)


@staff_required(*PERM)
@require_GET
def my_jobs(request: HttpRequest) -> HttpResponse:
    rows = selectors.technician_today(user=request.user)
    return render(
        request,
        "workorders/phone_jobs.html",
        {"rows": rows, "today": timezone.localdate()},
    )


def _van_parts(user) -> list:
    from aftersales.parts.models import StockLevel

    van = technician_van(user)
    if van is None:
        return []
    return list(
        StockLevel.objects.filter(location=van, on_hand__gt=0)
        .select_related("part")
        .order_by("part__code")[:200]
    )


@staff_required(*PERM)
@require_GET
def my_job(request: HttpRequest, number: str) -> HttpResponse:
    user = request.user
    order = selectors.workorder_get_for(user=user, number=number)
    if order.technician_id != user.pk:
        from django.http import Http404

        raise Http404("work order")
    data = order_out(user, order)
    field = order.status in (Status.ON_SITE, Status.IN_PROGRESS, Status.PAUSED)
    return render(
        request,
        "workorders/phone_job.html",
        {
            "order": order,
            "data": data,
            "allowed": set(data["allowed"]),
            "phone_visible": selectors.phone_visible(user, order),
            "field": field,
            "can_sign": field and order.status != Status.PAUSED,
            "pause_reasons": PauseReason.choices,
            "van_parts": _van_parts(user) if field else [],
            "can_see_batches": can_see_batches(user),
        },
    )
