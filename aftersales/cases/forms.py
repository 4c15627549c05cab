"""HTML forms of the agent screens. They check the shape of a request only; every rule about
cases (transitions, ownership, versions, extra fields) is enforced by the services they feed.

The per-type detail fields are built from the Pydantic models in :mod:`.schemas`, so the HTML
form, the API and the validation share one definition of what each type of case carries.
"""

from __future__ import annotations

import datetime as dt
import types
from typing import Any, Literal, Union, get_args, get_origin

from annotated_types import Ge, Le, MaxLen
from django import forms
from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _
from pydantic.fields import FieldInfo

from aftersales.accounts.models import Team, User
from aftersales.core.audit_labels import register_field_labels, register_value_labels

from .choices import CaseType, Channel, Priority, Severity
from .filters import CaseFilterForm
from .models import Case, CaseCategory
from .schemas import EXTRA_SCHEMAS

# --- the per-type detail fields ------------------------------------------------------------

EXTRA_LABELS = {
    "topic": _("Topic"),
    "fault_symptom": _("Fault symptom"),
    "preferred_visit": _("Preferred visit time"),
    "on_site": _("On-site service"),
    "service_address": _("Service address"),
    "complaint_about": _("Complaint about"),
    "demand": _("Customer wants"),
    "incident_date": _("Date of the incident"),
    "repeat": _("Repeated complaint"),
    "request": _("Request"),
    "order_number": _("Order number"),
    "received_date": _("Date received"),
    "reason": _("Reason"),
    "goods_intact": _("Goods intact"),
    "failure_date": _("Failure date"),
    "mileage_km": _("Mileage (km)"),
    "invoice_number": _("Invoice number"),
    "proposal_category": _("Proposal category"),
    "promised_date": _("Promised delivery date"),
}

register_field_labels(EXTRA_LABELS)  # the audit log names a case's detail fields

EXTRA_CHOICE_LABELS = {
    "product": _("Product"),
    "service": _("Service"),
    "staff": _("Staff"),
    "delivery": _("Delivery"),
    "price": _("Price"),
    "other": _("Other"),
    "repair": _("Repair"),
    "exchange": _("Exchange"),
    "refund": _("Refund"),
    "compensation": _("Compensation"),
    "apology": _("Apology"),
    "explanation": _("Explanation"),
    "return": _("Return"),
    "shopping_environment": _("Shopping environment"),
    "product_quality": _("Product quality"),
    "design_packaging": _("Design and packaging"),
    "new_technology": _("New technology"),
    "new_materials": _("New materials"),
    "logistics_channels": _("Logistics and channels"),
    "after_sales_service": _("After-sales service"),
}

for _key in ("complaint_about", "demand", "request", "proposal_category"):
    register_value_labels(_key, EXTRA_CHOICE_LABELS)


def _unwrap_optional(annotation: Any) -> tuple[Any, bool]:
    if get_origin(annotation) in (Union, types.UnionType):
        args = get_args(annotation)
        rest = [a for a in args if a is not type(None)]
        return rest[0], len(rest) < len(args)
    return annotation, False


def _meta(info: FieldInfo, kind: type) -> Any:
    for item in info.metadata:
        if isinstance(item, kind):
            return item
    return None


def _extra_form_field(name: str, info: FieldInfo) -> forms.Field:
    annotation, optional = _unwrap_optional(info.annotation)
    label = EXTRA_LABELS.get(name, name.replace("_", " ").capitalize())
    default = info.default
    if get_origin(annotation) is Literal:
        choices = [(v, EXTRA_CHOICE_LABELS.get(v, v)) for v in get_args(annotation)]
        return forms.ChoiceField(label=label, choices=choices, required=False, initial=default)
    if annotation is bool:
        if optional:
            return forms.NullBooleanField(
                label=label, required=False, initial=default, widget=forms.NullBooleanSelect
            )
        return forms.BooleanField(label=label, required=False, initial=default)
    if annotation is dt.date:
        return forms.DateField(
            label=label, required=False, widget=forms.DateInput(attrs={"type": "date"})
        )
    if annotation is int:
        ge, le = _meta(info, Ge), _meta(info, Le)
        return forms.IntegerField(
            label=label,
            required=False,
            min_value=ge.ge if ge else None,
            max_value=le.le if le else None,
        )
    max_len = _meta(info, MaxLen)
    length = max_len.max_length if max_len else None
    widget = forms.Textarea(attrs={"rows": 2}) if (length or 0) >= 300 else forms.TextInput
    return forms.CharField(
        label=label, required=False, max_length=length, widget=widget, initial=default or ""
    )


class ExtraForm(forms.Form):
    """The detail fields of one case type; ``cleaned_extra`` feeds ``validate_extra``."""

    case_type: str = ""

    def cleaned_extra(self) -> dict[str, Any]:
        # Empty answers fall back to the schema's defaults.
        return {k: v for k, v in self.cleaned_data.items() if v not in ("", None)}


def extra_form_class(case_type: str) -> type[ExtraForm]:
    schema = EXTRA_SCHEMAS[CaseType(case_type)]
    fields = {name: _extra_form_field(name, info) for name, info in schema.model_fields.items()}
    return type(f"{schema.__name__}Form", (ExtraForm,), {**fields, "case_type": case_type})


def extra_form(case_type: str, data=None, initial: dict | None = None) -> ExtraForm:
    return extra_form_class(case_type)(data=data, initial=initial, prefix="extra")


def extra_display(case: Case) -> list[tuple[str, Any]]:
    """``(label, shown value)`` for each detail field of the case's type."""
    rows = []
    schema = EXTRA_SCHEMAS[CaseType(case.case_type)]
    for name, info in schema.model_fields.items():
        value = (case.extra or {}).get(name, info.default)
        annotation, _optional = _unwrap_optional(info.annotation)
        if isinstance(value, bool):
            shown: Any = _("Yes") if value else _("No")
        elif value in (None, ""):
            shown = "—"
        elif get_origin(annotation) is Literal:
            shown = EXTRA_CHOICE_LABELS.get(value, value)
        elif annotation is dt.date and isinstance(value, str):
            shown = parse_date(value) or value
        else:
            shown = value
        rows.append((EXTRA_LABELS.get(name, name), shown))
    return rows


# --- shared pieces --------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name (``<input type="file" name="files" multiple>``)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def staff_assignees() -> QuerySet[User]:
    """People who work cases: active, not integrations, holding a role that sees cases."""
    works_cases = Q(
        groups__permissions__codename="view_case",
        groups__permissions__content_type__app_label="cases",
    )
    return (
        User.objects.filter(is_active=True, is_integration=False)
        .filter(works_cases | Q(is_superuser=True))
        .distinct()
        .order_by("display_name", "username")
    )


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return str(obj)


def category_queryset(case_type: str | None) -> QuerySet[CaseCategory]:
    qs = CaseCategory.objects.filter(is_active=True)
    if case_type:
        qs = qs.filter(Q(case_type=case_type) | Q(case_type=""))
    return qs


# --- the queue ------------------------------------------------------------------------------


def queue_filter_form(data, *, user: User) -> CaseFilterForm:
    """The shared :class:`CaseFilterForm`, dressed for the HTML queue (widgets only)."""
    form = CaseFilterForm(data, user=user)
    form.fields["assignee"].widget = forms.Select(
        choices=[
            ("", _("Anyone")),
            ("me", _("Me")),
            ("none", _("Unassigned")),
            *[(u.username, str(u)) for u in staff_assignees()],
        ]
    )
    form.fields["team"].empty_label = _("All teams")
    form.fields["state"].choices = [c for c in form.fields["state"].choices if c[0]]
    form.fields["sort"].choices = [c for c in form.fields["sort"].choices if c[0]]
    return form


# --- the case screen ------------------------------------------------------------------------


class VersionedForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class MessageForm(forms.Form):
    """A public reply or an internal note: text and/or files."""

    body = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    files = MultipleFileField(label=_("Files"), required=False)


class TransitionForm(VersionedForm):
    to_status = forms.CharField(max_length=24)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)


class AssignForm(VersionedForm):
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.all(), required=False, empty_label=_("No team")
    )
    assignee = StaffChoiceField(
        label=_("Assignee"), queryset=User.objects.none(), required=False, empty_label=_("Nobody")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = staff_assignees()


class CaseEditForm(VersionedForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=CaseCategory.objects.none(), required=False
    )
    customer_demand = forms.CharField(label=_("Customer's demand"), required=False, max_length=500)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    resolution = forms.CharField(
        label=_("Service provided and result"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = category_queryset(case.case_type)

    @classmethod
    def initial_for(cls, case: Case) -> dict[str, Any]:
        return {
            "version": case.version,
            "title": case.title,
            "priority": case.priority,
            "severity": case.severity,
            "category": case.category_id,
            "customer_demand": case.customer_demand,
            "description": case.description,
            "resolution": case.resolution,
        }


class AttachmentForm(forms.Form):
    files = MultipleFileField(label=_("Files"))
    is_public = forms.BooleanField(label=_("Visible to the customer"), required=False, initial=True)


# --- hotline intake -------------------------------------------------------------------------


class IntakeCaseForm(forms.Form):
    """The case part of the hotline intake; the customer and product are picked before."""

    customer = forms.IntegerField(widget=forms.HiddenInput)
    asset = forms.IntegerField(required=False)
    case_type = forms.ChoiceField(
        label=_("Type"), choices=CaseType.choices, initial=CaseType.REPAIR
    )
    channel = forms.ChoiceField(
        label=_("Channel"), choices=Channel.choices, initial=Channel.HOTLINE
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=CaseCategory.objects.none(), required=False
    )
    priority = forms.ChoiceField(
        label=_("Priority"),
        choices=[("", _("By routing rules")), *Priority.choices],
        required=False,
        initial="",
    )
    severity = forms.ChoiceField(
        label=_("Severity"), choices=Severity.choices, initial=Severity.GENERAL
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    customer_demand = forms.CharField(label=_("Customer's demand"), required=False, max_length=500)
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.all(),
        required=False,
        empty_label=_("By routing rules"),
    )
    assignee = StaffChoiceField(
        label=_("Assignee"), queryset=User.objects.none(), required=False, empty_label=_("Nobody")
    )
    files = MultipleFileField(label=_("Photos or documents"), required=False)

    def __init__(self, *args, case_type: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = staff_assignees()
        self.fields["category"].queryset = category_queryset(case_type)

    @staticmethod
    def chosen_type(data) -> str:
        value = (data or {}).get("case_type") or CaseType.REPAIR
        return value if value in CaseType.values else CaseType.REPAIR


class PhoneRatingForm(forms.Form):
    """The rating a customer gives on the phone, recorded by staff (R1.3)."""

    rating = forms.TypedChoiceField(
        label=_("The customer's rating"),
        coerce=int,
        choices=[
            (5, _("Very satisfied")),
            (4, _("Satisfied")),
            (3, _("Neutral")),
            (2, _("Dissatisfied")),
            (1, _("Very dissatisfied")),
        ],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    feedback = forms.CharField(
        label=_("What the customer said (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    ERROR_FIELDS = {"rating_invalid": "rating", "not_ratable": None, "already_rated": None}
