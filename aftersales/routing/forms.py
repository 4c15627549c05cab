"""The rule editor and its sample-case panel.

A rule may only be saved after it was tested: the test answer carries a signed digest of the
rule's fields, and saving checks that the fields are still the ones tested.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from aftersales.accounts.models import Team
from aftersales.cases.choices import CaseType, Priority
from aftersales.cases.models import CaseCategory
from aftersales.sla.models import SlaPolicy

from .models import AssignmentMode, KeywordMode, RoutingRule

TEST_SALT = "routing.rule-tested"
TEST_MAX_AGE = 2 * 3600

RULE_FIELDS = [
    "name",
    "is_active",
    "case_type",
    "category",
    "product_line",
    "region",
    "keywords",
    "keyword_mode",
    "team",
    "priority",
    "assignment",
    "sla_policy",
]


class RuleForm(forms.Form):
    """A rule's fields (the service validates the rules between them) and a test token."""

    name = forms.CharField(label=_("Rule name"), max_length=100)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    case_type = forms.ChoiceField(
        label=_("Type"), choices=[("", _("Any type")), *CaseType.choices], required=False
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=CaseCategory.objects.filter(is_active=True),
        required=False,
        empty_label=_("Any category"),
    )
    product_line = forms.CharField(
        label=_("Product line"), max_length=60, required=False, help_text=_("e.g. 空调, 洗衣机")
    )
    region = forms.CharField(
        label=_("Region"),
        max_length=60,
        required=False,
        help_text=_("Province, city or district of the customer's address"),
    )
    keywords = forms.CharField(
        label=_("Keywords"),
        max_length=500,
        required=False,
        help_text=_("Separated by spaces or commas; Chinese is matched on whole words"),
    )
    keyword_mode = forms.ChoiceField(
        label=_("Keywords must match"), choices=KeywordMode.choices, initial=KeywordMode.ANY
    )
    team = forms.ModelChoiceField(
        label=_("Route to team"),
        queryset=Team.objects.all(),
        required=False,
        empty_label=_("Keep the team"),
    )
    priority = forms.ChoiceField(
        label=_("Set priority"),
        choices=[("", _("Keep the priority")), *Priority.choices],
        required=False,
    )
    assignment = forms.ChoiceField(
        label=_("Assign within the team"), choices=AssignmentMode.choices
    )
    sla_policy = forms.ModelChoiceField(
        label=_("SLA policy"),
        queryset=SlaPolicy.objects.order_by("position", "id"),
        required=False,
        empty_label=_("Chosen by the SLA policies' own conditions"),
        help_text=_("Cases this rule routes keep this policy on every recompute."),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    tested = forms.CharField(required=False, widget=forms.HiddenInput)

    @classmethod
    def initial_for(cls, rule: RoutingRule) -> dict[str, Any]:
        return {name: getattr(rule, name) for name in RULE_FIELDS} | {"version": rule.version}

    def rule_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in RULE_FIELDS}

    def digest(self) -> str:
        plain = {k: getattr(v, "pk", v) for k, v in self.rule_fields().items()}
        raw = json.dumps(plain, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(raw.encode()).hexdigest()

    def test_token(self) -> str:
        return signing.dumps(self.digest(), salt=TEST_SALT)

    def was_tested(self) -> bool:
        token = self.cleaned_data.get("tested") or ""
        try:
            return signing.loads(token, salt=TEST_SALT, max_age=TEST_MAX_AGE) == self.digest()
        except signing.BadSignature:
            return False


class SampleForm(forms.Form):
    """A sample case: an existing case number, or the facts typed in."""

    prefix = "sample"

    case_number = forms.CharField(
        label=_("Existing case number"),
        max_length=20,
        required=False,
        help_text=_("Or describe a case below"),
    )
    case_type = forms.ChoiceField(
        label=_("Type"), choices=[("", "—"), *CaseType.choices], required=False
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=CaseCategory.objects.filter(is_active=True), required=False
    )
    product_line = forms.CharField(label=_("Product line"), max_length=60, required=False)
    region = forms.CharField(label=_("Region"), max_length=60, required=False)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Description"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        if not any(data.get(k) for k in self.fields):
            raise forms.ValidationError(_("Enter a case number or describe a sample case."))
        return data


class SlaReportForm(forms.Form):
    """The SLA report's filters; every field has a default, so an empty query is valid."""

    date_from = forms.DateField(label=_("Cases created from"), required=False)
    date_to = forms.DateField(label=_("to"), required=False)
    group = forms.ChoiceField(label=_("Group by"), required=False)
    period = forms.ChoiceField(label=_("Period"), required=False)
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.all(),
        required=False,
        to_field_name="code",
        empty_label=_("All teams"),
    )
    case_type = forms.ChoiceField(
        label=_("Type"), choices=[("", _("All types")), *CaseType.choices], required=False
    )
    kind = forms.ChoiceField(label=_("Target"), required=False)

    MAX_DAYS = 732

    def __init__(self, *args, **kwargs):
        from aftersales.sla.choices import TargetKind

        from .sla_reports import GROUPS, PERIODS

        super().__init__(*args, **kwargs)
        self.fields["group"].choices = list(GROUPS.items())
        self.fields["period"].choices = list(PERIODS.items())
        self.fields["kind"].choices = [("", _("All targets")), *TargetKind.choices]

    def clean(self):
        import datetime as dt

        from django.utils import timezone

        data = super().clean()
        today = timezone.localdate()
        data["date_to"] = data.get("date_to") or today
        data["date_from"] = data.get("date_from") or data["date_to"] - dt.timedelta(days=29)
        if data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("The start date is after the end date."))
        if (data["date_to"] - data["date_from"]).days > self.MAX_DAYS:
            raise forms.ValidationError(_("Choose at most two years."))
        data["group"] = data.get("group") or "team"
        data["period"] = data.get("period") or "week"
        return data

    def report_filter(self):
        from .sla_reports import SlaReportFilter

        d = self.cleaned_data
        return SlaReportFilter(
            date_from=d["date_from"],
            date_to=d["date_to"],
            group=d["group"],
            period=d["period"],
            team=d.get("team"),
            case_type=d.get("case_type") or "",
            kind=d.get("kind") or "",
        )
