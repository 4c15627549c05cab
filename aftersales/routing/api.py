"""API: routing rules and the dry-run test (R1.4), for supervisors and administrators."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from aftersales.accounts.models import Team
from aftersales.cases.api_schemas import CASE_NUMBER_PATTERN, CaseTypeValue, PriorityValue
from aftersales.cases.models import CaseCategory
from aftersales.core.api import (
    ERRORS_READ,
    ERRORS_WRITE,
    InputSchema,
    ObjectId,
    Version,
    omitted,
    require_perm,
    set_fields,
)
from aftersales.core.errors import InvalidInput

from . import selectors, services
from .models import AssignmentMode, KeywordMode, RoutingRule

router = Router(tags=["routing"])

MANAGE = "routing.manage_routingrule"
AssignmentValue = Literal[tuple(AssignmentMode.values)]
KeywordModeValue = Literal[tuple(KeywordMode.values)]
Code = Field(None, max_length=60, pattern=r"^[-a-zA-Z0-9_]*$")


class RuleOut(Schema):
    id: int
    name: str
    position: int
    is_active: bool
    case_type: str = Field(description="Empty: any type")
    category: str | None = Field(description="Category code; null: any")
    product_line: str
    region: str
    keywords: str = Field(description="Space-separated")
    keyword_mode: str
    team: str | None = Field(description="Team code")
    priority: str = Field(description="Empty: priority unchanged")
    assignment: str
    sla_policy: str | None = Field(description="Code of the SLA policy the rule pins; null: none")
    version: int
    updated_at: dt.datetime


class RuleIn(InputSchema):
    name: str = Field(max_length=100)
    is_active: bool = True
    case_type: CaseTypeValue | Literal[""] = ""
    category: str | None = Code
    product_line: str = Field("", max_length=60)
    region: str = Field("", max_length=60)
    keywords: str = Field("", max_length=500)
    keyword_mode: KeywordModeValue = KeywordMode.ANY.value
    team: str | None = Field(None, max_length=40, description="Team code")
    priority: PriorityValue | Literal[""] = ""
    assignment: AssignmentValue = AssignmentMode.NONE.value
    sla_policy: str | None = Field(
        None, max_length=60, description="Code of the SLA policy routed cases keep; null: none"
    )


class RulePatch(InputSchema):
    version: Version
    name: str = omitted(max_length=100)
    is_active: bool = omitted()
    case_type: CaseTypeValue | Literal[""] = omitted()
    category: str | None = Field(None, max_length=60, description="Category code; null: any")
    product_line: str = omitted(max_length=60)
    region: str = omitted(max_length=60)
    keywords: str = omitted(max_length=500)
    keyword_mode: KeywordModeValue = omitted()
    team: str | None = Field(None, max_length=40, description="Team code; null: none")
    priority: PriorityValue | Literal[""] = omitted()
    assignment: AssignmentValue = omitted()
    sla_policy: str | None = Field(None, max_length=60, description="SLA policy code; null: none")


class MoveIn(InputSchema):
    direction: Literal["up", "down"]


class SampleIn(InputSchema):
    """A sample case: an existing case's number, or the facts typed in."""

    case_number: str | None = Field(None, pattern=CASE_NUMBER_PATTERN)
    case_type: CaseTypeValue | Literal[""] = ""
    category: str | None = Code
    product_line: str = Field("", max_length=60)
    region: str = Field("", max_length=60, description="Province, city or district")
    title: str = Field("", max_length=200)
    description: str = Field("", max_length=5000)


class TestIn(InputSchema):
    sample: SampleIn
    draft: RuleIn | None = Field(None, description="A rule being edited, tested unsaved")
    draft_id: ObjectId | None = Field(None, description="The saved rule the draft replaces")


class TraceOut(Schema):
    rule_id: int | None
    rule_name: str
    is_draft: bool
    matched: bool
    reasons: list[dict]


class TestOut(Schema):
    matched_rule_id: int | None
    matched_rule_name: str | None
    matched_draft: bool
    draft_matches: bool | None
    team: str | None
    priority: str | None
    assignment: str
    assignee: str | None = Field(description="User name of who would be assigned now")
    assignment_note: str
    sla_policy: str | None = Field(description="Code of the SLA policy the routed case gets")
    sla_policy_from_rule: bool = Field(description="Whether the matched rule pins that policy")
    trace: list[TraceOut]


def _rule_out(rule: RoutingRule) -> dict:
    return {
        "id": rule.pk,
        "name": rule.name,
        "position": rule.position,
        "is_active": rule.is_active,
        "case_type": rule.case_type,
        "category": rule.category.code if rule.category_id else None,
        "product_line": rule.product_line,
        "region": rule.region,
        "keywords": rule.keywords,
        "keyword_mode": rule.keyword_mode,
        "team": rule.team.code if rule.team_id else None,
        "priority": rule.priority,
        "assignment": rule.assignment,
        "sla_policy": rule.sla_policy.code if rule.sla_policy_id else None,
        "version": rule.version,
        "updated_at": rule.updated_at,
    }


def _unknown(field: str, message: str) -> InvalidInput:
    return InvalidInput(message, code="unknown_reference", detail={"field": field})


def _category(code: str | None) -> CaseCategory | None:
    if not code:
        return None
    cat = CaseCategory.objects.filter(code=code).first()
    if cat is None:
        raise _unknown("category", _("No such category."))
    return cat


def _team(code: str | None) -> Team | None:
    if not code:
        return None
    team = Team.objects.filter(code=code).first()
    if team is None:
        raise _unknown("team", _("No such team."))
    return team


def _sla_policy(code: str | None):
    if not code:
        return None
    from aftersales.sla.models import SlaPolicy

    policy = SlaPolicy.objects.filter(code=code).first()
    if policy is None:
        raise _unknown("sla_policy", _("No such SLA policy."))
    return policy


def _fields(data: dict) -> dict:
    out = dict(data)
    if "sla_policy" in out:
        out["sla_policy"] = _sla_policy(out["sla_policy"])
    if "category" in out:
        out["category"] = _category(out["category"])
    if "team" in out:
        out["team"] = _team(out["team"])
    return out


def _rule(rule_id: int) -> RoutingRule:
    return get_object_or_404(
        RoutingRule.objects.select_related("team", "category", "sla_policy"), pk=rule_id
    )


@router.get("/routing/rules", response={200: list[RuleOut], **ERRORS_READ}, summary="Routing rules")
def rule_list(request: HttpRequest):
    """Every rule in the order they are tried."""
    require_perm(request.auth, MANAGE)
    return [
        _rule_out(r) for r in RoutingRule.objects.select_related("team", "category", "sla_policy")
    ]


@router.post("/routing/rules", response={201: RuleOut, **ERRORS_WRITE}, summary="Add a rule")
def rule_create(request: HttpRequest, payload: RuleIn):
    """Add a rule at the end of the order."""
    require_perm(request.auth, MANAGE)
    rule = services.rule_create(actor=request.auth, **_fields(payload.dict()))
    return Status(201, _rule_out(_rule(rule.pk)))


@router.get("/routing/rules/{rule_id}", response={200: RuleOut, **ERRORS_READ}, summary="One rule")
def rule_get(request: HttpRequest, rule_id: ObjectId):
    require_perm(request.auth, MANAGE)
    return _rule_out(_rule(rule_id))


@router.patch(
    "/routing/rules/{rule_id}", response={200: RuleOut, **ERRORS_WRITE}, summary="Change a rule"
)
def rule_update(request: HttpRequest, rule_id: ObjectId, payload: RulePatch):
    """Change the fields sent; ``version`` must be the one you read (else 409)."""
    require_perm(request.auth, MANAGE)
    rule = _rule(rule_id)
    changes = _fields(set_fields(payload, exclude={"version"}))
    services.rule_update(
        actor=request.auth, rule=rule, expected_version=payload.version, changes=changes
    )
    return _rule_out(_rule(rule_id))


@router.delete(
    "/routing/rules/{rule_id}", response={204: None, **ERRORS_WRITE}, summary="Remove a rule"
)
def rule_delete(request: HttpRequest, rule_id: ObjectId, version: Version):
    require_perm(request.auth, MANAGE)
    services.rule_delete(actor=request.auth, rule=_rule(rule_id), expected_version=version)
    return Status(204, None)


@router.post(
    "/routing/rules/{rule_id}/move",
    response={200: list[RuleOut], **ERRORS_WRITE},
    summary="Move a rule up or down",
)
def rule_move(request: HttpRequest, rule_id: ObjectId, payload: MoveIn):
    """Returns every rule in the new order."""
    require_perm(request.auth, MANAGE)
    services.rule_move(actor=request.auth, rule=_rule(rule_id), direction=payload.direction)
    return [
        _rule_out(r) for r in RoutingRule.objects.select_related("team", "category", "sla_policy")
    ]


def sample_from(user, data: dict):
    """A sample case from an existing case number (visible to ``user``) or the facts sent."""
    return selectors.sample_build(
        user=user,
        case_number=data.get("case_number") or "",
        case_type=data.get("case_type") or "",
        category=_category(data.get("category")),
        product_line=data.get("product_line") or "",
        region=data.get("region") or "",
        title=data.get("title") or "",
        description=data.get("description") or "",
    )


def draft_rule(data: dict | None, draft_id: int | None) -> RoutingRule | None:
    """An unsaved rule from the editor's fields (validated like a save), or ``None``."""
    if data is None:
        return None
    fields = services.validate_rule(_fields(data))
    base = _rule(draft_id) if draft_id else None
    rule = RoutingRule(**fields)
    if base is not None:
        rule.pk, rule.position = base.pk, base.position
    return rule


@router.post(
    "/routing/test",
    response={200: TestOut, **ERRORS_WRITE},
    summary="Test the rules against a sample case",
)
def route_test(request: HttpRequest, payload: TestIn):
    """Which rule a sample case matches, the team, priority and who would be assigned now —
    optionally with an unsaved draft rule in place. Nothing is changed."""
    require_perm(request.auth, MANAGE)
    sample = sample_from(request.auth, payload.sample.dict())
    draft = draft_rule(payload.draft.dict() if payload.draft else None, payload.draft_id)
    result = services.route_test(sample=sample, draft=draft)
    d = result.decision
    return {
        "matched_rule_id": d.rule.pk if d.rule else None,
        "matched_rule_name": d.rule.name if d.rule else None,
        "matched_draft": d.rule is not None and d.rule is draft,
        "draft_matches": result.draft_matches,
        "team": d.team.code if d.team else None,
        "priority": d.priority,
        "assignment": d.rule.assignment if d.rule else AssignmentMode.NONE,
        "assignee": d.assignee.username if d.assignee else None,
        "assignment_note": d.pick.reason if d.pick else "",
        "sla_policy": result.sla_policy.code if result.sla_policy else None,
        "sla_policy_from_rule": result.sla_policy_from_rule,
        "trace": [
            {
                "rule_id": t["rule"].pk,
                "rule_name": t["rule"].name,
                "is_draft": t["is_draft"],
                "matched": t["matched"],
                "reasons": t["reasons"],
            }
            for t in result.trace
        ],
    }
