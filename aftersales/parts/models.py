"""The spare-parts catalog and its stock ledger (R8.1–R8.3).

Every change of stock is a :class:`Movement` row (the ledger); :class:`StockLevel` holds the
running totals per part and location and is changed in the same transaction by conditional
updates, so it always equals the sum of the ledger and reading a part's stock never sums it.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import (
    AbcClass,
    LocationKind,
    MovementKind,
    ReservationStatus,
    StockClass,
    Unit,
)

QTY = {"max_digits": 14, "decimal_places": 3}
MONEY = {"max_digits": 12, "decimal_places": 2}
ZERO = Decimal("0")


class Part(models.Model):
    """A spare part in the catalog: what it is, what it fits, how it is counted and kept.

    ``whole_units`` says whether quantities must be whole numbers (pieces, sets); services
    refuse fractional quantities for such parts. Reorder point and safety stock default from
    the stock class; ``abc_class`` is computed from consumption value (never entered).
    """

    code = models.CharField(_("part code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=150)
    specification = models.CharField(_("specification / model"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.PIECE)
    whole_units = models.BooleanField(
        _("whole quantities only"),
        default=True,
        help_text=_("Quantities of this part must be whole numbers."),
    )
    stock_class = models.CharField(
        _("stock class"), max_length=10, choices=StockClass.choices, default=StockClass.COMMON
    )
    abc_class = models.CharField(
        _("ABC class"), max_length=1, choices=AbcClass.choices, default="", blank=True
    )
    standard_cost = models.DecimalField(_("standard cost"), default=ZERO, **MONEY)
    list_price = models.DecimalField(_("list price"), default=ZERO, **MONEY)
    product_models = models.ManyToManyField(
        "customers.ProductModel",
        verbose_name=_("applicable product models"),
        related_name="parts",
        blank=True,
    )
    image = models.ImageField(_("image"), upload_to="parts/%Y/%m/", blank=True)
    reorder_point = models.DecimalField(_("reorder point"), default=ZERO, **QTY)
    safety_stock = models.DecimalField(_("safety stock"), default=ZERO, **QTY)
    lead_time_days = models.PositiveSmallIntegerField(_("lead time (days)"), default=7)
    active = models.BooleanField(_("active"), default=True)
    # Set when a low-stock alert went out; cleared when stock is back at the reorder point,
    # so each shortage raises one alert (conditional update on this flag).
    low_stock_alerted = models.BooleanField(_("low-stock alert sent"), default=False)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("part")
        verbose_name_plural = _("parts")
        ordering = ["code"]
        permissions = [
            ("move_stock", _("Can receive, issue, transfer and adjust stock")),
            ("import_part", _("Can import parts from Excel")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(reorder_point__gte=0) & Q(safety_stock__gte=0),
                name="part_replenishment_nonnegative",
            ),
            models.CheckConstraint(
                condition=Q(standard_cost__gte=0) & Q(list_price__gte=0),
                name="part_prices_nonnegative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Location(models.Model):
    """Where stock is kept: a warehouse, a bin inside one, or a technician's van (R8.1)."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(
        _("kind"), max_length=10, choices=LocationKind.choices, default=LocationKind.WAREHOUSE
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("warehouse"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    technician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("technician"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stock_locations",
    )
    service_center = models.ForeignKey(
        "accounts.ServiceCenter",
        verbose_name=_("service center"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stock_locations",
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("stock location")
        verbose_name_plural = _("stock locations")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Batch(models.Model):
    """A lot of one part as received, for traceability and recall (R8.6)."""

    part = models.ForeignKey(
        Part, verbose_name=_("part"), on_delete=models.PROTECT, related_name="batches"
    )
    lot_number = models.CharField(_("lot number"), max_length=60)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    supplier_ref = models.CharField(_("supplier reference"), max_length=120, blank=True)
    defective = models.BooleanField(_("defective"), default=False)
    defective_reason = models.TextField(_("defect reason"), blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    marked_at = models.DateTimeField(_("marked"), null=True, blank=True)

    class Meta:
        verbose_name = _("batch")
        verbose_name_plural = _("batches")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["part", "lot_number"], name="batch_part_lot_unique")
        ]

    def __str__(self) -> str:
        return f"{self.part.code} / {self.lot_number}"


class StockLevel(models.Model):
    """The running stock of one part at one location: on hand, reserved, and (derived) available.

    Changed only by conditional ``UPDATE … SET on_hand = on_hand ± q … WHERE <guard>`` in the
    same transaction as the movement that explains it; the check constraints are the last line
    of defence against negative stock.
    """

    part = models.ForeignKey(
        Part, verbose_name=_("part"), on_delete=models.PROTECT, related_name="stock_levels"
    )
    location = models.ForeignKey(
        Location, verbose_name=_("location"), on_delete=models.PROTECT, related_name="stock_levels"
    )
    on_hand = models.DecimalField(_("on hand"), default=ZERO, **QTY)
    reserved = models.DecimalField(_("reserved"), default=ZERO, **QTY)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("stock level")
        verbose_name_plural = _("stock levels")
        ordering = ["part_id", "location_id"]
        constraints = [
            models.UniqueConstraint(fields=["part", "location"], name="stocklevel_part_location"),
            models.CheckConstraint(condition=Q(on_hand__gte=0), name="stocklevel_on_hand_gte_0"),
            models.CheckConstraint(condition=Q(reserved__gte=0), name="stocklevel_reserved_gte_0"),
            models.CheckConstraint(
                condition=Q(reserved__lte=F("on_hand")), name="stocklevel_reserved_lte_on_hand"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.part_id}@{self.location_id}: {self.on_hand}"

    @property
    def available(self) -> Decimal:
        return self.on_hand - self.reserved


class Movement(models.Model):
    """One ledger entry: a signed change of on-hand (``quantity``) and of reserved
    (``reserved_delta``) stock of a part at a location, with who, when, why and at what cost.

    Rows are only ever appended. The sum of ``quantity`` per part and location is its on-hand
    stock; the sum of ``reserved_delta`` is its reserved stock.
    """

    # Not columns: the stock services set them on a movement they just wrote, for the answer
    # and the low-stock check, so neither needs another query.
    wo_number: str | None
    available_after: Decimal

    kind = models.CharField(_("kind"), max_length=15, choices=MovementKind.choices)
    part = models.ForeignKey(
        Part, verbose_name=_("part"), on_delete=models.PROTECT, related_name="movements"
    )
    location = models.ForeignKey(
        Location, verbose_name=_("location"), on_delete=models.PROTECT, related_name="movements"
    )
    quantity = models.DecimalField(_("quantity"), default=ZERO, **QTY)
    reserved_delta = models.DecimalField(_("reserved change"), default=ZERO, **QTY)
    batch = models.ForeignKey(
        Batch,
        verbose_name=_("batch"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="movements",
    )
    work_order = models.ForeignKey(
        "workorders.WorkOrder",
        verbose_name=_("work order"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stock_movements",
    )
    unit_cost = models.DecimalField(_("unit cost"), default=ZERO, **MONEY)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["part", "location", "id"], name="movement_part_loc_idx"),
            models.Index(fields=["kind", "created_at"], name="movement_kind_time_idx"),
            models.Index(fields=["work_order"], name="movement_workorder_idx"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()} {self.quantity.normalize():f} "
            f"{self.part.code} @ {self.location.code}"
        )


class Reservation(models.Model):
    """Stock set aside at a location for a scheduled work order: issuing consumes it, cancelling
    releases it. Status changes are conditional on the status being active, so a reservation is
    consumed or released once."""

    part = models.ForeignKey(
        Part, verbose_name=_("part"), on_delete=models.PROTECT, related_name="reservations"
    )
    location = models.ForeignKey(
        Location, verbose_name=_("location"), on_delete=models.PROTECT, related_name="reservations"
    )
    work_order = models.ForeignKey(
        "workorders.WorkOrder",
        verbose_name=_("work order"),
        on_delete=models.PROTECT,
        related_name="reservations",
    )
    quantity = models.DecimalField(_("quantity"), **QTY)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ReservationStatus.choices,
        default=ReservationStatus.ACTIVE,
        db_index=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("reservation")
        verbose_name_plural = _("reservations")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="reservation_quantity_gt_0")
        ]

    def __str__(self) -> str:
        return (
            f"{self.part.code} @ {self.location.code} × {self.quantity.normalize():f} "
            f"({self.get_status_display()})"
        )
