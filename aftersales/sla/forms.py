"""Forms for editing SLA policies: the policy, its targets and its escalation levels.

They check the shape; the rules (what a complete target or level is) are stated once in
:mod:`aftersales.sla.policies` and reported here as field errors.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.accounts.models import ServiceCenter, User
from aftersales.calendars.models import WorkingCalendar
from aftersales.cases.choices import CaseType, Channel, Priority, Status
from aftersales.cases.models import CaseCategory
from aftersales.core.errors import InvalidInput
from aftersales.customers.choices import CustomerTier

from . import policies
from .choices import EndOn, PauseReason, Recipient, TargetKind, Trigger
from .models import EscalationLevel, SlaPolicy, SlaTarget

# Statuses in which a policy may pause its clocks.
PAUSE_STATUSES = [Status.WAITING_CUSTOMER, Status.WAITING_THIRD_PARTY, Status.HELD]
CHANNEL_CHOICES = [
    ("in_app", _("In-app")),
    ("email", _("E-mail")),
    ("sms", _("SMS")),
]


def _multi(label: Any, choices: Any, help_text: Any = "") -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        required=False,
        help_text=help_text,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )


def _report(form: forms.BaseForm, exc: InvalidInput) -> None:
    field = (exc.detail or {}).get("field") if isinstance(exc.detail, dict) else None
    form.add_error(field if field in form.fields else None, str(exc.message))


class PolicyForm(forms.ModelForm):
    case_types = _multi(_("Case types"), CaseType.choices, _("None chosen: every type."))
    categories = _multi(_("Categories"), [])
    priorities = _multi(_("Priorities"), Priority.choices)
    customer_tiers = _multi(_("Customer tiers"), CustomerTier.choices)
    channels = _multi(_("Channels"), Channel.choices)
    service_centers = _multi(_("Service centers"), [])
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = SlaPolicy
        fields = ["code", "name", "position", "is_active", "calendar"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["categories"].choices = [
            (c.code, str(c)) for c in CaseCategory.objects.filter(is_active=True)
        ]
        self.fields["service_centers"].choices = [
            (c.code, c.name) for c in ServiceCenter.objects.filter(is_active=True)
        ]
        self.fields["calendar"].queryset = WorkingCalendar.objects.all()
        rules = self.instance.pause_rules if self.instance.pk else {}
        for status in PAUSE_STATUSES:
            name = f"pause_{status}"
            self.fields[name] = forms.ChoiceField(
                label=_("Pause in “%(status)s”") % {"status": status.label},
                choices=[("", _("Does not pause")), *PauseReason.choices],
                required=False,
                initial=rules.get(status, ""),
            )
        if self.instance.pk:
            for name in (
                "case_types",
                "categories",
                "priorities",
                "customer_tiers",
                "channels",
                "service_centers",
            ):
                self.initial[name] = getattr(self.instance, name)
            self.initial["version"] = self.instance.version

    @property
    def pause_fields(self) -> list[forms.BoundField]:
        return [self[f"pause_{s}"] for s in PAUSE_STATUSES]

    def policy_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "code": data["code"],
            "name": data["name"],
            "position": data["position"],
            "is_active": data["is_active"],
            "calendar": data.get("calendar"),
            "case_types": data.get("case_types") or [],
            "categories": data.get("categories") or [],
            "priorities": data.get("priorities") or [],
            "customer_tiers": data.get("customer_tiers") or [],
            "channels": data.get("channels") or [],
            "service_centers": data.get("service_centers") or [],
            "pause_rules": {
                s.value: data[f"pause_{s}"] for s in PAUSE_STATUSES if data.get(f"pause_{s}")
            },
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors:
            try:
                policies.check_policy(self.policy_fields())
            except InvalidInput as exc:
                _report(self, exc)
        return data


class TargetForm(forms.ModelForm):
    priorities = _multi(_("Only for priorities"), Priority.choices, _("None chosen: all."))
    end_statuses = _multi(_("Ending statuses"), Status.choices)

    class Meta:
        model = SlaTarget
        fields = [
            "kind",
            "name",
            "milestone_code",
            "duration",
            "calendar",
            "pausable",
            "end_on",
            "end_milestone",
            "position",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = TargetKind.choices
        self.fields["end_on"].choices = EndOn.choices
        if self.instance.pk:
            self.initial["priorities"] = self.instance.priorities
            self.initial["end_statuses"] = self.instance.end_statuses

    def row(self) -> dict[str, Any]:
        data = self.cleaned_data
        names = [
            "kind",
            "name",
            "milestone_code",
            "duration",
            "calendar",
            "pausable",
            "end_on",
            "end_milestone",
            "position",
            "priorities",
            "end_statuses",
        ]
        row = {name: data.get(name) for name in names}
        row["position"] = row["position"] or 0
        row["pausable"] = bool(row["pausable"])
        return row

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors and not data.get("DELETE") and self.has_changed():
            try:
                policies.check_target(self.row())
            except InvalidInput as exc:
                _report(self, exc)
        return data


class LevelForm(forms.ModelForm):
    target_kinds = _multi(_("For targets"), TargetKind.choices, _("None chosen: every target."))
    recipients = _multi(_("Notify"), Recipient.choices)
    channels = _multi(_("Channels"), CHANNEL_CHOICES)

    class Meta:
        model = EscalationLevel
        fields = ["trigger", "share_percent", "past_due", "users", "position"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["trigger"].choices = Trigger.choices
        self.fields["users"].queryset = User.objects.filter(is_active=True).exclude(
            groups__name="customer"
        )
        self.fields["users"].widget.attrs["size"] = 4
        if self.instance.pk:
            for name in ("target_kinds", "recipients", "channels"):
                self.initial[name] = getattr(self.instance, name)

    def row(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "trigger": data.get("trigger"),
            "share_percent": data.get("share_percent"),
            "past_due": data.get("past_due") or "",
            "position": data.get("position") or 0,
            "target_kinds": data.get("target_kinds") or [],
            "recipients": data.get("recipients") or [],
            "channels": data.get("channels") or [],
            "users": [u.pk for u in data.get("users") or []],
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors and not data.get("DELETE") and self.has_changed():
            try:
                policies.check_level(self.row())
            except InvalidInput as exc:
                _report(self, exc)
        return data


TargetFormSet = forms.inlineformset_factory(
    SlaPolicy, SlaTarget, form=TargetForm, extra=1, can_delete=True
)
LevelFormSet = forms.inlineformset_factory(
    SlaPolicy, EscalationLevel, form=LevelForm, extra=1, can_delete=True
)


def formset_rows(formset: forms.BaseInlineFormSet) -> list[dict[str, Any]]:
    """The rows a formset sends to :func:`policies.sla_policy_save`: id, delete, fields."""
    rows = []
    for form in formset.forms:
        if not form.has_changed() and not form.instance.pk:
            continue  # an empty extra row
        row = form.row()
        row["id"] = form.instance.pk
        row["delete"] = bool(form.cleaned_data.get("DELETE"))
        rows.append(row)
    return rows
