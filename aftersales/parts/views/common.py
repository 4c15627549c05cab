"""Shared helpers of the parts screens."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest

from aftersales.core.errors import DomainError

VIEW = ("parts.view_part",)
MOVE = ("parts.view_part", "parts.move_stock")


def is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def add_domain_error(form: forms.Form, exc: DomainError) -> None:
    """A service's refusal as a form error, on the field it names when it names one."""
    field = None
    if isinstance(exc.detail, dict):
        field = exc.detail.get("field")
    if field in form.fields:
        form.add_error(field, str(exc.message))
    else:
        form.add_error(None, str(exc.message))
