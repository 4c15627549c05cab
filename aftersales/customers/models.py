"""Customers, how to reach them, and the products they own.

Phone numbers are stored once, in E.164, so that search, de-duplication and SMS all agree on
one form; screens show them masked unless the role needs the whole number (R9.2).
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftersales.core.geocoding import GeoPrecision, GeoSource, address_text

from .choices import CustomerKind, CustomerTier


class Customer(models.Model):
    """A person or company we serve; a portal account may belong to it."""

    kind = models.CharField(
        _("kind"), max_length=16, choices=CustomerKind.choices, default=CustomerKind.INDIVIDUAL
    )
    name = models.CharField(_("name"), max_length=100)
    company_name = models.CharField(_("company"), max_length=200, blank=True)
    tier = models.CharField(
        _("tier"), max_length=16, choices=CustomerTier.choices, default=CustomerTier.STANDARD
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("portal account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="customer",
    )
    email = models.EmailField(_("e-mail"), blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=[("zh-hans", "简体中文"), ("en", "English")],
        default="zh-hans",
    )
    consent_marketing = models.BooleanField(_("consents to marketing messages"), default=False)
    consent_recorded_at = models.DateTimeField(_("consent recorded"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["-id"]
        indexes = [models.Index(Lower("name"), name="customer_name_lower_idx")]
        permissions = [
            ("reveal_personal_data", _("Can reveal masked personal data (audited)")),
            ("view_full_personal_data", _("Sees personal data unmasked")),
        ]

    def __str__(self) -> str:
        if self.kind == CustomerKind.COMPANY and self.company_name:
            return f"{self.company_name} · {self.name}"
        return self.name


class Contact(models.Model):
    """A way to reach a customer. ``phone`` is E.164 (``+8613812345678``)."""

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=100)
    phone = models.CharField(_("phone"), max_length=20, db_index=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_primary = models.BooleanField(_("primary"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-is_primary", "id"]
        constraints = [
            models.UniqueConstraint(fields=["customer", "phone"], name="contact_unique_phone")
        ]

    def __str__(self) -> str:
        return self.name


class Address(models.Model):
    """A place where service happens (home, shop, site)."""

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="addresses"
    )
    label = models.CharField(_("label"), max_length=50, blank=True)
    province = models.CharField(_("province"), max_length=50, blank=True)
    city = models.CharField(_("city"), max_length=50, blank=True)
    district = models.CharField(_("district"), max_length=50, blank=True)
    street = models.CharField(_("street address"), max_length=300)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    geo_precision = models.CharField(
        _("location precision"), max_length=10, choices=GeoPrecision.choices, blank=True
    )
    geo_source = models.CharField(
        _("location source"), max_length=10, choices=GeoSource.choices, blank=True
    )
    is_default = models.BooleanField(_("default"), default=False)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        ordering = ["-is_default", "id"]

    def __str__(self) -> str:
        # 上海市 is province and city: named once
        return address_text(self.province, self.city, self.district, self.street)

    def geocode_query(self) -> tuple[str, str]:
        """The text a geocoder reads, and the city that narrows it."""
        return (
            address_text(self.province, self.city, self.district, self.street),
            self.city or self.province,
        )


class ProductModel(models.Model):
    """A product model we sell and service, with its warranty terms (R3.6)."""

    code = models.CharField(_("model code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=150)
    brand = models.CharField(_("brand"), max_length=60, blank=True)
    product_line = models.CharField(_("product line"), max_length=60, blank=True)
    is_vehicle = models.BooleanField(_("vehicle"), default=False)
    warranty_months = models.PositiveSmallIntegerField(
        _("whole-unit warranty (months)"), default=12
    )
    main_parts_warranty_months = models.PositiveSmallIntegerField(
        _("main components warranty (months)"), default=36
    )
    warranty_km = models.PositiveIntegerField(_("warranty mileage (km)"), null=True, blank=True)

    class Meta:
        verbose_name = _("product model")
        verbose_name_plural = _("product models")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} {self.code}"


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole months, clamped to the month's last day (31 Jan + 1 → 28/29 Feb)."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


class Asset(models.Model):
    """A product a customer owns: an appliance by serial number or a vehicle by VIN."""

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="assets"
    )
    product_model = models.ForeignKey(
        ProductModel, verbose_name=_("product model"), on_delete=models.PROTECT, related_name="+"
    )
    serial_number = models.CharField(_("serial number"), max_length=60, blank=True)
    vin = models.CharField(_("VIN"), max_length=17, blank=True)
    plate_number = models.CharField(_("plate number"), max_length=16, blank=True)
    purchase_date = models.DateField(_("purchase date"), null=True, blank=True)
    invoice_number = models.CharField(_("invoice number"), max_length=40, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    warranty_end = models.DateField(_("warranty end"), null=True, blank=True, editable=False)
    main_parts_warranty_end = models.DateField(
        _("main components warranty end"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("asset")
        verbose_name_plural = _("assets")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["serial_number"], name="asset_serial_idx"),
            models.Index(fields=["vin"], name="asset_vin_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["product_model", "serial_number"],
                condition=~models.Q(serial_number=""),
                name="asset_unique_serial_per_model",
            ),
            models.UniqueConstraint(
                fields=["vin"], condition=~models.Q(vin=""), name="asset_unique_vin"
            ),
        ]

    def __str__(self) -> str:
        ident = self.serial_number or self.vin or f"#{self.pk}"
        return f"{self.product_model.name} {ident}" if self.product_model_id else ident

    def derive_warranty(self) -> None:
        """Warranty ends from the purchase date and the model's terms (R3.6)."""
        if self.purchase_date and self.product_model_id:
            pm = self.product_model
            self.warranty_end = add_months(self.purchase_date, pm.warranty_months)
            self.main_parts_warranty_end = add_months(
                self.purchase_date, pm.main_parts_warranty_months
            )
        else:
            self.warranty_end = None
            self.main_parts_warranty_end = None

    def in_warranty(self, on: dt.date | None = None) -> bool | None:
        if self.warranty_end is None:
            return None
        on = on or dt.date.today()
        return on <= self.warranty_end


class PersonalDataAccess(models.Model):
    """Who saw which customer's personal data, when and where (PIPL art. 51, GB/T 35273 §9.2:
    access to personal information is recorded). One row per customer per access: the customer
    page, a list or export showing whole phone numbers, e-mail addresses and addresses, or an API
    answer with them unmasked. Written in one bulk insert per request; never changed."""

    class Kind(models.TextChoices):
        PAGE = "page", _("Customer page")
        LIST = "list", _("Customer list")
        EXPORT = "export", _("Export")
        API = "api", _("API read")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("user name"), max_length=150, blank=True)
    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("access"), max_length=10, choices=Kind.choices)
    unmasked = models.BooleanField(_("unmasked"), default=False)
    where = models.CharField(_("page or operation"), max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["customer", "at"], name="pda_customer_at_idx"),
            models.Index(fields=["actor", "at"], name="pda_actor_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_label} · {self.get_kind_display()} · {self.customer_id}"
