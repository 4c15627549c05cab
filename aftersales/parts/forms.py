"""Forms of the parts screens: they check shape and look up codes; the services judge the
rules (quantities, stock, reasons) and their errors come back as form errors."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from aftersales.core.images import LimitedImageField
from aftersales.customers.models import ProductModel

from .choices import LocationKind, MovementKind, StockClass, Unit
from .models import Location, Part, Reservation

CODE_HELP = _("Letters, digits, dots, dashes and underscores.")


class PartSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=60)
    stock_class = forms.ChoiceField(
        label=_("Stock class"),
        required=False,
        choices=[("", _("All classes")), *StockClass.choices],
    )
    abc_class = forms.ChoiceField(
        label=_("ABC class"),
        required=False,
        choices=[("", _("All")), ("A", "A"), ("B", "B"), ("C", "C")],
    )


class PartForm(forms.Form):
    code = forms.CharField(label=_("Part code"), max_length=40, help_text=CODE_HELP)
    name = forms.CharField(label=pgettext_lazy("part", "Name"), max_length=150)
    specification = forms.CharField(
        label=_("Specification / model"), max_length=200, required=False
    )
    unit = forms.ChoiceField(label=_("Unit"), choices=Unit.choices)
    whole_units = forms.BooleanField(label=_("Whole quantities only"), required=False, initial=True)
    stock_class = forms.ChoiceField(label=_("Stock class"), choices=StockClass.choices)
    standard_cost = forms.DecimalField(
        label=_("Standard cost"), min_value=0, max_digits=12, decimal_places=2
    )
    list_price = forms.DecimalField(
        label=_("List price"), min_value=0, max_digits=12, decimal_places=2
    )
    reorder_point = forms.DecimalField(
        label=_("Reorder point"),
        min_value=0,
        max_digits=14,
        decimal_places=3,
        required=False,
        help_text=_("Empty: the default of the stock class."),
    )
    safety_stock = forms.DecimalField(
        label=_("Safety stock"),
        min_value=0,
        max_digits=14,
        decimal_places=3,
        required=False,
        help_text=_("Empty: the default of the stock class."),
    )
    lead_time_days = forms.IntegerField(
        label=_("Lead time (days)"), min_value=0, max_value=3650, required=False
    )
    product_models = forms.ModelMultipleChoiceField(
        label=_("Applicable product models"),
        queryset=ProductModel.objects.order_by("code"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    image = LimitedImageField(label=_("Image"), required=False)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(field.widget, forms.Select | forms.SelectMultiple):
                field.widget.attrs.setdefault("class", "form-select")
            elif not isinstance(field.widget, forms.HiddenInput):
                field.widget.attrs.setdefault("class", "form-control")
            if name in ("code",):
                field.widget.attrs["autocomplete"] = "off"


class LocationForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40, help_text=CODE_HELP)
    name = forms.CharField(label=pgettext_lazy("thing", "Name"), max_length=120)
    kind = forms.ChoiceField(label=pgettext_lazy("location", "Kind"), choices=LocationKind.choices)
    parent = forms.ModelChoiceField(
        label=_("Warehouse"),
        queryset=Location.objects.filter(kind=LocationKind.WAREHOUSE, active=True),
        required=False,
        to_field_name="code",
        help_text=_("For a bin: the warehouse it lies in."),
    )
    technician = forms.ModelChoiceField(
        label=_("Technician"),
        queryset=None,
        required=False,
        help_text=_("For a van: the technician who drives it."),
    )

    def __init__(self, *args, **kwargs):
        from aftersales.accounts.models import User
        from aftersales.accounts.roles import Role

        super().__init__(*args, **kwargs)
        self.fields["technician"].queryset = User.objects.filter(
            groups__name=Role.TECHNICIAN, is_active=True
        ).order_by("username")
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


MOVE_KINDS = {
    "receive": _("Receive"),
    "issue": _("Issue"),
    "return": _("Return"),
    "transfer": _("Transfer"),
    "adjust": _("Adjust"),
    "scrap": _("Scrap"),
}


class MovementForm(forms.Form):
    """One form for every movement kind; fields a kind does not use are removed."""

    part = forms.CharField(label=_("Part code"), max_length=40)
    location = forms.ModelChoiceField(
        label=_("Location"), queryset=Location.objects.none(), to_field_name="code"
    )
    target = forms.ModelChoiceField(
        label=_("To location"), queryset=Location.objects.none(), to_field_name="code"
    )
    quantity = forms.DecimalField(
        label=_("Quantity"),
        max_digits=14,
        decimal_places=3,
        help_text=_("For an adjustment: negative to reduce stock."),
    )
    unit_cost = forms.DecimalField(
        label=_("Unit cost"), min_value=0, max_digits=12, decimal_places=2
    )
    batch_lot = forms.CharField(label=_("Lot number"), max_length=60, required=False)
    work_order = forms.CharField(label=_("Work order"), max_length=20, required=False)
    reservation = forms.ModelChoiceField(
        label=_("Reservation"), queryset=Reservation.objects.none(), required=False
    )
    reference = forms.CharField(label=_("Reference"), max_length=100, required=False)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)

    FIELDS = {
        "receive": ["part", "location", "quantity", "unit_cost", "batch_lot", "reference"],
        "issue": [
            "part",
            "location",
            "quantity",
            "work_order",
            "reservation",
            "batch_lot",
            "reason",
        ],
        "return": ["part", "location", "quantity", "work_order", "batch_lot", "reason"],
        "transfer": ["part", "location", "target", "quantity", "batch_lot", "reason"],
        "adjust": ["part", "location", "quantity", "reason"],
        "scrap": ["part", "location", "quantity", "batch_lot", "reason"],
    }

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        keep = self.FIELDS[kind]
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        locations = Location.objects.filter(active=True).order_by("code")
        self.fields["location"].queryset = locations
        if kind == "transfer":
            self.fields["location"].label = _("From location")
            self.fields["target"].queryset = locations
        if kind != "adjust":
            self.fields["quantity"].help_text = ""
        if kind in ("adjust", "scrap"):
            self.fields["reason"].required = True
        if "reservation" in self.fields:
            self.fields["reservation"].queryset = Reservation.objects.filter(
                status="active"
            ).select_related("part", "location")
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)
        self.fields["part"].widget.attrs.update({"autocomplete": "off", "list": "part-codes"})

    def clean_part(self):
        code = self.cleaned_data["part"].strip()
        part = Part.objects.filter(code=code).first()
        if part is None:
            raise forms.ValidationError(_("Unknown part code “%(code)s”."), params={"code": code})
        return part

    def clean_work_order(self):
        number = (self.cleaned_data.get("work_order") or "").strip()
        if not number:
            return None
        from aftersales.workorders.models import WorkOrder

        wo = WorkOrder.objects.filter(number=number).only("id", "number").first()
        if wo is None:
            raise forms.ValidationError(_("Unknown work order “%(n)s”."), params={"n": number})
        return wo


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What the file holds"),
        choices=[("catalog", _("Parts catalog")), ("stock", _("Opening stock (receipts)"))],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx"}),
    )


class ReleaseForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


MOVEMENT_KIND_CHOICES = [("", _("All kinds")), *MovementKind.choices]
