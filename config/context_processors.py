"""Values every page needs: the navigation the user's roles allow (project glue: it asks
several apps, so it sits above them all)."""

from __future__ import annotations

from django.http import HttpRequest

from aftersales.calendars.selectors import missing_year_for as calendar_missing_year
from aftersales.search.selectors import searchable_kinds


def navigation(request: HttpRequest) -> dict:
    """The navigation flags, worked out once per request: a page that renders partials with
    the request (htmx fragments, inclusion templates) runs every context processor again."""
    user = getattr(request, "user", None)
    key = getattr(user, "pk", None)  # a sign-in or sign-out within the request starts afresh
    cached = getattr(request, "_nav_context", None)
    if cached is not None and cached[0] == key:
        return cached[1]
    context = _navigation(request)
    request._nav_context = (key, context)  # type: ignore[attr-defined]
    return context


def _navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_staff": False, "nav_customer": False}
    staff = getattr(user, "is_staff_member", False)
    return {
        "nav_staff": staff,
        "nav_customer": not staff and hasattr(user, "customer"),
        "nav_can_cases": user.has_perm("cases.view_case"),
        "nav_can_customers": user.has_perm("customers.view_customer"),
        "nav_can_intake": user.has_perm("cases.add_case"),
        "nav_can_audit": user.has_perm("core.browse_auditlog"),
        "nav_can_routing": user.has_perm("routing.manage_routingrule"),
        "nav_can_sla_report": user.has_perm("routing.view_sla_report"),
        "nav_can_sla_policies": user.has_perm("sla.manage_slapolicy"),
        "nav_can_calendars": user.has_perm("calendars.view_workingcalendar"),
        "nav_calendar_missing_year": calendar_missing_year(user),
        "nav_can_absences": user.has_perm("calendars.view_staffabsence"),
        "nav_is_admin": user.is_staff,
        "nav_can_workorders": user.has_perm("workorders.view_workorder"),
        "nav_can_dispatch": user.has_perm("workorders.dispatch_workorder"),
        "nav_can_followups": user.has_perm("workorders.followup_workorder"),
        "nav_is_technician": user.has_perm("workorders.work_workorder")
        and not user.has_perm("workorders.dispatch_workorder"),
        "nav_can_search": bool(staff and searchable_kinds(user)),
        "nav_can_parts": user.has_perm("parts.view_part"),
        "nav_can_purchasing": user.has_perm("purchasing.view_purchaseorder"),
    }
