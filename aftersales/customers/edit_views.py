"""Editing a customer's details, contacts and addresses (R9.1).

Each page carries the version the editor saw; a stale form gets a conflict message and changes
nothing (:func:`aftersales.core.versions.model_update` in the services), and every change is
audited before → after. Data a role sees masked (e-mail, phone, street) is never put into the
form for that role: it is typed anew or left as it is.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from aftersales.core.access import staff_required
from aftersales.core.errors import DomainError
from aftersales.core.forms import add_domain_error

from . import privacy, selectors, services
from .forms import AddressEditForm, ContactEditForm, CustomerEditForm
from .models import Customer
from .phones import mask_email, mask_phone, mask_street

EDIT_PERMS = ("customers.view_customer", "customers.change_customer")


def _masked(user: Any, customer: Customer, values: dict[str, tuple[str, Any]]) -> dict[str, str]:
    """For a role that sees data masked: field → the masked value it is shown instead."""
    if privacy.sees_whole(user, customer):
        return {}
    return {name: mask(value) for name, (value, mask) in values.items()}


def _edit(
    request: HttpRequest,
    *,
    customer: Customer,
    obj: Any,
    form_class: type,
    fields: tuple[str, ...],
    masked: dict[str, str],
    save: Any,
    title: str,
    done: str,
) -> HttpResponse:
    def fresh_form():
        initial = {f: getattr(obj, f) for f in fields if f not in masked}
        return form_class(initial={**initial, "version": obj.version}, masked=masked)

    status, conflict = 200, ""
    if request.method == "POST":
        form = form_class(request.POST, masked=masked)
        status = 422
        if form.is_valid():
            try:
                save(expected_version=form.cleaned_data["version"], **form.changes())
            except DomainError as exc:
                status = exc.status_code
                if exc.code == "version_conflict":
                    # nothing was saved: show what is stored now, to be edited again
                    obj.refresh_from_db()
                    form, conflict = fresh_form(), str(exc.message)
                else:
                    add_domain_error(form, exc, form_class.ERROR_FIELDS)
            else:
                messages.success(request, done)
                return redirect("customers:customer_detail", pk=customer.pk)
    else:
        form = fresh_form()
    context = {
        "customer": customer,
        "form": form,
        "title": title,
        "object": obj,
        "conflict": conflict,
    }
    return render(request, "customers/edit.html", context, status=status)


@staff_required(*EDIT_PERMS)
def customer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    customer = selectors.customer_get_for(user=request.user, pk=pk)
    return _edit(
        request,
        customer=customer,
        obj=customer,
        form_class=CustomerEditForm,
        fields=("name", "kind", "company_name", "email", "tier", "preferred_language", "notes"),
        masked=_masked(request.user, customer, {"email": (customer.email, mask_email)}),
        save=lambda **kw: services.customer_update(actor=request.user, customer=customer, **kw),
        title=_("Edit customer"),
        done=_("Customer details saved."),
    )


@staff_required(*EDIT_PERMS)
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contact = selectors.contact_get_for(user=request.user, pk=pk)
    customer = contact.customer
    return _edit(
        request,
        customer=customer,
        obj=contact,
        form_class=ContactEditForm,
        fields=("name", "phone", "email", "is_primary"),
        masked=_masked(
            request.user,
            customer,
            {"phone": (contact.phone, mask_phone), "email": (contact.email, mask_email)},
        ),
        save=lambda **kw: services.contact_update(actor=request.user, contact=contact, **kw),
        title=_("Edit contact"),
        done=_("Contact saved."),
    )


@staff_required(*EDIT_PERMS)
def address_edit(request: HttpRequest, pk: int) -> HttpResponse:
    address = selectors.address_get_for(user=request.user, pk=pk)
    customer = address.customer
    return _edit(
        request,
        customer=customer,
        obj=address,
        form_class=AddressEditForm,
        fields=("label", "province", "city", "district", "street", "is_default"),
        masked=_masked(request.user, customer, {"street": (address.street, mask_street)}),
        save=lambda **kw: services.address_update(actor=request.user, address=address, **kw),
        title=_("Edit address"),
        done=_("Address saved."),
    )
