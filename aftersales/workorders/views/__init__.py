"""HTML screens of the work-order app."""

from .files import photo, report, report_pdf, signature
from .followups import followup_list, followup_record, survey
from .network import coverage_page, skills
from .orders import (
    board,
    case_panel,
    order_assign,
    order_cancel,
    order_detail,
    order_list,
    order_new,
    order_review,
    suggestions,
)
from .phone import my_job, my_jobs

__all__ = [
    "board",
    "case_panel",
    "coverage_page",
    "followup_list",
    "followup_record",
    "my_job",
    "my_jobs",
    "order_assign",
    "order_cancel",
    "order_detail",
    "order_list",
    "order_new",
    "order_review",
    "photo",
    "report",
    "report_pdf",
    "signature",
    "skills",
    "suggestions",
    "survey",
]
