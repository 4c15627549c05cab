"""One filter for the agent queue and the API case list (style: NetBox).

``CaseFilterForm`` validates the query (HTML renders it; the API feeds it the query string and
reports its errors as 422), then :meth:`CaseFilterForm.apply` narrows a queryset that the
selectors already restricted to what the user may see.
"""

from __future__ import annotations

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from aftersales.accounts.models import Team, User

from .choices import OPEN_STATUSES, CaseType, Channel, Priority, Status

SORTS = {
    "newest": ["-id"],
    "oldest": ["id"],
    "priority": ["-priority_rank", "-id"],
    "activity": ["-updated_at", "-id"],
    "due": ["sla_due_at", "id"],
}
SORT_CHOICES = [
    ("newest", _("Newest first")),
    ("oldest", _("Oldest first")),
    ("priority", _("Highest priority first")),
    ("activity", _("Latest activity first")),
    ("due", _("Nearest due first")),
]
STATE_CHOICES = [("open", _("Open")), ("all", _("All")), ("closed", _("Closed"))]


def _text_condition(text: str, user: User | None) -> Q:
    """The case number as typed, or the words through the search index: title, description,
    replies, product model and serial, and (for staff) internal notes. Text with nothing
    searchable in it falls back to a part of the title."""
    from aftersales.search.selectors import case_ids_matching

    cond = Q(number__iexact=text)
    ids = case_ids_matching(user=user, text=text) if user is not None else None
    if ids is None:
        return cond | Q(title__icontains=text)
    return cond | Q(pk__in=ids)


class CaseFilterForm(forms.Form):
    case_type = forms.MultipleChoiceField(label=_("Type"), choices=CaseType.choices, required=False)
    status = forms.MultipleChoiceField(label=_("Status"), choices=Status.choices, required=False)
    state = forms.ChoiceField(label=_("Open/closed"), choices=STATE_CHOICES, required=False)
    priority = forms.MultipleChoiceField(
        label=_("Priority"), choices=Priority.choices, required=False
    )
    channel = forms.MultipleChoiceField(label=_("Channel"), choices=Channel.choices, required=False)
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.all(), required=False, to_field_name="code"
    )
    assignee = forms.CharField(
        label=_("Assignee"),
        required=False,
        help_text=_("“me”, “none”, or a user name"),
        max_length=150,
    )
    customer = forms.IntegerField(
        label=_("Customer"), required=False, min_value=1, max_value=2**63 - 1
    )
    q = forms.CharField(label=_("Number or title"), required=False, max_length=100)
    # drill-down from the SLA report: cases created in a date range, with a target met/breached
    created = forms.RegexField(
        label=_("Created"),
        regex=r"^\d{4}-\d{2}-\d{2}\.\.\d{4}-\d{2}-\d{2}$",
        required=False,
        max_length=22,
        help_text=_("From..to, e.g. 2026-03-01..2026-03-31"),
    )
    sla = forms.RegexField(
        label=_("SLA target"),
        regex=r"^(met|breached)(:[a-z_]{1,20})?$",
        required=False,
        max_length=30,
        help_text=_("met or breached, optionally :target, e.g. breached:first_response"),
    )
    sort = forms.ChoiceField(label=_("Sort"), choices=SORT_CHOICES, required=False)
    cursor = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)
    limit = forms.IntegerField(required=False, min_value=1, max_value=200, widget=forms.HiddenInput)

    def __init__(self, *args, user: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_assignee(self) -> str:
        value = (self.cleaned_data.get("assignee") or "").strip()
        if (
            value
            and value not in ("me", "none")
            and not User.objects.filter(username=value).exists()
        ):
            raise forms.ValidationError(_("No user with this name."))
        return value

    def clean_created(self):
        import datetime as dt

        value = self.cleaned_data.get("created") or ""
        if not value:
            return None
        try:
            start, end = (dt.date.fromisoformat(part) for part in value.split(".."))
        except ValueError:
            raise forms.ValidationError(_("Enter two valid dates.")) from None
        if start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        return start, end

    def apply(self, qs: QuerySet) -> QuerySet:
        data = self.cleaned_data
        if data.get("created"):
            import datetime as dt

            from django.utils import timezone

            tz = timezone.get_current_timezone()
            start, end = data["created"]
            after = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
            before = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
            qs = qs.filter(created_at__gte=after, created_at__lt=before)
        if data.get("sla"):
            from django.db.models import Exists, OuterRef

            from aftersales.sla.models import SlaClock

            state, _sep, kind = data["sla"].partition(":")
            clocks = SlaClock.objects.filter(case=OuterRef("pk"), state=state)
            if kind:
                clocks = clocks.filter(kind=kind)
            qs = qs.filter(Exists(clocks))
        if data.get("case_type"):
            qs = qs.filter(case_type__in=data["case_type"])
        if data.get("status"):
            qs = qs.filter(status__in=data["status"])
        state = data.get("state") or ""
        if state == "open":
            qs = qs.filter(status__in=OPEN_STATUSES)
        elif state == "closed":
            qs = qs.exclude(status__in=OPEN_STATUSES)
        if data.get("priority"):
            qs = qs.filter(priority__in=data["priority"])
        if data.get("channel"):
            qs = qs.filter(channel__in=data["channel"])
        if data.get("team"):
            qs = qs.filter(team=data["team"])
        assignee = data.get("assignee")
        if assignee == "me" and self.user is not None:
            qs = qs.filter(assignee=self.user)
        elif assignee == "none":
            qs = qs.filter(assignee__isnull=True)
        elif assignee:
            qs = qs.filter(assignee__username=assignee)
        if data.get("customer"):
            qs = qs.filter(customer_id=data["customer"])
        text = (data.get("q") or "").strip()
        if text:
            qs = qs.filter(_text_condition(text, self.user))
        return qs

    @property
    def order(self) -> list[str]:
        return SORTS[self.cleaned_data.get("sort") or "newest"]

    @property
    def page_limit(self) -> int:
        return self.cleaned_data.get("limit") or 50
