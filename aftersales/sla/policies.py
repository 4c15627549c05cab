"""Writes to SLA policies: create or edit a policy with its targets and escalation levels.

Supervisors and administrators keep the policies (``sla.manage_slapolicy``). An edit is a
conditional update on the version the editor saw; it is audited with before and after, and once
it commits the open clocks of the policy are recomputed in the background (R2.3: deadlines follow
the policy). Targets and levels are changed in place, so clocks keep their target and a level's
notices stay unique.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from aftersales.accounts.models import User
from aftersales.calendars.worktime import Duration
from aftersales.cases.choices import CaseType, Channel, Priority, Status
from aftersales.core.audit import audit_record, model_snapshot
from aftersales.core.errors import InvalidInput
from aftersales.core.versions import require_version, versioned_update
from aftersales.customers.choices import CustomerTier

from .choices import EndOn, PauseReason, Recipient, TargetKind, Trigger
from .models import EscalationLevel, SlaPolicy, SlaTarget

POLICY_FIELDS = [
    "code",
    "name",
    "position",
    "is_active",
    "case_types",
    "categories",
    "priorities",
    "customer_tiers",
    "channels",
    "service_centers",
    "pause_rules",
    "calendar",
]
TARGET_FIELDS = [
    "kind",
    "milestone_code",
    "name",
    "position",
    "priorities",
    "duration",
    "calendar",
    "pausable",
    "end_on",
    "end_statuses",
    "end_milestone",
]
LEVEL_FIELDS = [
    "position",
    "target_kinds",
    "trigger",
    "share_percent",
    "past_due",
    "recipients",
    "channels",
]
CHANNELS = ("email", "sms", "in_app")
POLICY_CHANGED = _("Someone else changed this policy in the meantime. Reload it and try again.")


def _bad(message: str, field: str) -> InvalidInput:
    return InvalidInput(message, code="invalid_policy", detail={"field": field})


def _subset(values: Any, allowed: Any, field: str) -> list[str]:
    values = list(values or [])
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise _bad(
            _("Unknown value “%(value)s” for %(field)s.") % {"value": unknown[0], "field": field},
            field,
        )
    return values


def check_duration(text: str, field: str = "duration") -> str:
    try:
        return str(Duration.parse(text or ""))
    except ValueError as exc:
        raise _bad(
            _("“%(text)s” is not a duration: use e.g. 24h, 90m, 8wh, 30wm or 1wd.")
            % {"text": text},
            field,
        ) from exc


def check_policy(fields: dict[str, Any]) -> dict[str, Any]:
    """The policy's own fields, checked (conditions are lists of known values)."""
    out = dict(fields)
    if not (out.get("name") or "").strip():
        raise _bad(_("Give the policy a name."), "name")
    out["case_types"] = _subset(out.get("case_types"), CaseType.values, "case_types")
    out["priorities"] = _subset(out.get("priorities"), Priority.values, "priorities")
    out["customer_tiers"] = _subset(
        out.get("customer_tiers"), CustomerTier.values, "customer_tiers"
    )
    out["channels"] = _subset(out.get("channels"), Channel.values, "channels")
    out["categories"] = list(out.get("categories") or [])
    out["service_centers"] = list(out.get("service_centers") or [])
    rules = dict(out.get("pause_rules") or {})
    for status, reason in rules.items():
        if status not in Status.values or reason not in PauseReason.values:
            raise _bad(_("A pause status needs a known status and reason."), "pause_rules")
    out["pause_rules"] = rules
    return out


def check_target(data: dict[str, Any]) -> dict[str, Any]:
    """A target's fields, checked: what ends it must be stated completely."""
    out = dict(data)
    if out.get("kind") not in TargetKind.values:
        raise _bad(_("Choose the target."), "kind")
    out["duration"] = check_duration(out.get("duration", ""))
    out["priorities"] = _subset(out.get("priorities"), Priority.values, "priorities")
    out["end_statuses"] = _subset(out.get("end_statuses"), Status.values, "end_statuses")
    out["milestone_code"] = (out.get("milestone_code") or "").strip()
    out["end_milestone"] = (out.get("end_milestone") or "").strip()
    if out["kind"] == TargetKind.MILESTONE and not out["milestone_code"]:
        raise _bad(_("A custom milestone needs a code."), "milestone_code")
    end_on = out.get("end_on")
    if end_on not in EndOn.values:
        raise _bad(_("Say what ends the target."), "end_on")
    if end_on == EndOn.STATUS and not out["end_statuses"]:
        raise _bad(_("Choose the statuses that end the target."), "end_statuses")
    if end_on == EndOn.MILESTONE and not out["end_milestone"]:
        raise _bad(_("Name the milestone that ends the target."), "end_milestone")
    return out


def check_level(data: dict[str, Any]) -> dict[str, Any]:
    """An escalation level's fields, checked: a share or a time past due, and whom to tell."""
    out = dict(data)
    if out.get("trigger") == Trigger.SHARE:
        share = out.get("share_percent")
        if not isinstance(share, int) or not 1 <= share <= 1000:
            raise _bad(_("Give the share of the allowed time, 1 to 1000 %."), "share_percent")
        out["past_due"] = ""
    elif out.get("trigger") == Trigger.PAST_DUE:
        out["past_due"] = check_duration(out.get("past_due", ""), "past_due")
        out["share_percent"] = None
    else:
        raise _bad(_("Choose when the level is reached."), "trigger")
    out["target_kinds"] = _subset(out.get("target_kinds"), TargetKind.values, "target_kinds")
    out["recipients"] = _subset(out.get("recipients"), Recipient.values, "recipients")
    out["channels"] = _subset(out.get("channels"), CHANNELS, "channels") or ["in_app"]
    if not out["recipients"] and not out.get("users"):
        raise _bad(_("Say whom the level notifies."), "recipients")
    return out


def _snapshot(policy: SlaPolicy) -> dict[str, Any]:
    return {
        **model_snapshot(policy, [*POLICY_FIELDS, "version"]),
        "targets": [model_snapshot(t, TARGET_FIELDS) for t in policy.targets.order_by("id")],
        "levels": [
            {**model_snapshot(lv, LEVEL_FIELDS), "users": [u.pk for u in lv.users.all()]}
            for lv in policy.levels.order_by("id")
        ],
    }


def _apply_rows(policy: SlaPolicy, model: Any, rows: list[dict[str, Any]], check) -> None:
    manager = model.objects.filter(policy=policy)
    for raw in rows:
        row = dict(raw)
        pk = row.pop("id", None)
        delete = row.pop("delete", False)
        users = row.pop("users", None)
        if pk and delete:
            manager.filter(pk=pk).delete()
            continue
        if delete:
            continue
        row = check({**row, "users": users} if model is EscalationLevel else row)
        row.pop("users", None)
        if pk:
            obj = manager.filter(pk=pk).first()
            if obj is None:
                raise _bad(_("This row belongs to another policy."), "id")
            for key, value in row.items():
                setattr(obj, key, value)
            obj.save()
        else:
            obj = model.objects.create(policy=policy, **row)
        if users is not None:
            obj.users.set(users)


@transaction.atomic
def sla_policy_save(
    *,
    actor: User,
    policy: SlaPolicy | None,
    expected_version: int | None,
    fields: dict[str, Any],
    targets: list[dict[str, Any]],
    levels: list[dict[str, Any]],
) -> SlaPolicy:
    """Create ``policy`` (``None``) or change it, with its targets and levels; rows carry their
    ``id`` (or none for a new one) and ``delete``. Every row is checked before any is written."""
    fields = check_policy(fields)
    for row in targets:
        if not row.get("delete"):
            check_target({k: v for k, v in row.items() if k not in ("id", "delete")})
    for row in levels:
        if not row.get("delete"):
            check_level({k: v for k, v in row.items() if k not in ("id", "delete")})
    code = fields.get("code")
    if SlaPolicy.objects.filter(code=code).exclude(pk=getattr(policy, "pk", None)).exists():
        raise _bad(_("A policy with this code exists already."), "code")
    if policy is None:
        policy = SlaPolicy.objects.create(**fields)
        before = None
        action = "sla.policy.create"
    else:
        require_version(policy, expected_version, POLICY_CHANGED)
        before = _snapshot(policy)
        values = {k: v for k, v in fields.items()}
        versioned_update(policy, expected_version, POLICY_CHANGED, **values)
        action = "sla.policy.update"
    _apply_rows(policy, SlaTarget, targets, check_target)
    _apply_rows(policy, EscalationLevel, levels, check_level)
    audit_record(actor=actor, action=action, obj=policy, before=before, after=_snapshot(policy))
    if before is not None:
        from .tasks import recompute_clocks

        policy_id = policy.pk
        transaction.on_commit(lambda: recompute_clocks(policy_id=policy_id))
    return policy
