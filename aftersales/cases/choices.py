from django.db import models
from django.utils.translation import gettext_lazy as _

from aftersales.core.audit_labels import register_value_labels


class CaseType(models.TextChoices):
    CONSULTATION = "consultation", _("Consultation")
    REPAIR = "repair_request", _("Repair request")
    COMPLAINT = "complaint", _("Complaint")
    RETURN_EXCHANGE = "return_exchange", _("Return / exchange")
    WARRANTY_CLAIM = "warranty_claim", _("Warranty claim")
    PROPOSAL = "proposal", _("Proposal")
    DELIVERY_ISSUE = "delivery_issue", _("Delivery issue")


class Channel(models.TextChoices):
    HOTLINE = "hotline", _("Hotline")
    PORTAL = "portal", _("Customer portal")
    EMAIL = "email", _("E-mail")
    API = "api", _("API")
    WALK_IN = "walk_in", _("Walk-in")
    WECHAT = "wechat", _("WeChat")


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


PRIORITY_RANK = {Priority.LOW: 1, Priority.NORMAL: 2, Priority.HIGH: 3, Priority.URGENT: 4}


class Severity(models.TextChoices):
    MINOR = "minor", _("Minor")
    GENERAL = "general", _("General")
    MAJOR = "major", _("Major")
    CRITICAL = "critical", _("Critical")


class Status(models.TextChoices):
    NEW = "new", _("New")
    ACCEPTED = "accepted", _("Accepted")
    VERIFYING = "verifying", _("Verifying")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING_CUSTOMER = "waiting_customer", _("Waiting for customer")
    WAITING_THIRD_PARTY = "waiting_third_party", _("Waiting for third party")
    APPROVED = "approved", _("Approved")
    HELD = "held", _("On hold")
    ADOPTED = "adopted", _("Adopted")
    REJECTED = "rejected", _("Rejected")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = frozenset(s for s in Status if s not in (Status.CLOSED, Status.CANCELLED))


class EventKind(models.TextChoices):
    CREATED = "created", _("Created")
    PUBLIC_REPLY = "public_reply", _("Public reply")
    CUSTOMER_REPLY = "customer_reply", _("Customer reply")
    INTERNAL_NOTE = "internal_note", _("Internal note")
    STATUS_CHANGED = "status_changed", _("Status changed")
    ASSIGNED = "assigned", _("Assigned")
    UPDATED = "updated", _("Details changed")
    ATTACHMENT_ADDED = "attachment_added", _("Attachment added")
    RATED = "rated", _("Customer rated the service")
    NOTIFICATION_SENT = "notification_sent", _("Notification sent")
    NOTIFICATION_FAILED = "notification_failed", _("Notification failed")
    SLA_STARTED = "sla_started", _("Service-level clocks started")
    SLA_PAUSED = "sla_paused", _("Service-level clock paused")
    SLA_RESUMED = "sla_resumed", _("Service-level clock resumed")
    SLA_MET = "sla_met", _("Service-level target reached")
    SLA_BREACHED = "sla_breached", _("Service-level target breached")
    SLA_ESCALATED = "sla_escalated", _("Escalated")
    SLA_RECOMPUTED = "sla_recomputed", _("Deadlines recomputed")
    SLA_STOPPED = "sla_stopped", _("Service-level clock stopped")
    SLA_MILESTONE = "sla_milestone", _("Milestone recorded")


# The audit log names a timeline entry's kind (a reply, a note) by its label.
register_value_labels("kind", EventKind.choices)
