"""API: who am I, and the teams work is routed to."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from aftersales.core.api import ERRORS_READ, require

from .models import Team, User

router = Router(tags=["accounts"])


class TeamRefOut(Schema):
    code: str
    name: str


class PermissionsOut(Schema):
    """What the caller may do, for screens that hide what they cannot use."""

    view_cases: bool
    view_all_cases: bool
    create_case: bool
    update_case: bool
    reply_case: bool
    note_case: bool
    transition_case: bool
    assign_case: bool
    handle_complaints: bool
    view_customers: bool
    manage_customers: bool
    reveal_personal_data: bool
    sees_full_personal_data: bool
    manage_assets: bool
    browse_audit_log: bool


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    email: str
    preferred_language: str
    roles: list[str]
    is_staff_member: bool
    is_customer: bool
    is_integration: bool
    customer_id: int | None
    teams: list[TeamRefOut]
    permissions: PermissionsOut


class MemberOut(Schema):
    username: str
    display_name: str


class TeamOut(Schema):
    id: int
    code: str
    name: str
    department: str
    members: list[MemberOut]


def _permissions(user: User) -> dict[str, bool]:
    from aftersales.cases import permissions as case_perms
    from aftersales.customers.selectors import sees_full_personal_data

    return {
        "view_cases": user.has_perm("cases.view_case") or user.is_customer,
        "view_all_cases": user.has_perm("cases.view_all_cases"),
        "create_case": case_perms.can_create(user),
        "update_case": case_perms.can_update(user),
        "reply_case": user.has_perm("cases.reply_case") or user.is_customer,
        "note_case": case_perms.can_note(user),
        "transition_case": user.has_perm("cases.transition_case") or user.is_customer,
        "assign_case": case_perms.can_assign(user),
        "handle_complaints": user.has_perm("cases.handle_complaints"),
        "view_customers": user.has_perm("customers.view_customer"),
        "manage_customers": user.has_perm("customers.change_customer"),
        "reveal_personal_data": user.has_perm("customers.reveal_personal_data"),
        "sees_full_personal_data": sees_full_personal_data(user),
        "manage_assets": user.has_perm("customers.change_asset"),
        "browse_audit_log": user.has_perm("core.browse_auditlog"),
    }


@router.get("/me", response={200: MeOut, **ERRORS_READ}, summary="The signed-in user")
def me(request: HttpRequest):
    """The caller, their roles, teams and a summary of what they may do."""
    user: User = request.auth
    customer = getattr(user, "customer", None) if not user.is_staff_member else None
    return {
        "id": user.pk,
        "username": user.username,
        "display_name": str(user),
        "email": user.email,
        "preferred_language": user.preferred_language,
        "roles": sorted(user.role_names),
        "is_staff_member": user.is_staff_member,
        "is_customer": user.is_customer,
        "is_integration": user.is_integration,
        "customer_id": customer.pk if customer is not None else None,
        "teams": [{"code": t.code, "name": t.name} for t in user.teams.order_by("name")],
        "permissions": _permissions(user),
    }


@router.get("/teams", response={200: list[TeamOut], **ERRORS_READ}, summary="Teams")
def team_list(request: HttpRequest):
    """Every team with its members, for routing and assignment (staff only)."""
    user: User = request.auth
    require(user.is_staff_member, _("Only staff can see the teams."))
    teams = Team.objects.select_related("department").prefetch_related(
        Prefetch("members", queryset=User.objects.filter(is_active=True).order_by("username"))
    )
    return [
        {
            "id": t.pk,
            "code": t.code,
            "name": t.name,
            "department": t.department.code,
            "members": [{"username": m.username, "display_name": str(m)} for m in t.members.all()],
        }
        for t in teams.order_by("name")
    ]
