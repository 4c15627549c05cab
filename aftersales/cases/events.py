"""Timeline rows for a case (R1.5). Services call :func:`event_add`; nothing else writes them."""

from __future__ import annotations

from typing import Any

from aftersales.core.rows import insert_row

from .choices import EventKind
from .models import Case, CaseEvent

# Kinds the customer sees on the portal timeline; notes and assignments stay internal.
PUBLIC_KINDS = {
    EventKind.CREATED,
    EventKind.PUBLIC_REPLY,
    EventKind.CUSTOMER_REPLY,
    EventKind.STATUS_CHANGED,
    EventKind.RATED,
}


def event_add(
    *,
    case: Case,
    kind: str,
    actor: Any,
    body: str = "",
    data: dict[str, Any] | None = None,
    is_public: bool | None = None,
) -> CaseEvent:
    if is_public is None:
        is_public = kind in PUBLIC_KINDS
    user = actor if getattr(actor, "is_authenticated", False) else None
    return insert_row(
        CaseEvent(case=case, kind=kind, actor=user, body=body, data=data or {}, is_public=is_public)
    )
