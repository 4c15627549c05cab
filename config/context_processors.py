"""Values every page needs: the navigation the user's roles allow (project glue: it asks
several apps, so it sits above them all).

The menu is a handful of groups (cases, field service, parts, reports, settings), each a
dropdown of the pages the user may open; a group with one page is a plain link. The page being
shown is marked: its entry carries ``aria-current="page"`` and its group is highlighted, and a
page below an entry (a case below the queue) highlights that entry's group."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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


@dataclass
class NavItem:
    label: str | Promise
    url: str
    key: str  # data-testid="nav-<key>" in the menu
    badge: str | Promise = ""  # a warning next to the entry (the calendar's missing year)
    active: bool = False  # the page shown is this entry or below it
    current: bool = False  # the page shown is exactly this entry


@dataclass
class NavGroup:
    key: str
    label: str | Promise
    icon: str
    items: list[NavItem] = field(default_factory=list)

    @property
    def active(self) -> bool:
        return any(item.active for item in self.items)

    @property
    def badge(self) -> str | Promise:
        return next((item.badge for item in self.items if item.badge), "")

    @property
    def single(self) -> NavItem | None:
        """A group of one page is shown as a link to that page."""
        return self.items[0] if len(self.items) == 1 else None


def _url(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:  # an app left out of this installation (no demo, no admin)
        return ""


def _menu(flags: dict, user) -> list[NavGroup]:
    """The groups of the staff menu, each with the entries ``flags`` allow, in menu order."""
    has = user.has_perm
    cases = NavGroup("cases", _("Cases"), "bi-headset")
    if flags["nav_can_cases"] and not flags["nav_is_technician"]:
        cases.items.append(NavItem(_("Case queue"), _url("cases:queue"), "queue"))
    if flags["nav_can_intake"]:
        cases.items.append(NavItem(_("Hotline intake"), _url("cases:intake"), "intake"))
    if flags["nav_can_customers"]:
        cases.items.append(NavItem(_("Customers"), _url("customers:customer_list"), "customers"))
    if flags["nav_is_technician"] and flags["nav_can_cases"]:
        cases.items.append(NavItem(_("My cases"), _url("cases:queue"), "queue"))

    field_service = NavGroup("field", _("Field service"), "bi-truck")
    if flags["nav_is_technician"]:
        field_service.items.append(NavItem(_("My jobs"), _url("workorders:my_jobs"), "my-jobs"))
    elif flags["nav_can_workorders"]:
        field_service.items.append(
            NavItem(_("Work orders"), _url("workorders:order_list"), "workorders")
        )
    if flags["nav_can_dispatch"]:
        field_service.items.append(NavItem(_("Dispatch board"), _url("workorders:board"), "board"))
    if flags["nav_can_followups"]:
        field_service.items.append(
            NavItem(_("Follow-ups"), _url("workorders:followup_list"), "followups")
        )
    if flags["nav_can_dispatch"]:
        field_service.items.append(NavItem(_("Coverage"), _url("workorders:coverage"), "coverage"))
    if has("workorders.manage_skills"):
        field_service.items.append(
            NavItem(_("Skills and certificates"), _url("workorders:skills"), "skills")
        )

    parts = NavGroup("parts", pgettext_lazy("menu", "Parts"), "bi-box-seam")
    if flags["nav_can_parts"]:
        parts.items.append(NavItem(_("Spare parts"), _url("parts:part_list"), "parts"))
        if flags["nav_is_technician"] and not has("parts.view_location"):
            parts.items.append(NavItem(_("My van"), _url("parts:my_van"), "van"))
    if flags["nav_can_purchasing"]:
        parts.items.append(
            NavItem(_("Purchase orders"), _url("purchasing:order_list"), "purchasing")
        )
        parts.items.append(NavItem(_("Suppliers"), _url("purchasing:supplier_list"), "suppliers"))

    reports = NavGroup("reports", _("Reports"), "bi-graph-up")
    if flags["nav_can_sla_report"]:
        reports.items.append(NavItem(_("SLA compliance"), _url("routing:sla_report"), "sla-report"))
    if has("purchasing.view_figures"):
        reports.items.append(NavItem(_("Stock figures"), _url("purchasing:figures"), "figures"))
    if flags["nav_can_audit"]:
        reports.items.append(NavItem(_("Audit log"), _url("core:audit_log"), "audit"))
    if has("customers.view_personaldataaccess"):
        reports.items.append(
            NavItem(_("Personal data access log"), _url("customers:access_log"), "access-log")
        )

    settings = NavGroup("settings", _("Settings"), "bi-gear")
    if has("accounts.manage_organisation"):
        settings.items.append(NavItem(_("All settings"), _url("core:settings"), "settings"))
    if flags["nav_can_routing"]:
        settings.items.append(NavItem(_("Routing rules"), _url("routing:rule_list"), "routing"))
    if flags["nav_can_sla_policies"]:
        settings.items.append(NavItem(_("SLA policies"), _url("sla:policy_list"), "sla"))
    if flags["nav_can_calendars"]:
        badge = "!" if flags["nav_calendar_missing_year"] else ""
        settings.items.append(
            NavItem(_("Calendars"), _url("calendars:calendar_list"), "calendars", badge)
        )
    if flags["nav_can_absences"]:
        settings.items.append(NavItem(_("Absences"), _url("calendars:absence_list"), "absences"))
    if flags["nav_is_admin"] and _url("admin:index"):
        settings.items.append(NavItem(_("Administration"), _url("admin:index"), "admin"))

    order = [cases, field_service, parts, reports, settings]
    if flags["nav_is_technician"]:  # the technician's work is their jobs: first in the bar
        order = [field_service, cases, parts, reports, settings]
    groups = [g for g in order if g.items]
    for group in groups:
        group.items = [item for item in group.items if item.url]
    return [g for g in groups if g.items]


def _mark_current(groups: list[NavGroup], path: str) -> None:
    """The entry whose address is the page's, or the longest one the page's address starts
    with (a case page below the queue), is the active one."""
    best: NavItem | None = None
    for group in groups:
        for item in group.items:
            if path.startswith(item.url) and (best is None or len(item.url) > len(best.url)):
                best = item
    if best is not None:
        for group in groups:  # the same address may be in two groups: mark it once
            for item in group.items:
                if item is best:
                    item.active = True
                    item.current = item.url == path
                    return


def _navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_staff": False, "nav_customer": False, "nav_groups": []}
    staff = getattr(user, "is_staff_member", False)
    flags = _flags(user, staff)
    groups = _menu(flags, user) if staff else []
    _mark_current(groups, request.path)
    return {**flags, "nav_groups": groups}


def _flags(user, staff: bool) -> dict:
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
