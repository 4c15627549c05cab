"""People and the organisation they work in.

The custom user exists from the first migration so later issues can add staff fields without a
painful swap. Departments contain teams; teams own case queues; service centers are the places
customers and technicians go.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from aftersales.core.geocoding import GeoPrecision, GeoSource

from . import landing
from .roles import Role


class User(AbstractUser):
    """A person who signs in: staff of any role, a portal customer, or an integration account."""

    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    service_center = models.ForeignKey(
        "accounts.ServiceCenter",
        verbose_name=_("service center"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff",
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=[("zh-hans", "简体中文"), ("en", "English")],
        default="zh-hans",
    )
    is_integration = models.BooleanField(_("integration account"), default=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @property
    def role_names(self) -> set[str]:
        if not hasattr(self, "_role_cache"):
            self._role_cache = set(self.groups.values_list("name", flat=True))
        return self._role_cache

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_names.intersection(str(r) for r in roles))

    @property
    def is_customer(self) -> bool:
        return self.has_role(Role.CUSTOMER) and not self.is_staff_member

    @property
    def is_staff_member(self) -> bool:
        return self.is_superuser or bool(self.role_names - {Role.CUSTOMER.value})

    @property
    def home_url_name(self) -> str | None:
        """The URL name of the page where this person's work is (``landing.ROLE_HOME``)."""
        return landing.home_url_name(self)


class Department(models.Model):
    """A unit of the company (after-sales, quality, engineering…) that answers for work."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT
    )
    head = models.ForeignKey(
        User,
        verbose_name=_("head"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """A group that owns a queue of cases; agents see their teams' cases."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="teams"
    )
    lead = models.ForeignKey(
        User,
        verbose_name=_("team lead"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    members = models.ManyToManyField(
        User, verbose_name=_("members"), blank=True, related_name="teams"
    )

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ServiceCenter(models.Model):
    """A place where service is given: workshop, repair station, store counter (R14.1)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=300)
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
    coverage_radius_km = models.DecimalField(
        _("coverage radius (km)"), max_digits=6, decimal_places=1, default=Decimal("30.0")
    )
    opening_hours = models.JSONField(
        _("opening hours"),
        default=dict,
        blank=True,
        help_text=_('Per weekday, e.g. {"mon": [["08:30", "17:30"]]}'),
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("service center")
        verbose_name_plural = _("service centers")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True)
                | models.Q(latitude__gte=-90, latitude__lte=90),
                name="servicecenter_latitude_range",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__isnull=True)
                | models.Q(longitude__gte=-180, longitude__lte=180),
                name="servicecenter_longitude_range",
            ),
        ]
        permissions = [("manage_organisation", _("Can manage departments, teams and centers"))]

    def __str__(self) -> str:
        return self.name

    def geocode_query(self) -> tuple[str, str]:
        return self.address, ""


class ApiKey(models.Model):
    """A secret for an integration. Only a hash is stored; the key acts as its own user,
    who holds exactly one role, so the integration can do what that role can and no more."""

    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12, unique=True)
    hashed_key = models.CharField(_("hashed key"), max_length=128)
    user = models.OneToOneField(
        User, verbose_name=_("acts as"), on_delete=models.CASCADE, related_name="api_key"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    created_by = models.ForeignKey(
        User,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        permissions = [("manage_apikeys", _("Can manage API keys"))]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
