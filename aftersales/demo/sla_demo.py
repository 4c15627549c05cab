"""Demo data for service levels (R2.1, R5.2): the default policy set of a Chinese after-sales
desk, an escalation matrix, and the service manager to whom breaches go.

The policies are written before the demo's cases are replayed (:func:`policies_load`, called by
the demo builder), so every demo case gets its clocks from intake on — paused while it waits,
met by the first reply or the status that ends them — on the demo's own clock. After the demo is
loaded, :func:`sla_demo_load` runs the sweep once, so overdue clocks show as breached and their
escalations on the timelines; the messages go nowhere while the demo loads.
"""

from __future__ import annotations

from typing import Any

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


def policies_load() -> int:
    """Write the default policy set unless policies exist; returns how many were written."""
    from aftersales.accounts.models import User
    from aftersales.sla.models import EscalationContact, EscalationLevel, SlaPolicy, SlaTarget

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
    manager = User.objects.filter(username="supervisor").first()
    if manager is not None:
        EscalationContact.objects.get_or_create(role="service_manager", user=manager)
    return len(POLICIES)


def sla_demo_load(out: Any) -> None:
    """Make sure the policies exist, then sweep once so the demo shows breaches and escalations
    (messages delivered to nowhere, like the rest of the demo's)."""
    from django.test.utils import override_settings
    from huey.contrib.djhuey import HUEY

    from aftersales.notifications.models import Notification, State
    from aftersales.notifications.services import notification_deliver
    from aftersales.sla.models import SlaClock
    from aftersales.sla.sweep import sla_sweep

    written = policies_load()
    total = {"clocks": 0, "breached": 0, "notices": 0}
    was = HUEY.immediate
    HUEY.immediate = True
    try:
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            for _round in range(50):
                result = sla_sweep()
                for key in total:
                    total[key] += getattr(result, key)
                if result.clocks < 2000:
                    break
            # deliver what the sweep queued the real way (mail goes nowhere during the load), as
            # the rest of the demo does, so no worker mails invented recipients later
            for pk in Notification.objects.filter(state=State.PENDING).values_list("pk", flat=True):
                notification_deliver(pk)
    finally:
        HUEY.immediate = was
    out.write(
        f"Service levels: {written} policies written, {SlaClock.objects.count()} clocks, "
        f"{total['breached']} breached and {total['notices']} escalations in the first sweep."
    )
