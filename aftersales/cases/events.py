"""Timeline rows and domain events of a case (R1.5).

Each kind of change has one typed function here that writes the timeline row the case page
shows and the domain event integrations read (:mod:`aftersales.core.domain_events`), so each
payload is defined once. Services call these; other apps that write on a case's timeline
(service levels, routing, notifications, work orders) use :func:`event_add` for their own kinds.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from aftersales.core.actors import actor_or_none
from aftersales.core.domain_events import event_record, event_type
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

CASE_OPENED = event_type("case.opened", aggregate="case", label=_("Case registered"))
CASE_UPDATED = event_type("case.updated", aggregate="case", label=_("Case details changed"))
CASE_STATUS_CHANGED = event_type(
    "case.status_changed", aggregate="case", label=_("Case status changed")
)
CASE_ASSIGNED = event_type("case.assigned", aggregate="case", label=_("Case assigned"))
CASE_REPLIED = event_type("case.replied", aggregate="case", label=_("Public reply on a case"))
CASE_CUSTOMER_REPLIED = event_type(
    "case.customer_replied", aggregate="case", label=_("Customer replied on a case")
)
CASE_NOTED = event_type("case.noted", aggregate="case", label=_("Internal note on a case"))
CASE_ATTACHMENT_ADDED = event_type(
    "case.attachment_added", aggregate="case", label=_("Attachment added to a case")
)
CASE_RATED = event_type("case.rated", aggregate="case", label=_("Customer rated the service"))


def event_add(
    *,
    case: Case,
    kind: str,
    actor: Any,
    body: str = "",
    data: dict[str, Any] | None = None,
    is_public: bool | None = None,
) -> CaseEvent:
    """Write one timeline row (no domain event: the typed functions below add those)."""
    if is_public is None:
        is_public = kind in PUBLIC_KINDS
    return insert_row(
        CaseEvent(
            case=case,
            kind=kind,
            actor=actor_or_none(actor),
            body=body,
            data=data or {},
            is_public=is_public,
        )
    )


def _publish(kind: Any, case: Case, actor: Any, payload: dict[str, Any]) -> None:
    event_record(
        kind,
        aggregate_id=case.pk,
        reference=case.number,
        actor=actor,
        payload={"number": case.number, "status": case.status, **payload},
    )


def case_opened(*, case: Case, actor: Any, channel: str, case_type: str) -> CaseEvent:
    data = {"channel": channel, "type": case_type}
    event = event_add(
        case=case, kind=EventKind.CREATED, actor=actor, body=case.description, data=data
    )
    _publish(
        CASE_OPENED,
        case,
        actor,
        {
            **data,
            "priority": case.priority,
            "team": case.team_id,
            "assignee": case.assignee_id,
            "customer": case.customer_id,
        },
    )
    return event


def case_details_changed(
    *, case: Case, actor: Any, before: dict[str, Any], after: dict[str, Any]
) -> CaseEvent:
    data = {"before": before, "after": after}
    event = event_add(case=case, kind=EventKind.UPDATED, actor=actor, data=data)
    _publish(CASE_UPDATED, case, actor, data)
    return event


def case_status_changed(
    *, case: Case, actor: Any, from_status: str, to_status: str, reason: str
) -> CaseEvent:
    data = {"from": from_status, "to": to_status}
    event = event_add(case=case, kind=EventKind.STATUS_CHANGED, actor=actor, body=reason, data=data)
    _publish(CASE_STATUS_CHANGED, case, actor, {**data, "reason": reason})
    return event


def case_assigned(
    *, case: Case, actor: Any, before: dict[str, Any], team: Any, assignee: Any
) -> CaseEvent:
    after = {"team": case.team_id, "assignee": case.assignee_id}
    data = {
        **{f"{k}_before": v for k, v in before.items()},
        **after,
        "team_name": str(team or ""),
        "assignee_name": str(assignee or ""),
    }
    event = event_add(case=case, kind=EventKind.ASSIGNED, actor=actor, data=data)
    _publish(CASE_ASSIGNED, case, actor, data)
    return event


def case_replied(*, case: Case, actor: Any, body: str, by_customer: bool) -> CaseEvent:
    kind = EventKind.CUSTOMER_REPLY if by_customer else EventKind.PUBLIC_REPLY
    event = event_add(case=case, kind=kind, actor=actor, body=body, is_public=True)
    _publish(
        CASE_CUSTOMER_REPLIED if by_customer else CASE_REPLIED,
        case,
        actor,
        {"event": event.pk, "body": body},
    )
    return event


def case_noted(*, case: Case, actor: Any, body: str) -> CaseEvent:
    event = event_add(
        case=case, kind=EventKind.INTERNAL_NOTE, actor=actor, body=body, is_public=False
    )
    _publish(CASE_NOTED, case, actor, {"event": event.pk})
    return event


def case_attachment_added(*, case: Case, actor: Any, attachment: Any, public: bool) -> CaseEvent:
    data = {"attachment": attachment.pk}
    event = event_add(
        case=case,
        kind=EventKind.ATTACHMENT_ADDED,
        actor=actor,
        body=attachment.original_name,
        data=data,
        is_public=public,
    )
    _publish(
        CASE_ATTACHMENT_ADDED,
        case,
        actor,
        {**data, "name": attachment.original_name, "public": public},
    )
    return event


def case_rated(
    *, case: Case, actor: Any, rating: int, feedback: str, channel: str = "portal"
) -> CaseEvent:
    """The rating on the timeline; ``channel`` says whether the customer gave it in the portal
    or by phone (then ``actor`` is the staff member who recorded it)."""
    event = event_add(
        case=case,
        kind=EventKind.RATED,
        actor=actor,
        body=feedback,
        data={"rating": rating, "channel": channel},
    )
    _publish(CASE_RATED, case, actor, {"rating": rating, "feedback": feedback, "channel": channel})
    return event
