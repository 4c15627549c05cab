"""Staff screens of work orders: list, opening from a case, the order page with assignment,
review and cancellation, the dispatch board and its suggestions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aftersales.accounts.models import User
from aftersales.cases.selectors import case_get_for
from aftersales.core.access import staff_required
from aftersales.core.errors import DomainError, InvalidInput
from aftersales.core.forms import add_domain_error

from .. import dispatch, selectors, services
from ..choices import Status
from ..forms import AssignForm, OrderForm, ReasonForm, ReviewForm, default_window
from ..models import WorkOrder
from ..present import order_out
from ..report import report_visible
from ..selectors import can_see_batches

VIEW = ("workorders.view_workorder",)
PAGE = 50


@staff_required(*VIEW)
@require_GET
def order_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.has_perm("workorders.dispatch_workorder") and user.has_perm(
        "workorders.work_workorder"
    ):
        return redirect("workorders:my_jobs")
    qs = selectors.workorder_list(user=user).select_related("customer", "technician", "case")
    status = request.GET.get("status", "")
    if status in Status.values:
        qs = qs.filter(status=status)
    return render(
        request,
        "workorders/order_list.html",
        {"orders": qs.order_by("-id")[:PAGE], "statuses": Status.choices, "status": status},
    )


@staff_required("workorders.add_workorder")
@require_http_methods(["GET", "POST"])
def order_new(request: HttpRequest) -> HttpResponse:
    case = case_get_for(user=request.user, number=request.GET.get("case", "")[:20])
    contact = case.contact
    address = case.customer.addresses.order_by("-is_default", "id").first()
    initial = {
        "request": case.description or case.title,
        "contact_name": contact.name if contact else "",
        "address": str(address) if address else "",
        "latitude": address.latitude if address else None,
        "longitude": address.longitude if address else None,
        "urgency": "urgent" if case.priority in ("high", "urgent") else "normal",
    }
    form = OrderForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            order = services.workorder_create(
                actor=request.user,
                case=case,
                request=data["request"],
                contact_name=data["contact_name"],
                contact_phone=data["contact_phone"],
                address=data["address"],
                latitude=data["latitude"],
                longitude=data["longitude"],
                inspection_at=data["inspection_at"],
                repair_at=data["repair_at"],
                urgency=data["urgency"],
                required_skills=data["required_skills"],
                required_certificate=data["required_certificate"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Work order %(number)s opened.") % {"number": order.number})
            return redirect("workorders:order_detail", number=order.number)
    return render(
        request,
        "workorders/order_new.html",
        {"case": case, "form": form},
        status=422 if request.method == "POST" else 200,
    )


def _detail_context(request: HttpRequest, order: WorkOrder, **extra: Any) -> dict[str, Any]:
    user = request.user
    can_dispatch = user.has_perm("workorders.dispatch_workorder")
    start, end = default_window(order)
    context: dict[str, Any] = {
        "order": order,
        "data": order_out(user, order),
        "events": order.events.select_related("actor").order_by("id"),
        "can_dispatch": can_dispatch,
        "can_review": user.has_perm("workorders.review_workorder")
        and order.status == Status.SIGNED_OFF,
        "report_ready": report_visible(user, order),
        "assign_form": AssignForm(initial={"version": order.version, "start": start, "end": end}),
        "review_form": ReviewForm(),
        "cancel_form": ReasonForm(),
        "can_see_batches": can_see_batches(user),
        "conflicts": None,
        "suggestions": None,
    }
    if can_dispatch and order.status in (
        *dispatch.UNASSIGNED,
        Status.DISPATCHED,
        Status.ACCEPTED,
        Status.PAUSED,
    ):
        context["suggestions"] = dispatch.suggest_technicians(order=order, start=start, end=end)
    context.update(extra)
    return context


@staff_required(*VIEW)
@require_GET
def order_detail(request: HttpRequest, number: str) -> HttpResponse:
    order = selectors.workorder_get_for(user=request.user, number=number)
    if order.technician_id == request.user.pk and not request.user.has_perm(
        "workorders.dispatch_workorder"
    ):
        return redirect("workorders:my_job", number=order.number)
    return render(request, "workorders/order_detail.html", _detail_context(request, order))


@staff_required("workorders.dispatch_workorder")
@require_GET
def suggestions(request: HttpRequest, number: str) -> HttpResponse:
    """The ranked technicians for the window typed in the assignment form (htmx)."""
    order = selectors.workorder_get_for(user=request.user, number=number)
    form = AssignForm(request.GET)
    form.is_valid()
    start = form.cleaned_data.get("start")
    end = form.cleaned_data.get("end")
    if not start or not end or end <= start:
        start, end = default_window(order)
    return render(
        request,
        "workorders/partials/_suggestions.html",
        {
            "order": order,
            "suggestions": dispatch.suggest_technicians(order=order, start=start, end=end),
        },
    )


@staff_required("workorders.dispatch_workorder")
@require_POST
def order_assign(request: HttpRequest, number: str) -> HttpResponse:
    order = selectors.workorder_get_for(user=request.user, number=number)
    form = AssignForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        technician = User.objects.filter(pk=data["technician"], is_active=True).first()
        try:
            if technician is None:
                form.add_error("technician", _("No such technician."))
                raise ValueError
            order = services.workorder_assign(
                actor=request.user,
                order=order,
                technician=technician,
                start=data["start"],
                end=data["end"],
                expected_version=data["version"],
                confirm=data["confirm"],
            )
        except ValueError:
            pass
        except DomainError as exc:
            conflicts = (
                (exc.detail or {}).get("conflicts") if exc.code == "needs_confirmation" else None
            )
            status = exc.status_code
            if not conflicts:
                add_domain_error(form, exc)
            return render(
                request,
                "workorders/order_detail.html",
                _detail_context(request, order, assign_form=form, conflicts=conflicts),
                status=status,
            )
        else:
            messages.success(
                request,
                _("%(number)s assigned to %(tech)s.")
                % {"number": order.number, "tech": technician},
            )
            return redirect("workorders:order_detail", number=order.number)
    return render(
        request,
        "workorders/order_detail.html",
        _detail_context(request, order, assign_form=form),
        status=422,
    )


@staff_required("workorders.review_workorder")
@require_POST
def order_review(request: HttpRequest, number: str) -> HttpResponse:
    order = selectors.workorder_get_for(user=request.user, number=number)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.workorder_review(
                actor=request.user,
                order=order,
                approve=form.cleaned_data["approve"],
                comment=form.cleaned_data["comment"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The review was recorded."))
            return redirect("workorders:order_detail", number=order.number)
    return render(
        request,
        "workorders/order_detail.html",
        _detail_context(request, order, review_form=form),
        status=422,
    )


@staff_required("workorders.dispatch_workorder")
@require_POST
def order_cancel(request: HttpRequest, number: str) -> HttpResponse:
    order = selectors.workorder_get_for(user=request.user, number=number)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.workorder_cancel(
                actor=request.user, order=order, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The work order was cancelled."))
            return redirect("workorders:order_detail", number=order.number)
    return render(
        request,
        "workorders/order_detail.html",
        _detail_context(request, order, cancel_form=form),
        status=422,
    )


@staff_required("cases.view_case")
@require_GET
def case_panel(request: HttpRequest, case_number: str) -> HttpResponse:
    """The case page's work-orders panel, loaded after the page (htmx) so that the case page
    itself costs no query more."""
    from ..templatetags.workorders_ui import case_panel_context

    case = case_get_for(user=request.user, number=case_number)
    return render(
        request, "workorders/partials/_case_panel.html", case_panel_context(request.user, case)
    )


@staff_required("workorders.dispatch_workorder")
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    """The dispatch board: unassigned orders, today's visits, a lane per technician."""
    try:
        day = parse_date(request.GET.get("day", "") or "") or timezone.localdate()
        dispatch.board_day_check(day)
    except (ValueError, InvalidInput):  # a day that does not exist or is out of range
        day = timezone.localdate()
    week = request.GET.get("week") == "1"
    data = dispatch.dispatch_board(day=day, week=week)
    return render(
        request,
        "workorders/board.html",
        {
            **data,
            "prev_day": day - dt.timedelta(days=7 if week else 1),
            "next_day": day + dt.timedelta(days=7 if week else 1),
        },
    )


def require_dispatch(user: User) -> None:
    if not user.has_perm("workorders.dispatch_workorder"):
        raise PermissionDenied
