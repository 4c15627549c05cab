"""Parsing, normalising and masking phone numbers, and masking the other personal data a
screen shows — names, e-mail and street addresses (R9.2).

Everything the system stores is E.164; people type numbers in every form (``138 1234 5678``,
``+86 138-1234-5678``, ``0086…``, ``010-12345678``), so parsing lives in one place. Who sees data
whole is one rule, :func:`aftersales.customers.selectors.sees_full_personal_data`.
"""

from __future__ import annotations

import phonenumbers
from django.conf import settings
from django.utils.translation import gettext as _

from aftersales.core.errors import InvalidInput


def normalize_phone(raw: str, region: str | None = None) -> str:
    """Return ``raw`` in E.164 or raise :class:`InvalidInput` with a message for people."""
    text = (raw or "").strip()
    if not text:
        raise InvalidInput(_("Enter a phone number."), code="phone_required")
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region or settings.PHONE_DEFAULT_REGION)
    except phonenumbers.NumberParseException as exc:
        raise InvalidInput(
            _("“%(phone)s” is not a phone number.") % {"phone": raw}, code="phone_invalid"
        ) from exc
    if not phonenumbers.is_valid_number(number):
        raise InvalidInput(
            _("“%(phone)s” is not a valid phone number.") % {"phone": raw}, code="phone_invalid"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def national_digits(e164: str) -> str:
    """The number as dialled at home: ``+8613812345678`` → ``13812345678``."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164.lstrip("+")
    return phonenumbers.national_significant_number(number)


def mask_phone(e164: str) -> str:
    """Keep the first 3 and last 4 digits: ``138****5678`` (GB/T 35273 display limits)."""
    if not e164:
        return ""
    digits = national_digits(e164)
    if len(digits) <= 7:
        return digits[:2] + "*" * max(len(digits) - 4, 1) + digits[-2:]
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_name(name: str) -> str:
    """``张三丰`` → ``张*丰``; ``李四`` → ``李*``."""
    if not name:
        return ""
    if len(name) <= 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_email(email: str) -> str:
    """``zhangsan@example.cn`` → ``z***@example.cn``: enough to tell two addresses apart."""
    if not email:
        return ""
    local, at, domain = email.partition("@")
    if not at:
        return local[:1] + "***"
    return f"{local[:1]}***@{domain}"


def mask_street(street: str) -> str:
    """``张江路 100 号 3 栋 502`` → ``张江****``: the district stays readable, the door does not."""
    street = (street or "").strip()
    if not street:
        return ""
    return street[:2] + "****"
