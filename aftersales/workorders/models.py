"""Repair work orders: the job a technician carries out for a service case (R3)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WorkOrder(models.Model):
    """One repair job. Its case holds the customer's request; the order holds the field work."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="work_orders", verbose_name=_("case")
    )
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        related_name="work_orders",
        verbose_name=_("customer"),
    )
    asset = models.ForeignKey(
        "customers.Asset",
        on_delete=models.PROTECT,
        related_name="work_orders",
        null=True,
        blank=True,
        verbose_name=_("asset"),
    )
    status = models.CharField(_("status"), max_length=20, default="new", db_index=True)
    technician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="work_orders",
        null=True,
        blank=True,
        verbose_name=_("technician"),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("work order")
        verbose_name_plural = _("work orders")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.number
