"""Writes for customers, contacts, addresses and assets. Every write is audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.accounts.models import User
from aftersales.accounts.roles import Role
from aftersales.core import geocoding
from aftersales.core.audit import audit_record, model_snapshot
from aftersales.core.errors import Conflict, InvalidInput
from aftersales.core.versions import BOOKKEEPING, model_update

from . import hooks
from .choices import CustomerKind, CustomerTier
from .models import Address, Asset, Contact, Customer, ProductModel
from .phones import mask_phone, normalize_phone

# What an edit may change; contacts and addresses have their own services.
CUSTOMER_EDITABLE = frozenset(
    {"name", "company_name", "email", "tier", "kind", "preferred_language", "notes"}
)
ASSET_EDITABLE = frozenset(
    {"serial_number", "vin", "plate_number", "purchase_date", "invoice_number"}
)


def _check_choice(value: str, choices: Any, field: str) -> None:
    if value not in choices.values:
        raise InvalidInput(
            _("Unknown value “%(value)s” for %(field)s.") % {"value": value, "field": field},
            code="invalid_choice",
            detail={"field": field, "allowed": list(choices.values)},
        )


@transaction.atomic
def customer_create(
    *,
    actor: User | None,
    name: str,
    phone: str = "",
    kind: str = CustomerKind.INDIVIDUAL,
    company_name: str = "",
    email: str = "",
    tier: str = CustomerTier.STANDARD,
    preferred_language: str = "zh-hans",
    user: User | None = None,
) -> Customer:
    """Register a customer, with a primary contact when a phone is given."""
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("Enter the customer's name."), code="name_required")
    _check_choice(kind, CustomerKind, "kind")
    _check_choice(tier, CustomerTier, "tier")
    e164 = normalize_phone(phone) if phone else ""
    customer = Customer.objects.create(
        kind=kind,
        name=name[:100],
        company_name=company_name[:200],
        email=email,
        tier=tier,
        preferred_language=preferred_language,
        user=user,
    )
    if e164:
        Contact.objects.create(
            customer=customer, name=name[:100], phone=e164, email=email, is_primary=True
        )
    audit_record(
        actor=actor,
        action="customer.create",
        obj=customer,
        after={**model_snapshot(customer), "phone": mask_phone(e164)},
    )
    hooks.customer_changed.run(hooks.CustomerChanged(customer=customer))
    return customer


@transaction.atomic
def customer_update(
    *, actor: User, customer: Customer, expected_version: int | None = None, **changes: Any
) -> Customer:
    """Change a customer's own fields (not contacts), refusing a stale editor."""

    def clean(values: dict[str, Any]) -> dict[str, Any]:
        if "tier" in values:
            _check_choice(values["tier"], CustomerTier, "tier")
        if "kind" in values:
            _check_choice(values["kind"], CustomerKind, "kind")
        if "name" in values:
            values["name"] = (values["name"] or "").strip()
            if not values["name"]:
                raise InvalidInput(_("Enter the customer's name."), code="name_required")
        return values

    customer, b, a = model_update(
        customer,
        expected_version=expected_version,
        editable=CUSTOMER_EDITABLE,
        changes=changes,
        clean=clean,
        only_changed=True,
        quiet=BOOKKEEPING,
    )
    if not a:
        return customer
    audit_record(actor=actor, action="customer.update", obj=customer, before=b, after=a)
    hooks.customer_changed.run(hooks.CustomerChanged(customer=customer))
    return customer


@transaction.atomic
def contact_add(
    *,
    actor: User | None,
    customer: Customer,
    name: str,
    phone: str,
    email: str = "",
    is_primary: bool = False,
) -> Contact:
    """Add a way to reach the customer; the phone is stored in E.164."""
    e164 = normalize_phone(phone)
    if Contact.objects.filter(customer=customer, phone=e164).exists():
        raise Conflict(_("This customer already has that phone number."), code="duplicate_phone")
    if is_primary:
        Contact.objects.filter(customer=customer, is_primary=True).update(is_primary=False)
    contact = Contact.objects.create(
        customer=customer,
        name=(name or customer.name)[:100],
        phone=e164,
        email=email,
        is_primary=is_primary or not customer.contacts.exists(),
    )
    audit_record(
        actor=actor,
        action="contact.create",
        obj=contact,
        after={"customer": customer.pk, "name": contact.name, "phone": mask_phone(e164)},
    )
    hooks.customer_changed.run(hooks.CustomerChanged(customer=customer))
    return contact


@transaction.atomic
def address_add(
    *,
    actor: User | None,
    customer: Customer,
    street: str,
    province: str = "",
    city: str = "",
    district: str = "",
    label: str = "",
    is_default: bool = False,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
) -> Address:
    """Add an address. Typed coordinates are kept as an exact point; without them the address
    is located offline at its district's centroid, and refined online in the background when
    an online geocoder is configured (docs/geocoding.md)."""
    if not (street or "").strip():
        raise InvalidInput(_("Enter the street address."), code="street_required")
    _check_coordinates(latitude, longitude)
    if is_default:
        Address.objects.filter(customer=customer, is_default=True).update(is_default=False)
    address = Address(
        customer=customer,
        street=street.strip(),
        province=province,
        city=city,
        district=district,
        label=label,
        is_default=is_default or not customer.addresses.exists(),
    )
    geocoding.locate(address, latitude=latitude, longitude=longitude)
    address.save()
    audit_record(actor=actor, action="address.create", obj=address, after=model_snapshot(address))
    geocoding.refine_later(address)
    return address


def _check_coordinates(latitude: Decimal | None, longitude: Decimal | None) -> None:
    if (latitude is None) != (longitude is None):
        raise InvalidInput(_("Give both latitude and longitude, or neither."), code="coords")
    if (
        latitude is not None
        and longitude is not None
        and not (-90 <= latitude <= 90 and -180 <= longitude <= 180)
    ):
        raise InvalidInput(_("The coordinates are out of range."), code="coords")


CONTACT_EDITABLE = frozenset({"name", "phone", "email", "is_primary"})
ADDRESS_EDITABLE = frozenset({"label", "province", "city", "district", "street", "is_default"})
ADDRESS_TEXT = ("province", "city", "district", "street")


@transaction.atomic
def contact_update(
    *, actor: User, contact: Contact, expected_version: int | None = None, **changes: Any
) -> Contact:
    """Change how a customer is reached, refusing a stale editor (R9.1). The phone is stored in
    E.164 and kept unique per customer; a primary contact makes the others secondary. The audit
    record shows phones masked, as every screen but a reveal does."""
    customer = contact.customer

    def clean(values: dict[str, Any]) -> dict[str, Any]:
        if "name" in values:
            values["name"] = (values["name"] or "").strip()[:100] or customer.name[:100]
        if "phone" in values:
            values["phone"] = normalize_phone(values["phone"])
            taken = Contact.objects.filter(customer=customer, phone=values["phone"])
            if taken.exclude(pk=contact.pk).exists():
                raise Conflict(
                    _("This customer already has that phone number."), code="duplicate_phone"
                )
        if "email" in values:
            values["email"] = (values["email"] or "").strip()
        return values

    try:
        with transaction.atomic():
            contact, b, a = model_update(
                contact,
                expected_version=expected_version,
                editable=CONTACT_EDITABLE,
                changes=changes,
                clean=clean,
                fields=sorted(CONTACT_EDITABLE | {"version"}),
                only_changed=True,
                quiet=BOOKKEEPING,
            )
    except IntegrityError as exc:  # the same number saved by a concurrent edit
        raise Conflict(
            _("This customer already has that phone number."), code="duplicate_phone"
        ) from exc
    if not a:
        return contact
    if a.get("is_primary"):
        Contact.objects.filter(customer=customer, is_primary=True).exclude(pk=contact.pk).update(
            is_primary=False
        )
    for side in (b, a):
        if side.get("phone"):
            side["phone"] = mask_phone(side["phone"])
    audit_record(actor=actor, action="contact.update", obj=contact, before=b, after=a)
    hooks.customer_changed.run(hooks.CustomerChanged(customer=customer))
    return contact


@transaction.atomic
def address_update(
    *, actor: User, address: Address, expected_version: int | None = None, **changes: Any
) -> Address:
    """Change an address, refusing a stale editor (R9.1); a changed address text is located
    again (the old point belonged to the old address); a default address makes the others
    not default."""

    def clean(values: dict[str, Any]) -> dict[str, Any]:
        for key in ("label", *ADDRESS_TEXT):
            if key in values:
                values[key] = (values[key] or "").strip()
        if "street" in values and not values["street"]:
            raise InvalidInput(_("Enter the street address."), code="street_required")
        changed = {k for k in values if k in ADDRESS_TEXT and values[k] != getattr(address, k)}
        if changed:
            draft = Address(
                **{f.attname: getattr(address, f.attname) for f in Address._meta.concrete_fields}
            )
            for key, value in values.items():
                setattr(draft, key, value)
            geocoding.locate_after_edit(
                draft, created=False, changed=changed, text_fields=ADDRESS_TEXT
            )
            for key in ("latitude", "longitude", "geo_precision", "geo_source"):
                values[key] = getattr(draft, key)
        return values

    address, b, a = model_update(
        address,
        expected_version=expected_version,
        editable=ADDRESS_EDITABLE,
        changes=changes,
        clean=clean,
        only_changed=True,
        quiet=BOOKKEEPING,
    )
    if not a:
        return address
    if a.get("is_default"):
        Address.objects.filter(customer_id=address.customer_id, is_default=True).exclude(
            pk=address.pk
        ).update(is_default=False)
    audit_record(actor=actor, action="address.update", obj=address, before=b, after=a)
    if set(a) & set(ADDRESS_TEXT):
        geocoding.refine_later(address)
    return address


@transaction.atomic
def asset_create(
    *,
    actor: User | None,
    customer: Customer,
    product_model: ProductModel,
    serial_number: str = "",
    vin: str = "",
    plate_number: str = "",
    purchase_date: dt.date | None = None,
    invoice_number: str = "",
) -> Asset:
    """Register a product the customer owns; warranty ends are derived, never typed."""
    ids = {"serial_number": serial_number, "vin": vin, "plate_number": plate_number}
    _clean_identifiers(ids)
    serial_number, vin, plate_number = ids["serial_number"], ids["vin"], ids["plate_number"]
    if purchase_date and purchase_date > timezone.localdate():
        raise InvalidInput(_("The purchase date is in the future."), code="purchase_date_future")
    asset = Asset(
        customer=customer,
        product_model=product_model,
        serial_number=serial_number,
        vin=vin,
        plate_number=plate_number,
        purchase_date=purchase_date,
        invoice_number=invoice_number,
    )
    asset.derive_warranty()
    try:
        with transaction.atomic():
            asset.save()
    except IntegrityError as exc:
        raise Conflict(
            _("This serial number or VIN is already registered."), code="duplicate_asset"
        ) from exc
    audit_record(actor=actor, action="asset.create", obj=asset, after=model_snapshot(asset))
    hooks.asset_changed.run(hooks.AssetChanged(asset=asset))
    return asset


def _clean_identifiers(changes: dict[str, Any]) -> None:
    """Serial numbers, VINs and plates are stored in one normal form so search and the
    uniqueness rules agree on what "the same" means."""
    for field in ("serial_number", "vin", "plate_number"):
        if field in changes:
            changes[field] = (changes[field] or "").strip().upper()
    if changes.get("vin") and len(changes["vin"]) != 17:
        raise InvalidInput(_("A VIN has 17 characters."), code="vin_invalid")


@transaction.atomic
def asset_update(
    *, actor: User, asset: Asset, expected_version: int | None = None, **changes: Any
) -> Asset:
    """Change a product's identifiers or purchase date; warranty ends are derived again."""

    def clean(values: dict[str, Any]) -> dict[str, Any]:
        _clean_identifiers(values)
        if values.get("purchase_date") and values["purchase_date"] > timezone.localdate():
            raise InvalidInput(
                _("The purchase date is in the future."), code="purchase_date_future"
            )
        # The warranty ends follow from the changed fields: work them out on a copy.
        draft = Asset(**{f.attname: getattr(asset, f.attname) for f in Asset._meta.concrete_fields})
        for key, value in values.items():
            setattr(draft, key, value)
        draft.derive_warranty()
        return {k: getattr(draft, k) for k in [*values, "warranty_end", "main_parts_warranty_end"]}

    try:
        with transaction.atomic():
            asset, b, a = model_update(
                asset,
                expected_version=expected_version,
                editable=ASSET_EDITABLE,
                changes=changes,
                clean=clean,
                only_changed=True,
                quiet=BOOKKEEPING,
            )
    except IntegrityError as exc:
        raise Conflict(
            _("This serial number or VIN is already registered."), code="duplicate_asset"
        ) from exc
    if not a:
        return asset
    audit_record(actor=actor, action="asset.update", obj=asset, before=b, after=a)
    hooks.asset_changed.run(hooks.AssetChanged(asset=asset))
    return asset


def personal_data_search_record(*, actor: User, digits: str) -> None:
    """Note that ``actor`` searched customers by part of a phone number (PIPL access log)."""
    shown = digits[:3] + "*" * max(len(digits) - 7, 0) + digits[-4:] if len(digits) > 7 else digits
    audit_record(
        actor=actor,
        action="personal_data.search",
        object_type="customers.contact",
        object_id="",
        object_repr=shown,
    )


def personal_data_reveal(*, actor: User, contact: Contact, reason: str = "") -> str:
    """Return a contact's full phone number and record that ``actor`` saw it (PIPL access log)."""
    audit_record(
        actor=actor,
        action="personal_data.reveal",
        obj=contact,
        object_repr=f"{contact.customer} · {mask_phone(contact.phone)}",
        reason=reason,
    )
    return contact.phone


@transaction.atomic
def customer_signup(
    *,
    username: str,
    password: str,
    name: str,
    phone: str,
    email: str = "",
    language: str = "zh-hans",
    consent_privacy: bool = False,
    consent_marketing: bool = False,
) -> Customer:
    """A customer opens a portal account and gets a new customer record of their own.

    A sign-up is never linked to an existing customer found by phone number: whoever knows a
    number would otherwise see that customer's cases and products. Staff link records after
    checking identity. ``consent_privacy`` records when the customer accepted the privacy
    notice (R9.2, PIPL); marketing consent is separate and optional; both are audited.
    """
    e164 = normalize_phone(phone)
    if User.objects.filter(username__iexact=username).exists():
        raise Conflict(_("That user name is taken."), code="username_taken")
    user = User(username=username, email=email, display_name=name, preferred_language=language)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:  # the same name taken by a sign-up racing this one
        raise Conflict(_("That user name is taken."), code="username_taken") from exc
    user.groups.add(Group.objects.get_or_create(name=str(Role.CUSTOMER))[0])
    audit_record(
        actor=user, action="user.create", obj=user, after={"username": username, "role": "customer"}
    )
    customer = customer_create(
        actor=user, name=name, phone=e164, email=email, preferred_language=language, user=user
    )
    if consent_privacy:
        _consent_record(actor=user, customer=customer, marketing=consent_marketing)
    return customer


def _consent_record(*, actor: User, customer: Customer, marketing: bool) -> None:
    """Note when the customer accepted the privacy notice and whether marketing is allowed."""
    customer.consent_recorded_at = timezone.now()
    customer.consent_marketing = bool(marketing)
    customer.save(update_fields=["consent_recorded_at", "consent_marketing", "updated_at"])
    audit_record(
        actor=actor,
        action="customer.consent",
        obj=customer,
        after={"privacy": True, "marketing": bool(marketing)},
    )
