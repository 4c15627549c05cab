"""The default service levels of a Chinese after-sales desk (R2.1), written on ``migrate`` so
that a clean install has deadlines without the demo: a reply within 24 hours, an initial opinion
within 1 working day, a complaint verified within 24 hours, and resolution times by type and
priority, with one escalation matrix (75 % → the owner; due → the team lead; +4 working hours →
the department head; +1 working day → the service manager).

Administrators change them on the SLA policy pages afterwards: seeding writes only into an empty
policy table, so an edited set is never overwritten (a set deleted entirely is written again by
the next ``migrate``). ``settings.SLA_SEED_DEFAULTS`` turns seeding off; the test suite does, as
its tests build the policies they test.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

# The escalation matrix every policy uses: 75 % → the owner; due → the team lead;
# +4 working hours → the department head; +1 working day → the service manager.
LEVELS: list[dict[str, Any]] = [
    {"trigger": "share", "share_percent": 75, "recipients": ["owner"], "channels": ["in_app"]},
    {
        "trigger": "share",
        "share_percent": 100,
        "recipients": ["owner", "team_lead"],
        "channels": ["in_app", "email"],
    },
    {
        "trigger": "past_due",
        "past_due": "4wh",
        "recipients": ["department_head"],
        "channels": ["email"],
    },
    {
        "trigger": "past_due",
        "past_due": "1wd",
        "recipients": ["service_manager"],
        "channels": ["email"],
    },
]

_OPINION_ENDS = ["in_progress", "waiting_third_party", "approved", "rejected", "resolved"]
_RESOLVED = ["resolved", "closed"]
_PAUSES = {"waiting_customer": "waiting_customer", "waiting_third_party": "waiting_parts"}


def _t(kind: str, duration: str, end_on: str, **kw: Any) -> dict[str, Any]:
    return {"kind": kind, "duration": duration, "end_on": end_on, **kw}


FIRST_RESPONSE = _t("first_response", "24h", "first_reply", name="首次响应", pausable=False)
INITIAL_OPINION = _t(
    "initial_opinion", "1wd", "status", name="初步处理意见", end_statuses=_OPINION_ENDS
)

# (code, name, order, conditions, pause rules, targets)
POLICIES: list[tuple[str, str, int, dict[str, Any], dict[str, str], list[dict[str, Any]]]] = [
    (
        "complaint-urgent",
        "投诉时效 · 紧急",
        10,
        {"case_types": ["complaint"], "priorities": ["urgent"]},
        {"waiting_customer": "waiting_customer", "waiting_third_party": "third_party"},
        [
            _t("first_response", "2h", "first_reply", name="首次响应", pausable=False),
            _t("verification", "24h", "status", name="投诉核实", end_statuses=_OPINION_ENDS),
            _t("resolution", "24h", "status", name="解决", end_statuses=_RESOLVED),
        ],
    ),
    (
        "complaint-major",
        "投诉时效 · 重大",
        20,
        {"case_types": ["complaint"], "priorities": ["high"]},
        {"waiting_customer": "waiting_customer", "waiting_third_party": "third_party"},
        [
            _t("first_response", "12h", "first_reply", name="首次响应", pausable=False),
            _t("verification", "24h", "status", name="投诉核实", end_statuses=_OPINION_ENDS),
            _t("initial_opinion", "2wd", "status", name="首次反馈", end_statuses=_OPINION_ENDS),
            _t("resolution", "5wd", "status", name="解决", end_statuses=_RESOLVED),
        ],
    ),
    (
        "complaint",
        "投诉时效 · 一般",
        30,
        {"case_types": ["complaint"]},
        {"waiting_customer": "waiting_customer", "waiting_third_party": "third_party"},
        [
            FIRST_RESPONSE,
            _t("verification", "24h", "status", name="投诉核实", end_statuses=_OPINION_ENDS),
            INITIAL_OPINION,
            _t("resolution", "3wd", "status", name="解决", end_statuses=_RESOLVED),
        ],
    ),
    (
        "repair",
        "报修时效",
        40,
        {"case_types": ["repair_request"]},
        _PAUSES,
        [
            FIRST_RESPONSE,
            INITIAL_OPINION,
            _t(
                "milestone",
                "1wd",
                "milestone",
                name="上门到达",
                milestone_code="onsite_arrival",
                end_milestone="onsite_arrival",
            ),
            _t(
                "resolution",
                "24h",
                "status",
                name="解决",
                priorities=["urgent"],
                end_statuses=_RESOLVED,
            ),
            _t(
                "resolution",
                "2wd",
                "status",
                name="解决",
                priorities=["high"],
                end_statuses=_RESOLVED,
            ),
            _t(
                "resolution",
                "5wd",
                "status",
                name="解决",
                priorities=["low"],
                end_statuses=_RESOLVED,
            ),
            _t("resolution", "3wd", "status", name="解决", end_statuses=_RESOLVED),
        ],
    ),
    (
        "consultation",
        "咨询答复时效",
        50,
        {"case_types": ["consultation"]},
        {"waiting_customer": "waiting_customer"},
        [
            FIRST_RESPONSE,
            _t("resolution", "2wd", "status", name="答复完结", end_statuses=_RESOLVED),
        ],
    ),
    (
        "returns-claims-delivery",
        "退换货、索赔与配送时效",
        60,
        {"case_types": ["return_exchange", "warranty_claim", "delivery_issue"]},
        _PAUSES,
        [
            FIRST_RESPONSE,
            INITIAL_OPINION,
            _t("resolution", "5wd", "status", name="解决", end_statuses=_RESOLVED),
        ],
    ),
]


@transaction.atomic
def policies_seed_default() -> int:
    """Write the default policy set unless a policy exists; returns how many were written."""
    from .models import EscalationLevel, SlaPolicy, SlaTarget

    if SlaPolicy.objects.exists():
        return 0
    for code, name, position, conditions, pauses, targets in POLICIES:
        policy = SlaPolicy.objects.create(
            code=code, name=name, position=position, pause_rules=pauses, **conditions
        )
        SlaTarget.objects.bulk_create(
            SlaTarget(policy=policy, position=i, **spec) for i, spec in enumerate(targets)
        )
        EscalationLevel.objects.bulk_create(
            EscalationLevel(policy=policy, position=i, **spec) for i, spec in enumerate(LEVELS)
        )
    return len(POLICIES)


def seed_after_migrate(sender, **kwargs) -> None:
    """After ``migrate`` (once, for the last app): the default policies, unless turned off."""
    from django.apps import apps
    from django.conf import settings

    last = [a for a in apps.get_app_configs() if a.models_module is not None][-1]
    if sender is not last or not getattr(settings, "SLA_SEED_DEFAULTS", True):
        return
    policies_seed_default()
