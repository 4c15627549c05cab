"""Demo data for routing (R1.4): the rules an appliance maker's and a car dealer's service desk
would write, and a few fresh requests routed by them so their timelines show the decision.

Rules are added once (nothing happens when any rule exists); the fresh requests come from the
demo's portal customers through ``case_create`` like any request from the portal.
"""

from __future__ import annotations

from typing import Any

# (name, conditions and outcome); team codes are the demo's teams
RULES: list[dict[str, Any]] = [
    {
        "name": "投诉 → 投诉处理组（高优先级）",
        "case_type": "complaint",
        "team": "hl-complaints",
        "priority": "high",
        "assignment": "least_loaded",
        "sla_policy": "complaint-major",  # kept even if the priority is lowered later
    },
    {
        "name": "燃气热水器打不着火/异味 → 上门维修组（紧急）",
        "product_line": "热水器",
        "keywords": "打不着火 点火 煤气味 燃气味",
        "keyword_mode": "any",
        "team": "hl-field",
        "priority": "urgent",
        "assignment": "least_loaded",
    },
    {
        "name": "空调漏水 → 上门维修组",
        "keywords": "空调 漏水",
        "keyword_mode": "all",
        "team": "hl-field",
        "assignment": "round_robin",
    },
    {
        "name": "洗衣机报修 → 上门维修组",
        "case_type": "repair_request",
        "product_line": "洗衣机",
        "team": "hl-field",
        "assignment": "round_robin",
    },
    {
        "name": "退换货 → 退换货与索赔组",
        "case_type": "return_exchange",
        "team": "hl-returns",
        "assignment": "round_robin",
    },
    {
        "name": "新能源车三包索赔 → 三包索赔组",
        "case_type": "warranty_claim",
        "product_line": "新能源",
        "team": "yh-claims",
        "priority": "high",
    },
    {
        "name": "车辆钣金喷漆 → 钣喷班组",
        "keywords": "剐蹭 钣金 喷漆 划痕",
        "keyword_mode": "any",
        "product_line": "乘用车",
        "team": "yh-bodyshop",
    },
]

# (customer's portal user name, case type, product line of the product to pick, description)
FRESH_REQUESTS = [
    (
        "customer",
        "repair_request",
        "空调",
        "卧室空调漏水，室内机一直往下滴水，墙面都湿了，麻烦尽快上门看看。",
    ),
    ("customer", "complaint", "", "约好上午上门安装，师傅一直没来，电话也打不通，非常不满意。"),
]


def routing_demo_load(out: Any = None) -> None:
    """Add the demo's routing rules (once) and route two fresh portal requests with them."""
    from aftersales.accounts.models import Team, User
    from aftersales.cases.services import case_create
    from aftersales.routing.models import RoutingRule
    from aftersales.routing.services import rule_create

    if RoutingRule.objects.exists():
        return
    teams = {t.code: t for t in Team.objects.filter(code__in={r["team"] for r in RULES})}
    if len(teams) < len({r["team"] for r in RULES}):
        return  # the demo organisation is not loaded (``--no-demo``)
    actor = User.objects.filter(username="supervisor").first()
    from aftersales.sla.models import SlaPolicy

    policies = {p.code: p for p in SlaPolicy.objects.all()}
    for spec in RULES:
        policy = policies.get(spec.get("sla_policy", ""))
        rule_create(actor=actor, **{**spec, "team": teams[spec["team"]], "sla_policy": policy})
    routed = 0
    for username, case_type, line, text in FRESH_REQUESTS:
        user = User.objects.filter(username=username).select_related("customer").first()
        customer = getattr(user, "customer", None) if user else None
        if customer is None:
            continue
        asset = None
        if line:
            asset = customer.assets.filter(product_model__product_line=line).first()
        case_create(
            actor=user,
            customer=customer,
            case_type=case_type,
            channel="portal",
            description=text,
            asset=asset,
        )
        routed += 1
    if out is not None:
        out.write(f"Routing: {len(RULES)} rules, {routed} fresh requests routed.")
