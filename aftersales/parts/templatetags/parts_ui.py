"""Template filters of the parts screens."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def qty(value) -> str:
    """A stock quantity without trailing zeros: 10.000 → 10, 2.500 → 2.5."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value)).quantize(Decimal("0.001"))
    except (InvalidOperation, ValueError):
        return str(value)
    if number == number.to_integral_value():
        return str(number.to_integral_value())
    return format(number.normalize(), "f")


@register.filter
def signed_qty(value) -> str:
    text = qty(value)
    if text and not text.startswith("-") and text != "0":
        return f"+{text}"
    return text


@register.filter
def lookup(mapping, key):
    """``mapping[key]`` or None."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None
