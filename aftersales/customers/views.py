"""Staff screens for customers: search, the customer page ("customer 360", R9.1), adding a
product, and revealing a masked phone number, which is audited (R9.2)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from aftersales.cases.selectors import case_history_list
from aftersales.core.access import staff_required
from aftersales.core.errors import DomainError
from aftersales.core.forms import add_domain_error

from . import privacy, selectors, services
from .forms import AssetForm, CustomerSearchForm, RevealForm
from .models import Customer
from .templatetags.customer_privacy import phone_display

VIEW_PERMS = ("customers.view_customer",)


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


@staff_required(*VIEW_PERMS)
@require_GET
def customer_list(request: HttpRequest) -> HttpResponse:
    """Search by name or phone fragment, or the newest customers."""
    user = request.user
    form = CustomerSearchForm(request.GET or None)
    text = form.cleaned_data["q"].strip() if form.is_valid() else ""
    if text:
        customers = selectors.customer_search(user=user, text=text, limit=50)
    else:
        customers = list(
            selectors.customer_list(user=user).prefetch_related("contacts").order_by("-id")[:50]
        )
    # whole phone numbers on a list are an access to each customer's data (PIPL access log)
    privacy.record_if_unmasked(
        actor=user, kind=privacy.Kind.LIST, customers=customers, where=request.path
    )
    context = {"form": form, "customers": customers, "search_text": text}
    if _is_htmx(request) and request.htmx.target == "customer-results":
        return render(request, "customers/partials/_customer_table.html", context)
    return render(request, "customers/customer_list.html", context)


def _detail_context(request: HttpRequest, customer: Customer, **overrides: Any) -> dict[str, Any]:
    user = request.user
    context: dict[str, Any] = {
        "customer": customer,
        "contacts": list(customer.contacts.all()),
        "addresses": list(customer.addresses.all()),
        "assets": list(customer.assets.select_related("product_model")),
        # the customer's whole history at the desk (docs/adr/0006-customer-history-at-the-desk.md)
        "cases": list(
            case_history_list(user=user)
            .filter(customer=customer)
            .select_related("team", "assignee", "asset__product_model")
            .order_by("-id")[:50]
        ),
        "can_add_asset": user.has_perm("customers.add_asset"),
        "can_intake": user.has_perm("cases.add_case"),
        "can_edit": user.has_perm("customers.change_customer"),
        "asset_form": AssetForm(prefix="asset"),
        "flash": None,
    }
    context.update(overrides)
    return context


@staff_required(*VIEW_PERMS)
@require_GET
def customer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    customer = selectors.customer_get_for(user=request.user, pk=pk)
    privacy.personal_data_access_record(
        actor=request.user,
        kind=privacy.Kind.PAGE,
        customers=[customer],
        unmasked=privacy.sees_whole(request.user, customer),
        where=request.path,
    )
    return render(request, "customers/customer_detail.html", _detail_context(request, customer))


@staff_required(*VIEW_PERMS, "customers.add_asset")
@require_POST
def asset_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Register a product the customer owns; warranty ends are derived by the service."""
    customer = selectors.customer_get_for(user=request.user, pk=pk)
    form = AssetForm(request.POST, prefix="asset")
    status = 422
    if form.is_valid():
        try:
            asset = services.asset_create(
                actor=request.user, customer=customer, **form.cleaned_data
            )
        except DomainError as exc:
            status = exc.status_code
            add_domain_error(form, exc, AssetForm.ERROR_FIELDS)
        else:
            message = _("Product “%s” registered.") % asset
            if not _is_htmx(request):
                messages.success(request, message)
                return redirect("customers:customer_detail", pk=customer.pk)
            context = _detail_context(request, customer, flash=message)
            return render(request, "customers/partials/_assets.html", context)
    context = _detail_context(request, customer, asset_form=form, asset_form_open=True)
    template = (
        "customers/partials/_assets.html" if _is_htmx(request) else "customers/customer_detail.html"
    )
    return render(request, template, context, status=status)


@staff_required("customers.reveal_personal_data")
@require_POST
def contact_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """Show one contact's whole phone number and record who saw it (PIPL access log)."""
    contact = selectors.contact_get_for(user=request.user, pk=pk)
    form = RevealForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    phone = services.personal_data_reveal(actor=request.user, contact=contact, reason=reason)
    context = {"contact": contact, "phone": phone, "shown": phone_display(phone)}
    template = (
        "customers/partials/_revealed_phone.html"
        if _is_htmx(request)
        else "customers/contact_reveal.html"
    )
    response = render(request, template, context)
    response["Cache-Control"] = "no-store"
    return response
