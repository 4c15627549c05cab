"""Service-level policies, the clocks they start on cases, and escalation notices (R2.1–R2.3).

A :class:`SlaPolicy` is chosen for a case by ordered match conditions; its :class:`SlaTarget`
rows start one :class:`SlaClock` each. Clocks carry an indexed ``due_at`` and ``next_check_at``
(the next instant something must happen: an escalation level or the breach), so the periodic
sweep reads only the clocks that are due. An :class:`EscalationNotice` is unique per clock and
level: whichever sweep inserts it first sends it, any other finds the row taken.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import (
    ClockEventKind,
    ClockState,
    DeliveryState,
    EndOn,
    PauseReason,
    TargetKind,
    Trigger,
)


class SlaPolicy(models.Model):
    """A set of targets for the cases it matches. Policies are tried in ``position`` order;
    the first whose every condition holds wins. An empty condition matches anything."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    position = models.PositiveIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)
    case_types = models.JSONField(_("case types"), default=list, blank=True)
    categories = models.JSONField(_("categories"), default=list, blank=True)
    priorities = models.JSONField(_("priorities"), default=list, blank=True)
    customer_tiers = models.JSONField(_("customer tiers"), default=list, blank=True)
    channels = models.JSONField(_("channels"), default=list, blank=True)
    service_centers = models.JSONField(_("service centers"), default=list, blank=True)
    pause_rules = models.JSONField(
        _("pause statuses"),
        default=dict,
        blank=True,
        help_text=_("Status → reason, e.g. waiting_customer → waiting for the customer."),
    )
    calendar = models.ForeignKey(
        "calendars.WorkingCalendar",
        verbose_name=_("calendar"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty: the calendar of the case's team."),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        ordering = ["position", "id"]
        permissions = [("manage_slapolicy", _("Can manage SLA policies"))]

    def __str__(self) -> str:
        return self.name


class SlaTarget(models.Model):
    """One promise of a policy: e.g. "first response within 24 h" or "resolution within 3
    working days for normal priority". ``priorities`` narrows a target to some priorities;
    the first target of a kind that fits the case is used."""

    policy = models.ForeignKey(SlaPolicy, on_delete=models.CASCADE, related_name="targets")
    kind = models.CharField(_("target"), max_length=20, choices=TargetKind.choices)
    milestone_code = models.SlugField(_("milestone code"), max_length=40, blank=True)
    name = models.CharField(_("name"), max_length=100, blank=True)
    position = models.PositiveIntegerField(_("order"), default=0)
    priorities = models.JSONField(_("priorities"), default=list, blank=True)
    duration = models.CharField(
        _("duration"),
        max_length=20,
        help_text=_("24h, 90m natural time; 8wh, 30wm working hours or minutes; 1wd working day"),
    )
    calendar = models.ForeignKey(
        "calendars.WorkingCalendar",
        verbose_name=_("calendar"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty: the policy's calendar."),
    )
    pausable = models.BooleanField(_("paused in pause statuses"), default=True)
    end_on = models.CharField(_("ends on"), max_length=20, choices=EndOn.choices)
    end_statuses = models.JSONField(_("ending statuses"), default=list, blank=True)
    end_milestone = models.SlugField(_("ending milestone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("SLA target")
        verbose_name_plural = _("SLA targets")
        ordering = ["policy", "position", "id"]

    def __str__(self) -> str:
        return f"{self.label} {self.duration}"

    @property
    def label(self) -> str:
        return self.name or str(TargetKind(self.kind).label)

    @property
    def clock_key(self) -> tuple[str, str]:
        return (self.kind, self.milestone_code if self.kind == TargetKind.MILESTONE else "")


class EscalationLevel(models.Model):
    """A step of a policy's escalation matrix: at a share of the allowed time (75 % → the
    owner) or some time past due (+4 working hours → the department head), notify these
    recipients over these channels."""

    policy = models.ForeignKey(SlaPolicy, on_delete=models.CASCADE, related_name="levels")
    position = models.PositiveIntegerField(_("order"), default=0)
    target_kinds = models.JSONField(
        _("targets"), default=list, blank=True, help_text=_("Empty: every target.")
    )
    trigger = models.CharField(_("trigger"), max_length=10, choices=Trigger.choices)
    share_percent = models.PositiveSmallIntegerField(_("share (%)"), null=True, blank=True)
    past_due = models.CharField(_("time past due"), max_length=20, blank=True)
    recipients = models.JSONField(_("recipients"), default=list, blank=True)
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("also notify"), blank=True, related_name="+"
    )
    channels = models.JSONField(_("channels"), default=list, blank=True)

    class Meta:
        verbose_name = _("escalation level")
        verbose_name_plural = _("escalation levels")
        ordering = ["policy", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(share_percent__isnull=True)
                | models.Q(share_percent__gte=1, share_percent__lte=1000),
                name="sla_level_share_range",
            )
        ]

    def __str__(self) -> str:
        if self.trigger == Trigger.SHARE:
            return f"{self.share_percent} %"
        return f"+{self.past_due}"

    def applies_to(self, kind: str) -> bool:
        return not self.target_kinds or kind in self.target_kinds


class EscalationContact(models.Model):
    """Who is the service manager (or stands in for a department head) for a team, a
    department, or everywhere. Teams have leads and departments heads in accounts; the
    service manager is this table's (falling back to the supervisors)."""

    class ContactRole(models.TextChoices):
        SERVICE_MANAGER = "service_manager", _("Service manager")
        DEPARTMENT_HEAD = "department_head", _("Department head")

    role = models.CharField(_("role"), max_length=20, choices=ContactRole.choices)
    team = models.ForeignKey(
        "accounts.Team", verbose_name=_("team"), null=True, blank=True, on_delete=models.CASCADE
    )
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE
    )

    class Meta:
        verbose_name = _("escalation contact")
        verbose_name_plural = _("escalation contacts")

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.user}"


class SlaClock(models.Model):
    """One target running on one case: when it is due, whether it is paused, met or
    breached, and when the sweep must look at it next (``next_check_at``; empty when nothing
    can happen before the case changes)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="sla_clocks")
    policy = models.ForeignKey(
        SlaPolicy, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target = models.ForeignKey(
        SlaTarget, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("target"), max_length=20, choices=TargetKind.choices)
    milestone_code = models.SlugField(_("milestone code"), max_length=40, blank=True)
    name = models.CharField(_("name"), max_length=100, blank=True)
    duration = models.CharField(_("duration"), max_length=20)
    calendar = models.ForeignKey(
        "calendars.WorkingCalendar",
        verbose_name=_("calendar"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_at = models.DateTimeField(_("started"))
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=ClockState.choices, default=ClockState.RUNNING
    )
    paused_at = models.DateTimeField(_("paused since"), null=True, blank=True)
    pause_reason = models.CharField(
        _("pause reason"), max_length=20, choices=PauseReason.choices, blank=True
    )
    paused_seconds = models.BigIntegerField(_("paused time (s)"), default=0)
    allotted_seconds = models.BigIntegerField(_("allowed time (s)"), default=0)
    met_at = models.DateTimeField(_("met"), null=True, blank=True)
    breached_at = models.DateTimeField(_("breached"), null=True, blank=True)
    estimated = models.BooleanField(_("estimated"), default=False)
    next_check_at = models.DateTimeField(_("next check"), null=True, blank=True)
    next_level = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("SLA clock")
        verbose_name_plural = _("SLA clocks")
        ordering = ["case", "id"]
        indexes = [
            models.Index(
                fields=["next_check_at"],
                name="slaclock_next_check_idx",
                condition=models.Q(next_check_at__isnull=False),
            ),
            models.Index(fields=["due_at"], name="slaclock_due_idx"),
            models.Index(fields=["calendar", "state"], name="slaclock_calendar_idx"),
            models.Index(fields=["policy", "state"], name="slaclock_policy_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind", "milestone_code"], name="slaclock_unique_target"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.state}"

    @property
    def label(self) -> str:
        return self.name or str(TargetKind(self.kind).label)

    @property
    def is_live(self) -> bool:
        return self.state in (ClockState.RUNNING, ClockState.PAUSED, ClockState.BREACHED)


class SlaClockEvent(models.Model):
    """The history of a clock: started, paused (why), resumed, met, breached, recomputed,
    escalated. Pause intervals are read back from here when a calendar changes."""

    clock = models.ForeignKey(SlaClock, on_delete=models.CASCADE, related_name="history")
    kind = models.CharField(_("kind"), max_length=12, choices=ClockEventKind.choices)
    at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("SLA clock event")
        verbose_name_plural = _("SLA clock events")
        ordering = ["clock", "id"]

    def __str__(self) -> str:
        return f"{self.clock_id} {self.kind}"


class EscalationNotice(models.Model):
    """That a clock reached a level. Unique per (clock, level): the sweep inserts it with
    ``ON CONFLICT DO NOTHING`` and only the inserter notifies, so a level is announced once
    however many sweeps run."""

    clock = models.ForeignKey(SlaClock, on_delete=models.CASCADE, related_name="notices")
    level = models.ForeignKey(EscalationLevel, on_delete=models.CASCADE, related_name="notices")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    reached_at = models.DateTimeField(_("reached"))
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("escalation notice")
        verbose_name_plural = _("escalation notices")
        constraints = [
            models.UniqueConstraint(fields=["clock", "level"], name="escalation_notice_once")
        ]

    def __str__(self) -> str:
        return f"{self.clock_id}/{self.level_id}"


class EscalationDelivery(models.Model):
    """A notice to one recipient: held until the recipient's working hours (unless the case
    is urgent), then written to the outbox once."""

    notice = models.ForeignKey(
        EscalationNotice, on_delete=models.CASCADE, related_name="deliveries"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(
        _("state"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.HELD
    )
    hold_until = models.DateTimeField(_("held until"), null=True, blank=True)
    queued_at = models.DateTimeField(_("queued"), null=True, blank=True)

    class Meta:
        verbose_name = _("escalation delivery")
        verbose_name_plural = _("escalation deliveries")
        indexes = [
            models.Index(
                fields=["hold_until"],
                name="escalation_held_idx",
                condition=models.Q(state="held"),
            )
        ]
        constraints = [
            models.UniqueConstraint(fields=["notice", "user"], name="escalation_delivery_once")
        ]

    def __str__(self) -> str:
        return f"{self.notice_id} → {self.user_id}"


class CasePolicyPin(models.Model):
    """The SLA policy a routing rule fixed for a case. While it is there (and the policy is
    active), the case's clocks use it instead of the policies' own ordered conditions, on every
    recompute too."""

    case = models.OneToOneField(
        "cases.Case", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    policy = models.ForeignKey(
        SlaPolicy, verbose_name=_("SLA policy"), on_delete=models.CASCADE, related_name="+"
    )
    source = models.CharField(_("source"), max_length=120, blank=True)
    pinned_at = models.DateTimeField(_("pinned"), auto_now_add=True)

    class Meta:
        verbose_name = _("pinned SLA policy")
        verbose_name_plural = _("pinned SLA policies")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.policy_id}"
