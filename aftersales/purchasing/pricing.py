"""Selling prices of parts (R8.7): rules, quotes, and price changes that need approval.

A list price or a rule changes only when a supervisor approves a :class:`PriceChange`; the
change applies by a conditional update on the value the requester saw, so an approval never
silently overwrites a price that moved in the meantime. The change rows are the price history.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.accounts.models import User
from aftersales.core.actors import actor_or_none
from aftersales.core.audit import audit_record
from aftersales.core.errors import Conflict, InvalidInput, PermissionDeniedError
from aftersales.customers.choices import CustomerTier
from aftersales.parts.models import Part

from .choices import PriceChangeStatus, PriceChangeTarget, PriceRuleKind
from .models import PriceChange, PriceRule
from .services import money_clean
from .transitions import APPROVER, PRICE_CHANGES

CENT = Decimal("0.01")
HUNDRED = Decimal("100")


def _percent(value: Any, *, field: str, upper: Decimal = Decimal("1000")) -> Decimal:
    try:
        pct = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError) as exc:
        raise InvalidInput(
            _("Enter a percentage for %(field)s.") % {"field": field}, code="invalid_percent"
        ) from exc
    if not pct.is_finite() or pct < 0 or pct > upper or pct != pct.quantize(CENT):
        raise InvalidInput(
            _("%(field)s must be a percentage between 0 and %(max)s with at most two decimals.")
            % {"field": field, "max": upper},
            code="invalid_percent",
            detail={"field": field},
        )
    return pct


def _tier_discounts(values: dict[str, Any] | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for tier, pct in (values or {}).items():
        if tier not in CustomerTier.values:
            raise InvalidInput(
                _("Unknown customer tier “%(tier)s”.") % {"tier": tier},
                code="invalid_tier",
                detail={"allowed": list(CustomerTier.values)},
            )
        out[tier] = str(_percent(pct, field=tier, upper=HUNDRED))
    return out


def _rule_values(rule: PriceRule) -> dict[str, Any]:
    return {
        "percent": str(Decimal(rule.percent).quantize(CENT)),
        "tier_discounts": dict(rule.tier_discounts or {}),
        "active": rule.active,
    }


@transaction.atomic
def price_change_request(
    *,
    actor: User | None,
    reason: str,
    part: Part | None = None,
    list_price: Any = None,
    rule: PriceRule | None = None,
    percent: Any = None,
    tier_discounts: dict[str, Any] | None = None,
    active: bool | None = None,
) -> PriceChange:
    """Ask for a new list price of ``part``, or new values of ``rule``; nothing changes until a
    supervisor approves."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Say why the price changes."), code="reason_required")
    if (part is None) == (rule is None):
        raise InvalidInput(_("Name either a part or a price rule."), code="target_required")
    if part is not None:
        if list_price is None:
            raise InvalidInput(_("Enter the new list price."), code="price_required")
        new = {"list_price": str(money_clean(list_price, field="list_price"))}
        old = {"list_price": str(part.list_price)}
        if new == old:
            raise InvalidInput(_("The new price is the current price."), code="no_change")
        target = PriceChangeTarget.LIST_PRICE
    else:
        old = _rule_values(rule)
        new = dict(old)
        if percent is not None:
            new["percent"] = str(_percent(percent, field="percent"))
        if tier_discounts is not None:
            new["tier_discounts"] = _tier_discounts(tier_discounts)
        if active is not None:
            new["active"] = bool(active)
        if new == old:
            raise InvalidInput(_("The request changes nothing."), code="no_change")
        target = PriceChangeTarget.RULE
    change = PriceChange.objects.create(
        target=target,
        part=part,
        rule=rule,
        old_value=old,
        new_value=new,
        reason=reason[:500],
        requested_by=actor_or_none(actor),
    )
    audit_record(
        actor=actor,
        action="price_change.request",
        obj=change,
        before=old,
        after=new,
        reason=reason,
    )
    return change


@transaction.atomic
def price_rule_propose(
    *,
    actor: User | None,
    name: str,
    kind: str,
    reason: str,
    part: Part | None = None,
    percent: Any = 0,
    tier_discounts: dict[str, Any] | None = None,
) -> PriceChange:
    """A new rule, inactive until a supervisor approves the change that switches it on."""
    if kind not in PriceRuleKind.values:
        raise InvalidInput(
            _("Unknown kind of price rule “%(kind)s”.") % {"kind": kind}, code="invalid_choice"
        )
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("Give the rule a name."), code="name_required")
    if kind == PriceRuleKind.MEMBER_DISCOUNT and not tier_discounts:
        raise InvalidInput(_("Enter the discount for at least one tier."), code="tiers_required")
    rule = PriceRule.objects.create(name=name[:100], kind=kind, part=part, active=False)
    audit_record(
        actor=actor,
        action="price_rule.create",
        obj=rule,
        after={"name": rule.name, "kind": kind, "part": part.code if part else None},
    )
    return price_change_request(
        actor=actor,
        reason=reason,
        rule=rule,
        percent=percent if kind == PriceRuleKind.COST_PLUS else None,
        tier_discounts=tier_discounts if kind == PriceRuleKind.MEMBER_DISCOUNT else None,
        active=True,
    )


@transaction.atomic
def price_change_decide(
    *, actor: User | None, change: PriceChange, approve: bool, note: str = ""
) -> PriceChange:
    """A supervisor approves (the new value applies at once) or rejects a requested change.
    Whoever asked for a change cannot approve it."""
    if actor is not None and change.requested_by_id == getattr(actor, "pk", None) and approve:
        raise PermissionDeniedError(
            _("A price change must be approved by someone other than who asked for it."),
            code="four_eyes",
        )
    if not approve and not (note or "").strip():
        raise InvalidInput(_("Say why the change is rejected."), code="reason_required")
    status = PriceChangeStatus.APPROVED if approve else PriceChangeStatus.REJECTED
    decided = PriceChange.objects.filter(
        pk=change.pk, status__in=PRICE_CHANGES.sources(status, APPROVER)
    ).update(
        status=status,
        decided_by=actor_or_none(actor),
        decided_at=timezone.now(),
        decision_note=(note or "")[:500],
    )
    if not decided:
        raise Conflict(_("This price change has been decided already."), code="already_decided")
    change.refresh_from_db()
    if approve:
        _apply(change)
    audit_record(
        actor=actor,
        action="price_change.approve" if approve else "price_change.reject",
        obj=change,
        before=change.old_value,
        after=change.new_value if approve else None,
        reason=note,
    )
    return change


def _apply(change: PriceChange) -> None:
    stale = Conflict(
        _("The price changed after this request was made; ask for the change again."),
        code="price_moved",
    )
    if change.target == PriceChangeTarget.LIST_PRICE:
        updated = Part.objects.filter(
            pk=change.part_id, list_price=Decimal(change.old_value["list_price"])
        ).update(
            list_price=Decimal(change.new_value["list_price"]),
            version=F("version") + 1,
            updated_at=timezone.now(),
        )
        if not updated:
            raise stale
        return
    rule = PriceRule.objects.get(pk=change.rule_id)
    if _rule_values(rule) != change.old_value:
        raise stale
    new = change.new_value
    updated = PriceRule.objects.filter(pk=rule.pk, version=rule.version).update(
        percent=Decimal(new["percent"]),
        tier_discounts=new["tier_discounts"],
        active=new["active"],
        version=F("version") + 1,
    )
    if not updated:
        raise stale


# --- quoting ---------------------------------------------------------------------------------


def _rule_for(part: Part, kinds: list[str]) -> PriceRule | None:
    """The active rule of one of ``kinds`` for the part, or else the general one."""
    rules = list(
        PriceRule.objects.filter(active=True, kind__in=kinds)
        .filter(Q(part=part) | Q(part__isnull=True))
        .order_by(F("part_id").desc(nulls_last=True), "-id")[:1]
    )
    return rules[0] if rules else None


def price_quote(part: Part, tier: str = CustomerTier.STANDARD) -> dict[str, Any]:
    """The selling price of ``part`` for a customer of ``tier``: the base from the part's
    cost-plus or list-price rule (list price when no rule), less the tier's member discount."""
    base_rule = _rule_for(part, [PriceRuleKind.COST_PLUS, PriceRuleKind.LIST_PRICE])
    if base_rule is not None and base_rule.kind == PriceRuleKind.COST_PLUS:
        base = part.standard_cost * (1 + base_rule.percent / HUNDRED)
    else:
        base = part.list_price
    base = base.quantize(CENT, ROUND_HALF_UP)
    discount_rule = _rule_for(part, [PriceRuleKind.MEMBER_DISCOUNT])
    discount = Decimal("0")
    if discount_rule is not None:
        discount = Decimal(str((discount_rule.tier_discounts or {}).get(tier, "0")))
    price = (base * (1 - discount / HUNDRED)).quantize(CENT, ROUND_HALF_UP)
    return {
        "part": part.code,
        "tier": tier,
        "base": base,
        "base_rule": base_rule.name if base_rule else None,
        "discount_percent": discount,
        "discount_rule": discount_rule.name if discount_rule else None,
        "price": price,
    }
