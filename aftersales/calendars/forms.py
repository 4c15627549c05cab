"""Forms of the calendar screens: they check shape only; the services judge the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from aftersales.accounts.models import ServiceCenter, Team

from .models import DayKind, OwnerKind, Weekday

HOURS_HELP = _("Intervals like 08:30-12:00;13:30-17:30 — empty for a day without work.")


class DayForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("Kind of day"), choices=DayKind.choices)
    name = forms.CharField(label=_("Holiday or occasion"), max_length=100, required=False)
    intervals = forms.CharField(
        label=_("Working hours"),
        max_length=200,
        required=False,
        help_text=_(
            "For a make-up day or special hours, e.g. 08:30-12:00;13:30-17:30. A make-up day "
            "left empty works the calendar's standard day."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class WeeklyForm(forms.Form):
    """One text field per weekday."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for wd in Weekday:
            self.fields[f"day_{wd.value}"] = forms.CharField(
                label=wd.label, max_length=200, required=False, help_text=""
            )

    def weekly(self) -> dict[int, str]:
        return {wd.value: self.cleaned_data.get(f"day_{wd.value}") or "" for wd in Weekday}

    def day_fields(self):
        return [self[f"day_{wd.value}"] for wd in Weekday]


class CalendarForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40)
    name = forms.CharField(label=pgettext_lazy("thing", "Name"), max_length=100)
    owner_kind = forms.ChoiceField(label=_("Belongs to"), choices=OwnerKind.choices)
    service_center = forms.ModelChoiceField(
        label=_("Service center"), queryset=ServiceCenter.objects.all(), required=False
    )
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.all(), required=False)
    timezone = forms.CharField(label=_("Time zone"), max_length=60, initial="Asia/Shanghai")


class TryAddForm(forms.Form):
    start = forms.CharField(
        label=_("From"),
        max_length=40,
        help_text=_("e.g. 2026-09-30T18:30 (the calendar's time zone)"),
    )
    duration = forms.CharField(
        label=_("Duration"), max_length=20, help_text=_("24h, 90m, 2d, 8wh, 30wm, 1wd")
    )


class TryBetweenForm(forms.Form):
    start = forms.CharField(label=_("From"), max_length=40)
    end = forms.CharField(label=_("To"), max_length=40)


class ImportPackageForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    dry_run = forms.BooleanField(label=_("Dry run: check only"), required=False, initial=True)


class ImportCsvForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        required=False,
        help_text=_("A CSV file, one row per day as in the example."),
    )
    content = forms.CharField(widget=forms.HiddenInput, required=False)
    complete_years = forms.BooleanField(
        label=_("The file holds every holiday and make-up day of its years"),
        required=False,
        initial=True,
    )
    dry_run = forms.BooleanField(label=_("Dry run: check only"), required=False, initial=True)

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload is not None:
            if upload.size > 256 * 1024:
                raise forms.ValidationError(_("The file is too large (at most 256 KB)."))
            data["content"] = upload.read()
        elif not data.get("content"):
            raise forms.ValidationError(_("Choose a CSV file."))
        return data


class AbsenceForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Staff member"), queryset=None)
    start = forms.DateTimeField(
        label=_("From"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    end = forms.DateTimeField(
        label=_("Until"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(self, *args, **kwargs) -> None:
        from aftersales.accounts.models import User

        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (
            User.objects.filter(is_active=True, is_integration=False)
            .exclude(groups__name="customer")
            .filter(groups__isnull=False)
            .distinct()
            .order_by("username")
        )
