"""Service levels follow the case's life cycle through the case hooks (registered in
``SlaConfig.ready``): clocks start when a case opens, pause/resume/stop with its status, are
met by the first staff reply, and are recomputed when what the policy matches on changes."""

from __future__ import annotations

from aftersales.cases import hooks

from . import services

# The case fields a policy's conditions read: a change to one re-matches the policy.
MATCHED_FIELDS = frozenset({"priority", "category", "channel", "case_type"})


def _opened(p: hooks.CaseOpened) -> None:
    services.sla_case_opened(
        case=p.case,
        actor=p.actor,
        now=p.now,
        new_case=True,
        pinned=getattr(p.routing, "sla_policy", None),
    )


def _details_changed(p: hooks.DetailsChanged) -> None:
    if MATCHED_FIELDS & p.changed:
        services.sla_case_recompute(case=p.case, actor=p.actor, reason=",".join(sorted(p.changed)))


def _status_changed(p: hooks.StatusChanged) -> None:
    services.sla_case_transitioned(
        case=p.case, actor=p.actor, from_status=p.from_status, to_status=p.to_status, now=p.now
    )


def _replied(p: hooks.Replied) -> None:
    if p.by_staff:
        services.sla_case_replied(case=p.case, actor=p.actor, now=p.now)


def register() -> None:
    hooks.case_opened.register(_opened, name="sla", order=hooks.ORDER_SLA)
    hooks.details_changed.register(_details_changed, name="sla", order=hooks.ORDER_SLA)
    hooks.status_changed.register(_status_changed, name="sla", order=hooks.ORDER_SLA)
    hooks.replied.register(_replied, name="sla", order=hooks.ORDER_SLA)
