"""Forms of the core screens (the audit log filter), and how any screen shows a service's
refusal on its form."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .errors import DomainError


def add_domain_error(
    form: forms.BaseForm, exc: DomainError, fields: Mapping[str, str | None] | None = None
) -> None:
    """Show a service's refusal (house rule 6) on the form field it concerns, else on the
    form as a whole, so the page says what the API's 409/422 body says.

    A form that names its fields by error code passes ``fields`` (``ERROR_FIELDS``: code →
    field, ``None`` for the whole form); an ``attachment_*`` error then belongs to ``files``.
    Without ``fields`` the field is the one the error's ``detail`` names, if the form has it.
    """
    field: str | None = None
    if fields is not None:
        field = fields.get(exc.code)
        if field is None and exc.code.startswith("attachment_"):
            field = "files"
    elif isinstance(exc.detail, dict):
        field = exc.detail.get("field")
    form.add_error(field if field in form.fields else None, str(exc.message))


class AuditFilterForm(forms.Form):
    """Narrow the audit log by action, object type, actor and a range of local dates."""

    action = forms.CharField(
        label=_("Action"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"placeholder": "case.transition / case."}),
    )
    object_type = forms.CharField(
        label=_("Object type"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"placeholder": "cases.case"}),
    )
    actor = forms.CharField(label=_("Actor"), required=False, max_length=150)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    cursor = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data

    @staticmethod
    def _day_start(day: dt.date) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time.min))

    def apply(self, qs: QuerySet) -> QuerySet:
        data = self.cleaned_data
        action = (data.get("action") or "").strip()
        if action:
            qs = qs.filter(action__startswith=action)
        object_type = (data.get("object_type") or "").strip()
        if object_type:
            qs = qs.filter(object_type=object_type)
        actor = (data.get("actor") or "").strip()
        if actor:
            qs = qs.filter(Q(actor__username=actor) | Q(actor_label=actor))
        if data.get("date_from"):
            qs = qs.filter(created_at__gte=self._day_start(data["date_from"]))
        if data.get("date_to"):
            qs = qs.filter(created_at__lt=self._day_start(data["date_to"] + dt.timedelta(days=1)))
        return qs
