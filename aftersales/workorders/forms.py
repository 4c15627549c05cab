"""Forms of the work-order screens: they check the shape; the services judge the rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .choices import EVALUATION_DIMENSIONS, CertificateType, Satisfaction, Urgency
from .models import Skill


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class OrderForm(forms.Form):
    request = forms.CharField(label=_("Request"), widget=forms.Textarea(attrs={"rows": 3}))
    contact_name = forms.CharField(label=_("Contact name"), max_length=100, required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=30, required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    latitude = forms.DecimalField(
        label=_("Latitude"),
        max_digits=9,
        decimal_places=6,
        required=False,
        min_value=-90,
        max_value=90,
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        max_digits=9,
        decimal_places=6,
        required=False,
        min_value=-180,
        max_value=180,
    )
    inspection_at = forms.DateTimeField(
        label=_("Agreed inspection time"), required=False, widget=DateTimeLocalInput()
    )
    repair_at = forms.DateTimeField(
        label=_("Agreed repair time"), required=False, widget=DateTimeLocalInput()
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    required_skills = forms.MultipleChoiceField(
        label=_("Required skills"), required=False, widget=forms.CheckboxSelectMultiple
    )
    required_certificate = forms.ChoiceField(
        label=_("Required certificate"),
        required=False,
        choices=[("", "—"), *CertificateType.choices],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["required_skills"].choices = [
            (s.code, s.name) for s in Skill.objects.order_by("code")
        ]


class AssignForm(forms.Form):
    technician = forms.IntegerField(label=_("Technician"), min_value=1)
    start = forms.DateTimeField(label=_("Visit from"), widget=DateTimeLocalInput())
    end = forms.DateTimeField(label=_("Visit until"), widget=DateTimeLocalInput())
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    confirm = forms.BooleanField(label=_("Book despite the conflicts"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", _("The visit must end after it starts."))
        return data


def default_window(order: Any) -> tuple[dt.datetime, dt.datetime]:
    start = order.repair_at or order.inspection_at
    if start is None:
        tomorrow = timezone.localdate() + dt.timedelta(days=1)
        start = timezone.make_aware(dt.datetime.combine(tomorrow, dt.time(9, 0)))
    start = timezone.localtime(start)
    return start, start + dt.timedelta(hours=2)


class ReviewForm(forms.Form):
    approve = forms.TypedChoiceField(
        choices=[("1", _("Approve")), ("0", _("Return with comments"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        label=_("Decision"),
    )
    comment = forms.CharField(
        label=_("Comments"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


LEVELS = [(str(v), label) for v, label in Satisfaction.choices]


class EvaluationForm(forms.Form):
    """The ten items of the service evaluation form on five levels (R7.2)."""

    comments = forms.CharField(
        label=_("Comments and suggestions"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, require_scores: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, label in EVALUATION_DIMENSIONS:
            self.fields[f"score_{code}"] = forms.TypedChoiceField(
                label=label,
                choices=LEVELS,
                coerce=int,
                required=require_scores,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            )

    def scores(self) -> dict[str, int]:
        return {
            code: self.cleaned_data[f"score_{code}"]
            for code, _label in EVALUATION_DIMENSIONS
            if self.cleaned_data.get(f"score_{code}") not in (None, "")
        }

    def score_fields(self) -> list[Any]:
        return [self[f"score_{code}"] for code, _label in EVALUATION_DIMENSIONS]


class FollowUpForm(EvaluationForm):
    reached = forms.TypedChoiceField(
        label=_("Customer reached"),
        choices=[("1", _("Reached")), ("0", _("Not reached"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, require_scores=False, **kwargs)


class CertificateForm(forms.Form):
    technician = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    cert_type = forms.ChoiceField(
        label=pgettext_lazy("certificate", "Type"), choices=CertificateType.choices
    )
    level = forms.CharField(label=_("Level"), max_length=40, required=False)
    number = forms.CharField(label=_("Certificate number"), max_length=60, required=False)
    issued_on = forms.DateField(label=_("Issued"), widget=forms.DateInput(attrs={"type": "date"}))
    expires_on = forms.DateField(label=_("Expires"), widget=forms.DateInput(attrs={"type": "date"}))


class SkillForm(forms.Form):
    """Grant a skill to a technician, or change its level (1 to 5)."""

    technician = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    skill = forms.ModelChoiceField(label=_("Skill"), queryset=Skill.objects.order_by("code"))
    level = forms.IntegerField(label=_("Level"), min_value=1, max_value=5, initial=1)


class SkillRemoveForm(forms.Form):
    technician = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    skill = forms.ModelChoiceField(label=_("Skill"), queryset=Skill.objects.order_by("code"))


class TrainingForm(forms.Form):
    technician = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    title = forms.CharField(label=_("Training"), max_length=200)
    trained_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    hours = forms.DecimalField(
        label=_("Hours"), max_digits=6, decimal_places=1, min_value=0, initial=0
    )
    result = forms.CharField(label=_("Result"), max_length=100, required=False)
