"""Small display helpers for the case screens: badges, labels, warranty state."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from aftersales.cases.choices import CaseType, Channel, EventKind, Priority, Status
from aftersales.cases.models import Case

register = template.Library()

STATUS_CLASSES = {
    Status.NEW: "text-bg-primary",
    Status.ACCEPTED: "text-bg-info",
    Status.VERIFYING: "text-bg-info",
    Status.IN_PROGRESS: "text-bg-warning",
    Status.WAITING_CUSTOMER: "text-bg-secondary",
    Status.WAITING_THIRD_PARTY: "text-bg-secondary",
    Status.APPROVED: "text-bg-success",
    Status.HELD: "text-bg-secondary",
    Status.ADOPTED: "text-bg-success",
    Status.REJECTED: "text-bg-danger",
    Status.RESOLVED: "text-bg-success",
    Status.CLOSED: "text-bg-dark",
    Status.CANCELLED: "text-bg-light border",
}
PRIORITY_CLASSES = {
    Priority.LOW: "text-bg-light border",
    Priority.NORMAL: "text-bg-secondary",
    Priority.HIGH: "text-bg-warning",
    Priority.URGENT: "text-bg-danger",
}
# What the button for a step says; reopening steps say so.
STEP_LABELS = {
    Status.ACCEPTED: _("Accept"),
    Status.VERIFYING: _("Verify"),
    Status.IN_PROGRESS: _("Start work"),
    Status.WAITING_CUSTOMER: _("Wait for customer"),
    Status.WAITING_THIRD_PARTY: _("Wait for third party"),
    Status.APPROVED: _("Approve"),
    Status.HELD: _("Put on hold"),
    Status.ADOPTED: _("Adopt"),
    Status.REJECTED: _("Reject"),
    Status.RESOLVED: _("Mark resolved"),
    Status.CLOSED: _("Close"),
    Status.CANCELLED: _("Cancel case"),
}
REOPEN_FROM = {Status.RESOLVED, Status.CLOSED, Status.REJECTED}


def _label(choices: Any, value: Any) -> Any:
    try:
        return choices(value).label
    except ValueError:
        return value


@register.filter
def status_label(value: str) -> Any:
    return _label(Status, value)


@register.filter
def status_class(value: str) -> str:
    return STATUS_CLASSES.get(value, "text-bg-secondary")


@register.filter
def priority_class(value: str) -> str:
    return PRIORITY_CLASSES.get(value, "text-bg-secondary")


@register.filter
def priority_label(value: str) -> Any:
    return _label(Priority, value)


@register.filter
def type_label(value: str) -> Any:
    """``case.get_case_type_display`` without its cost: Django's ``get_FOO_display`` builds
    a dict of every choice on each call, which a list of 50 rows pays hundreds of times."""
    return _label(CaseType, value)


@register.filter
def channel_label(value: str) -> Any:
    return _label(Channel, value)


@register.filter
def event_label(value: str) -> Any:
    return _label(EventKind, value)


@register.simple_tag
def step_label(current: str, to: str) -> Any:
    if current in REOPEN_FROM and to not in (Status.CLOSED, Status.CANCELLED):
        return _("Reopen")
    return STEP_LABELS.get(to, _label(Status, to))


@register.filter
def warranty_state(asset: Any) -> str:
    """``in``, ``expired`` or ``unknown`` (no purchase date, so no warranty end)."""
    end = getattr(asset, "warranty_end", None)
    if end is None:
        return "unknown"
    return "in" if timezone.localdate() <= end else "expired"


@register.filter
def get_item(mapping: dict, key: Any) -> Any:
    if not mapping:
        return None
    return mapping.get(key)


@register.filter
def changed_fields(data: dict) -> list[str]:
    """The human names of the case fields an ``updated`` event changed."""
    names = []
    for field in (data or {}).get("after", {}):
        try:
            names.append(str(Case._meta.get_field(field).verbose_name))
        except Exception:
            names.append(field)
    return names


@register.filter
def as_date(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


_WIDGETS = "django/forms/widgets/"
_INPUTS = {
    f"{_WIDGETS}{name}.html"
    for name in (
        "input",
        "checkbox",
        "color",
        "date",
        "datetime",
        "email",
        "file",
        "hidden",
        "number",
        "password",
        "search",
        "tel",
        "text",
        "time",
        "url",
    )
}  # the widget templates that are Django's input.html


def _text(value: Any) -> str:
    """``{{ value }}`` in a template: localized, then escaped unless already safe."""
    return conditional_escape(localize(value))


def _attrs(attrs: dict) -> str:
    """Django's ``django/forms/widgets/attrs.html``."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {_text(name)}")
        else:
            parts.append(f' {_text(name)}="{conditional_escape(str(value))}"')
    return "".join(parts)


class _PythonWidgets:
    """A form renderer that writes the plain widgets (inputs, text areas, selects) in Python.

    Byte for byte what Django's own widget templates give (a test compares every field of the
    case page's forms), without a template render per ``<option>``: the case page's edit and
    assignment forms spent about a third of the page's CPU there. Any other template goes to
    the form's own renderer. (Django's option template ends in a newline, hence the blank
    line after each option.)
    """

    def __init__(self, fallback: Any) -> None:
        self.fallback = fallback

    def render(self, template_name: str, context: dict, request: Any = None) -> str:
        widget = context["widget"]
        if template_name in _INPUTS:
            value = widget["value"]
            shown = f' value="{conditional_escape(str(value))}"' if value is not None else ""
            return (
                f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"'
                f"{shown}{_attrs(widget['attrs'])}>"
            )
        if template_name == f"{_WIDGETS}textarea.html":
            value = widget["value"]
            return (
                f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n'
                f"{_text(value) if value else ''}</textarea>"
            )
        if template_name == f"{_WIDGETS}select.html" and all(
            option["template_name"] == f"{_WIDGETS}select_option.html"
            for _group, options, _index in widget["optgroups"]
            for option in options
        ):
            out = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
            for group_name, options, _index in widget["optgroups"]:
                if group_name:
                    out.append(f'\n  <optgroup label="{_text(group_name)}">')
                for option in options:
                    out.append(
                        f'\n  <option value="{conditional_escape(str(option["value"]))}"'
                        f"{_attrs(option['attrs'])}>{_text(option['label'])}</option>\n"
                    )
                if group_name:
                    out.append("\n  </optgroup>")
            out.append("\n</select>")
            return "".join(out)
        return self.fallback.render(template_name, context, request)


def render_widget(field: Any, attrs: dict) -> str:
    """``BoundField.as_widget(attrs=attrs)`` through :class:`_PythonWidgets`."""
    widget = field.field.widget
    if field.field.localize:
        widget.is_localized = True
    attrs = field.build_widget_attrs(attrs, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    return widget.render(
        name=field.html_name,
        value=field.value(),
        attrs=attrs,
        renderer=_PythonWidgets(field.form.renderer),
    )


@register.filter
def bs(field: Any, css: str) -> Any:
    """Render a bound field's widget with Bootstrap classes (and ``is-invalid`` on errors)."""
    classes = css
    if field.errors:
        classes += " is-invalid"
    existing = field.field.widget.attrs.get("class", "")
    return render_widget(field, {"class": f"{existing} {classes}".strip()})


@register.simple_tag
def form_field(field: Any, wrapper_class: str = "") -> Any:
    """A labelled form field with its errors and help text (Bootstrap), written in Python.

    The markup ``cases/partials/_form_field.html`` gave; the case page renders a dozen of these
    and the template spent more on them than on the widgets inside
    (``cases/tests/test_page_rendering.py`` compares the two)."""
    name = _text(field.name)
    if field.widget_type == "checkbox":
        body = (
            f'\n  <div class="form-check">\n    {bs(field, "form-check-input")}\n'
            f'    <label class="form-check-label" for="{_text(field.id_for_label)}">'
            f"{_text(field.label)}</label>\n  </div>\n  "
        )
    else:
        star = ' <span class="text-danger" aria-hidden="true">*</span>'
        css = (
            "form-select form-select-sm"
            if field.widget_type in ("select", "nullbooleanselect")
            else "form-control form-control-sm"
        )
        body = (
            f'\n  <label class="form-label small mb-0" for="{_text(field.id_for_label)}">'
            f"{_text(field.label)}{star if field.field.required else ''}</label>\n"
            f"  {bs(field, css)}\n  "
        )
    errors = "".join(
        f'<div class="invalid-feedback d-block" data-testid="error-{name}">{_text(error)}</div>'
        for error in field.errors
    )
    help_text = f'<div class="form-text">{_text(field.help_text)}</div>' if field.help_text else ""
    return mark_safe(  # every value above is escaped by _text or rendered by the widget
        f'<div class="{_text(wrapper_class or "mb-2")}">{body}\n  {errors}\n  {help_text}\n</div>'
    )
