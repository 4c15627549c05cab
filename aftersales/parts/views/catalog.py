"""The catalog screens: search, the part page (stock per location, ledger, reservations), add
and edit, Excel export, low stock and the suggested purchase plan."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from aftersales.core.access import staff_required
from aftersales.core.errors import DomainError
from aftersales.core.forms import add_domain_error
from aftersales.core.pagination import keyset_page

from .. import selectors, services
from ..forms import PartForm, PartSearchForm
from ..imports import catalog_workbook
from ..models import ZERO, Part
from .common import VIEW, is_htmx

PAGE = 50


@staff_required(*VIEW)
@require_GET
def part_list(request: HttpRequest) -> HttpResponse:
    """Search the catalog by code, name, specification or product model code."""
    form = PartSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = selectors.part_list(
        q=data.get("q", ""),
        stock_class=data.get("stock_class", ""),
        abc_class=data.get("abc_class", ""),
    )
    try:
        page = keyset_page(qs, order=["code"], cursor=request.GET.get("cursor"), limit=PAGE)
    except DomainError:
        page = keyset_page(qs, order=["code"], cursor=None, limit=PAGE)
    totals = selectors.part_totals([p.pk for p in page.items])
    rows = [
        {"part": p, **totals.get(p.pk, {"on_hand": ZERO, "reserved": ZERO, "available": ZERO})}
        for p in page.items
    ]
    for row in rows:
        row["low"] = row["part"].reorder_point > 0 and row["available"] < row["part"].reorder_point
    query = request.GET.copy()
    query.pop("cursor", None)
    context = {
        "form": form,
        "rows": rows,
        "next_cursor": page.next_cursor,
        "query": query.urlencode(),
        "can_edit": request.user.has_perm("parts.add_part"),
        "can_move": request.user.has_perm("parts.move_stock"),
        "can_import": request.user.has_perm("parts.import_part"),
    }
    if is_htmx(request) and request.htmx.target == "part-results":
        return render(request, "parts/partials/_part_table.html", context)
    return render(request, "parts/part_list.html", context)


@staff_required(*VIEW)
@require_GET
def part_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One part: what it is, its stock per location the user may see (from the stock rows; a
    technician their own vans), the latest ledger rows and active reservations."""
    user = request.user
    part = selectors.part_get(code)
    levels = selectors.stock_for_part(part, user=user)
    on_hand = sum((Decimal(str(lvl.on_hand)) for lvl in levels), ZERO)
    reserved = sum((Decimal(str(lvl.reserved)) for lvl in levels), ZERO)
    movements = list(selectors.movement_list_for(user, part=part).order_by("-id")[:30])
    context = {
        "part": part,
        "levels": levels,
        "on_hand": on_hand,
        "reserved": reserved,
        "available": on_hand - reserved,
        "low": part.reorder_point > 0 and on_hand - reserved < part.reorder_point,
        "movements": movements,
        "can_view_ledger": selectors.can_view_ledger(user),
        "reservations": _active_reservations(part)
        if user.has_perm("parts.view_reservation")
        else [],
        "product_models": list(part.product_models.order_by("code")),
        "can_edit": user.has_perm("parts.change_part"),
        "can_move": user.has_perm("parts.move_stock"),
    }
    return render(request, "parts/part_detail.html", context)


def _active_reservations(part: Part) -> list:
    from django.db.models import F

    from ..models import Reservation

    return list(
        Reservation.objects.filter(part=part, status="active")
        .select_related("location")
        .annotate(wo_number=F("work_order__number"))
        .order_by("-id")
    )


def _part_values(form: PartForm) -> dict:
    data = form.cleaned_data
    return {
        "code": data["code"],
        "name": data["name"],
        "specification": data["specification"],
        "unit": data["unit"],
        "whole_units": data["whole_units"],
        "stock_class": data["stock_class"],
        "standard_cost": data["standard_cost"],
        "list_price": data["list_price"],
        "active": data["active"],
    }


@staff_required(*VIEW, "parts.add_part")
@require_http_methods(["GET", "POST"])
def part_create(request: HttpRequest) -> HttpResponse:
    form = PartForm(request.POST or None, request.FILES or None)
    # a refused form (an image too large, a code taken) comes back with its errors as a 4xx
    status = 422 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            part = services.part_create(
                actor=request.user,
                product_models=list(data["product_models"]),
                image=data.get("image") or None,
                reorder_point=data.get("reorder_point"),
                safety_stock=data.get("safety_stock"),
                lead_time_days=data.get("lead_time_days"),
                **_part_values(form),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
            status = exc.status_code
        else:
            messages.success(request, _("Part %(code)s added.") % {"code": part.code})
            return redirect("parts:part_detail", code=part.code)
    return render(request, "parts/part_form.html", {"form": form, "part": None}, status=status)


@staff_required(*VIEW, "parts.change_part")
@require_http_methods(["GET", "POST"])
def part_edit(request: HttpRequest, code: str) -> HttpResponse:
    part = selectors.part_get(code)
    initial = {
        "code": part.code,
        "name": part.name,
        "specification": part.specification,
        "unit": part.unit,
        "whole_units": part.whole_units,
        "stock_class": part.stock_class,
        "standard_cost": part.standard_cost,
        "list_price": part.list_price,
        "reorder_point": part.reorder_point,
        "safety_stock": part.safety_stock,
        "lead_time_days": part.lead_time_days,
        "product_models": list(part.product_models.all()),
        "active": part.active,
        "version": part.version,
    }
    form = PartForm(request.POST or None, request.FILES or None, initial=initial)
    status = 422 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        values = _part_values(form)
        for key in ("reorder_point", "safety_stock", "lead_time_days"):
            if data.get(key) is not None:
                values[key] = data[key]
        try:
            part = services.part_update(
                part,
                actor=request.user,
                expected_version=data.get("version") or part.version,
                product_models=list(data["product_models"]),
                image=data.get("image") or None,
                **values,
            )
        except DomainError as exc:
            add_domain_error(form, exc)
            status = exc.status_code
        else:
            messages.success(request, _("Part %(code)s saved.") % {"code": part.code})
            return redirect("parts:part_detail", code=part.code)
    return render(request, "parts/part_form.html", {"form": form, "part": part}, status=status)


@staff_required(*VIEW)
@require_GET
def part_export(request: HttpRequest) -> HttpResponse:
    """The catalog (filtered like the list) as an Excel workbook."""
    form = PartSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    parts = list(
        selectors.part_list(
            q=data.get("q", ""),
            stock_class=data.get("stock_class", ""),
            abc_class=data.get("abc_class", ""),
            active=None,
        )
        .prefetch_related("product_models")
        .order_by("code")[:20000]
    )
    body = catalog_workbook(parts, selectors.part_totals([p.pk for p in parts]))
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="parts-{stamp}.xlsx"'
    return response


@staff_required(*VIEW)
@require_GET
def low_stock(request: HttpRequest) -> HttpResponse:
    """Parts whose available stock is below their reorder point (R8.3, R12.3)."""
    return render(
        request,
        "parts/low_stock.html",
        {"rows": selectors.low_stock_list(), "can_move": request.user.has_perm("parts.move_stock")},
    )


@staff_required(*VIEW)
@require_GET
def purchase_plan(request: HttpRequest) -> HttpResponse:
    """Suggested purchase quantities from consumption, lead time and safety stock."""
    if not (
        request.user.has_perm("parts.move_stock") or request.user.has_perm("parts.view_movement")
    ):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    try:
        days = int(request.GET.get("days", 90))
    except ValueError:
        days = 90
    days = min(max(days, 7), 730)
    return render(
        request,
        "parts/purchase_plan.html",
        {"rows": selectors.purchase_plan(days=days), "days": days, "windows": [30, 90, 180, 365]},
    )
