"""Choices of the parts app: units, stock classes, location kinds, movement kinds."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Unit(models.TextChoices):
    PIECE = "pcs", _("piece")
    SET = "set", _("set")
    PAIR = "pair", _("pair")
    BOX = "box", _("box")
    METRE = "m", _("metre")
    KILOGRAM = "kg", _("kilogram")
    LITRE = "l", _("litre")


# Units that are naturally counted; a part in one of these units defaults to whole quantities.
WHOLE_UNITS = {Unit.PIECE, Unit.SET, Unit.PAIR, Unit.BOX}


class StockClass(models.TextChoices):
    COMMON = "common", _("Common")
    CRITICAL = "critical", pgettext_lazy("stock class", "Critical")
    RARE = "rare", _("Rarely used")


class AbcClass(models.TextChoices):
    A = "A", "A"
    B = "B", "B"
    C = "C", "C"
    NONE = "", _("Not classified")


# Reorder point and safety stock a new part gets from its class when none is given (R8.3).
CLASS_DEFAULTS: dict[str, dict[str, Decimal | int]] = {
    StockClass.COMMON: {
        "reorder_point": Decimal("10"),
        "safety_stock": Decimal("5"),
        "lead_time_days": 7,
    },
    StockClass.CRITICAL: {
        "reorder_point": Decimal("5"),
        "safety_stock": Decimal("3"),
        "lead_time_days": 14,
    },
    StockClass.RARE: {
        "reorder_point": Decimal("1"),
        "safety_stock": Decimal("0"),
        "lead_time_days": 30,
    },
}


class LocationKind(models.TextChoices):
    WAREHOUSE = "warehouse", _("Warehouse")
    BIN = "bin", _("Bin")
    VAN = "van", _("Technician's van")


class MovementKind(models.TextChoices):
    RECEIPT = "receipt", _("Receipt")
    ISSUE = "issue", _("Issue")
    RETURN = "return", _("Return")
    TRANSFER_OUT = "transfer_out", _("Transfer out")
    TRANSFER_IN = "transfer_in", _("Transfer in")
    ADJUSTMENT = "adjustment", _("Adjustment")
    SCRAP = "scrap", _("Scrap")
    RESERVE = "reserve", _("Reserve")
    RELEASE = "release", _("Release")


class ReservationStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CONSUMED = "consumed", _("Consumed")
    RELEASED = "released", _("Released")
