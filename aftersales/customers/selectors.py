"""Reads of customers and assets, already restricted to what the user may see, and how a
customer is reached."""

from __future__ import annotations

import re

from django.db.models import Q, QuerySet
from django.http import Http404

from aftersales.accounts.models import User
from aftersales.core.errors import InvalidInput

from .models import Address, Asset, Contact, Customer, ProductModel
from .phones import normalize_phone


def customer_email(customer: Customer, contact: Contact | None = None) -> str:
    """The e-mail address that reaches ``customer`` — one rule for every message sent to a
    customer: their own address, else that of the contact the matter is about, else their
    portal account's; ``""`` when none is known (the message is then recorded, not sent)."""
    if customer.email:
        return customer.email
    if contact is not None and contact.email:
        return contact.email
    if customer.user_id and customer.user and customer.user.email:
        return customer.user.email
    return ""


def customer_visible_q(user: User) -> Q | None:
    """``None`` means everything; an empty ``Q(pk__in=[])`` means nothing."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.is_superuser or user.has_perm("customers.view_customer"):
        return None
    if user.has_perm("cases.view_case"):
        # Staff without the customer base (technicians) see the customers of their own jobs.
        return Q(pk__in=_own_job_customers(user))
    return Q(user=user)


def _own_job_customers(user: User):
    from aftersales.cases.models import Case

    return Case.objects.filter(assignee=user).values("customer_id")


def customer_list(*, user: User) -> QuerySet[Customer]:
    q = customer_visible_q(user)
    qs = Customer.objects.all()
    return qs if q is None else qs.filter(q)


def customer_get_for(*, user: User, pk: int) -> Customer:
    """One customer, or 404 both when missing and when the user may not see it."""
    try:
        return customer_list(user=user).get(pk=pk)
    except (Customer.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("customer") from exc


def may_search_phone_digits(user: User) -> bool:
    """Searching by a fragment of a number would let a role that sees numbers masked rebuild
    them digit by digit, so fragments are for roles that may reveal numbers anyway."""
    return sees_full_personal_data(user) or user.has_perm("customers.reveal_personal_data")


def _phone_condition(user: User, text: str) -> Q | None:
    """Which contacts a typed number matches: any 4+ digits for roles that may search by
    fragment (the search is written to the access log), a whole number for everyone else."""
    digits = re.sub(r"\D", "", text)
    if len(digits) < 4:
        return None
    if not may_search_phone_digits(user):
        try:
            return Q(phone=normalize_phone(text))
        except InvalidInput:
            return None
    if digits.startswith("86") and len(digits) > 11:
        digits = digits[2:]
    if not sees_full_personal_data(user):
        from .services import personal_data_search_record

        personal_data_search_record(actor=user, digits=digits)
    return Q(phone__contains=digits)


def customer_search(*, user: User, text: str, limit: int = 10) -> list[Customer]:
    """Intake lookup: digits of a phone (see :func:`_phone_condition`), or the start of a name
    or company."""
    text = (text or "").strip()
    if not text:
        return []
    cond = Q(name__istartswith=text) | Q(company_name__istartswith=text)
    phone = _phone_condition(user, text)
    if phone is not None:
        cond |= Q(pk__in=Contact.objects.filter(phone).values("customer_id"))
    qs = customer_list(user=user).filter(cond)
    return list(qs.prefetch_related("contacts").order_by("-id")[:limit])


def asset_list(*, user: User) -> QuerySet[Asset]:
    qs = Asset.objects.select_related("product_model", "customer")
    if not user.is_authenticated:
        return qs.none()
    if user.is_superuser or user.has_perm("customers.view_asset"):
        return qs
    if user.has_perm("cases.view_case"):
        return qs.filter(customer_id__in=_own_job_customers(user))
    return qs.filter(customer__user=user)


def asset_get_for(*, user: User, pk: int) -> Asset:
    try:
        return asset_list(user=user).get(pk=pk)
    except (Asset.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("asset") from exc


def contact_get_for(*, user: User, pk: int) -> Contact:
    try:
        return Contact.objects.select_related("customer").get(
            pk=pk, customer__in=customer_list(user=user)
        )
    except (Contact.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("contact") from exc


def address_get_for(*, user: User, pk: int) -> Address:
    try:
        return Address.objects.select_related("customer").get(
            pk=pk, customer__in=customer_list(user=user)
        )
    except (Address.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("address") from exc


def product_model_list() -> QuerySet[ProductModel]:
    return ProductModel.objects.all()


def sees_full_personal_data(user: User) -> bool:
    return user.is_superuser or user.has_perm("customers.view_full_personal_data")


def customer_list_search(*, user: User, text: str = "") -> QuerySet[Customer]:
    """The customers ``user`` may see, narrowed like :func:`customer_search` but left as a
    queryset so that lists can paginate it. A subquery (not a join) keeps one row per customer."""
    qs = customer_list(user=user)
    text = (text or "").strip()
    if not text:
        return qs
    cond = Q(name__istartswith=text) | Q(company_name__istartswith=text)
    phone = _phone_condition(user, text)
    if phone is not None:
        cond |= Q(pk__in=Contact.objects.filter(phone).values("customer_id"))
    return qs.filter(cond)
