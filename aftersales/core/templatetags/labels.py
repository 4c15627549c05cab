"""Stored values shown by their labels in any template: ``{{ tier|label:"tier" }}`` (and
``{{ policy.case_types|labels:"case_type" }}`` for a list) reads the
value the way the audit log does (a model field's choice label, a label an app registered for
the key, yes/no, local time), so no code reaches a page."""

from __future__ import annotations

from typing import Any

from django import template

from aftersales.core.audit_labels import value_text

register = template.Library()


@register.filter
def label(value: Any, key: str) -> str:
    """The label of ``value`` stored under ``key`` (a field name such as ``tier``)."""
    return value_text("", key, value)


@register.filter
def labels(values: Any, key: str) -> str:
    """Several stored values (a list) by their labels, separated by commas."""
    if not values:
        return ""
    if not isinstance(values, list | tuple):
        values = [values]
    return ", ".join(value_text("", key, v) for v in values)
