"""Hotline intake: find or register the caller and the product, warn of repeats, open the case."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from aftersales.core.access import staff_required
from aftersales.core.errors import DomainError
from aftersales.core.forms import add_domain_error
from aftersales.customers import privacy
from aftersales.customers import services as customer_services
from aftersales.customers.forms import AssetForm, CustomerCreateForm, CustomerSearchForm
from aftersales.customers.models import Asset, Customer
from aftersales.customers.selectors import customer_get_for
from aftersales.search.selectors import customer_lookup

from .. import selectors, services
from ..choices import OPEN_STATUSES
from ..forms import (
    IntakeCaseForm,
    extra_form,
)
from ..models import Case
from .common import INTAKE_PERMS, _htmx_target

# --- hotline intake -------------------------------------------------------------------------


def _open_cases_by_customer(user, customers: list[Customer], per_customer: int = 3) -> dict:
    ids = [c.pk for c in customers]
    grouped: dict[int, list[Case]] = {pk: [] for pk in ids}
    if not ids:
        return grouped
    rows = (
        selectors.case_history_list(user=user)
        .filter(customer_id__in=ids, status__in=OPEN_STATUSES)
        .select_related("team")
        .only("id", "number", "title", "status", "customer_id", "created_at", "team__name")
        .order_by("-id")
    )
    for case in rows[: per_customer * len(ids) * 4]:
        if len(grouped[case.customer_id]) < per_customer:
            grouped[case.customer_id].append(case)
    return grouped


def _customer_asset(customer: Customer | None, raw: Any) -> Asset | None:
    if customer is None or raw in (None, ""):
        return None
    try:
        return customer.assets.select_related("product_model").get(pk=int(raw))
    except (Asset.DoesNotExist, ValueError, TypeError):
        return None


def _intake_context(
    request: HttpRequest,
    *,
    customer: Customer | None,
    asset: Asset | None,
    case_form: IntakeCaseForm | None = None,
    case_extra=None,
    customer_form: CustomerCreateForm | None = None,
    asset_form: AssetForm | None = None,
) -> dict[str, Any]:
    user = request.user
    search = CustomerSearchForm(request.GET or None)
    text = search.cleaned_data["q"] if search.is_valid() else ""
    results: list[Customer] = []
    if customer is None and text:
        results = customer_lookup(user=user, text=text)
    case_type = IntakeCaseForm.chosen_type(request.POST if request.method == "POST" else None)
    if case_form is None:
        case_form = IntakeCaseForm(
            initial={"customer": customer.pk if customer else None, "asset": asset and asset.pk},
            case_type=case_type,
        )
    return {
        "search_form": search,
        "too_few_digits": text.isdigit() and len(text) < 4,
        "results": results,
        "open_cases": _open_cases_by_customer(user, results),
        "customer": customer,
        "assets": list(customer.assets.select_related("product_model")) if customer else [],
        "contacts": list(customer.contacts.all()) if customer else [],
        "asset": asset,
        "related": selectors.related_cases(user=user, customer=customer, asset=asset)
        if customer
        else [],
        "hidden": selectors.related_cases_hidden_count(user=user, customer=customer, asset=asset)
        if customer
        else 0,
        "customer_form": customer_form or CustomerCreateForm(prefix="new"),
        "asset_form": asset_form or AssetForm(prefix="asset"),
        "case_form": case_form,
        "extra_form": case_extra or extra_form(case_type),
        "can_add_customer": user.has_perm("customers.add_customer"),
        "can_add_asset": user.has_perm("customers.add_asset"),
    }


def _intake_url(customer: Customer, asset: Asset | None = None) -> str:
    params = {"customer": customer.pk}
    if asset is not None:
        params["asset"] = asset.pk
    return f"{reverse('cases:intake')}?{urlencode(params)}"


CASE_ERROR_FIELDS = {
    "title_required": "title",
    "asset_mismatch": "asset",
    "contact_mismatch": None,
    "category_mismatch": "category",
    "assignee_invalid": "assignee",
    "invalid_choice": None,
}


@staff_required(*INTAKE_PERMS)
@require_http_methods(["GET", "POST"])
def intake(request: HttpRequest) -> HttpResponse:
    """Register a case from a call: find or create the customer, pick the product, describe."""
    user = request.user
    if request.method == "POST":
        step = request.POST.get("step") or "case"
        if step == "customer":
            return _intake_customer_create(request)
        if step == "asset":
            return _intake_asset_create(request)
        return _intake_case_create(request)
    if _htmx_target(request) == "type-fields":
        case_type = IntakeCaseForm.chosen_type(request.GET)
        return render(
            request,
            "cases/partials/_intake_type_fields.html",
            {
                "case_form": IntakeCaseForm(case_type=case_type),
                "extra_form": extra_form(case_type),
            },
        )
    customer = None
    if request.GET.get("customer"):
        customer = customer_get_for(user=user, pk=request.GET["customer"])
    asset = _customer_asset(customer, request.GET.get("asset"))
    context = _intake_context(request, customer=customer, asset=asset)
    return render(request, "cases/intake.html", context)


def _intake_customer_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("customers.add_customer"):
        raise PermissionDenied
    form = CustomerCreateForm(request.POST, prefix="new")
    if form.is_valid():
        try:
            customer = customer_services.customer_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc, CustomerCreateForm.ERROR_FIELDS)
        else:
            messages.success(request, _("Customer “%s” registered.") % customer)
            return redirect(_intake_url(customer))
    context = _intake_context(request, customer=None, asset=None, customer_form=form)
    context["show_new_customer"] = True
    return render(request, "cases/intake.html", context, status=422)


def _intake_asset_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("customers.add_asset"):
        raise PermissionDenied
    customer = customer_get_for(user=request.user, pk=request.POST.get("customer"))
    form = AssetForm(request.POST, prefix="asset")
    if form.is_valid():
        try:
            asset = customer_services.asset_create(
                actor=request.user, customer=customer, **form.cleaned_data
            )
        except DomainError as exc:
            add_domain_error(form, exc, AssetForm.ERROR_FIELDS)
        else:
            messages.success(request, _("Product “%s” registered.") % asset)
            return redirect(_intake_url(customer, asset))
    context = _intake_context(request, customer=customer, asset=None, asset_form=form)
    context["show_new_asset"] = True
    return render(request, "cases/intake.html", context, status=422)


def _intake_case_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    case_type = IntakeCaseForm.chosen_type(request.POST)
    form = IntakeCaseForm(request.POST, request.FILES, case_type=case_type)
    extra = extra_form(case_type, data=request.POST)
    customer = None
    if request.POST.get("customer"):
        customer = customer_get_for(user=user, pk=request.POST["customer"])
    asset = _customer_asset(customer, request.POST.get("asset"))
    form_ok = form.is_valid()
    extra_ok = extra.is_valid()
    if form_ok and form.cleaned_data.get("asset") and asset is None:
        form.add_error("asset", _("Choose one of the customer's products."))
        form_ok = False
    if customer is None:
        form.add_error(None, _("Find or register the customer first."))
    if form_ok and extra_ok and customer is not None:
        data = form.cleaned_data
        try:
            case = services.case_create(
                actor=user,
                customer=customer,
                asset=asset,
                case_type=data["case_type"],
                channel=data["channel"],
                category=data["category"],
                priority=data["priority"] or None,  # empty: the routing rules decide
                severity=data["severity"],
                title=data["title"],
                description=data["description"],
                customer_demand=data["customer_demand"],
                team=data["team"],
                assignee=data["assignee"],
                extra=extra.cleaned_extra(),
                files=data["files"],
            )
        except DomainError as exc:
            add_domain_error(form, exc, CASE_ERROR_FIELDS)
        else:
            if case.team_id and not user.teams.filter(pk=case.team_id).exists():
                # routing sent it to another team: the agent keeps it (they registered it)
                messages.success(
                    request,
                    _(
                        "Case %(number)s registered and routed to %(team)s. You keep it as the "
                        "one who registered it: reply while the caller is on the line."
                    )
                    % {"number": case.number, "team": case.team},
                )
            else:
                messages.success(request, _("Case %s registered.") % case.number)
            return redirect("cases:case_detail", number=case.number)
    context = _intake_context(
        request, customer=customer, asset=asset, case_form=form, case_extra=extra
    )
    return render(request, "cases/intake.html", context, status=422)


@staff_required(*INTAKE_PERMS)
@require_GET
def intake_lookup(request: HttpRequest) -> HttpResponse:
    """Customers matching a phone fragment (4+ digits) or a name, with their open cases."""
    search = CustomerSearchForm(request.GET)
    text = search.cleaned_data["q"] if search.is_valid() else ""
    results = customer_lookup(user=request.user, text=text) if text else []
    # whole phone numbers in the look-up: an access to each customer's data (PIPL access log)
    privacy.record_if_unmasked(
        actor=request.user, kind=privacy.Kind.LIST, customers=results, where=request.path
    )
    return render(
        request,
        "cases/partials/_intake_lookup.html",
        {
            "results": results,
            "open_cases": _open_cases_by_customer(request.user, results),
            "searched": bool(text),
            "search_text": text,
            "too_few_digits": text.isdigit() and len(text) < 4,
        },
    )


@staff_required(*INTAKE_PERMS)
@require_GET
def intake_related(request: HttpRequest) -> HttpResponse:
    """Open or recent cases of the picked customer or product (R1.8 repeat detection)."""
    customer = customer_get_for(user=request.user, pk=request.GET.get("customer"))
    asset = _customer_asset(customer, request.GET.get("asset"))
    related = selectors.related_cases(user=request.user, customer=customer, asset=asset)
    hidden = selectors.related_cases_hidden_count(user=request.user, customer=customer, asset=asset)
    return render(
        request,
        "cases/partials/_related_cases.html",
        {"related": related, "hidden": hidden, "customer": customer, "asset": asset},
    )
