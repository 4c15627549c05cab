"""Reads of the routing app: the rules in order, and a sample case for a dry run."""

from __future__ import annotations

from django.db.models import QuerySet

from aftersales.accounts.models import User
from aftersales.cases import selectors as case_selectors
from aftersales.cases.models import CaseCategory

from .engine import CaseSample
from .models import RoutingRule
from .services import sample_for


def rule_list() -> QuerySet[RoutingRule]:
    """Every rule in the order they are tried (only rule managers reach this)."""
    return RoutingRule.objects.select_related("team", "category", "sla_policy")


def sample_build(
    *,
    user: User,
    case_number: str = "",
    case_type: str = "",
    category: CaseCategory | None = None,
    product_line: str = "",
    region: str = "",
    title: str = "",
    description: str = "",
) -> CaseSample:
    """A sample from an existing case the user may see (404 otherwise), or from the facts."""
    if case_number:
        case = case_selectors.case_get_for(user=user, number=case_number.strip())
        return sample_for(
            case_type=case.case_type,
            category=case.category,
            asset=case.asset,
            customer=case.customer,
            title=case.title,
            description=case.description,
            channel=case.channel,
        )
    return sample_for(
        case_type=case_type,
        category=category,
        product_line=product_line,
        region=[region],
        title=title,
        description=description,
    )
