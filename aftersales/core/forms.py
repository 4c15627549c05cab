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
    """Search the audit log the way people remember an event: who did it (a name), what they did
    (the action as the page names it, e.g. 派工 or "Work order dispatched"), on which object
    (its number), when; the system's own records (deadline recomputes, background tasks) are
    left out unless asked for.

    Every filter becomes an indexed condition: the name is looked up among the (few) accounts
    and compared by user id, the action's words among the action names, the number as it is
    stored."""

    actor = forms.CharField(
        label=_("Person"),
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"placeholder": _("Name or user name")}),
    )
    action = forms.CharField(
        label=_("Action"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. dispatched, status changed")}),
    )
    number = forms.CharField(
        label=_("Number"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"placeholder": "SC-2026-000123"}),
    )
    object_type = forms.ChoiceField(label=_("Object type"), required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    system = forms.BooleanField(
        label=_("Include the system's records"),
        required=False,
        help_text=_("Deadline recomputes, background tasks and visitors who are not signed in."),
    )
    cursor = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)
    before = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        object_type = self.fields["object_type"]
        assert isinstance(object_type, forms.ChoiceField)
        object_type.choices = [("", _("Any")), *audit_object_choices()]
        self.fields["system"].widget.attrs["class"] = "form-check-input"

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
        if not data.get("system"):
            qs = qs.filter(actor__isnull=False)
        action = (data.get("action") or "").strip()
        if action:
            qs = qs.filter(action__in=audit_action_codes(action))
        number = (data.get("number") or "").strip()
        if number:
            qs = qs.filter(object_ref__in=sorted({number, number.upper()}))
        object_type = data.get("object_type") or ""
        if object_type:
            qs = qs.filter(object_type=object_type)
        actor = (data.get("actor") or "").strip()
        if actor:
            qs = qs.filter(Q(actor_id__in=audit_people(actor)) | Q(actor_label=actor))
        if data.get("date_from"):
            qs = qs.filter(created_at__gte=self._day_start(data["date_from"]))
        if data.get("date_to"):
            qs = qs.filter(created_at__lt=self._day_start(data["date_to"] + dt.timedelta(days=1)))
        return qs


ACTION_CODES_CACHE = "core:audit-action-codes"


def audit_action_codes(words: str) -> list[str]:
    """The action codes whose name (in the active language) contains ``words``, or that start
    with them (``workorder.`` still works). The codes in use are read once every few minutes
    (one pass over the action index), not per page."""
    from django.core.cache import cache

    from .audit_labels import ACTION_LABELS, action_label
    from .models import AuditLog

    used = cache.get(ACTION_CODES_CACHE)
    if used is None:
        used = sorted(set(AuditLog.objects.order_by().values_list("action", flat=True).distinct()))
        cache.set(ACTION_CODES_CACHE, used, 300)
    needle = words.casefold()
    return sorted(
        code
        for code in {*ACTION_LABELS, *used}
        if code.startswith(words) or needle in action_label(code).casefold()
    )


def audit_people(words: str) -> list[int]:
    """The ids of the accounts whose user name, display name or full name contains ``words``."""
    from django.contrib.auth import get_user_model
    from django.db.models import Value
    from django.db.models.functions import Concat

    User = get_user_model()
    name_fields = [f.name for f in User._meta.get_fields()]
    match = Q(username__icontains=words) | Q(first_name__icontains=words)
    match |= Q(last_name__icontains=words)
    if "display_name" in name_fields:
        match |= Q(display_name__icontains=words)
    people = User.objects.annotate(
        full_name_a=Concat("last_name", "first_name"),
        full_name_b=Concat("first_name", Value(" "), "last_name"),
    ).filter(match | Q(full_name_a__icontains=words) | Q(full_name_b__icontains=words))
    return list(people.values_list("id", flat=True)[:500])


def audit_object_choices() -> list[tuple[str, str]]:
    """The product's models by their names, for the object-type filter."""
    from django.apps import apps
    from django.utils.text import capfirst

    choices = [
        (model._meta.label_lower, capfirst(str(model._meta.verbose_name)))
        for model in apps.get_models()
        if model.__module__.startswith("aftersales.")
    ]
    return sorted(choices, key=lambda c: c[1])
