"""Where each role's work is: the page a person lands on after signing in and at ``/``.

One row per role, in order of precedence: a person holding several roles lands where the first
of them works. A staff member whose roles are none of these (a group an administrator made
without screens) gets the welcome page; a customer the portal.
"""

from __future__ import annotations

from .roles import Role

# (role, URL name of the landing page)
ROLE_HOME: list[tuple[Role, str]] = [
    (Role.ADMINISTRATOR, "core:settings"),  # people, organisation and service rules
    (Role.SUPERVISOR, "cases:queue"),  # every case; the SLA report is in the menu
    (Role.DISPATCHER, "workorders:board"),
    (Role.COMPLAINT_OFFICER, "cases:queue"),
    (Role.AGENT, "cases:queue"),  # the team's queue; hotline intake one click away
    (Role.TECHNICIAN, "workorders:my_jobs"),
    (Role.PARTS_KEEPER, "parts:part_list"),
    (Role.AUDITOR, "cases:queue"),
    (Role.CUSTOMER, "portal:case_list"),
]


def home_url_name(user) -> str | None:
    """The URL name of ``user``'s landing page, or None when no role has one."""
    roles = user.role_names
    if user.is_staff_member:
        for role, name in ROLE_HOME:
            if role != Role.CUSTOMER and role.value in roles:
                return name
        return "core:settings" if user.is_superuser else None
    return "portal:case_list"
