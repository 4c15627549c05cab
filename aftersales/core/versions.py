"""Optimistic versions (docs/adr/0003): a row changes only if it still has the version the
editor saw; otherwise the editor gets :class:`VersionConflict` and nothing is written."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Any, TypeVar

from django.db.models import F, Model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .audit import diff, model_snapshot
from .errors import InvalidInput, VersionConflict

RECORD_CHANGED = _("Someone else changed this record in the meantime. Reload it and try again.")

# Bookkeeping every versioned row moves on each write: not a change anyone made.
BOOKKEEPING = ("version", "updated_at")

M = TypeVar("M", bound=Model)


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
    # Versioned models declare ``version``; ``Model`` itself does not, hence the ignores.
    version = obj.version if expected_version is None else expected_version  # type: ignore[attr-defined]
    extra = {"updated_at": timezone.now()} if hasattr(obj, "updated_at") else {}
    updated = (
        type(obj)
        .objects.filter(pk=obj.pk, version=version)  # type: ignore[attr-defined]
        .update(version=F("version") + 1, **extra, **values)
    )
    if not updated:
        raise VersionConflict(message, detail={"expected_version": version})
    obj.refresh_from_db()


def require_editable(changes: Iterable[str], editable: Collection[str]) -> None:
    """Refuse a change that names a field this edit may not touch, naming every such field,
    so a client learns of all of them at once and nothing is silently dropped."""
    unknown = set(changes) - set(editable)
    if unknown:
        raise InvalidInput(
            _("These fields cannot be changed here: %s") % ", ".join(sorted(unknown)),
            code="field_not_editable",
        )


def model_update(
    instance: M,
    *,
    expected_version: int | None,
    editable: Collection[str],
    changes: Mapping[str, Any],
    clean: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    fields: list[str] | None = None,
    only_changed: bool = False,
    quiet: Collection[str] = (),
    message: Any = RECORD_CHANGED,
) -> tuple[M, dict[str, Any], dict[str, Any]]:
    """The edit of a versioned row, in the order every editing service keeps: refuse fields
    outside ``editable``, refuse a stale ``expected_version``, then ``clean`` the changes
    (validate and derive the values to write; it may raise), then one conditional UPDATE.

    Returns the reloaded instance with the ``before``/``after`` diff of its snapshot
    (``fields``, all concrete fields when ``None``) for the audit record, ``quiet`` keys (e.g.
    :data:`BOOKKEEPING`) left out. With ``only_changed`` values equal to the snapshot are not
    written, and when none is left nothing is written at all (no new version) and both diffs
    are empty.
    """
    require_editable(changes, editable)
    require_version(instance, expected_version, message)
    values = clean(dict(changes)) if clean is not None else dict(changes)
    before = model_snapshot(instance, fields)
    if only_changed:
        values = {k: v for k, v in values.items() if before.get(k) != v}
        if not values:
            return instance, {}, {}
    versioned_update(instance, expected_version, message, **values)
    old, new = diff(before, model_snapshot(instance, fields))
    for key in quiet:
        old.pop(key, None)
        new.pop(key, None)
    return instance, old, new
