"""Repair work orders: the job a technician carries out for a service case (R3).

The case holds the customer's request; the order holds the field work: who goes when
(visits), what was found and done, parts and labour with their warranty cover, photos, the
customer's signature, the supervisor's review, and the follow-up call afterwards. Staff skills
and certificates (R13.2) live here too because dispatch is what reads them.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftersales.core.geocoding import GeoPrecision, GeoSource
from aftersales.core.present import label_of

from .choices import (
    CertificateType,
    EventKind,
    FollowUpState,
    LineKind,
    PauseReason,
    PhotoKind,
    ReviewState,
    Status,
    Urgency,
)


class WorkOrderSequence(models.Model):
    """One counter per year for ``WO-YYYY-NNNNNN``; moved only by ``UPDATE … RETURNING``."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("work order number sequence")
        verbose_name_plural = _("work order number sequences")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


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
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW, db_index=True
    )
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

    # the request (客户请修登记表)
    request = models.TextField(_("request"), blank=True)
    contact_name = models.CharField(_("contact name"), max_length=100, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
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
    service_center = models.ForeignKey(
        "accounts.ServiceCenter",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="work_orders",
        verbose_name=_("service center"),
    )
    inspection_at = models.DateTimeField(_("agreed inspection time"), null=True, blank=True)
    repair_at = models.DateTimeField(_("agreed repair time"), null=True, blank=True)
    urgency = models.CharField(
        _("urgency"), max_length=12, choices=Urgency.choices, default=Urgency.NORMAL
    )
    required_skills = models.JSONField(_("required skills"), default=list, blank=True)
    required_certificate = models.CharField(
        _("required certificate"), max_length=32, choices=CertificateType.choices, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    # the flow
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    pause_reason = models.CharField(
        _("pause reason"), max_length=20, choices=PauseReason.choices, blank=True
    )
    status_note = models.CharField(_("reason"), max_length=500, blank=True)

    # the technician's record (维修记录)
    findings = models.TextField(_("findings"), blank=True)
    fault_cause = models.TextField(_("fault cause"), blank=True)
    repair_details = models.TextField(_("repair details"), blank=True)
    result = models.TextField(_("result"), blank=True)
    labour_minutes = models.PositiveIntegerField(_("labour time (minutes)"), default=0)

    # sign-off
    signature = models.FileField(_("signature"), upload_to="workorders/signatures/", blank=True)
    signer_name = models.CharField(_("signed by"), max_length=100, blank=True)
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True)
    customer_rating = models.PositiveSmallIntegerField(_("customer rating"), null=True, blank=True)
    customer_comment = models.CharField(_("customer comment"), max_length=500, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    # review (产品维修报告单 supervisor review)
    review_state = models.CharField(
        _("review"), max_length=12, choices=ReviewState.choices, blank=True
    )
    review_comment = models.TextField(_("review comment"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("work order")
        verbose_name_plural = _("work orders")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["technician", "status"], name="wo_tech_status"),
            models.Index(fields=["status", "repair_at"], name="wo_status_repair"),
        ]
        permissions = [
            ("view_all_workorders", _("Sees every work order")),
            ("dispatch_workorder", _("Can dispatch work orders")),
            ("work_workorder", _("Can carry out own work orders")),
            ("review_workorder", _("Can review repair reports")),
            ("followup_workorder", _("Can make follow-up calls")),
            ("manage_skills", _("Can keep staff skills and certificates")),
        ]

    def __str__(self) -> str:
        return self.number

    def geocode_query(self) -> tuple[str, str]:
        return self.address, ""

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)


class Visit(models.Model):
    """One trip of a technician to the customer: a planned window and the real instants."""

    work_order = models.ForeignKey(
        WorkOrder, on_delete=models.CASCADE, related_name="visits", verbose_name=_("work order")
    )
    technician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("technician"),
    )
    planned_start = models.DateTimeField(_("planned start"))
    planned_end = models.DateTimeField(_("planned end"))
    check_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    check_out_at = models.DateTimeField(_("checked out"), null=True, blank=True)
    confirmed_conflicts = models.JSONField(_("confirmed conflicts"), default=list, blank=True)
    cancelled = models.BooleanField(_("cancelled"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["planned_start", "id"]
        indexes = [models.Index(fields=["technician", "planned_start"], name="visit_tech_start")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned_end__gt=models.F("planned_start")),
                name="visit_window_positive",
            )
        ]

    def __str__(self) -> str:
        return f"{self.work_order_id} @ {self.planned_start:%Y-%m-%d %H:%M}"


class WorkOrderLine(models.Model):
    """A labour or part line with its warranty cover (R3.6) and price in CNY."""

    work_order = models.ForeignKey(
        WorkOrder, on_delete=models.CASCADE, related_name="lines", verbose_name=_("work order")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=LineKind.choices)
    description = models.CharField(_("description"), max_length=200)
    part_code = models.CharField(_("part code"), max_length=40, blank=True)
    specification = models.CharField(_("specification and model"), max_length=200, blank=True)
    batch_code = models.CharField(_("batch"), max_length=40, blank=True)
    is_main_component = models.BooleanField(_("main component"), default=False)
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2)
    unit_price = models.DecimalField(_("unit price"), max_digits=12, decimal_places=2)
    covered = models.BooleanField(_("covered by warranty"), default=False)
    stock_reference = models.CharField(_("stock movement"), max_length=40, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("work order line")
        verbose_name_plural = _("work order lines")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="woline_qty_pos"),
            models.CheckConstraint(condition=models.Q(unit_price__gte=0), name="woline_price"),
        ]

    def __str__(self) -> str:
        return f"{self.description} × {self.quantity}"

    @property
    def amount(self) -> Decimal:
        return (self.quantity * self.unit_price).quantize(Decimal("0.01"))

    @property
    def charged(self) -> Decimal:
        return Decimal("0.00") if self.covered else self.amount


class WorkOrderPhoto(models.Model):
    """A photo taken on site, before or after the repair; served only through checked views."""

    work_order = models.ForeignKey(
        WorkOrder, on_delete=models.CASCADE, related_name="photos", verbose_name=_("work order")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=PhotoKind.choices)
    file = models.FileField(_("file"), upload_to="workorders/photos/%Y/%m/")
    content_type = models.CharField(_("type"), max_length=40)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.work_order_id} {self.kind}"


class WorkOrderEvent(models.Model):
    """The order's own timeline: status changes with reasons, assignments, visits, sign-off."""

    work_order = models.ForeignKey(
        WorkOrder, on_delete=models.CASCADE, related_name="events", verbose_name=_("work order")
    )
    kind = models.CharField(_("kind"), max_length=32)
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("work order event")
        verbose_name_plural = _("work order events")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.work_order_id} {self.kind}"

    @property
    def kind_label(self) -> str:
        return label_of(EventKind, self.kind)

    @property
    def to_status_label(self) -> str:
        return label_of(Status, self.to_status) if self.to_status else ""

    @property
    def reason_label(self) -> str:
        """The reason as written, or a pause reason by its label."""
        return label_of(PauseReason, self.reason) if self.reason else ""


class SubmissionKey(models.Model):
    """An idempotency key of a phone submission: a retried save answers the first result."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    action = models.CharField(max_length=40)
    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="+")
    response = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("phone submission key")
        verbose_name_plural = _("phone submission keys")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="wo_submission_key_unique")
        ]

    def __str__(self) -> str:
        return self.key


class FollowUp(models.Model):
    """The follow-up call (回访) after a completed order (R3.5, R7.2)."""

    work_order = models.OneToOneField(
        WorkOrder, on_delete=models.CASCADE, related_name="follow_up", verbose_name=_("work order")
    )
    due_at = models.DateTimeField(_("due"), db_index=True)
    state = models.CharField(
        _("state"), max_length=12, choices=FollowUpState.choices, default=FollowUpState.DUE
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    reached = models.BooleanField(_("reached"), null=True, blank=True)
    scores = models.JSONField(_("scores"), default=dict, blank=True)
    comments = models.TextField(_("comments"), blank=True)
    caller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("caller"),
    )
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    complaint_case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("complaint"),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_at", "id"]

    def __str__(self) -> str:
        return f"{self.work_order_id}"


class Skill(models.Model):
    """Something a technician can repair or do (空调维修, 燃气灶, 新能源车高压…)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class TechnicianSkill(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="skills"
    )
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="holders")
    level = models.PositiveSmallIntegerField(_("level"), default=1)

    class Meta:
        verbose_name = _("technician's skill")
        verbose_name_plural = _("technicians' skills")
        constraints = [
            models.UniqueConstraint(fields=["user", "skill"], name="techskill_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.skill_id}"


class Certificate(models.Model):
    """A certificate a technician holds (R13.2); dispatch respects its validity on the day."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="certificates",
        verbose_name=_("holder"),
    )
    cert_type = models.CharField(_("type"), max_length=32, choices=CertificateType.choices)
    level = models.CharField(_("level"), max_length=40, blank=True)
    number = models.CharField(_("certificate number"), max_length=60, blank=True)
    issued_on = models.DateField(_("issued"))
    expires_on = models.DateField(_("expires"), db_index=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["expires_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__gte=models.F("issued_on")),
                name="certificate_dates",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_cert_type_display()} {self.level}".strip()


class TrainingRecord(models.Model):
    """A training a technician took: what, when, how long, result."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trainings"
    )
    title = models.CharField(_("training"), max_length=200)
    trained_on = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1, default=Decimal("0"))
    result = models.CharField(_("result"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        ordering = ["-trained_on", "id"]

    def __str__(self) -> str:
        return self.title
