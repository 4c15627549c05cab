"""HTML forms for customers and their products. Shape only: phone parsing, duplicate serials
and warranty terms are the services' business."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import CustomerKind
from .models import ProductModel


class CustomerSearchForm(forms.Form):
    q = forms.CharField(label=_("Name or phone"), required=False, max_length=100)


class CustomerCreateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    phone = forms.CharField(label=_("Phone"), max_length=30)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=CustomerKind.choices, initial=CustomerKind.INDIVIDUAL
    )
    company_name = forms.CharField(label=_("Company"), max_length=200, required=False)

    # Which field a service error code belongs to.
    ERROR_FIELDS = {
        "phone_invalid": "phone",
        "phone_required": "phone",
        "name_required": "name",
        "invalid_choice": "kind",
    }


class AssetForm(forms.Form):
    product_model = forms.ModelChoiceField(
        label=_("Product model"), queryset=ProductModel.objects.all()
    )
    serial_number = forms.CharField(label=_("Serial number"), max_length=60, required=False)
    vin = forms.CharField(label=_("VIN"), max_length=17, required=False)
    plate_number = forms.CharField(label=_("Plate number"), max_length=16, required=False)
    purchase_date = forms.DateField(
        label=_("Purchase date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    invoice_number = forms.CharField(label=_("Invoice number"), max_length=40, required=False)

    ERROR_FIELDS = {
        "vin_invalid": "vin",
        "purchase_date_future": "purchase_date",
        "duplicate_asset": "serial_number",
    }


class RevealForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)
