"""Forms of the purchasing screens: they check shape only; the services judge the rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from aftersales.core.validators import EmailAddressField
from aftersales.customers.choices import CustomerTier
from aftersales.parts.models import Location, Part

from .choices import OrderStatus, PriceRuleKind
from .models import Supplier

ORDER_LINES = 6

QTY = {"max_digits": 12, "decimal_places": 3, "min_value": Decimal("0")}
MONEY = {"max_digits": 12, "decimal_places": 2, "min_value": Decimal("0")}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None, format=None):
        super().__init__(attrs, format or "%Y-%m-%d")


class StyledForm(forms.Form):
    """Bootstrap's small controls on every visible field, and ``is-invalid`` on errors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()

    def style(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            css = (
                "form-select form-select-sm"
                if isinstance(widget, forms.Select)
                else "form-control form-control-sm"
            )
            widget.attrs["class"] = css

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"


class PartCodeField(forms.CharField):
    """A part chosen by its code (typed or picked from the datalist)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)

    def clean(self, value):
        code = super().clean(value)
        if not code:
            return None
        part = Part.objects.filter(code=code.strip()).first()
        if part is None:
            raise forms.ValidationError(_("There is no part “%(code)s”.") % {"code": code})
        return part


class OrderFilterForm(StyledForm):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *OrderStatus.choices]
    )
    supplier = forms.ModelChoiceField(
        label=_("Supplier"), required=False, queryset=Supplier.objects.all()
    )


class SupplierForm(StyledForm):
    code = forms.SlugField(label=_("Code"), max_length=40)
    name = forms.CharField(label=pgettext_lazy("thing", "Name"), max_length=200)
    tax_id = forms.CharField(label=_("Tax id"), max_length=30, required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    contact_name = forms.CharField(label=_("Contact"), max_length=100, required=False)
    contact_role = forms.CharField(label=_("Contact's role"), max_length=60, required=False)
    contact_phone = forms.CharField(label=_("Contact's phone"), max_length=30, required=False)
    contact_email = EmailAddressField(label=_("Contact's e-mail"), required=False)


class SupplierEditForm(StyledForm):
    name = forms.CharField(label=pgettext_lazy("thing", "Name"), max_length=200)
    tax_id = forms.CharField(label=_("Tax id"), max_length=30, required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    active = forms.BooleanField(label=_("Active"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def style(self) -> None:
        super().style()
        self.fields["active"].widget.attrs["class"] = "form-check-input"


class SupplierPriceForm(StyledForm):
    part = PartCodeField(label=_("Part code"))
    price = forms.DecimalField(label=_("Price"), **MONEY)
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput)
    valid_to = forms.DateField(label=_("Valid to"), widget=DateInput, required=False)
    lead_time_days = forms.IntegerField(label=_("Lead time (days)"), min_value=0, max_value=365)


class RatingForm(StyledForm):
    score = forms.TypedChoiceField(
        label=_("Service rating"), coerce=int, choices=[(i, str(i)) for i in range(5, 0, -1)]
    )
    comment = forms.CharField(label=_("Comment"), max_length=500, required=False)


class OrderForm(StyledForm):
    supplier = forms.ModelChoiceField(
        label=_("Supplier"), queryset=Supplier.objects.filter(active=True)
    )
    promised_date = forms.DateField(label=_("Promised delivery date"), widget=DateInput)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea({"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(ORDER_LINES):
            self.fields[f"part_{i}"] = PartCodeField(label=_("Part code"), required=False)
            self.fields[f"quantity_{i}"] = forms.DecimalField(
                label=_("Quantity"), required=False, **QTY
            )
            self.fields[f"unit_price_{i}"] = forms.DecimalField(
                label=_("Unit price"), required=False, **MONEY
            )
        self.style()
        if not self.is_bound:
            self.initial.setdefault("promised_date", timezone.localdate() + dt.timedelta(days=7))

    def line_rows(self):
        return [
            (self[f"part_{i}"], self[f"quantity_{i}"], self[f"unit_price_{i}"])
            for i in range(ORDER_LINES)
        ]

    def clean(self):
        data = super().clean()
        lines = []
        for i in range(ORDER_LINES):
            part = data.get(f"part_{i}")
            qty = data.get(f"quantity_{i}")
            if part is None and qty in (None, ""):
                continue
            if part is None:
                self.add_error(f"part_{i}", _("Enter the part code."))
                continue
            if qty in (None, ""):
                self.add_error(f"quantity_{i}", _("Enter the quantity."))
                continue
            lines.append({"part": part, "quantity": qty, "unit_price": data.get(f"unit_price_{i}")})
        if not lines and not self.errors:
            raise forms.ValidationError(_("Add at least one part to the order."))
        data["lines"] = lines
        return data


class TransitionForm(StyledForm):
    to_status = forms.ChoiceField(
        choices=[(s, s) for s in ("ordered", "cancelled", "closed")], widget=forms.HiddenInput
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class ReceiptForm(StyledForm):
    """One quantity and lot field per open order line (built from the order)."""

    location = forms.ModelChoiceField(
        label=_("Received into"), queryset=Location.objects.filter(active=True)
    )
    delivery_note = forms.CharField(
        label=_("Supplier's delivery note"), max_length=60, required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, order_lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.order_lines = [line for line in order_lines if line.open_quantity > 0]
        for line in self.order_lines:
            self.fields[f"qty_{line.pk}"] = forms.DecimalField(
                label=_("Quantity received"), required=False, **QTY
            )
            self.fields[f"lot_{line.pk}"] = forms.CharField(
                label=_("Lot number"), max_length=60, required=False
            )
        self.style()

    def line_rows(self):
        return [(line, self[f"qty_{line.pk}"], self[f"lot_{line.pk}"]) for line in self.order_lines]

    def clean(self):
        data = super().clean()
        lines = []
        for line in self.order_lines:
            qty = data.get(f"qty_{line.pk}")
            if qty in (None, "") or qty == 0:
                continue
            lines.append(
                {
                    "order_line": line.pk,
                    "quantity": qty,
                    "lot_number": data.get(f"lot_{line.pk}") or "",
                }
            )
        if not lines and not self.errors:
            raise forms.ValidationError(_("Enter the quantity received for at least one line."))
        data["lines"] = lines
        return data


class InspectionForm(StyledForm):
    accepted = forms.DecimalField(label=pgettext_lazy("inspection", "Accepted"), **QTY)
    rejected = forms.DecimalField(label=pgettext_lazy("inspection", "Rejected"), **QTY, initial=0)
    defect_description = forms.CharField(
        label=_("Defect description"), required=False, widget=forms.Textarea({"rows": 2})
    )


class DefectForm(StyledForm):
    reason = forms.CharField(
        label=_("What is wrong with the batch"), max_length=2000, widget=forms.Textarea({"rows": 2})
    )


class PriceChangeForm(StyledForm):
    part = PartCodeField(label=_("Part code"))
    list_price = forms.DecimalField(label=_("New list price"), **MONEY)
    reason = forms.CharField(label=_("Reason"), max_length=500)


class PriceRuleForm(StyledForm):
    name = forms.CharField(label=pgettext_lazy("thing", "Name"), max_length=100)
    kind = forms.ChoiceField(
        label=pgettext_lazy("price rule", "Kind"), choices=PriceRuleKind.choices
    )
    part = PartCodeField(label=_("Part code (empty: all parts)"), required=False)
    percent = forms.DecimalField(
        label=_("Mark-up (%)"), max_digits=6, decimal_places=2, min_value=0, required=False
    )
    reason = forms.CharField(label=_("Reason"), max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for tier, label in CustomerTier.choices:
            self.fields[f"tier_{tier}"] = forms.DecimalField(
                label=_("Discount for %(tier)s (%%)") % {"tier": label},
                max_digits=5,
                decimal_places=2,
                min_value=0,
                max_value=100,
                required=False,
            )
        self.style()

    def tier_fields(self):
        return [self[f"tier_{tier}"] for tier in CustomerTier.values]

    def tier_discounts(self) -> dict[str, Decimal]:
        return {
            tier: self.cleaned_data[f"tier_{tier}"]
            for tier in CustomerTier.values
            if self.cleaned_data.get(f"tier_{tier}") is not None
        }


class DecisionForm(StyledForm):
    approve = forms.TypedChoiceField(
        coerce=lambda v: v == "1", choices=[("1", "1"), ("0", "0")], widget=forms.HiddenInput
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class PeriodForm(StyledForm):
    start = forms.DateField(label=_("From"), widget=DateInput, required=False)
    end = forms.DateField(label=_("To"), widget=DateInput, required=False)

    def period(self) -> tuple[dt.date, dt.date]:
        end = (self.is_valid() and self.cleaned_data.get("end")) or timezone.localdate()
        start = (self.is_valid() and self.cleaned_data.get("start")) or end - dt.timedelta(days=90)
        if start > end:
            start, end = end, start
        return start, end


class FiguresForm(StyledForm):
    months = forms.IntegerField(label=_("Months"), min_value=1, max_value=36, required=False)
    dead_days = forms.IntegerField(
        label=_("Dead stock after (days)"), min_value=1, max_value=3650, required=False
    )

    def values(self) -> tuple[int, int]:
        ok = self.is_valid()
        return (
            (ok and self.cleaned_data.get("months")) or 12,
            (ok and self.cleaned_data.get("dead_days")) or 180,
        )
