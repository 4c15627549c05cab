"""Parsing and checking stock quantities: Decimal with three places, whole for whole units."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from aftersales.core.errors import InvalidInput

PLACES = Decimal("0.001")
QTY_FIELD = {"field": "quantity"}
MAX_QUANTITY = Decimal("99999999999")  # fits max_digits=14, decimal_places=3


def to_quantity(value: Any) -> Decimal:
    """A Decimal of at most three decimal places, or InvalidInput."""
    if isinstance(value, bool):
        raise InvalidInput(
            _("The quantity must be a number."), code="invalid_quantity", detail=QTY_FIELD
        )
    try:
        qty = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError) as exc:
        raise InvalidInput(
            _("The quantity must be a number."), code="invalid_quantity", detail=QTY_FIELD
        ) from exc
    if not qty.is_finite():
        raise InvalidInput(
            _("The quantity must be a number."), code="invalid_quantity", detail=QTY_FIELD
        )
    if abs(qty) >= MAX_QUANTITY:
        raise InvalidInput(
            _("The quantity is too large."), code="invalid_quantity", detail=QTY_FIELD
        )
    if qty != qty.quantize(PLACES):
        raise InvalidInput(
            _("The quantity may have at most three decimal places."),
            code="invalid_quantity",
            detail=QTY_FIELD,
        )
    return qty.quantize(PLACES)


def check_quantity(part: Any, value: Any, *, signed: bool = False) -> Decimal:
    """The quantity of ``part`` to move: positive (or non-zero when ``signed``), whole when the
    part's unit is counted in whole units. Raises InvalidInput with a clear message otherwise."""
    qty = to_quantity(value)
    if signed:
        if qty == 0:
            raise InvalidInput(
                _("The quantity change must not be zero."),
                code="invalid_quantity",
                detail=QTY_FIELD,
            )
    elif qty <= 0:
        raise InvalidInput(
            _("The quantity must be greater than zero."), code="invalid_quantity", detail=QTY_FIELD
        )
    if part.whole_units and qty != qty.to_integral_value():
        raise InvalidInput(
            _("%(part)s is counted in whole units; %(qty)s is not a whole number.")
            % {"part": part.code, "qty": qty.normalize()},
            code="invalid_quantity",
            detail=QTY_FIELD,
        )
    return qty
