"""Routing decides team, priority, service-level policy and assignee of a new case (R1.4)
through the case hooks (registered in ``RoutingConfig.ready``) and writes its decision on the
new case's timeline."""

from __future__ import annotations

from aftersales.cases import hooks

from .services import RoutingDecision, route_new_case, route_record


def _route(request: hooks.NewCaseRequest) -> RoutingDecision | None:
    return route_new_case(
        case_type=request.case_type,
        category=request.category,
        asset=request.asset,
        customer=request.customer,
        title=request.title,
        description=request.description,
        team=request.team,
        assignee=request.assignee,
        priority=request.priority,
    )


def _opened(p: hooks.CaseOpened) -> None:
    if isinstance(p.routing, RoutingDecision):
        route_record(actor=p.actor, case=p.case, decision=p.routing)


def register() -> None:
    hooks.route_new_case.provide(_route, name="routing")
    hooks.case_opened.register(_opened, name="routing", order=hooks.ORDER_ROUTING)
