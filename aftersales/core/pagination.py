"""Keyset ("seek") pagination: page N costs the same as page 1, however deep.

The cursor is the sort key of the last row shown, encoded opaquely; the next page asks for
rows strictly after it in the sort order. Offsets are never used, so large tables stay fast.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from .errors import InvalidInput


@dataclass
class Page:
    items: list[Any]
    next_cursor: str | None
    limit: int


def encode_cursor(values: list[Any]) -> str:
    raw = json.dumps(values, separators=(",", ":"), default=str).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, size: int) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, TypeError) as exc:
        raise InvalidInput(_("The page cursor is not valid."), code="invalid_cursor") from exc
    if not isinstance(values, list) or len(values) != size:
        raise InvalidInput(_("The page cursor is not valid."), code="invalid_cursor")
    for v in values:
        if not isinstance(v, int | str) or isinstance(v, bool):
            raise InvalidInput(_("The page cursor is not valid."), code="invalid_cursor")
    return values


MAX_INT = 2**63 - 1


def _typed(model: Any, fields: list[str], values: list[Any]) -> list[Any]:
    """Check each cursor value against its column, so a tampered cursor is a 422, never a
    database error."""
    typed = []
    for name, value in zip(fields, values, strict=True):
        field = model._meta.get_field(name)
        try:
            value = field.to_python(value)
        except (ValidationError, ValueError, TypeError) as exc:
            raise InvalidInput(_("The page cursor is not valid."), code="invalid_cursor") from exc
        if isinstance(value, int) and not -MAX_INT <= value <= MAX_INT:
            raise InvalidInput(_("The page cursor is not valid."), code="invalid_cursor")
        typed.append(value)
    return typed


def keyset_page(qs: QuerySet, *, order: list[str], cursor: str | None, limit: int) -> Page:
    """Return one page of ``qs`` ordered by ``order`` (e.g. ``["-priority_rank", "-id"]``).

    The last field must be unique (the primary key) so the order is total.
    """
    fields = [f.lstrip("-") for f in order]
    if cursor:
        values = _typed(qs.model, fields, decode_cursor(cursor, len(fields)))
        cond = Q()
        for i, field in enumerate(fields):
            op = "lt" if order[i].startswith("-") else "gt"
            step = Q(**{f"{field}__{op}": values[i]})
            for j in range(i):
                step &= Q(**{fields[j]: values[j]})
            cond |= step
        qs = qs.filter(cond)
    rows = list(qs.order_by(*order)[: limit + 1])
    has_more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = None
    if has_more and rows:
        last = rows[-1]
        next_cursor = encode_cursor([getattr(last, f) for f in fields])
    return Page(items=rows, next_cursor=next_cursor, limit=limit)
