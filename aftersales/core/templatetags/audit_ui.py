from django import template

from aftersales.core.audit_labels import action_label

register = template.Library()


@register.filter
def audit_action(code: str) -> str:
    """The readable name of an audit action code."""
    return action_label(code)
