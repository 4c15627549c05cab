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


def audit_record(
    *,
    actor: Actor | None,
    action: str,
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_id: Any = None,
    object_repr: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditLog:
    """Append one audit record. Call it inside the service's transaction."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = obj.pk if object_id is None else object_id
        object_repr = object_repr or str(obj)[:200]
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
            before=before,
            after=after,
            reason=reason[:500],
            ip_address=client_ip.get(),
        )
    )
