"""The roles of requirements.md, as Django groups, and the permissions each one holds.

The table is data, applied by :func:`aftersales.accounts.services.roles_sync` (run by
``migrate`` through a post-migrate hook and by the demo loader), so that a role's powers are
read in one place and an administrator can still extend a group.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from aftersales.core.audit_labels import register_value_labels


class Role(models.TextChoices):
    CUSTOMER = "customer", _("Customer")
    AGENT = "agent", _("Service agent")
    DISPATCHER = "dispatcher", _("Dispatcher")
    TECHNICIAN = "technician", _("Technician")
    COMPLAINT_OFFICER = "complaint_officer", _("Complaint officer")
    PARTS_KEEPER = "parts_keeper", _("Parts keeper")
    SUPERVISOR = "supervisor", _("Service supervisor")
    AUDITOR = "auditor", _("Quality auditor")
    ADMINISTRATOR = "administrator", _("Administrator")


STAFF_ROLES = [r for r in Role if r != Role.CUSTOMER]

_CASE_WORK = [
    "cases.view_case",
    "cases.view_team_cases",
    # the customer's whole history at the desk (docs/adr/0006-customer-history-at-the-desk.md)
    "cases.view_customer_history",
    "cases.add_case",
    "cases.change_case",
    "cases.reply_case",
    "cases.note_case",
    "cases.transition_case",
    "cases.assign_case",
    "customers.view_customer",
    "customers.add_customer",
    "customers.change_customer",
    "customers.reveal_personal_data",
    "customers.view_asset",
    "customers.add_asset",
    "customers.change_asset",
    "customers.view_productmodel",
    "sla.view_slapolicy",
]

# Work orders (issue 5): dispatchers and supervisors (workshop managers) dispatch and review;
# agents open orders from their cases and make follow-up calls; technicians work their own.
_WORKORDER_MANAGE = [
    "workorders.view_workorder",
    "workorders.add_workorder",
    "workorders.change_workorder",
    "workorders.view_all_workorders",
    "workorders.dispatch_workorder",
    "workorders.review_workorder",
    "workorders.followup_workorder",
    "workorders.manage_skills",
]
_WORKORDER_AGENT = [
    "workorders.view_workorder",
    "workorders.add_workorder",
    "workorders.followup_workorder",
]

# Purchasing (issue 6): the parts keeper buys and inspects; the supervisor approves price
# changes and starts recalls; the auditor reads.
_PURCHASING_VIEW = [
    "purchasing.view_supplier",
    "purchasing.view_purchaseorder",
    "purchasing.view_figures",
]
_PURCHASING_BUY = [
    *_PURCHASING_VIEW,
    "purchasing.add_supplier",
    "purchasing.change_supplier",
    "purchasing.add_purchaseorder",
    "purchasing.change_purchaseorder",
    "purchasing.add_pricechange",
    "purchasing.recall_batch",
]

# Staff absences (leave, training): recorded by those who plan people's time.
_ABSENCES = [
    "calendars.view_staffabsence",
    "calendars.add_staffabsence",
    "calendars.delete_staffabsence",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.CUSTOMER: [],  # customers act on their own records only; rules live in selectors
    Role.AGENT: [*_CASE_WORK, *_WORKORDER_AGENT],
    Role.COMPLAINT_OFFICER: [*_CASE_WORK, "cases.handle_complaints"],
    Role.DISPATCHER: [
        *_CASE_WORK,
        "cases.view_all_cases",
        "parts.view_part",
        *_WORKORDER_MANAGE,
        *_ABSENCES,
    ],
    # Technicians see their own jobs and the customers and products on them (selectors), not
    # the team's queue nor the customer base.
    Role.TECHNICIAN: [
        "workorders.view_workorder",
        "workorders.work_workorder",
        "parts.view_part",  # the catalog read-only; stock of their own van
        "cases.view_case",
        "cases.reply_case",
        "cases.note_case",
        "cases.transition_case",
        "customers.view_productmodel",
    ],
    Role.PARTS_KEEPER: [
        "customers.view_productmodel",
        # the parts catalog and stock ledger
        "parts.view_part",
        "parts.add_part",
        "parts.change_part",
        "parts.import_part",
        "parts.move_stock",
        "parts.view_location",
        "parts.add_location",
        "parts.change_location",
        "parts.view_movement",
        "parts.view_reservation",
        *_PURCHASING_BUY,
    ],
    Role.SUPERVISOR: [
        *_CASE_WORK,
        "sla.manage_slapolicy",
        "routing.manage_routingrule",
        "routing.view_sla_report",
        *_PURCHASING_VIEW,
        "purchasing.approve_pricechange",
        "purchasing.recall_batch",
        *_WORKORDER_MANAGE,
        "parts.view_part",
        "parts.view_location",
        "parts.view_movement",
        "parts.view_reservation",
        "cases.view_all_cases",
        "cases.handle_complaints",
        "core.browse_auditlog",
        "customers.view_full_personal_data",
        "calendars.view_workingcalendar",  # working calendars: read and try, not edit
        *_ABSENCES,
    ],
    Role.AUDITOR: [
        "sla.view_slapolicy",
        "routing.view_sla_report",
        *_PURCHASING_VIEW,
        "workorders.view_workorder",
        "workorders.view_all_workorders",
        "parts.view_part",
        "parts.view_location",
        "parts.view_movement",
        "cases.view_case",
        "cases.view_all_cases",
        "customers.view_customer",
        "customers.view_asset",
        "customers.view_productmodel",
        "core.browse_auditlog",
    ],
    Role.ADMINISTRATOR: [
        *_CASE_WORK,
        "sla.manage_slapolicy",
        "routing.manage_routingrule",
        "routing.view_sla_report",
        *_PURCHASING_VIEW,
        *_WORKORDER_MANAGE,
        "parts.view_part",
        "parts.view_location",
        "parts.add_location",
        "parts.change_location",
        "parts.view_movement",
        "cases.view_all_cases",
        "cases.handle_complaints",
        "core.browse_auditlog",
        "customers.view_full_personal_data",
        "customers.view_personaldataaccess",  # the personal data access log (PIPL)
        "customers.add_productmodel",
        "customers.change_productmodel",
        "accounts.manage_organisation",
        "accounts.manage_apikeys",
        # the administration screens (Django admin) for organisation and reference data
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "accounts.view_department",
        "accounts.add_department",
        "accounts.change_department",
        "accounts.view_team",
        "accounts.add_team",
        "accounts.change_team",
        "accounts.view_servicecenter",
        "accounts.add_servicecenter",
        "accounts.change_servicecenter",
        "accounts.view_apikey",
        "auth.view_group",
        "cases.view_casecategory",
        "cases.add_casecategory",
        "cases.change_casecategory",
        "notifications.view_notification",
        "core.view_auditlog",
        "search.view_searchword",
        "search.add_searchword",
        "search.change_searchword",
        "calendars.view_workingcalendar",
        "calendars.manage_calendar",
        *_ABSENCES,
    ],
}


# The audit log shows a stored role by its name.
register_value_labels("role", Role.choices)
register_value_labels("roles", Role.choices)
