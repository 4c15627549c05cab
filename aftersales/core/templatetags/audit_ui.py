from django import template

from aftersales.core.audit_labels import action_label, changes, object_label

register = template.Library()


@register.filter
def audit_action(code: str) -> str:
    """The readable name of an audit action code."""
    return action_label(code)


@register.filter
def audit_object(object_type: str) -> str:
    """The readable name of an audited object's type."""
    return object_label(object_type)


@register.filter
def audit_changes(entry) -> list:
    """The changed fields of an audit record: label, value before, value after."""
    return changes(entry.object_type, entry.before, entry.after)
