"""API: customers, their contacts and addresses, product models and the assets they own.

Phones, e-mail addresses and streets leave masked (``138****5678``, ``z***@example.cn``,
``张江****``) unless the caller's role sees personal data whole or the data is the caller's own
(one rule: :mod:`aftersales.customers.privacy`); a staff member who needs one number asks
``/contacts/{id}/reveal``, which is audited (R9.2). Every answer that carries another person's
data unmasked is written to the personal data access log (PIPL). A single object comes from
the selectors, so a record the caller may not see answers 404 exactly like a missing one.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from aftersales.accounts.models import User
from aftersales.core.api import (
    ERRORS_READ,
    ERRORS_WRITE,
    ObjectId,
    paginate,
    require,
    require_perm,
    set_fields,
)
from aftersales.core.errors import InvalidInput

from . import privacy, selectors, services
from .api_schemas import (
    AddressIn,
    AddressOut,
    AddressPatch,
    AssetIn,
    AssetOut,
    AssetPageOut,
    AssetPatch,
    AssetQuery,
    ContactIn,
    ContactOut,
    ContactPatch,
    CustomerDetailOut,
    CustomerIn,
    CustomerPageOut,
    CustomerPatch,
    ListQuery,
    ProductModelPageOut,
    RevealIn,
    RevealOut,
)
from .models import Asset, Contact, Customer, ProductModel
from .phones import mask_phone

router = Router(tags=["customers"])


# --- presenting ------------------------------------------------------------------------------


def _sees_whole(user: User, customer: Customer) -> bool:
    return privacy.sees_whole(user, customer)


def _logged(request: HttpRequest, customers: list[Customer]) -> None:
    """Record the customers this answer shows unmasked (one insert for all of them)."""
    where = f"{request.method} {request.path}"
    privacy.record_if_unmasked(
        actor=request.auth, kind=privacy.Kind.API, customers=customers, where=where
    )


def contact_out(user: User, contact: Contact, customer: Customer) -> dict:
    whole = _sees_whole(user, customer)
    return {
        "id": contact.pk,
        "name": contact.name,
        "phone": contact.phone if whole else mask_phone(contact.phone),
        "phone_masked": not whole,
        "email": privacy.email_for(user, contact.email, customer),
        "is_primary": contact.is_primary,
        "version": contact.version,
    }


def _customer_out(user: User, customer: Customer) -> dict:
    contacts = list(customer.contacts.all())  # prefetched, primary first
    primary = contacts[0].phone if contacts else ""
    return {
        "id": customer.pk,
        "kind": customer.kind,
        "name": customer.name,
        "company_name": customer.company_name,
        "tier": customer.tier,
        "email": privacy.email_for(user, customer.email, customer),
        "preferred_language": customer.preferred_language,
        "phone": primary if _sees_whole(user, customer) else mask_phone(primary),
        "has_portal_account": customer.user_id is not None,
        "created_at": customer.created_at,
        "version": customer.version,
    }


def _customer_detail_out(user: User, customer: Customer) -> dict:
    return {
        **_customer_out(user, customer),
        "notes": customer.notes if user.is_staff_member else "",
        "consent_marketing": customer.consent_marketing,
        "consent_recorded_at": customer.consent_recorded_at,
        "updated_at": customer.updated_at,
        "contacts": [contact_out(user, c, customer) for c in customer.contacts.all()],
        "addresses": [address_out(user, a, customer) for a in customer.addresses.all()],
    }


def address_out(user: User, address, customer: Customer) -> dict:
    return {
        "id": address.pk,
        "label": address.label,
        "province": address.province,
        "city": address.city,
        "district": address.district,
        "street": privacy.street_for(user, address.street, customer),
        "is_default": address.is_default,
        "geo_precision": address.geo_precision,
        "geo_source": address.geo_source,
        "version": address.version,
    }


def asset_out(asset: Asset) -> dict:
    pm = asset.product_model
    return {
        "id": asset.pk,
        "customer_id": asset.customer_id,
        "customer_name": str(asset.customer),
        "product_model": {"id": pm.pk, "code": pm.code, "name": pm.name},
        "serial_number": asset.serial_number,
        "vin": asset.vin,
        "plate_number": asset.plate_number,
        "purchase_date": asset.purchase_date,
        "invoice_number": asset.invoice_number,
        "warranty_end": asset.warranty_end,
        "main_parts_warranty_end": asset.main_parts_warranty_end,
        "in_warranty": asset.in_warranty(),
        "created_at": asset.created_at,
        "version": asset.version,
    }


# --- access ----------------------------------------------------------------------------------


def _customer_for(user: User, pk: int) -> Customer:
    # Staff with the customer permission, or a customer (who sees only themself).
    require_perm(user, "customers.view_customer", also_if=user.is_customer)
    customer = selectors.customer_get_for(user=user, pk=pk)
    # Reload with what every customer answer shows, in two queries whatever the size.
    return Customer.objects.prefetch_related("contacts", "addresses").get(pk=customer.pk)


def _may_edit_reachability(user: User, customer: Customer) -> bool:
    """Staff who manage customers, or the customer adding their own phone or address."""
    return user.has_perm("customers.change_customer") or (
        customer.user_id is not None and customer.user_id == user.pk
    )


# --- customers -------------------------------------------------------------------------------


@router.get("/customers", response={200: CustomerPageOut, **ERRORS_READ}, summary="Customers")
def customer_list(request: HttpRequest, filters: Query[ListQuery]):
    """Customers, newest first; ``q`` matches the start of a name or company, or 4+ digits of
    a phone. Keyset pagination: pass ``next_cursor`` back as ``cursor``."""
    user: User = request.auth
    require_perm(user, "customers.view_customer")
    qs = selectors.customer_list_search(user=user, text=filters.q).prefetch_related("contacts")
    page = paginate(qs, order=["-id"], cursor=filters.cursor, limit=filters.limit)
    _logged(request, list(page.items))
    return {
        "items": [_customer_out(user, c) for c in page.items],
        "next_cursor": page.next_cursor,
    }


@router.post(
    "/customers", response={201: CustomerDetailOut, **ERRORS_WRITE}, summary="Register a customer"
)
def customer_create(request: HttpRequest, payload: CustomerIn):
    """Register a customer; a phone given here becomes the primary contact."""
    user: User = request.auth
    require_perm(user, "customers.add_customer")
    customer = services.customer_create(actor=user, **payload.model_dump())
    return Status(201, _customer_detail_out(user, _customer_for(user, customer.pk)))


@router.get(
    "/customers/{customer_id}",
    response={200: CustomerDetailOut, **ERRORS_READ},
    summary="One customer",
)
def customer_detail(request: HttpRequest, customer_id: ObjectId):
    user: User = request.auth
    customer = _customer_for(user, customer_id)
    _logged(request, [customer])
    return _customer_detail_out(user, customer)


@router.patch(
    "/customers/{customer_id}",
    response={200: CustomerDetailOut, **ERRORS_WRITE},
    summary="Change a customer",
)
def customer_update(request: HttpRequest, customer_id: ObjectId, payload: CustomerPatch):
    """Change the fields sent; contacts and addresses have their own endpoints."""
    user: User = request.auth
    customer = _customer_for(user, customer_id)
    require_perm(user, "customers.change_customer")
    services.customer_update(
        actor=user,
        customer=customer,
        expected_version=payload.version,
        **set_fields(payload, exclude={"version"}),
    )
    return _customer_detail_out(user, _customer_for(user, customer_id))


@router.get(
    "/customers/{customer_id}/contacts",
    response={200: list[ContactOut], **ERRORS_READ},
    summary="A customer's contacts",
)
def contact_list(request: HttpRequest, customer_id: ObjectId):
    user: User = request.auth
    customer = _customer_for(user, customer_id)
    _logged(request, [customer])
    return [contact_out(user, c, customer) for c in customer.contacts.all()]


@router.post(
    "/customers/{customer_id}/contacts",
    response={201: ContactOut, **ERRORS_WRITE},
    summary="Add a contact",
)
def contact_create(request: HttpRequest, customer_id: ObjectId, payload: ContactIn):
    """Add a phone (any common form, stored as E.164) to the customer."""
    user: User = request.auth
    customer = _customer_for(user, customer_id)
    require(_may_edit_reachability(user, customer))
    contact = services.contact_add(actor=user, customer=customer, **payload.model_dump())
    return Status(201, contact_out(user, contact, customer))


@router.get(
    "/customers/{customer_id}/addresses",
    response={200: list[AddressOut], **ERRORS_READ},
    summary="A customer's addresses",
)
def address_list(request: HttpRequest, customer_id: ObjectId):
    user: User = request.auth
    customer = _customer_for(user, customer_id)
    _logged(request, [customer])
    return [address_out(user, a, customer) for a in customer.addresses.all()]


@router.post(
    "/customers/{customer_id}/addresses",
    response={201: AddressOut, **ERRORS_WRITE},
    summary="Add an address",
)
def address_create(request: HttpRequest, customer_id: ObjectId, payload: AddressIn):
    user: User = request.auth
    customer = _customer_for(user, customer_id)
    require(_may_edit_reachability(user, customer))
    address = services.address_add(actor=user, customer=customer, **payload.model_dump())
    return Status(201, address_out(user, address, customer))


@router.patch(
    "/contacts/{contact_id}",
    response={200: ContactOut, **ERRORS_WRITE},
    summary="Change a contact",
)
def contact_update(request: HttpRequest, contact_id: ObjectId, payload: ContactPatch):
    """Change the fields sent; ``version`` is the one the caller saw (409 when stale, nothing
    changed). The phone is stored in E.164; audited before → after with phones masked."""
    user: User = request.auth
    require_perm(user, "customers.view_customer", also_if=user.is_customer)
    contact = selectors.contact_get_for(user=user, pk=contact_id)
    customer = contact.customer
    require(_may_edit_reachability(user, customer))
    contact = services.contact_update(
        actor=user,
        contact=contact,
        expected_version=payload.version,
        **set_fields(payload, exclude={"version"}),
    )
    return contact_out(user, contact, customer)


@router.patch(
    "/addresses/{address_id}",
    response={200: AddressOut, **ERRORS_WRITE},
    summary="Change an address",
)
def address_update(request: HttpRequest, address_id: ObjectId, payload: AddressPatch):
    """Change the fields sent; ``version`` is the one the caller saw (409 when stale, nothing
    changed). A changed address is located again."""
    user: User = request.auth
    require_perm(user, "customers.view_customer", also_if=user.is_customer)
    address = selectors.address_get_for(user=user, pk=address_id)
    customer = address.customer
    require(_may_edit_reachability(user, customer))
    address = services.address_update(
        actor=user,
        address=address,
        expected_version=payload.version,
        **set_fields(payload, exclude={"version"}),
    )
    return address_out(user, address, customer)


@router.post(
    "/contacts/{contact_id}/reveal",
    response={200: RevealOut, **ERRORS_WRITE},
    summary="Reveal a full phone number (audited)",
)
def contact_reveal(request: HttpRequest, contact_id: ObjectId, payload: RevealIn):
    """Return a contact's whole phone number and record who saw it and why (PIPL)."""
    user: User = request.auth
    require_perm(user, "customers.reveal_personal_data")
    contact = selectors.contact_get_for(user=user, pk=contact_id)
    phone = services.personal_data_reveal(actor=user, contact=contact, reason=payload.reason)
    return {"contact_id": contact.pk, "phone": phone}


# --- product models and assets ---------------------------------------------------------------


@router.get(
    "/product-models",
    response={200: ProductModelPageOut, **ERRORS_READ},
    summary="Product models",
)
def product_model_list(request: HttpRequest, filters: Query[ListQuery]):
    """The product catalog with warranty terms; ``q`` matches the start of a code or name."""
    user: User = request.auth
    require_perm(user, "customers.view_productmodel", also_if=user.is_customer)
    qs = selectors.product_model_list()
    text = filters.q.strip()
    if text:
        qs = qs.filter(Q(code__istartswith=text) | Q(name__istartswith=text))
    page = paginate(qs, order=["id"], cursor=filters.cursor, limit=filters.limit)
    return {"items": page.items, "next_cursor": page.next_cursor}


@router.get("/assets", response={200: AssetPageOut, **ERRORS_READ}, summary="Assets")
def asset_list(request: HttpRequest, filters: Query[AssetQuery]):
    """Products customers own, newest first; ``q`` matches the start of a serial number, VIN or
    plate. Customers see their own."""
    user: User = request.auth
    require_perm(user, "customers.view_asset", also_if=user.is_customer)
    qs = selectors.asset_list(user=user)
    if filters.customer_id:
        qs = qs.filter(customer_id=filters.customer_id)
    text = filters.q.strip()
    if text:
        qs = qs.filter(
            Q(serial_number__istartswith=text)
            | Q(vin__istartswith=text)
            | Q(plate_number__istartswith=text)
        )
    page = paginate(qs, order=["-id"], cursor=filters.cursor, limit=filters.limit)
    return {"items": [asset_out(a) for a in page.items], "next_cursor": page.next_cursor}


@router.post("/assets", response={201: AssetOut, **ERRORS_WRITE}, summary="Register an asset")
def asset_create(request: HttpRequest, payload: AssetIn):
    """Register a product a customer owns; warranty ends follow from the purchase date."""
    user: User = request.auth
    require_perm(user, "customers.add_asset")
    customer = selectors.customer_list(user=user).filter(pk=payload.customer_id).first()
    if customer is None:
        raise InvalidInput(
            _("No such customer."), code="unknown_customer", detail={"field": "customer_id"}
        )
    product_model = ProductModel.objects.filter(code=payload.product_model).first()
    if product_model is None:
        raise InvalidInput(
            _("No such product model."),
            code="unknown_product_model",
            detail={"field": "product_model"},
        )
    data = payload.model_dump(exclude={"customer_id", "product_model"})
    asset = services.asset_create(
        actor=user, customer=customer, product_model=product_model, **data
    )
    return Status(201, asset_out(selectors.asset_get_for(user=user, pk=asset.pk)))


@router.get("/assets/{asset_id}", response={200: AssetOut, **ERRORS_READ}, summary="One asset")
def asset_detail(request: HttpRequest, asset_id: ObjectId):
    user: User = request.auth
    require_perm(user, "customers.view_asset", also_if=user.is_customer)
    return asset_out(selectors.asset_get_for(user=user, pk=asset_id))


@router.patch(
    "/assets/{asset_id}", response={200: AssetOut, **ERRORS_WRITE}, summary="Change an asset"
)
def asset_update(request: HttpRequest, asset_id: ObjectId, payload: AssetPatch):
    """Change identifiers or the purchase date; the warranty ends are derived again."""
    user: User = request.auth
    require_perm(user, "customers.view_asset", also_if=user.is_customer)
    asset = selectors.asset_get_for(user=user, pk=asset_id)
    require_perm(user, "customers.change_asset")
    changes = set_fields(payload, exclude={"version"})
    services.asset_update(actor=user, asset=asset, expected_version=payload.version, **changes)
    return asset_out(selectors.asset_get_for(user=user, pk=asset_id))
