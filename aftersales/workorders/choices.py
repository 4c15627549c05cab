"""Choices of the work-order domain: statuses, urgency, pause reasons, photo kinds, skills."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from aftersales.core.audit_labels import register_value_labels


class Status(models.TextChoices):
    NEW = "new", _("New")
    SCHEDULED = "scheduled", _("Scheduled")
    DISPATCHED = "dispatched", _("Dispatched")
    ACCEPTED = "accepted", pgettext_lazy("work order", "Accepted")
    ON_THE_WAY = "on_the_way", _("On the way")
    ON_SITE = "on_site", _("On site")
    IN_PROGRESS = "in_progress", _("In progress")
    PAUSED = "paused", _("Paused")
    COMPLETED = "completed", _("Completed")
    SIGNED_OFF = "signed_off", _("Signed off")
    REVIEWED = "reviewed", _("Reviewed")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")
    REJECTED = "rejected", pgettext_lazy("work order", "Rejected")


OPEN_STATUSES = frozenset(
    {
        Status.NEW,
        Status.SCHEDULED,
        Status.DISPATCHED,
        Status.ACCEPTED,
        Status.ON_THE_WAY,
        Status.ON_SITE,
        Status.IN_PROGRESS,
        Status.PAUSED,
        Status.REJECTED,
    }
)
# Statuses in which the technician is working on the job in the field.
FIELD_STATUSES = frozenset({Status.ON_SITE, Status.IN_PROGRESS})


class EventKind(models.TextChoices):
    """What a line of a work order's history records (the event's stored ``kind``)."""

    CREATED = "created", _("Work order created")
    STATUS = "status", _("Status changed")
    ASSIGNED = "assigned", _("Technician assigned")
    UPDATED = "updated", _("Details changed")
    INTERNAL_NOTE = "internal_note", _("Internal note")
    CHECK_IN = "check_in", _("Checked in on site")
    CHECK_OUT = "check_out", _("Checked out")
    RECORDED = "recorded", _("Repair recorded")
    PART_ADDED = "part_added", _("Part used")
    PHOTO_ADDED = "photo_added", _("Photo added")
    SIGNED = "signed", _("Customer signed off")
    SIGNATURE_VOIDED = "signature_voided", _("Signature voided")
    REVIEW_RETURNED = "review_returned", _("Report returned with comments")
    REPORT_CORRECTED = "report_corrected", _("Report corrected")
    RESERVATIONS_RELEASED = "reservations_released", _("Reserved parts released")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")
    EMERGENCY = "emergency", _("Emergency")


URGENCY_RANK = {Urgency.NORMAL: 1, Urgency.URGENT: 2, Urgency.EMERGENCY: 3}


class PauseReason(models.TextChoices):
    WAITING_PARTS = "waiting_parts", _("Waiting for parts")
    CUSTOMER_ABSENT = "customer_absent", _("Customer absent")
    SECOND_VISIT = "second_visit", _("Needs a second visit")


class PhotoKind(models.TextChoices):
    BEFORE = "before", _("Before repair")
    AFTER = "after", _("After repair")


class LineKind(models.TextChoices):
    LABOUR = "labour", _("Labour")
    PART = "part", _("Part")


class ReviewState(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    RETURNED = "returned", _("Returned with comments")
    APPROVED = "approved", _("Approved")


class CertificateType(models.TextChoices):
    ELECTRICIAN = "electrician", _("Electrician (low voltage)")
    REFRIGERATION = "refrigeration", _("Refrigeration and air-conditioning")
    GAS = "gas", _("Gas appliance installation and repair")
    HEIGHT = "height", _("Work at height")
    HIGH_VOLTAGE_EV = "ev_high_voltage", _("EV high-voltage safety")
    WELDING = "welding", _("Welding and cutting")


class FollowUpState(models.TextChoices):
    DUE = "due", _("Due")
    DONE = "done", _("Done")
    SURVEY_SENT = "survey_sent", _("Survey link sent")


class Satisfaction(models.IntegerChoices):
    VERY_SATISFIED = 5, _("Very satisfied")
    SATISFIED = 4, _("Satisfied")
    NEUTRAL = 3, _("Neutral")
    DISSATISFIED = 2, _("Dissatisfied")
    VERY_DISSATISFIED = 1, _("Very dissatisfied")


# The ten dimensions of the standard service evaluation form (R7.2).
EVALUATION_DIMENSIONS: list[tuple[str, str]] = [
    ("product_quality", _("Product quality")),
    ("price", _("Price")),
    ("packaging_design", _("Packaging design")),
    ("service_attitude", _("Service attitude")),
    ("service_manner", _("Service manner")),
    ("service_process", _("Service process")),
    ("service_efficiency", _("Service efficiency")),
    ("staff_skill", _("Staff skill")),
    ("staff_quality", _("Staff overall quality")),
    ("quality_problem_handling", _("Handling of quality problems")),
]


# The audit log names a photo's kind (before or after the repair) by its label.
register_value_labels("kind", PhotoKind.choices)
