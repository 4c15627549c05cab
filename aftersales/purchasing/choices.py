from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OrderStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ORDERED = "ordered", _("Ordered")
    PARTIALLY_RECEIVED = "partially_received", _("Partially received")
    RECEIVED = "received", _("Received")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_ORDER_STATUSES = (OrderStatus.ORDERED, OrderStatus.PARTIALLY_RECEIVED)


class ReturnStatus(models.TextChoices):
    OPEN = "open", _("Waiting for pickup")
    SHIPPED = "shipped", _("Returned to supplier")


class PriceRuleKind(models.TextChoices):
    COST_PLUS = "cost_plus", _("Cost plus")
    LIST_PRICE = "list_price", _("List price")
    MEMBER_DISCOUNT = "member_discount", _("Member-tier discount")


class PriceChangeTarget(models.TextChoices):
    LIST_PRICE = "list_price", _("A part's list price")
    RULE = "rule", _("A price rule")


class PriceChangeStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", pgettext_lazy("decision", "Rejected")
