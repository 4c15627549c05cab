"""Idempotent submissions from the technician's phone: a retried save runs once."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from aftersales.accounts.models import User
from aftersales.core.errors import InvalidInput

from ..models import SubmissionKey, WorkOrder


def submission_run(
    *, actor: User, key: str | None, action: str, order: WorkOrder, run: Any
) -> tuple[dict[str, Any], bool]:
    """Run ``run()`` (which returns a JSON-ready dict) once per ``(actor, key)``.

    The phone retries a save until the server confirms; a retry of a save that did reach the
    server answers the first result instead of doing the work twice. Returns
    ``(response, replayed)``."""
    key = (key or "").strip()[:100]
    if not key:
        return run(), False

    def replay(existing: SubmissionKey) -> tuple[dict[str, Any], bool]:
        if existing.action != action or existing.work_order_id != order.pk:
            raise InvalidInput(
                _("This Idempotency-Key was already used for a different request."),
                code="idempotency_key_reused",
            )
        return existing.response, True

    existing = SubmissionKey.objects.filter(user=actor, key=key).first()
    if existing is not None:
        return replay(existing)
    from django.db import IntegrityError

    try:
        with transaction.atomic():
            response = run()
            SubmissionKey.objects.create(
                user=actor, key=key, action=action, work_order=order, response=response
            )
    except IntegrityError:
        existing = SubmissionKey.objects.filter(user=actor, key=key).first()
        if existing is None:
            raise
        return replay(existing)
    return response, False
