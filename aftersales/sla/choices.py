from django.db import models
from django.utils.translation import gettext_lazy as _

from aftersales.core.audit_labels import register_value_labels


class TargetKind(models.TextChoices):
    FIRST_RESPONSE = "first_response", _("First response")
    INITIAL_OPINION = "initial_opinion", _("Initial handling opinion")
    VERIFICATION = "verification", _("Complaint verification")
    RESOLUTION = "resolution", _("Resolution")
    MILESTONE = "milestone", _("Custom milestone")


class EndOn(models.TextChoices):
    FIRST_REPLY = "first_reply", _("First public reply")
    STATUS = "status", _("A status is reached")
    MILESTONE = "milestone", _("A milestone is recorded")


class PauseReason(models.TextChoices):
    WAITING_CUSTOMER = "waiting_customer", _("Waiting for the customer")
    WAITING_PARTS = "waiting_parts", _("Waiting for parts")
    THIRD_PARTY = "third_party", _("Waiting for a third party")


class ClockState(models.TextChoices):
    RUNNING = "running", _("Running")
    PAUSED = "paused", _("Paused")
    MET = "met", _("Met")
    BREACHED = "breached", _("Breached")
    CANCELLED = "cancelled", _("Cancelled")


# A clock that still counts towards its deadline (a breached clock counts on, overdue).
LIVE_STATES = (ClockState.RUNNING, ClockState.PAUSED, ClockState.BREACHED)
TICKING_STATES = (ClockState.RUNNING, ClockState.BREACHED)


class Trigger(models.TextChoices):
    SHARE = "share", _("Share of the allowed time elapsed")
    PAST_DUE = "past_due", _("Time past the due time")


class Recipient(models.TextChoices):
    OWNER = "owner", _("Owner (assignee)")
    TEAM_LEAD = "team_lead", _("Team lead")
    DEPARTMENT_HEAD = "department_head", _("Department head")
    SERVICE_MANAGER = "service_manager", _("Service manager")


class ClockEventKind(models.TextChoices):
    STARTED = "started", _("Started")
    PAUSED = "paused", _("Paused")
    RESUMED = "resumed", _("Resumed")
    MET = "met", _("Met")
    BREACHED = "breached", _("Breached")
    RECOMPUTED = "recomputed", _("Recomputed")
    ESCALATED = "escalated", _("Escalated")
    CANCELLED = "cancelled", _("Cancelled")


class DeliveryState(models.TextChoices):
    HELD = "held", _("Held until working hours")
    QUEUED = "queued", _("Queued")
    SKIPPED = "skipped", _("No recipient")


# Milestones the product records itself, by the name people read (the audit log shows them too).
MILESTONE_LABELS = {
    "onsite_arrival": _("Technician on site"),
}
register_value_labels("code", MILESTONE_LABELS)
register_value_labels("recipients", Recipient.choices)
register_value_labels("state", ClockState.choices)
register_value_labels("kind", TargetKind.choices)
