"""Writing audit records from services (R16.2)."""

from __future__ import annotations

from typing import Any

from django.db import models

from .actors import Actor, actor_or_none
from .models import AuditLog
from .request_context import client_ip
from .rows import insert_row


def model_snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """A JSON-ready picture of a row's concrete fields (foreign keys by id)."""
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if isinstance(field, models.FileField):
            value = getattr(instance, field.attname)
            data[field.name] = str(value) if value else ""
            continue
        data[field.name] = field.value_from_object(instance)
    return data


def diff(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Keep only the keys whose values changed."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


# Where a record's number is found: the object's own number or code, else that of the case,
# work order or purchase order it belongs to (when that row is already loaded).
REFERENCE_FIELDS = ("number", "code")
REFERENCE_PARENTS = ("case", "work_order", "order", "purchase_order")


def object_reference(obj: models.Model) -> str:
    """The number people quote for ``obj`` (``SC-2026-000123``, ``WO-…``, ``PO-…``, a part's
    code), or ``""``. Reads no row: a parent counts only when it is already loaded."""
    for name in REFERENCE_FIELDS:
        value = getattr(obj, name, None) if _is_field(obj, name) else None
        if isinstance(value, str) and value:
            return value
    cache = getattr(obj._state, "fields_cache", {})
    for name in REFERENCE_PARENTS:
        parent = cache.get(name)
        if parent is not None:
            value = getattr(parent, "number", None)
            if isinstance(value, str) and value:
                return value
    return ""


def _is_field(obj: models.Model, name: str) -> bool:
    return any(f.name == name for f in obj._meta.concrete_fields)


def audit_record(
    *,
    actor: Actor | None,
    action: str,
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_id: Any = None,
    object_repr: str = "",
    object_ref: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditLog:
    """Append one audit record. Call it inside the service's transaction. ``object_ref`` (the
    number the log is searched by) is taken from ``obj`` unless given."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = obj.pk if object_id is None else object_id
        object_repr = object_repr or str(obj)[:200]
        object_ref = object_ref or object_reference(obj)
    # The column holds the accounts app's user model, which the kernel does not name.
    user: Any = actor_or_none(actor)
    label = ""
    if user is not None:
        label = user.get_username()
    elif actor is not None and hasattr(actor, "label"):
        label = str(actor.label)  # a stand-in for the system that names itself
    return insert_row(
        AuditLog(
            actor=user,
            actor_label=label[:150],
            action=action,
            object_type=object_type or "",
            object_id="" if object_id is None else str(object_id),
            object_repr=object_repr[:200],
            object_ref=object_ref[:64],
            before=before,
            after=after,
            reason=reason[:500],
            ip_address=client_ip.get(),
        )
    )
