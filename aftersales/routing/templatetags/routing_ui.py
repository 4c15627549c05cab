"""Labels for routing decisions on the timeline and in the rule editor."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

from aftersales.cases.choices import CaseType, Priority

from ..models import AssignmentMode

register = template.Library()

CONDITIONS = {
    "case_type": _("type"),
    "category": _("category"),
    "product_line": _("product line"),
    "region": _("region"),
    "keywords": _("keywords"),
}
PICKS = {
    "round_robin": _("next in turn (round-robin)"),
    "least_loaded": _("fewest open cases"),
    "nobody_available": _("nobody available: left in the team's queue"),
    "queue": _("team queue"),
}
UNAVAILABLE = {"absent": _("absent"), "off_hours": _("outside working hours")}


@register.filter
def condition_label(code: str) -> str:
    return str(CONDITIONS.get(code, code))


@register.filter
def condition_value(reason: dict) -> str:
    """The matched value in words: a type's label, a category's name, else the text."""
    code, value = reason.get("condition"), reason.get("value", "")
    if code == "case_type" and value in CaseType.values:
        return str(CaseType(value).label)
    if code == "category":
        from aftersales.cases.models import CaseCategory

        cat = CaseCategory.objects.filter(pk=value).first() if str(value).isdigit() else None
        return str(cat) if cat else value
    return value


@register.filter
def priority_label(code: str) -> str:
    return str(Priority(code).label) if code in Priority.values else ""


@register.filter
def pick_label(code: str) -> str:
    return str(PICKS.get(code, ""))


@register.filter
def assignment_label(code: str) -> str:
    return str(AssignmentMode(code).label) if code in AssignmentMode.values else ""


@register.filter
def unavailable_label(code: str) -> str:
    return str(UNAVAILABLE.get(code, code))
