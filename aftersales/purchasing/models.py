"""Suppliers, purchase orders, receipts, incoming inspection, returns to suppliers, batch
recalls and the pricing of parts (R8.4–R8.7).

Quantities received and accepted are kept on the rows they belong to so that a supplier's
scorecard and the open order quantities are aggregate queries over these tables, never numbers
kept up to date by hand. Orders carry an optimistic ``version``; the received quantity of an
order line moves only by a conditional update that cannot pass the ordered quantity.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftersales.core.audit_labels import changes, register_value_labels
from aftersales.customers.choices import CustomerTier

from .choices import (
    OrderStatus,
    PriceChangeStatus,
    PriceChangeTarget,
    PriceRuleKind,
    ReturnStatus,
)

QTY = {"max_digits": 12, "decimal_places": 3}
MONEY = {"max_digits": 14, "decimal_places": 2}


class Supplier(models.Model):
    """A company we buy parts from; evaluated by the scorecard (R8.5)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    tax_id = models.CharField(_("tax id"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    active = models.BooleanField(_("active"), default=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        ordering = ["code"]
        permissions = [
            ("approve_pricechange", _("Can approve price changes")),
            ("view_figures", _("Can view stock figures")),
            ("recall_batch", _("Can mark batches defective and start recalls")),
        ]

    def __str__(self) -> str:
        return self.name


class SupplierContact(models.Model):
    """A person at the supplier: sales, quality or logistics."""

    supplier = models.ForeignKey(
        Supplier, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("supplier")
    )
    name = models.CharField(_("name"), max_length=100)
    role = models.CharField(_("role"), max_length=60, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        verbose_name = _("supplier contact")
        verbose_name_plural = _("supplier contacts")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class SupplierPart(models.Model):
    """One line of a supplier's price list: this part, at this price, in this period."""

    supplier = models.ForeignKey(
        Supplier, on_delete=models.CASCADE, related_name="parts", verbose_name=_("supplier")
    )
    part = models.ForeignKey(
        "parts.Part",
        on_delete=models.PROTECT,
        related_name="supplier_prices",
        verbose_name=_("part"),
    )
    supplier_code = models.CharField(_("supplier's part code"), max_length=60, blank=True)
    price = models.DecimalField(_("price"), **MONEY, validators=[MinValueValidator(0)])
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    lead_time_days = models.PositiveIntegerField(_("lead time (days)"), default=7)

    class Meta:
        verbose_name = _("supplier price")
        verbose_name_plural = _("supplier prices")
        ordering = ["supplier", "part", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["supplier", "part", "valid_from"], name="supplierpart_unique_from"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="supplierpart_valid_range",
            ),
            models.CheckConstraint(condition=Q(price__gte=0), name="supplierpart_price_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.supplier} · {self.part_id} · {self.price}"


class SupplierRating(models.Model):
    """The buyer's rating of a supplier's service (1–5), the scorecard's service score."""

    supplier = models.ForeignKey(
        Supplier, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("supplier")
    )
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    rated_at = models.DateTimeField(_("rated"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("supplier rating")
        verbose_name_plural = _("supplier ratings")
        ordering = ["-rated_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=5), name="supplierrating_score_1_5"
            )
        ]

    def __str__(self) -> str:
        return f"{self.supplier}: {self.score}"


class OrderSequence(models.Model):
    """The last purchase order number per year; moved by ``UPDATE … RETURNING``."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("purchase order number sequence")
        verbose_name_plural = _("purchase order number sequences")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class PurchaseOrder(models.Model):
    """An order to a supplier with the date it promised to deliver (R8.4)."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    supplier = models.ForeignKey(
        Supplier, on_delete=models.PROTECT, related_name="orders", verbose_name=_("supplier")
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=OrderStatus.choices,
        default=OrderStatus.DRAFT,
        db_index=True,
    )
    ordered_at = models.DateTimeField(_("ordered"), null=True, blank=True)
    promised_date = models.DateField(_("promised delivery date"))
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("purchase order")
        verbose_name_plural = _("purchase orders")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.number


class PurchaseOrderLine(models.Model):
    """A part, how many, at what price. ``received_quantity`` never passes ``quantity``."""

    order = models.ForeignKey(
        PurchaseOrder, on_delete=models.CASCADE, related_name="lines", verbose_name=_("order")
    )
    part = models.ForeignKey(
        "parts.Part", on_delete=models.PROTECT, related_name="order_lines", verbose_name=_("part")
    )
    quantity = models.DecimalField(_("quantity"), **QTY)
    unit_price = models.DecimalField(_("unit price"), **MONEY)
    received_quantity = models.DecimalField(_("received"), **QTY, default=Decimal("0"))

    class Meta:
        verbose_name = _("purchase order line")
        verbose_name_plural = _("purchase order lines")
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="poline_quantity_gt_0"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="poline_price_gte_0"),
            models.CheckConstraint(
                condition=Q(received_quantity__gte=0) & Q(received_quantity__lte=F("quantity")),
                name="poline_received_within_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}/{self.part_id} × {self.quantity}"

    @property
    def open_quantity(self) -> Decimal:
        return self.quantity - self.received_quantity


class Receipt(models.Model):
    """Goods that arrived for an order (a delivery may be partial). Nothing enters stock until
    each line is inspected."""

    order = models.ForeignKey(
        PurchaseOrder, on_delete=models.PROTECT, related_name="receipts", verbose_name=_("order")
    )
    location = models.ForeignKey(
        "parts.Location", on_delete=models.PROTECT, related_name="+", verbose_name=_("location")
    )
    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    delivery_note = models.CharField(_("supplier's delivery note"), max_length=60, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.order} · {self.pk}"


class ReceiptLine(models.Model):
    """How much of one order line arrived, under which lot number."""

    receipt = models.ForeignKey(
        Receipt, on_delete=models.CASCADE, related_name="lines", verbose_name=_("receipt")
    )
    order_line = models.ForeignKey(
        PurchaseOrderLine,
        on_delete=models.PROTECT,
        related_name="receipt_lines",
        verbose_name=_("order line"),
    )
    quantity = models.DecimalField(_("quantity received"), **QTY)
    lot_number = models.CharField(_("lot number"), max_length=60)
    on_time = models.BooleanField(_("on time"), default=True)

    class Meta:
        verbose_name = _("receipt line")
        verbose_name_plural = _("receipt lines")
        ordering = ["receipt", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="receiptline_quantity_gt_0")
        ]

    def __str__(self) -> str:
        return f"{self.order_line.part_id} × {self.quantity} ({self.lot_number})"


class Inspection(models.Model):
    """Incoming inspection of one receipt line: accepted + rejected = received (R8.4)."""

    receipt_line = models.OneToOneField(
        ReceiptLine,
        on_delete=models.PROTECT,
        related_name="inspection",
        verbose_name=_("receipt line"),
    )
    accepted_quantity = models.DecimalField(_("accepted"), **QTY)
    rejected_quantity = models.DecimalField(_("rejected"), **QTY)
    defect_description = models.TextField(_("defect description"), blank=True)
    inspected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    inspected_at = models.DateTimeField(_("inspected"), default=timezone.now, db_index=True)
    movement = models.ForeignKey(
        "parts.Movement",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("stock receipt"),
    )

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-inspected_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(accepted_quantity__gte=0) & Q(rejected_quantity__gte=0),
                name="inspection_quantities_gte_0",
            )
        ]

    def __str__(self) -> str:
        return f"{self.receipt_line} ✓{self.accepted_quantity} ✗{self.rejected_quantity}"


class InspectionPhoto(models.Model):
    """A photo of a defect found at inspection (type checked from its bytes)."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="photos", verbose_name=_("inspection")
    )
    file = models.FileField(_("file"), upload_to="inspections/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=60)
    size = models.PositiveIntegerField(_("size"))

    class Meta:
        verbose_name = _("inspection photo")
        verbose_name_plural = _("inspection photos")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


class SupplierReturn(models.Model):
    """The return note for quantities rejected at inspection, back to the supplier."""

    number = models.CharField(_("number"), max_length=30, unique=True)
    inspection = models.OneToOneField(
        Inspection, on_delete=models.PROTECT, related_name="return_note"
    )
    supplier = models.ForeignKey(
        Supplier, on_delete=models.PROTECT, related_name="returns", verbose_name=_("supplier")
    )
    part = models.ForeignKey(
        "parts.Part", on_delete=models.PROTECT, related_name="+", verbose_name=_("part")
    )
    quantity = models.DecimalField(_("quantity"), **QTY)
    lot_number = models.CharField(_("lot number"), max_length=60)
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=10, choices=ReturnStatus.choices, default=ReturnStatus.OPEN
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        verbose_name = _("return to supplier")
        verbose_name_plural = _("returns to suppliers")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.number


class RecallCase(models.Model):
    """The case opened for one customer in the recall of one batch; unique so that a recall
    is never started twice for the same customer."""

    batch = models.ForeignKey("parts.Batch", on_delete=models.PROTECT, related_name="recall_cases")
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+", null=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        verbose_name = _("recall case")
        verbose_name_plural = _("recall cases")
        constraints = [
            models.UniqueConstraint(fields=["batch", "customer"], name="recallcase_once")
        ]

    def __str__(self) -> str:
        return f"{self.batch_id} → {self.customer_id}"


class PriceRule(models.Model):
    """How a part's selling price is formed (R8.7).

    ``cost_plus``: standard cost × (1 + percent/100); ``list_price``: the part's list price;
    ``member_discount``: a discount in percent per customer tier on top of the base price.
    A rule for a part overrides the general rule (``part`` empty). Its values change only
    through an approved :class:`PriceChange`.
    """

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=PriceRuleKind.choices)
    part = models.ForeignKey(
        "parts.Part",
        on_delete=models.CASCADE,
        related_name="price_rules",
        null=True,
        blank=True,
        verbose_name=_("part"),
    )
    percent = models.DecimalField(
        _("mark-up (%)"), max_digits=6, decimal_places=2, default=Decimal("0")
    )
    tier_discounts = models.JSONField(
        _("discount per tier (%)"), default=dict, blank=True, encoder=DjangoJSONEncoder
    )
    active = models.BooleanField(_("active"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("price rule")
        verbose_name_plural = _("price rules")
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return self.name


class PriceChange(models.Model):
    """A requested change of a list price or a price rule, applied only when a supervisor
    approves it; the rows are the price history."""

    target = models.CharField(_("target"), max_length=12, choices=PriceChangeTarget.choices)
    part = models.ForeignKey(
        "parts.Part",
        on_delete=models.CASCADE,
        related_name="price_changes",
        null=True,
        blank=True,
        verbose_name=_("part"),
    )
    rule = models.ForeignKey(
        PriceRule,
        on_delete=models.CASCADE,
        related_name="changes",
        null=True,
        blank=True,
        verbose_name=_("rule"),
    )
    old_value = models.JSONField(_("old value"), encoder=DjangoJSONEncoder)
    new_value = models.JSONField(_("new value"), encoder=DjangoJSONEncoder)
    reason = models.CharField(_("reason"), max_length=500)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=PriceChangeStatus.choices,
        default=PriceChangeStatus.PENDING,
        db_index=True,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("price change")
        verbose_name_plural = _("price changes")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(target="list_price") & Q(part__isnull=False))
                | (Q(target="rule") & Q(rule__isnull=False)),
                name="pricechange_has_target",
            )
        ]

    def __str__(self) -> str:
        kind = "parts.part" if self.target == "list_price" else "purchasing.pricerule"
        shown = "; ".join(
            f"{c.label}: {c.before} → {c.after}"
            for c in changes(kind, self.old_value, self.new_value)
        )
        return f"{self.get_target_display()} · {shown}"


# A price rule's discounts are kept by customer tier; the audit log names the tiers.
register_value_labels("tier_discounts", CustomerTier.choices)
