"""Every write to a work order goes through here (style rules 1, 3, 4).

Each service is atomic, takes the acting user, writes a row on the order's timeline and an
audit record (who, when, before, after), and defers messages until the transaction commits.
Changes to the order row are conditional updates on the version the caller saw
(:func:`aftersales.core.versions.versioned_update`): of two dispatchers assigning the same order
at once, one wins and the other gets :class:`VersionConflict` (HTTP 409).

The services are split by topic: :mod:`.base` (the status choke point), :mod:`.orders`,
:mod:`.dispatch`, :mod:`.fieldwork`, :mod:`.reports` and :mod:`.submissions`; every public
name is re-exported here, so ``services.workorder_assign(...)`` works as before.
"""

from __future__ import annotations

from .base import (
    AUDIT_FIELDS,
    MAX_PHOTOS,
    ORDER_CHANGED,
    SIGNATURE_MAX_BYTES,
    SOURCE_CASE_TYPES,
    event_add,
    sides_of,
    workorder_transition,
)
from .dispatch import (
    visit_conflicts,
    workorder_accept,
    workorder_assign,
    workorder_reject,
    workorder_schedule,
)
from .fieldwork import (
    labour_rate,
    order_totals,
    warranty_cover,
    workorder_check_in,
    workorder_check_out,
    workorder_complete,
    workorder_depart,
    workorder_part_add,
    workorder_pause,
    workorder_photo_add,
    workorder_record,
    workorder_sign,
    workorder_start,
)
from .orders import (
    workorder_cancel,
    workorder_close,
    workorder_create,
    workorder_create_direct,
    workorder_update,
)
from .reports import workorder_report_correct, workorder_review
from .submissions import submission_run

__all__ = [
    "AUDIT_FIELDS",
    "MAX_PHOTOS",
    "ORDER_CHANGED",
    "SIGNATURE_MAX_BYTES",
    "SOURCE_CASE_TYPES",
    "event_add",
    "labour_rate",
    "order_totals",
    "sides_of",
    "submission_run",
    "visit_conflicts",
    "warranty_cover",
    "workorder_accept",
    "workorder_assign",
    "workorder_cancel",
    "workorder_check_in",
    "workorder_check_out",
    "workorder_close",
    "workorder_complete",
    "workorder_create",
    "workorder_create_direct",
    "workorder_depart",
    "workorder_part_add",
    "workorder_pause",
    "workorder_photo_add",
    "workorder_record",
    "workorder_reject",
    "workorder_report_correct",
    "workorder_review",
    "workorder_schedule",
    "workorder_sign",
    "workorder_start",
    "workorder_transition",
    "workorder_update",
]
