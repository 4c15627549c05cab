"""Reads of customers and assets, already restricted to what the user may see."""

from __future__ import annotations

import re

from django.db.models import Q, QuerySet
from django.http import Http404

from aftersales.accounts.models import User

from .models import Asset, Contact, Customer, ProductModel


def customer_visible_q(user: User) -> Q | None:
    """``None`` means everything; an empty ``Q(pk__in=[])`` means nothing."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.is_superuser or user.has_perm("customers.view_customer"):
        return None
    return Q(user=user)


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


def customer_search(*, user: User, text: str, limit: int = 10) -> list[Customer]:
    """Intake lookup: any 4+ digits of a phone, or the start of a name or company."""
    text = (text or "").strip()
    if not text:
        return []
    qs = customer_list(user=user)
    digits = re.sub(r"\D", "", text)
    cond = Q(name__istartswith=text) | Q(company_name__istartswith=text)
    if len(digits) >= 4:
        if digits.startswith("86") and len(digits) > 11:
            digits = digits[2:]
        cond |= Q(contacts__phone__contains=digits)
    return list(qs.filter(cond).distinct().prefetch_related("contacts").order_by("-id")[:limit])


def asset_list(*, user: User) -> QuerySet[Asset]:
    qs = Asset.objects.select_related("product_model", "customer")
    if not user.is_authenticated:
        return qs.none()
    if user.is_superuser or user.has_perm("customers.view_asset"):
        return qs
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


def product_model_list() -> QuerySet[ProductModel]:
    return ProductModel.objects.all()


def sees_full_personal_data(user: User) -> bool:
    return user.is_superuser or user.has_perm("customers.view_full_personal_data")


def customer_list_search(*, user: User, text: str = "") -> QuerySet[Customer]:
    """The customers ``user`` may see, narrowed like :func:`customer_search` but left as a
    queryset so that lists can paginate it: the start of a name or company, or 4+ digits of a
    phone. A subquery (not a join) keeps one row per customer."""
    qs = customer_list(user=user)
    text = (text or "").strip()
    if not text:
        return qs
    cond = Q(name__istartswith=text) | Q(company_name__istartswith=text)
    digits = re.sub(r"\D", "", text)
    if len(digits) >= 4:
        if digits.startswith("86") and len(digits) > 11:
            digits = digits[2:]
        cond |= Q(pk__in=Contact.objects.filter(phone__contains=digits).values("customer_id"))
    return qs.filter(cond)
