"""The pages a person lands on: ``/`` sends each one to where their work is, and the
administrator's home lists the settings they keep."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_safe

from .access import staff_required


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Send each person to where their work is (the user's ``home_url_name``, by role)."""
    user = request.user
    name = getattr(user, "home_url_name", None)
    if name:
        return redirect(name)
    if getattr(user, "is_staff_member", False):
        # A role an administrator made without screens: say so, don't 403.
        return render(request, "core/home.html")
    return redirect("portal:case_list")


# (section, [(label, URL name, permission that opens it, what it is for)])
SETTINGS = [
    (
        _("People and organisation"),
        [
            (
                _("Users"),
                "admin:accounts_user_changelist",
                "accounts.view_user",
                _("Sign-ins, roles and teams of staff and customers"),
            ),
            (
                _("Departments"),
                "admin:accounts_department_changelist",
                "accounts.view_department",
                _("Units of the company that answer for work"),
            ),
            (
                _("Teams"),
                "admin:accounts_team_changelist",
                "accounts.view_team",
                _("Who works each queue"),
            ),
            (
                _("Service centers"),
                "admin:accounts_servicecenter_changelist",
                "accounts.view_servicecenter",
                _("Places, opening hours and coverage radius"),
            ),
            (
                _("Skills and certificates"),
                "workorders:skills",
                "workorders.manage_skills",
                _("Technicians' skills, certificates and training"),
            ),
            (
                _("Absences"),
                "calendars:absence_list",
                "calendars.view_staffabsence",
                _("Leave and training days of staff"),
            ),
            (
                _("API keys"),
                "admin:accounts_apikey_changelist",
                "accounts.view_apikey",
                _("Keys of integrations, each bound to one role"),
            ),
        ],
    ),
    (
        _("Service rules"),
        [
            (
                _("Routing rules"),
                "routing:rule_list",
                "routing.manage_routingrule",
                _("Which team and priority a new case gets"),
            ),
            (
                _("SLA policies"),
                "sla:policy_list",
                "sla.manage_slapolicy",
                _("Response and resolution targets and escalations"),
            ),
            (
                _("Calendars"),
                "calendars:calendar_list",
                "calendars.view_workingcalendar",
                _("Working hours, public holidays and make-up working days"),
            ),
            (
                _("Case categories"),
                "admin:cases_casecategory_changelist",
                "cases.view_casecategory",
                _("The categories cases are filed under"),
            ),
            (
                _("Product models"),
                "admin:customers_productmodel_changelist",
                "customers.view_productmodel",
                _("Models, product lines and warranty terms"),
            ),
            (
                _("Search dictionary words"),
                "admin:search_searchword_changelist",
                "search.view_searchword",
                _("Product and part names the search keeps whole"),
            ),
        ],
    ),
]


def _url(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:  # the administration site is not installed
        return ""


@staff_required("accounts.manage_organisation")
@require_GET
def settings_home(request: HttpRequest) -> HttpResponse:
    """The administrator's home: people, organisation and the service rules, each a link to
    the screen that keeps it (only those the user may open)."""
    user = request.user
    sections = []
    for title, entries in SETTINGS:
        links = [
            {"label": label, "url": url, "help": help_text}
            for label, name, perm, help_text in entries
            if user.has_perm(perm) and (url := _url(name))
        ]
        if links:
            sections.append({"title": title, "links": links})
    admin_url = _url("admin:index") if user.is_staff else ""
    return render(request, "core/settings.html", {"sections": sections, "admin_url": admin_url})
