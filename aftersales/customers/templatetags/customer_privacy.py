"""Showing personal data by role (R9.2): phones, e-mail and street addresses masked unless the
role sees them whole (one rule: :mod:`aftersales.customers.privacy`)."""

from __future__ import annotations

import phonenumbers
from django import template

from aftersales.customers import privacy
from aftersales.customers.phones import mask_name, mask_phone
from aftersales.customers.selectors import sees_full_personal_data

register = template.Library()


def phone_display(e164: str) -> str:
    """``+8613812345678`` → ``138 1234 5678`` (national form for home numbers)."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    fmt = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == 86
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, fmt)


@register.filter
def phone_for(e164: str, user) -> str:
    """The phone as ``user`` may see it: whole for roles that need it, else ``138****5678``."""
    if not e164:
        return ""
    if sees_full_personal_data(user):
        return phone_display(e164)
    return mask_phone(e164)


@register.filter
def phone_masked_for(e164: str, user) -> bool:
    return bool(e164) and not sees_full_personal_data(user)


@register.filter
def name_for(name: str, user) -> str:
    """Staff who work with customers see names; other roles see ``张*丰``."""
    if getattr(user, "is_superuser", False) or user.has_perm("customers.view_customer"):
        return name
    return mask_name(name)


@register.filter
def email_for(email: str, user) -> str:
    """The e-mail address as ``user`` may see it: whole, or ``z***@example.cn``."""
    return privacy.email_for(user, email or "")


@register.filter
def address_for(address, user) -> str:
    """An address on one line, its street masked (``上海市浦东新区张江****``) unless ``user`` sees
    personal data whole."""
    return privacy.address_for(user, address)


@register.filter
def sees_personal_data(user) -> bool:
    return privacy.sees_whole(user)
