"""Personal data as a role may see it, and the record of who saw it (R9.2, PIPL art. 51).

One rule decides who sees a customer's phone numbers, e-mail addresses and street addresses
whole: :func:`~aftersales.customers.selectors.sees_full_personal_data` (supervisors,
administrators); everyone else sees them masked (``138****5678``, ``z***@example.cn``,
``上海市浦东新区张江****``), and an agent reveals one phone number on purpose, audited. A customer
always sees their own data whole.

:func:`personal_data_access_record` writes the access log: the customer page (always), and
lists, exports and API answers that show data unmasked — one bulk insert per request, whatever
the number of customers on it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from aftersales.accounts.models import User
from aftersales.core.actors import actor_or_none
from aftersales.core.geocoding import address_text
from aftersales.core.request_context import client_ip

from .models import Address, Contact, Customer, PersonalDataAccess
from .phones import mask_email, mask_phone, mask_street
from .selectors import sees_full_personal_data

Kind = PersonalDataAccess.Kind


def sees_whole(user: Any, customer: Customer | None = None) -> bool:
    """Whether ``user`` sees this customer's data unmasked: the roles of the one rule, and the
    customer themself."""
    if sees_full_personal_data(user):
        return True
    return customer is not None and customer.user_id is not None and customer.user_id == user.pk


def email_for(user: Any, email: str, customer: Customer | None = None) -> str:
    return email if sees_whole(user, customer) else mask_email(email)


def phone_for(user: Any, e164: str, customer: Customer | None = None) -> str:
    return e164 if sees_whole(user, customer) else mask_phone(e164)


def street_for(user: Any, street: str, customer: Customer | None = None) -> str:
    return street if sees_whole(user, customer) else mask_street(street)


def address_for(user: Any, address: Address, customer: Customer | None = None) -> str:
    """The address on one line, its street masked for roles that do not see it whole."""
    street = street_for(user, address.street, customer)
    return address_text(address.province, address.city, address.district, street)


def contact_fields_for(user: Any, contact: Contact, customer: Customer) -> dict[str, Any]:
    whole = sees_whole(user, customer)
    return {
        "phone": contact.phone if whole else mask_phone(contact.phone),
        "email": contact.email if whole else mask_email(contact.email),
        "masked": not whole,
    }


# -- the access log ---------------------------------------------------------------------------


def personal_data_access_record(
    *,
    actor: User | Any,
    kind: str,
    customers: Iterable[Customer | int],
    unmasked: bool = True,
    where: str = "",
) -> int:
    """Record that ``actor`` saw these customers' data; one INSERT for all of them. Returns the
    number of rows written."""
    user = actor_or_none(actor)
    ids = sorted({c if isinstance(c, int) else c.pk for c in customers})
    if not ids:
        return 0
    now = timezone.now()
    label = user.get_username()[:150] if user is not None else ""
    ip = client_ip.get()
    PersonalDataAccess.objects.bulk_create(
        PersonalDataAccess(
            at=now,
            actor=user,
            actor_label=label,
            customer_id=pk,
            kind=kind,
            unmasked=unmasked,
            where=where[:200],
            ip_address=ip,
        )
        for pk in ids
    )
    return len(ids)


def record_if_unmasked(
    *, actor: Any, kind: str, customers: Iterable[Customer], where: str = ""
) -> int:
    """For lists, exports and API answers: record only the customers shown unmasked."""
    shown = [c for c in customers if sees_whole(actor, c)]
    own = [c for c in shown if c.user_id is not None and c.user_id == getattr(actor, "pk", None)]
    shown = [c for c in shown if c not in own]
    return personal_data_access_record(actor=actor, kind=kind, customers=shown, where=where)


# -- reading the log --------------------------------------------------------------------------


def access_log(
    *,
    actor_text: str = "",
    customer_text: str = "",
    kind: str = "",
    date_from: Any = None,
    date_to: Any = None,
) -> QuerySet[PersonalDataAccess]:
    """The access log, newest first, narrowed by who (user name or display name), which customer
    (id or name), kind and date range (local dates, both ends included)."""
    qs = PersonalDataAccess.objects.select_related("actor", "customer")
    if actor_text:
        qs = qs.filter(
            Q(actor_label__icontains=actor_text) | Q(actor__display_name__icontains=actor_text)
        )
    if customer_text:
        cond = Q(customer__name__icontains=customer_text) | Q(
            customer__company_name__icontains=customer_text
        )
        if customer_text.isdigit():
            cond |= Q(customer_id=int(customer_text))
        qs = qs.filter(cond)
    if kind:
        qs = qs.filter(kind=kind)
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    return qs.order_by("-at", "-id")
