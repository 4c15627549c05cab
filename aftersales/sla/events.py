"""Domain events of service levels: a target breached and an escalation level reached, one
event each in the domain event outbox (:mod:`aftersales.core.domain_events`), written by the
sweep in the same transaction as the clock's own history."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _

from aftersales.core.domain_events import event_type, events_record

SLA_BREACHED = event_type(
    "sla.breached", aggregate="case", label=_("Service-level target breached")
)
SLA_ESCALATED = event_type("sla.escalated", aggregate="case", label=_("Case escalated"))


def _clock(clock: Any) -> dict[str, Any]:
    return {
        "number": clock.case.number,
        "clock": clock.pk,
        "kind": clock.kind,
        "name": str(clock.label),
        "due_at": clock.due_at.isoformat() if clock.due_at else None,
    }


def targets_breached(clocks: list[Any]) -> None:
    events_record(
        SLA_BREACHED,
        [
            (
                c.case_id,
                c.case.number,
                None,
                {**_clock(c), "breached_at": c.breached_at.isoformat()},
            )
            for c in clocks
        ],
    )


def levels_reached(items: list[tuple[Any, Any, dt.datetime, list[dict[str, Any]]]]) -> None:
    """``(clock, level, reached_at, recipients)`` per escalation notice."""
    events_record(
        SLA_ESCALATED,
        [
            (
                clock.case_id,
                clock.case.number,
                None,
                {
                    **_clock(clock),
                    "level": str(level),
                    "reached_at": at.isoformat(),
                    "recipients": names,
                },
            )
            for clock, level, at, names in items
        ],
    )
