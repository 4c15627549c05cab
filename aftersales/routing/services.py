"""Every write of the routing app: deciding a new case's route, and editing the rules.

``route_decide`` is the one place a route is worked out — for a new case (then the round-robin
pointer moves) and for a dry run in the rule editor (then nothing moves). ``route_record`` writes
the decision on the case's timeline and in the audit log inside the creating transaction.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftersales.accounts.models import Team, User
from aftersales.cases.choices import CaseType, EventKind, Priority
from aftersales.cases.models import Case, CaseCategory
from aftersales.core.actors import actor_or_none
from aftersales.core.audit import audit_record, model_snapshot
from aftersales.core.audit_labels import register_value_labels
from aftersales.core.errors import InvalidInput
from aftersales.core.versions import model_update, require_version
from aftersales.customers.models import Asset, Customer

from .assignment import Pick, pick_assignee
from .engine import CaseSample, first_match, split_keywords
from .models import AssignmentMode, KeywordMode, RoutingRule

RULE_FIELDS = [
    "name",
    "position",
    "is_active",
    "case_type",
    "category",
    "product_line",
    "region",
    "keywords",
    "keyword_mode",
    "team",
    "priority",
    "assignment",
    "sla_policy",
    "version",
]
EDITABLE = [f for f in RULE_FIELDS if f not in ("position", "version")]


# --- deciding a route -----------------------------------------------------------------------


def region_parts(customer: Customer | None) -> list[str]:
    """Province, city and district of the customer's default (else first) address."""
    if customer is None or customer.pk is None:
        return []
    address = customer.addresses.order_by("-is_default", "id").first()
    if address is None:
        return []
    return [address.province, address.city, address.district]


def sample_for(
    *,
    case_type: str,
    category: CaseCategory | None = None,
    asset: Asset | None = None,
    customer: Customer | None = None,
    title: str = "",
    description: str = "",
    product_line: str | None = None,
    region: list[str] | None = None,
    channel: str = "hotline",
) -> CaseSample:
    """The facts of a (new or sample) case that rules look at."""
    if product_line is None:
        product_line = asset.product_model.product_line if asset is not None else ""
    return CaseSample.build(
        case_type=case_type,
        category_id=getattr(category, "pk", None),
        product_line=product_line,
        region_parts=region if region is not None else region_parts(customer),
        title=title,
        description=description,
        channel=channel,
        customer_tier=getattr(customer, "tier", "") or "standard",
    )


@dataclass
class RoutingDecision:
    """What routing decided for one case, and why."""

    rule: RoutingRule | None
    reasons: list[dict[str, str]] = field(default_factory=list)
    team: Team | None = None
    team_from_rule: bool = False
    priority: str | None = None
    priority_from_rule: bool = False
    assignee: User | None = None
    pick: Pick | None = None
    rules_checked: int = 0
    sla_policy: Any = None

    def as_data(self) -> dict[str, Any]:
        """JSON for the timeline event and the audit record."""
        rule = self.rule
        return {
            "rule": rule.pk if rule else None,
            "rule_name": rule.name if rule else "",
            "reasons": self.reasons,
            "team": getattr(self.team, "pk", None),
            "team_name": str(self.team or ""),
            "team_from_rule": self.team_from_rule,
            "priority": self.priority or "",
            "priority_from_rule": self.priority_from_rule,
            "assignment": rule.assignment if rule else AssignmentMode.NONE,
            "assignee": getattr(self.assignee, "pk", None),
            "assignee_name": str(self.assignee or ""),
            "pick": self.pick.reason if self.pick else "",
            "skipped": self.pick.skipped if self.pick else [],
            "rules_checked": self.rules_checked,
            "sla_policy": getattr(self.sla_policy, "pk", None),
            "sla_policy_code": getattr(self.sla_policy, "code", ""),
            "sla_policy_name": str(self.sla_policy or ""),
        }


_rules_cache: tuple[tuple, list[RoutingRule]] | None = None
_rules_lock = threading.Lock()


def _rules_stamp() -> tuple:
    """What changes whenever a rule or an SLA policy is added, edited or removed: count, highest
    id, latest change and the sum of versions of both tables — one plain query. Time of change
    is part of it, so a version number repeated after a rollback does not pass for the same."""
    qn = connection.ops.quote_name
    rules = qn(RoutingRule._meta.db_table)
    policies = qn(RoutingRule._meta.get_field("sla_policy").related_model._meta.db_table)
    sql = (
        f"SELECT (SELECT COUNT(*) FROM {rules}), (SELECT MAX(id) FROM {rules}), "
        f"(SELECT MAX(updated_at) FROM {rules}), (SELECT SUM(version) FROM {rules}), "
        f"(SELECT COUNT(*) FROM {policies}), (SELECT MAX(id) FROM {policies}), "
        f"(SELECT MAX(updated_at) FROM {policies}), (SELECT SUM(version) FROM {policies})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchone())


def active_rules() -> list[RoutingRule]:
    """The active rules in order, with their category and SLA policy.

    Intake asks for them on every new case, so they are kept per process and read again only
    when the stamp of the rules and policies tables changed (one cheap query instead of a
    three-table join and the model instances). The rules' teams are not cached: a decision
    loads the matched rule's team fresh (see :func:`route_decide`)."""
    global _rules_cache
    stamp = _rules_stamp()
    cached = _rules_cache
    if cached is not None and cached[0] == stamp:
        return list(cached[1])
    rules = list(
        RoutingRule.objects.filter(is_active=True).select_related("category", "sla_policy")
    )
    with _rules_lock:
        _rules_cache = (stamp, rules)
    return list(rules)


def route_decide(
    sample: CaseSample,
    *,
    rules: list[RoutingRule] | None = None,
    team: Team | None = None,
    assignee: User | None = None,
    priority: str | None = None,
    advance: bool,
) -> RoutingDecision:
    """Match ``sample`` against ``rules`` (the active ones by default) and work out the route.

    What the caller set explicitly is kept: a given team is not replaced, a given priority is
    not changed, a given assignee is not replaced. ``advance`` moves the round-robin pointer;
    a dry run passes ``False`` and changes nothing.
    """
    rules = active_rules() if rules is None else rules
    rule, match = first_match(rules, sample)
    decision = RoutingDecision(rule=rule, rules_checked=len(rules), team=team, priority=priority)
    if rule is None or match is None:
        return decision
    decision.reasons = match.reasons
    policy = rule.sla_policy if rule.sla_policy_id is not None else None
    if policy is not None and policy.is_active:
        decision.sla_policy = policy
    rule_team = (
        Team.objects.filter(pk=rule.team_id).first()
        if team is None and rule.team_id is not None
        else None
    )
    if rule_team is not None and (
        assignee is None or rule_team.members.filter(pk=assignee.pk).exists()
    ):
        decision.team = rule_team
        decision.team_from_rule = True
    if priority is None and rule.priority:
        decision.priority = rule.priority
        decision.priority_from_rule = True
    if (
        assignee is None
        and decision.team_from_rule
        and decision.team is not None
        and rule.assignment != AssignmentMode.NONE
    ):
        decision.pick = pick_assignee(decision.team, rule.assignment, advance=advance)
        decision.assignee = decision.pick.assignee
    return decision


def route_new_case(
    *,
    case_type: str,
    category: CaseCategory | None,
    asset: Asset | None,
    customer: Customer,
    title: str,
    description: str,
    team: Team | None,
    assignee: User | None,
    priority: str | None,
) -> RoutingDecision | None:
    """The route of a case being created, or ``None`` when there is nothing to decide
    (no active rules, or team and priority were both chosen by the agent and no rule names an
    SLA policy)."""
    rules = active_rules()
    if not rules:
        return None
    if team is not None and priority is not None and not any(r.sla_policy_id for r in rules):
        return None
    # only what some rule looks at: no address query without a region condition, no word
    # segmentation without keywords (the sample is not shown anywhere for a new case)
    needs_words = any(r.keywords.strip() for r in rules)
    sample = sample_for(
        case_type=case_type,
        category=category,
        asset=asset,
        customer=customer,
        title=title if needs_words else "",
        description=description if needs_words else "",
        region=None if any(r.region.strip() for r in rules) else [],
    )
    return route_decide(
        sample, rules=rules, team=team, assignee=assignee, priority=priority, advance=True
    )


def route_explain(data: dict[str, Any]) -> str:
    """One sentence on a decision, in the current language (timeline body, audit reason)."""
    if not data.get("rule"):
        return _("No routing rule matched; the case waits in the general queue.")
    parts = [_("Routing rule “%(rule)s” matched.") % {"rule": data["rule_name"]}]
    if data.get("team_from_rule"):
        parts.append(_("Team: %(team)s.") % {"team": data["team_name"]})
    if data.get("priority_from_rule"):
        parts.append(_("Priority: %(p)s.") % {"p": Priority(data["priority"]).label})
    if data.get("sla_policy"):
        parts.append(_("SLA policy: %(policy)s.") % {"policy": data["sla_policy_name"]})
    if data.get("assignee"):
        parts.append(_("Assigned to %(name)s.") % {"name": data["assignee_name"]})
    elif data.get("pick") == "nobody_available":
        parts.append(_("Nobody in the team is available; the case waits in the team's queue."))
    return " ".join(parts)


def route_record(*, actor: Any, case: Case, decision: RoutingDecision) -> None:
    """Write the decision on the case's timeline (internal) and in the audit log."""
    from aftersales.cases.events import event_add

    data = decision.as_data()
    with translation.override(settings.LANGUAGE_CODE):  # stored text: the site's language
        body = route_explain(data)
    event_add(
        case=case,
        kind=EventKind.ASSIGNED,
        actor=None,
        body=body,
        data={
            "team": case.team_id,
            "assignee": case.assignee_id,
            "team_name": str(case.team or ""),
            "assignee_name": str(case.assignee or ""),
            "routing": data,
        },
        is_public=False,
    )
    audit_record(
        actor=actor,
        action="case.route",
        obj=case,
        after={
            "rule": data["rule"],
            "rule_name": data["rule_name"],
            "reasons": data["reasons"],
            "team": case.team_id,
            "priority": case.priority,
            "assignee": case.assignee_id,
            "pick": data["pick"],
            "sla_policy": data["sla_policy"],
        },
        reason=body,
    )
    if decision.sla_policy is not None:
        from aftersales.sla.services import sla_policy_pin

        sla_policy_pin(
            actor=actor,
            case=case,
            policy=decision.sla_policy,
            source=_("Routing rule “%(rule)s”") % {"rule": data["rule_name"]},
        )


@dataclass
class RouteTest:
    """A dry run: every rule in order with whether it matched, the decision, and whether the
    draft rule (if any) matched the sample on its own."""

    decision: RoutingDecision
    trace: list[dict[str, Any]]
    draft_matches: bool | None
    sla_policy: Any = None
    sla_policy_from_rule: bool = False


def sla_policy_preview(sample: CaseSample, decision: RoutingDecision):
    """The SLA policy the service-levels app would choose for the routed case (its own ordered
    policy conditions, on the type, category, priority, tier and channel after routing) — or
    the policy the matched rule pins, which wins."""
    if decision.sla_policy is not None:
        return decision.sla_policy
    try:
        from aftersales.sla.services import policy_for_case
    except ImportError:
        return None
    from aftersales.cases.choices import Priority as P
    from aftersales.customers.models import Customer as C

    case = Case(
        case_type=sample.case_type or CaseType.CONSULTATION,
        category_id=sample.category_id,
        priority=decision.priority or P.NORMAL,
        channel=sample.channel,
        customer=C(tier=sample.customer_tier),
        team=decision.team,
        assignee=decision.assignee,
        extra={},
    )
    return policy_for_case(case)


def route_test(*, sample: CaseSample, draft: RoutingRule | None = None) -> RouteTest:
    """Route ``sample`` as a new case would be routed, with ``draft`` in place of its saved
    version (or added at the end when new), without moving any round-robin pointer."""
    from .engine import rule_match

    # fresh rows, not the intake cache: the trace is rendered and may load related objects
    rules = list(
        RoutingRule.objects.filter(is_active=True).select_related("team", "category", "sla_policy")
    )
    if draft is not None:
        rules = [r for r in rules if draft.pk is None or r.pk != draft.pk]
        if draft.is_active:
            rules.append(draft)
        rules.sort(key=lambda r: (r.position if r.pk or r is not draft else 10**9, r.pk or 10**9))
    decision = route_decide(sample, rules=rules, advance=False)
    trace = []
    for rule in rules:
        result = rule_match(rule, sample)
        trace.append(
            {
                "rule": rule,
                "is_draft": rule is draft,
                "matched": result.matched,
                "reasons": result.reasons,
                "chosen": rule is decision.rule,
            }
        )
        if rule is decision.rule:
            break
    draft_matches = rule_match(draft, sample).matched if draft is not None else None
    return RouteTest(
        decision=decision,
        trace=trace,
        draft_matches=draft_matches,
        sla_policy=sla_policy_preview(sample, decision),
        sla_policy_from_rule=decision.sla_policy is not None,
    )


# --- editing the rules ----------------------------------------------------------------------


def validate_rule(values: dict[str, Any]) -> dict[str, Any]:
    """Validate a rule's fields (all of them, after merging a change)."""
    out = dict(values)
    out["name"] = (out.get("name") or "").strip()[:100]
    if not out["name"]:
        raise InvalidInput(
            _("Give the rule a name."), code="name_required", detail={"field": "name"}
        )
    for name, choices in (
        ("case_type", CaseType),
        ("priority", Priority),
    ):
        value = out.get(name) or ""
        if value and value not in choices.values:
            raise InvalidInput(
                _("Unknown value “%(value)s” for %(field)s.") % {"value": value, "field": name},
                code="invalid_choice",
                detail={"field": name, "allowed": list(choices.values)},
            )
        out[name] = value
    for name, modes in (("assignment", AssignmentMode), ("keyword_mode", KeywordMode)):
        value = out.get(name) or modes.values[0]
        if value not in modes.values:
            raise InvalidInput(
                _("Unknown value “%(value)s” for %(field)s.") % {"value": value, "field": name},
                code="invalid_choice",
                detail={"field": name, "allowed": list(modes.values)},
            )
        out[name] = value
    out["product_line"] = (out.get("product_line") or "").strip()[:60]
    out["region"] = (out.get("region") or "").strip()[:60]
    out["keywords"] = " ".join(split_keywords(out.get("keywords") or ""))
    if len(out["keywords"]) > 500:
        raise InvalidInput(
            _("Too many keywords (at most 500 characters)."),
            code="keywords_too_long",
            detail={"field": "keywords"},
        )
    out["is_active"] = bool(out.get("is_active", True))
    category = out.get("category")
    if (
        category is not None
        and category.case_type
        and out["case_type"]
        and category.case_type != out["case_type"]
    ):
        raise InvalidInput(
            _("This category belongs to another type of case."),
            code="category_mismatch",
            detail={"field": "category"},
        )
    if not any([out["case_type"], category, out["product_line"], out["region"], out["keywords"]]):
        raise InvalidInput(
            _("Set at least one condition: type, category, product line, region or keywords."),
            code="condition_required",
        )
    if out.get("team") is None and not out["priority"] and out.get("sla_policy") is None:
        raise InvalidInput(
            _("Set what the rule does: a team, a priority, an SLA policy or several."),
            code="outcome_required",
        )
    if out["assignment"] != AssignmentMode.NONE and out.get("team") is None:
        raise InvalidInput(
            _("Assignment inside a team needs a team."),
            code="assignment_needs_team",
            detail={"field": "assignment"},
        )
    return out


@transaction.atomic
def rule_create(*, actor: User, **fields: Any) -> RoutingRule:
    """Add a rule at the end of the order."""
    values = validate_rule(
        {k: fields.get(k) for k in EDITABLE if k in fields} | {"name": fields.get("name")}
    )
    last = RoutingRule.objects.aggregate(m=Max("position"))["m"]
    rule = RoutingRule.objects.create(
        **values,
        position=(last or 0) + 10,
        updated_by=actor_or_none(actor),
    )
    audit_record(
        actor=actor, action="routing.rule_create", obj=rule, after=model_snapshot(rule, RULE_FIELDS)
    )
    return rule


@transaction.atomic
def rule_update(
    *, actor: User, rule: RoutingRule, expected_version: int | None, changes: dict[str, Any]
) -> RoutingRule:
    """Change a rule; a stale editor gets :class:`VersionConflict` and nothing changes."""

    def clean(values: dict[str, Any]) -> dict[str, Any]:
        # A rule is checked whole: a change may make the fields it leaves alone invalid.
        current = {k: getattr(rule, k) for k in EDITABLE}
        return {**validate_rule(current | values), "updated_by": actor}

    rule, b, a = model_update(
        rule,
        expected_version=expected_version,
        editable=EDITABLE,
        changes=changes,
        clean=clean,
        fields=RULE_FIELDS,
    )
    audit_record(actor=actor, action="routing.rule_update", obj=rule, before=b, after=a)
    return rule


@transaction.atomic
def rule_delete(*, actor: User, rule: RoutingRule, expected_version: int | None) -> None:
    """Remove a rule; cases it routed keep their team and the timeline keeps its name."""
    require_version(rule, expected_version)
    before = model_snapshot(rule, RULE_FIELDS)
    deleted, _rows = RoutingRule.objects.filter(
        pk=rule.pk, version=expected_version or rule.version
    ).delete()
    if not deleted:
        require_version(rule, -1)
    audit_record(
        actor=actor,
        action="routing.rule_delete",
        object_type=RoutingRule._meta.label_lower,
        object_id=rule.pk,
        object_repr=rule.name,
        before=before,
    )


@transaction.atomic
def rule_move(*, actor: User, rule: RoutingRule, direction: str) -> list[int]:
    """Move a rule one place up or down; returns the new order of rule ids.

    All rules are locked and renumbered 10, 20, 30… in one transaction, so concurrent moves
    queue behind each other instead of leaving two rules on one position.
    """
    if direction not in ("up", "down"):
        raise InvalidInput(_("Move a rule up or down."), code="invalid_direction")
    order = list(
        RoutingRule.objects.select_for_update()
        .order_by("position", "id")
        .values_list("pk", flat=True)
    )
    if rule.pk not in order:
        raise InvalidInput(_("This rule no longer exists."), code="rule_gone")
    i = order.index(rule.pk)
    j = i - 1 if direction == "up" else i + 1
    if 0 <= j < len(order):
        order[i], order[j] = order[j], order[i]
    now = timezone.now()
    for index, pk in enumerate(order):
        RoutingRule.objects.filter(pk=pk).exclude(position=(index + 1) * 10).update(
            position=(index + 1) * 10, updated_at=now
        )
    audit_record(
        actor=actor,
        action="routing.rule_move",
        obj=rule,
        after={"direction": direction, "order": order},
    )
    return order


# The audit log names a routing decision's conditions and how the assignee was picked.
register_value_labels(
    "condition",
    {
        "case_type": gettext_lazy("Case type"),
        "category": gettext_lazy("Category"),
        "product_line": gettext_lazy("Product line"),
        "region": gettext_lazy("Region"),
        "keywords": gettext_lazy("Keywords"),
    },
)
register_value_labels(
    "pick",
    {
        **dict(AssignmentMode.choices),
        "nobody_available": gettext_lazy("Nobody available"),
        "queue": gettext_lazy("Left in the team's queue"),
    },
)
