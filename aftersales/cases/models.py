"""The service case and what hangs off it: its timeline, attachments and numbering.

One ``Case`` serves every type of request (R1.1); per-type fields live in ``extra``, checked
by :mod:`aftersales.cases.schemas`. ``version`` guards against lost updates: every change is a
conditional update on the version the editor saw.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import PRIORITY_RANK, CaseType, Channel, EventKind, Priority, Severity, Status


class CaseCategory(models.Model):
    """A classification below the type (e.g. 制冷故障, 噪音, 漏水) used for routing and analysis."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    case_type = models.CharField(
        _("case type"), max_length=32, choices=CaseType.choices, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("case category")
        verbose_name_plural = _("case categories")
        ordering = ["case_type", "name"]

    def __str__(self) -> str:
        from django.utils.translation import get_language

        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name


# The nearest due time of a case without a running service-level clock: sorts last.
SLA_NO_DUE = dt.datetime(9999, 1, 1, tzinfo=dt.UTC)


class CaseSequence(models.Model):
    """The last number handed out per year; bumped by a conditional update under a row lock."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("case number sequence")
        verbose_name_plural = _("case number sequences")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


# Open = neither closed nor cancelled (``choices.OPEN_STATUSES``), written so that a status
# added later is open without a new index.
OPEN_CASE = ~models.Q(status__in=[Status.CLOSED, Status.CANCELLED])


class Case(models.Model):
    """A customer's request, from intake to closure."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    case_type = models.CharField(_("type"), max_length=32, choices=CaseType.choices)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    category = models.ForeignKey(
        CaseCategory,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    priority_rank = models.PositiveSmallIntegerField(default=2, editable=False)
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.GENERAL
    )
    status = models.CharField(_("status"), max_length=24, choices=Status.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    customer_demand = models.CharField(_("customer's demand"), max_length=500, blank=True)
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    contact = models.ForeignKey(
        "customers.Contact",
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    asset = models.ForeignKey(
        "customers.Asset",
        verbose_name=_("product"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    team = models.ForeignKey(
        "accounts.Team",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_cases",
    )
    extra = models.JSONField(_("details"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    resolution = models.TextField(
        _("service provided and result"),
        blank=True,
        help_text=_("What was done and what came of it, as told to the customer."),
    )
    customer_rating = models.PositiveSmallIntegerField(
        _("customer's rating"), null=True, blank=True
    )
    customer_feedback = models.TextField(_("customer's comment"), blank=True)
    rated_at = models.DateTimeField(_("rated"), null=True, blank=True)
    # how the rating reached us: in the portal by the customer, or by phone, recorded by staff
    rating_channel = models.CharField(
        _("rating given"),
        max_length=10,
        choices=[("portal", _("in the portal")), ("phone", _("by phone"))],
        blank=True,
    )
    rating_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rating recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    # Written by aftersales.sla: the nearest due time of the case's running clocks.
    sla_due_at = models.DateTimeField(_("nearest due"), default=SLA_NO_DUE, editable=False)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["status", "-id"], name="case_status_idx"),
            models.Index(fields=["team", "status", "-id"], name="case_team_status_idx"),
            models.Index(fields=["assignee", "status", "-id"], name="case_assignee_status_idx"),
            models.Index(fields=["customer", "-id"], name="case_customer_idx"),
            models.Index(fields=["asset", "-id"], name="case_asset_idx"),
            models.Index(fields=["-priority_rank", "-id"], name="case_priority_idx"),
            models.Index(fields=["-updated_at", "-id"], name="case_activity_idx"),
            models.Index(fields=["case_type", "status", "-id"], name="case_type_status_idx"),
            models.Index(fields=["sla_due_at", "id"], name="case_sla_due_idx"),
            # The queue shows open cases by default: these cover only them (they stay small
            # while closed cases pile up) in the orders the queue offers. PostgreSQL uses them
            # for "status IN (the open ones)"; see docs/performance.md.
            models.Index(fields=["-id"], condition=OPEN_CASE, name="case_open_idx"),
            models.Index(fields=["team", "-id"], condition=OPEN_CASE, name="case_open_team_idx"),
            models.Index(
                fields=["assignee", "-id"], condition=OPEN_CASE, name="case_open_assignee_idx"
            ),
            models.Index(
                fields=["-priority_rank", "-id"], condition=OPEN_CASE, name="case_open_priority_idx"
            ),
            models.Index(
                fields=["team", "-priority_rank", "-id"],
                condition=OPEN_CASE,
                name="case_open_team_priority_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(priority_rank__gte=1, priority_rank__lte=4),
                name="case_priority_rank_range",
            ),
            models.CheckConstraint(
                condition=models.Q(customer_rating__isnull=True)
                | models.Q(customer_rating__gte=1, customer_rating__lte=5),
                name="case_customer_rating_range",
            ),
        ]
        permissions = [
            ("view_all_cases", _("Can see every case, whatever the team")),
            ("view_team_cases", _("Can see the cases of their teams")),
            (
                "view_customer_history",
                _("Can see every case of a customer: facts and public thread"),
            ),
            ("reply_case", _("Can reply publicly on a case")),
            ("note_case", _("Can add internal notes")),
            ("transition_case", _("Can change a case's status")),
            ("assign_case", _("Can assign cases")),
            ("handle_complaints", _("Handles complaints")),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def save(self, *args, **kwargs):
        self.priority_rank = PRIORITY_RANK.get(self.priority, 2)
        super().save(*args, **kwargs)

    @property
    def sla_due(self):
        """The nearest due time of a running service-level clock, or ``None``."""
        return None if self.sla_due_at >= SLA_NO_DUE else self.sla_due_at

    @property
    def is_open(self) -> bool:
        from .choices import OPEN_STATUSES

        return self.status in OPEN_STATUSES


class CaseEvent(models.Model):
    """One line of a case's timeline (R1.5). Written by services only, never edited."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=24, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    is_public = models.BooleanField(_("visible to the customer"), default=False)
    body = models.TextField(_("text"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["id"]
        indexes = [models.Index(fields=["case", "id"], name="caseevent_case_idx")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"


class Attachment(models.Model):
    """A photo or document on a case. Its type is sniffed from content, not the name."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    event = models.ForeignKey(
        CaseEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to="cases/%Y/%m/", max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=60)
    size = models.PositiveIntegerField(_("size"))
    is_public = models.BooleanField(_("visible to the customer"), default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class IdempotencyKey(models.Model):
    """Remembers the case a retried POST already created (``Idempotency-Key`` header)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    fingerprint = models.CharField(max_length=64, blank=True)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_unique_user_key")
        ]

    def __str__(self) -> str:
        return self.key
