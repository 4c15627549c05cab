"""The agent (staff) screens for cases: queue, case page and its actions, hotline intake.

Views are thin (HackSoft): a form checks the shape, the service does the work, a
:class:`~aftersales.core.errors.DomainError` becomes a form error or an alert in the user's
language. Every page works without JavaScript (POST, redirect, GET); with htmx the same URLs
answer with the partial that changed, and with 409/422 when the action was refused.
"""

from .case_page import (
    attachment_download,
    attachment_upload,
    case_assign,
    case_detail,
    case_edit,
    case_note,
    case_reply,
    case_transition,
)
from .intake import intake, intake_lookup, intake_related
from .queue import queue
from .rating import case_rating

__all__ = [
    "attachment_download",
    "attachment_upload",
    "case_assign",
    "case_detail",
    "case_edit",
    "case_note",
    "case_rating",
    "case_reply",
    "case_transition",
    "intake",
    "intake_lookup",
    "intake_related",
    "queue",
]
