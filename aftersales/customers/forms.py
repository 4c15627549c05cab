"""HTML forms for customers and their products. Shape only: phone parsing, duplicate serials
and warranty terms are the services' business."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from aftersales.core.validators import EmailAddressField

from .choices import CustomerKind, CustomerTier
from .models import ProductModel


class CustomerSearchForm(forms.Form):
    q = forms.CharField(label=_("Name or phone"), required=False, max_length=100)


class CustomerCreateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    phone = forms.CharField(label=_("Phone"), max_length=30)
    kind = forms.ChoiceField(
        label=pgettext_lazy("customer", "Kind"),
        choices=CustomerKind.choices,
        initial=CustomerKind.INDIVIDUAL,
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


# -- editing a customer, a contact, an address (R9.1) ------------------------------------------
# Each form carries the version the editor saw: a form opened before someone else saved is
# refused with a conflict and changes nothing. Fields a role sees masked (e-mail, phone,
# street) start empty for that role and are left as they are when left empty: a masked value
# is never sent back into the record, and the whole value never reaches the page.


class _VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    #: fields a role without whole personal data sees masked
    MASKED: tuple[str, ...] = ()

    def __init__(self, *args, masked: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.masked = masked or {}
        for name, shown in self.masked.items():
            field = self.fields[name]
            field.required = False
            field.help_text = _("Now %(shown)s. Leave empty to keep it.") % {"shown": shown or "—"}

    def changes(self) -> dict:
        """The cleaned fields to send to the service: masked ones only when typed."""
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        for name in self.masked:
            if not data.get(name):
                data.pop(name, None)
        return data


class CustomerEditForm(_VersionedForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=pgettext_lazy("customer", "Kind"), choices=CustomerKind.choices)
    company_name = forms.CharField(label=_("Company"), max_length=200, required=False)
    email = EmailAddressField(label=_("E-mail"), required=False)
    tier = forms.ChoiceField(label=_("Tier"), choices=CustomerTier.choices)
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"), choices=[("zh-hans", "简体中文"), ("en", "English")]
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    MASKED = ("email",)
    ERROR_FIELDS = {"name_required": "name", "invalid_choice": None, "version_conflict": None}


class ContactEditForm(_VersionedForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    phone = forms.CharField(label=_("Phone"), max_length=30)
    email = EmailAddressField(label=_("E-mail"), required=False)
    is_primary = forms.BooleanField(label=_("Primary contact"), required=False)

    MASKED = ("phone", "email")
    ERROR_FIELDS = {
        "phone_invalid": "phone",
        "phone_required": "phone",
        "duplicate_phone": "phone",
        "version_conflict": None,
    }


class AddressEditForm(_VersionedForm):
    label = forms.CharField(label=_("Label"), max_length=50, required=False)
    province = forms.CharField(label=_("Province"), max_length=50, required=False)
    city = forms.CharField(label=_("City"), max_length=50, required=False)
    district = forms.CharField(label=_("District"), max_length=50, required=False)
    street = forms.CharField(label=_("Street address"), max_length=300)
    is_default = forms.BooleanField(label=_("Default address"), required=False)

    MASKED = ("street",)
    ERROR_FIELDS = {"street_required": "street", "version_conflict": None}


class AccessLogFilterForm(forms.Form):
    """Narrow the personal data access log: who, which customer, how, and a range of dates."""

    actor = forms.CharField(label=_("Who"), required=False, max_length=150)
    customer = forms.CharField(label=_("Customer (name or number)"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Access"),
        required=False,
        choices=[("", _("Any"))],
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        from .models import PersonalDataAccess

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Any")), *PersonalDataAccess.Kind.choices]
