"""Staff screens of purchasing: orders, receipts and inspection, suppliers, the scorecard,
batches and recalls, prices and stock figures.

Views check the form's shape and call the services; a rule the service refuses comes back as
the page with the message and the service's status (409/422), and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from aftersales.core.access import staff_required
from aftersales.core.errors import DomainError

from . import exports, figures, pricing, recall, selectors, services
from . import permissions as perms
from .choices import OrderStatus, PriceChangeStatus
from .forms import (
    DecisionForm,
    DefectForm,
    FiguresForm,
    InspectionForm,
    OrderFilterForm,
    OrderForm,
    PeriodForm,
    PriceChangeForm,
    PriceRuleForm,
    RatingForm,
    ReceiptForm,
    SupplierEditForm,
    SupplierForm,
    SupplierPriceForm,
    TransitionForm,
)
from .models import InspectionPhoto
from .scorecard import WEIGHTS, scorecard_rows, supplier_scorecard
from .transitions import MANUAL, RECEIVABLE, STEP_LABELS


def _first_error(form) -> str:
    for errors in form.errors.values():
        return str(errors[0])
    return _("Check the form.")


def _attempt(request: HttpRequest, action: Callable[[], Any], done: str) -> tuple[bool, str]:
    """Run a service; on a domain error keep its message for the page."""
    try:
        action()
    except DomainError as exc:
        return False, str(exc.message)
    messages.success(request, done)
    return True, ""


# --- orders ----------------------------------------------------------------------------------


@staff_required(perms.VIEW)
@require_GET
def order_list(request: HttpRequest) -> HttpResponse:
    form = OrderFilterForm(request.GET or None)
    status, supplier = "", None
    if form.is_valid():
        status = form.cleaned_data["status"] or ""
        supplier = form.cleaned_data["supplier"]
    orders = selectors.order_list(status=status, supplier=supplier)
    if request.GET.get("format") == "xlsx":
        return exports.workbook_response(
            exports.orders_workbook(orders[:5000]), "purchase-orders.xlsx"
        )
    return render(
        request,
        "purchasing/order_list.html",
        {
            "form": form,
            "orders": orders[:200],
            "can_buy": request.user.has_perm(perms.BUY),
            "open_quantities": len(selectors.open_order_quantities()),
        },
    )


@staff_required(perms.BUY)
def order_create(request: HttpRequest) -> HttpResponse:
    form = OrderForm(request.POST or None)
    error, status = "", 200
    if request.method == "POST":
        if form.is_valid():
            try:
                order = services.order_create(
                    actor=request.user,
                    supplier=form.cleaned_data["supplier"],
                    promised_date=form.cleaned_data["promised_date"],
                    notes=form.cleaned_data["notes"],
                    lines=form.cleaned_data["lines"],
                )
            except DomainError as exc:
                error, status = str(exc.message), exc.status_code
            else:
                messages.success(request, _("Purchase order %(n)s created.") % {"n": order.number})
                return redirect("purchasing:order_detail", pk=order.pk)
        else:
            status = 422
    return render(
        request,
        "purchasing/order_form.html",
        {"form": form, "error": error, "parts": _part_choices()},
        status=status,
    )


@staff_required(perms.BUY)
@require_POST
def orders_from_plan(request: HttpRequest) -> HttpResponse:
    """Draft one order per cheapest supplier from the parts' suggested purchase plan."""
    orders, unsourced = services.orders_from_plan(actor=request.user)
    if orders:
        messages.success(
            request,
            _("Drafted %(n)s purchase orders from the plan: %(numbers)s.")
            % {"n": len(orders), "numbers": ", ".join(o.number for o in orders)},
        )
    else:
        messages.info(request, _("The purchase plan suggests nothing that a supplier lists."))
    if unsourced:
        messages.warning(
            request,
            _("No supplier lists these suggested parts: %(codes)s.")
            % {"codes": ", ".join(p.code for p in unsourced)},
        )
    return redirect("purchasing:order_list")


def _part_choices():
    from aftersales.parts.models import Part

    return Part.objects.filter(active=True).order_by("code").values_list("code", "name")[:500]


def _order_context(request: HttpRequest, order, **extra: Any) -> dict[str, Any]:
    lines = selectors.order_lines(order)
    receipt_lines = selectors.receipt_lines_for_order(order)
    can_buy = request.user.has_perm(perms.BUY)
    steps = sorted(MANUAL.get(order.status, ())) if can_buy else []
    context = {
        "order": order,
        "lines": lines,
        "receipt_lines": receipt_lines,
        "can_buy": can_buy,
        "steps": [(s, STEP_LABELS.get(s, OrderStatus(s).label)) for s in steps],
        "receivable": can_buy and order.status in RECEIVABLE,
        "receipt_form": ReceiptForm(order_lines=lines, initial={"version": order.version}),
        "inspection_form": InspectionForm(),
        "error": "",
    }
    context.update(extra)
    return context


@staff_required(perms.VIEW)
@require_GET
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    order = selectors.order_get(pk=pk)
    return render(request, "purchasing/order_detail.html", _order_context(request, order))


def _order_error(request, order, error: str, status: int = 422, **extra) -> HttpResponse:
    order.refresh_from_db()
    return render(
        request,
        "purchasing/order_detail.html",
        _order_context(request, order, error=error, **extra),
        status=status,
    )


@staff_required(perms.BUY)
@require_POST
def order_transition(request: HttpRequest, pk: int) -> HttpResponse:
    order = selectors.order_get(pk=pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        return _order_error(request, order, _first_error(form))
    try:
        services.order_transition(
            actor=request.user,
            order=order,
            to_status=form.cleaned_data["to_status"],
            version=form.cleaned_data["version"],
            reason=form.cleaned_data["reason"],
        )
    except DomainError as exc:
        return _order_error(request, order, str(exc.message), exc.status_code)
    messages.success(request, _("The order is now “%(s)s”.") % {"s": order.get_status_display()})
    return redirect("purchasing:order_detail", pk=order.pk)


@staff_required(perms.BUY)
@require_POST
def receipt_create(request: HttpRequest, pk: int) -> HttpResponse:
    order = selectors.order_get(pk=pk)
    form = ReceiptForm(request.POST, order_lines=selectors.order_lines(order))
    if not form.is_valid():
        return _order_error(request, order, _first_error(form), receipt_form=form)
    try:
        services.receipt_create(
            actor=request.user,
            order=order,
            location=form.cleaned_data["location"],
            version=form.cleaned_data["version"],
            delivery_note=form.cleaned_data["delivery_note"],
            lines=form.cleaned_data["lines"],
        )
    except DomainError as exc:
        return _order_error(request, order, str(exc.message), exc.status_code, receipt_form=form)
    messages.success(request, _("Receipt recorded. Inspect each line to put it on stock."))
    return redirect("purchasing:order_detail", pk=order.pk)


@staff_required(perms.BUY)
@require_POST
def inspection_record(request: HttpRequest, line_pk: int) -> HttpResponse:
    line = selectors.receipt_line_get(pk=line_pk)
    order = line.receipt.order
    form = InspectionForm(request.POST)
    if not form.is_valid():
        return _order_error(request, order, _first_error(form))
    try:
        services.inspection_record(
            actor=request.user,
            receipt_line=line,
            accepted=form.cleaned_data["accepted"],
            rejected=form.cleaned_data["rejected"],
            defect_description=form.cleaned_data["defect_description"],
            photos=request.FILES.getlist("photos"),
        )
    except DomainError as exc:
        return _order_error(request, order, str(exc.message), exc.status_code)
    messages.success(request, _("Inspection recorded."))
    return redirect("purchasing:order_detail", pk=order.pk)


@staff_required(perms.VIEW)
@require_GET
def inspection_photo(request: HttpRequest, pk: int) -> FileResponse:
    """A defect photo, for roles that see purchasing; served inline, sandboxed."""
    photo = selectors._get(InspectionPhoto.objects.all(), pk=pk)
    try:
        handle = photo.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404("file") from exc
    response = FileResponse(handle, content_type=photo.content_type, filename=photo.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@staff_required(perms.VIEW)
@require_GET
def return_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "purchasing/return_list.html",
        {"returns": selectors.return_list()[:200], "can_buy": request.user.has_perm(perms.BUY)},
    )


@staff_required(perms.BUY)
@require_POST
def return_ship(request: HttpRequest, pk: int) -> HttpResponse:
    note = selectors.return_get(pk=pk)
    ok, error = _attempt(
        request,
        lambda: services.return_ship(actor=request.user, supplier_return=note),
        _("Return %(n)s shipped.") % {"n": note.number},
    )
    if not ok:
        messages.error(request, error)
    return redirect("purchasing:return_list")


# --- suppliers -------------------------------------------------------------------------------


@staff_required(perms.VIEW)
def supplier_list(request: HttpRequest) -> HttpResponse:
    can_manage = request.user.has_perm(perms.MANAGE_SUPPLIERS)
    form = SupplierForm(request.POST or None)
    error, status = "", 200
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            d = form.cleaned_data
            contacts = []
            if d["contact_name"]:
                contacts.append(
                    {
                        "name": d["contact_name"],
                        "role": d["contact_role"],
                        "phone": d["contact_phone"],
                        "email": d["contact_email"],
                    }
                )
            try:
                supplier = services.supplier_create(
                    actor=request.user,
                    code=d["code"],
                    name=d["name"],
                    tax_id=d["tax_id"],
                    address=d["address"],
                    contacts=contacts,
                )
            except DomainError as exc:
                error, status = str(exc.message), exc.status_code
            else:
                messages.success(request, _("Supplier %(s)s added.") % {"s": supplier.name})
                return redirect("purchasing:supplier_detail", pk=supplier.pk)
        else:
            status = 422
    return render(
        request,
        "purchasing/supplier_list.html",
        {
            "suppliers": selectors.supplier_list(),
            "form": form,
            "can_manage": can_manage,
            "error": error,
        },
        status=status,
    )


def _supplier_context(request, supplier, **extra) -> dict[str, Any]:
    context = {
        "supplier": supplier,
        "prices": selectors.supplier_price_list(supplier),
        "ratings": supplier.ratings.select_related("rated_by")[:20],
        "orders": selectors.order_list(supplier=supplier)[:20],
        "can_manage": request.user.has_perm(perms.MANAGE_SUPPLIERS),
        "price_form": SupplierPriceForm(),
        "rating_form": RatingForm(),
        "edit_form": SupplierEditForm(
            initial={
                "name": supplier.name,
                "tax_id": supplier.tax_id,
                "address": supplier.address,
                "active": supplier.active,
                "version": supplier.version,
            }
        ),
        "error": "",
    }
    context.update(extra)
    return context


@staff_required(perms.VIEW)
@require_GET
def supplier_detail(request: HttpRequest, pk: int) -> HttpResponse:
    supplier = selectors.supplier_get(pk=pk)
    return render(request, "purchasing/supplier_detail.html", _supplier_context(request, supplier))


@staff_required(perms.MANAGE_SUPPLIERS)
@require_POST
def supplier_edit(request: HttpRequest, pk: int) -> HttpResponse:
    supplier = selectors.supplier_get(pk=pk)
    form = SupplierEditForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.supplier_update(actor=request.user, supplier=supplier, version=version, **data)
        except DomainError as exc:
            supplier.refresh_from_db()
            return render(
                request,
                "purchasing/supplier_detail.html",
                _supplier_context(request, supplier, error=str(exc.message)),
                status=exc.status_code,
            )
        messages.success(request, _("Supplier saved."))
        return redirect("purchasing:supplier_detail", pk=pk)
    return render(
        request,
        "purchasing/supplier_detail.html",
        _supplier_context(request, supplier, edit_form=form, error=_first_error(form)),
        status=422,
    )


def _supplier_post(
    request: HttpRequest,
    pk: int,
    form_class: type,
    service: Callable[..., Any],
    done: str,
    slot: str,
) -> HttpResponse:
    """A supplier page form: validate, call ``service``, back to the page or show the error in
    the form's ``slot`` of the page."""
    supplier = selectors.supplier_get(pk=pk)
    form = form_class(request.POST)
    if form.is_valid():
        ok, error = _attempt(
            request,
            lambda: service(actor=request.user, supplier=supplier, **form.cleaned_data),
            done,
        )
        if ok:
            return redirect("purchasing:supplier_detail", pk=pk)
    else:
        error = _first_error(form)
    return render(
        request,
        "purchasing/supplier_detail.html",
        _supplier_context(request, supplier, error=error, **{slot: form}),
        status=422,
    )


@staff_required(perms.MANAGE_SUPPLIERS)
@require_POST
def supplier_price_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _supplier_post(
        request, pk, SupplierPriceForm, services.supplier_price_set, _("Price added."), "price_form"
    )


@staff_required(perms.MANAGE_SUPPLIERS)
@require_POST
def supplier_rate(request: HttpRequest, pk: int) -> HttpResponse:
    return _supplier_post(
        request, pk, RatingForm, services.supplier_rate, _("Rating recorded."), "rating_form"
    )


# --- scorecard -------------------------------------------------------------------------------


@staff_required(perms.VIEW)
@require_GET
def scorecard(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.GET or None)
    start, end = form.period()
    if not form.is_bound:
        form = PeriodForm(initial={"start": start, "end": end})
    rows = scorecard_rows(supplier_scorecard(start, end))
    fmt = request.GET.get("format")
    if fmt == "xlsx":
        return exports.workbook_response(
            exports.scorecard_workbook(rows, start, end), f"supplier-scorecard-{start}-{end}.xlsx"
        )
    if fmt == "json":
        return JsonResponse(_scorecard_chart(rows))
    return render(
        request,
        "purchasing/scorecard.html",
        {
            "form": form,
            "rows": rows,
            "start": start,
            "end": end,
            "weights": WEIGHTS,
            "query": request.GET.urlencode(),
        },
    )


def _num(value) -> float | None:
    return None if value is None else float(value)


def _scorecard_chart(rows: list[dict]) -> dict[str, Any]:
    ranked = [r for r in rows if r["total"] is not None]
    return {
        "dimensions": [_("Quality"), _("On time"), _("Price"), _("Service")],
        "total_label": _("Total"),
        "suppliers": [
            {
                "name": r["supplier"],
                "total": _num(r["total"]),
                "scores": [
                    _num(r["quality"]),
                    _num(r["on_time"]),
                    _num(r["price_score"]),
                    _num(r["service_score"]),
                ],
            }
            for r in ranked
        ],
    }


# --- batches and recall ----------------------------------------------------------------------


@staff_required(perms.VIEW)
@require_GET
def batch_list(request: HttpRequest) -> HttpResponse:
    q = (request.GET.get("q") or "").strip()[:60]
    only_defective = request.GET.get("defective") == "1"
    batches = selectors.batch_list(defective=True if only_defective else None, q=q)[:200]
    return render(
        request,
        "purchasing/batch_list.html",
        {"batches": batches, "q": q, "only_defective": only_defective},
    )


def _batch_context(request, batch, **extra) -> dict[str, Any]:
    user = request.user
    may_recall = user.has_perm(perms.RECALL)
    context = {
        "batch": batch,
        "supplier": selectors.batch_supplier(batch),
        "recall": selectors.recall_by_customer(batch) if may_recall else [],
        "may_recall": may_recall,
        "may_open_cases": may_recall and user.has_perm("cases.add_case"),
        "defect_form": DefectForm(),
        "error": "",
    }
    context["pending"] = sum(1 for entry in context["recall"] if entry.case is None)
    context.update(extra)
    return context


@staff_required(perms.VIEW)
@require_GET
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = selectors.batch_get(pk=pk)
    return render(request, "purchasing/batch_detail.html", _batch_context(request, batch))


@staff_required(perms.RECALL)
@require_POST
def batch_defect(request: HttpRequest, pk: int) -> HttpResponse:
    batch = selectors.batch_get(pk=pk)
    form = DefectForm(request.POST)
    if form.is_valid():
        ok, error = _attempt(
            request,
            lambda: recall.batch_mark_defective(
                actor=request.user, batch=batch, reason=form.cleaned_data["reason"]
            ),
            _("Batch marked defective. Check the recall list below."),
        )
        if ok:
            return redirect("purchasing:batch_detail", pk=pk)
    else:
        error = _first_error(form)
    batch.refresh_from_db()
    return render(
        request,
        "purchasing/batch_detail.html",
        _batch_context(request, batch, defect_form=form, error=error),
        status=422,
    )


@staff_required(perms.RECALL, "cases.add_case")
@require_POST
def batch_recall_cases(request: HttpRequest, pk: int) -> HttpResponse:
    batch = selectors.batch_get(pk=pk)
    try:
        opened = recall.recall_open_cases(actor=request.user, batch=batch)
    except DomainError as exc:
        return render(
            request,
            "purchasing/batch_detail.html",
            _batch_context(request, batch, error=str(exc.message)),
            status=exc.status_code,
        )
    messages.success(
        request,
        _("%(n)s customers notified and a case opened for each.") % {"n": len(opened)},
    )
    return redirect("purchasing:batch_detail", pk=pk)


@staff_required()
@require_GET
def work_order_batches(request: HttpRequest, number: str) -> HttpResponse:
    """The fragment the work-order page includes: the batches the order used (R8.6). Buyers
    see any order's; other roles only orders they may open (404 otherwise)."""
    from aftersales.workorders.models import WorkOrder

    user = request.user
    if user.has_perm(perms.VIEW):
        work_order = selectors._get(WorkOrder.objects.all(), number=number)
    elif user.has_perm("workorders.view_workorder"):
        from aftersales.workorders.selectors import workorder_get_for

        work_order = workorder_get_for(user=user, number=number)
    else:
        raise PermissionDenied
    return render(
        request,
        "purchasing/partials/_work_order_batches.html",
        {"used": selectors.batches_for_work_order(work_order), "work_order": work_order},
    )


# --- prices ----------------------------------------------------------------------------------


def _price_context(request, **extra) -> dict[str, Any]:
    user = request.user
    context = {
        "rules": selectors.price_rule_list(),
        "pending": selectors.price_change_list(status=PriceChangeStatus.PENDING),
        "history": selectors.price_change_list().exclude(status=PriceChangeStatus.PENDING)[:100],
        "may_request": user.has_perm(perms.REQUEST_PRICE),
        "may_approve": user.has_perm(perms.APPROVE_PRICE),
        "change_form": PriceChangeForm(),
        "rule_form": PriceRuleForm(),
        "error": "",
    }
    context.update(extra)
    return context


@staff_required(perms.VIEW)
@require_GET
def prices(request: HttpRequest) -> HttpResponse:
    return render(request, "purchasing/prices.html", _price_context(request))


def _prices_error(request, error: str, status: int = 422, **extra) -> HttpResponse:
    return render(
        request,
        "purchasing/prices.html",
        _price_context(request, error=error, **extra),
        status=status,
    )


@staff_required(perms.REQUEST_PRICE)
@require_POST
def price_change_create(request: HttpRequest) -> HttpResponse:
    form = PriceChangeForm(request.POST)
    if not form.is_valid():
        return _prices_error(request, _first_error(form), change_form=form)
    try:
        pricing.price_change_request(
            actor=request.user,
            part=form.cleaned_data["part"],
            list_price=form.cleaned_data["list_price"],
            reason=form.cleaned_data["reason"],
        )
    except DomainError as exc:
        return _prices_error(request, str(exc.message), exc.status_code, change_form=form)
    messages.success(request, _("Price change requested; it applies once approved."))
    return redirect("purchasing:prices")


@staff_required(perms.REQUEST_PRICE)
@require_POST
def price_rule_create(request: HttpRequest) -> HttpResponse:
    form = PriceRuleForm(request.POST)
    if not form.is_valid():
        return _prices_error(request, _first_error(form), rule_form=form)
    d = form.cleaned_data
    try:
        pricing.price_rule_propose(
            actor=request.user,
            name=d["name"],
            kind=d["kind"],
            part=d["part"],
            percent=d["percent"] or 0,
            tier_discounts=form.tier_discounts(),
            reason=d["reason"],
        )
    except DomainError as exc:
        return _prices_error(request, str(exc.message), exc.status_code, rule_form=form)
    messages.success(request, _("Price rule proposed; it applies once approved."))
    return redirect("purchasing:prices")


@staff_required(perms.APPROVE_PRICE)
@require_POST
def price_change_decide(request: HttpRequest, pk: int) -> HttpResponse:
    change = selectors.price_change_get(pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _prices_error(request, _first_error(form))
    approve = form.cleaned_data["approve"]
    try:
        pricing.price_change_decide(
            actor=request.user, change=change, approve=approve, note=form.cleaned_data["note"]
        )
    except DomainError as exc:
        return _prices_error(request, str(exc.message), exc.status_code)
    messages.success(
        request, _("Price change approved.") if approve else _("Price change rejected.")
    )
    return redirect("purchasing:prices")


# --- figures ---------------------------------------------------------------------------------


@staff_required(perms.FIGURES)
@require_GET
def stock_figures(request: HttpRequest) -> HttpResponse:
    form = FiguresForm(request.GET or None)
    months, dead_days = form.values()
    if not form.is_bound:
        form = FiguresForm(initial={"months": months, "dead_days": dead_days})
    fmt = request.GET.get("format")
    if fmt in ("json", "xlsx"):
        summary = figures.figures_summary(months=months, dead_days=dead_days)
        if fmt == "xlsx":
            return exports.workbook_response(
                exports.figures_workbook(summary), "stock-figures.xlsx"
            )
        return JsonResponse(_figures_chart(summary))
    summary = figures.figures_summary(months=months, dead_days=dead_days)
    return render(
        request,
        "purchasing/figures.html",
        {
            "form": form,
            "summary": summary,
            "overall": [r for r in summary["turnover"] if r.stock_class == "all"],
            "query": request.GET.urlencode(),
        },
    )


def _figures_chart(summary: dict) -> dict[str, Any]:
    from aftersales.parts.choices import StockClass

    periods = sorted({r.period for r in summary["turnover"]})
    classes = [*((c, str(label)) for c, label in StockClass.choices), ("all", _("All classes"))]
    by_key = {(r.period, r.stock_class): r for r in summary["turnover"]}
    return {
        "periods": periods,
        "turnover_label": _("Turnover"),
        "value_label": _("Average stock value"),
        "issued_label": _("Issued cost"),
        "series": [
            {
                "name": label,
                "turnover": [_num(by_key[(p, c)].turnover) for p in periods],
            }
            for c, label in classes
        ],
        "average_value": [_num(by_key[(p, "all")].average_value) for p in periods],
        "issued_cost": [_num(by_key[(p, "all")].issued_cost) for p in periods],
        "stock_value": [
            {"name": str(dict(classes).get(k, k)), "value": _num(v)}
            for k, v in summary["stock_value"].items()
            if k != "all"
        ],
    }
