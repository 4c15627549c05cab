"""Optimistic versions (docs/adr/0003): a row changes only if it still has the version the
editor saw; otherwise the editor gets :class:`VersionConflict` and nothing is written."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .errors import VersionConflict

RECORD_CHANGED = _("Someone else changed this record in the meantime. Reload it and try again.")


def require_version(obj: Any, expected_version: int | None, message: Any = RECORD_CHANGED) -> None:
    """Refuse at once when the caller decided on an older picture of ``obj``, before any
    other rule is judged against a state they never saw."""
    if expected_version is not None and expected_version != obj.version:
        raise VersionConflict(
            message,
            detail={"expected_version": expected_version, "current_version": obj.version},
        )


def versioned_update(
    obj: Model, expected_version: int | None, message: Any = RECORD_CHANGED, **values: Any
) -> None:
    """``UPDATE … SET …, version = version + 1 WHERE id = ? AND version = ?`` and reload."""
    version = obj.version if expected_version is None else expected_version
    extra = {"updated_at": timezone.now()} if hasattr(obj, "updated_at") else {}
    updated = (
        type(obj)
        .objects.filter(pk=obj.pk, version=version)
        .update(version=F("version") + 1, **extra, **values)
    )
    if not updated:
        raise VersionConflict(message, detail={"expected_version": version})
    obj.refresh_from_db()
