"""Forms of the customer portal. They check the shape of what a customer typed; the rules
(phone parsing, file checks, who may move a case where) stay in the services they feed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from aftersales.accounts.models import User
from aftersales.cases.choices import CaseType, Status
from aftersales.cases.forms import ExtraForm, IntakeCaseForm, extra_form
from aftersales.core.errors import DomainError
from aftersales.core.validators import EmailAddressField
from aftersales.customers.models import Asset, ProductModel
from aftersales.customers.phones import normalize_phone

# Which form field a service's error code belongs to; anything else is shown for the whole form.
ERROR_FIELDS = {
    "phone_required": "phone",
    "phone_invalid": "phone",
    "username_taken": "username",
    "name_required": "name",
    "title_required": "title",
    "asset_mismatch": "asset",
    "duplicate_asset": "serial_number",
    "purchase_date_future": "purchase_date",
    "body_required": "body",
    "reason_required": "reason",
}


def _style(form: forms.Form) -> None:
    """Bootstrap classes on every widget, so templates only lay fields out."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several photos or PDFs in one input; each is checked by the attachment service."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            MultipleFileInput(attrs={"accept": "image/*,application/pdf"}),
        )
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class SignupForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=100)
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    email = EmailAddressField(
        label=_("E-mail"),
        help_text=_("We send you news about your requests here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        validators=[User.username_validator],
        help_text=_("Letters, digits and @/./+/-/_ only."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    consent_privacy = forms.BooleanField(
        label=_("I have read and accept the privacy notice."),
        error_messages={"required": _("Please accept the privacy notice to open an account.")},
    )
    consent_marketing = forms.BooleanField(
        label=_("Send me offers and care reminders (optional)."), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)

    def clean_phone(self) -> str:
        raw = self.cleaned_data["phone"]
        try:
            normalize_phone(raw)
        except DomainError as exc:
            raise ValidationError(str(exc.message), code=exc.code) from exc
        return raw

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("That user name is taken."), code="username_taken")
        return username

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            probe = User(
                username=data.get("username", ""),
                email=data.get("email", ""),
                display_name=data.get("name", ""),
            )
            try:
                validate_password(p1, user=probe)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return data


# The per-type details a customer can tell us; the others (whether a complaint repeats, whether
# returned goods are intact, a consultation's topic) are the staff's call and keep the schema's
# default. The fields themselves are built from the case schemas by ``extra_form``.
PORTAL_EXTRA_FIELDS: dict[str, tuple[str, ...]] = {
    CaseType.CONSULTATION: (),
    CaseType.REPAIR: ("fault_symptom", "preferred_visit", "on_site", "service_address"),
    CaseType.COMPLAINT: ("complaint_about", "demand", "incident_date"),
    CaseType.RETURN_EXCHANGE: ("request", "order_number", "received_date", "reason"),
    CaseType.WARRANTY_CLAIM: ("failure_date", "mileage_km", "invoice_number"),
    CaseType.PROPOSAL: ("proposal_category",),
    CaseType.DELIVERY_ISSUE: ("order_number", "promised_date"),
}

# Where the staff wording speaks about the customer, the portal speaks to them.
PORTAL_EXTRA_LABELS = {
    "complaint_about": _("What is it about?"),
    "demand": _("What would you like us to do?"),
    "incident_date": _("When did it happen?"),
    "request": _("Return or exchange?"),
    "on_site": _("A technician should come to me"),
}


def chosen_type(data: Any) -> str:
    """The case type asked for, or the default one when missing or unknown."""
    return IntakeCaseForm.chosen_type(data)


def portal_extra_form(case_type: str, data: Any = None) -> ExtraForm:
    """The details form of ``case_type`` with only the fields a customer fills in."""
    form = extra_form(case_type, data=data)
    keep = PORTAL_EXTRA_FIELDS.get(case_type, ())
    form.fields = {name: form.fields[name] for name in keep if name in form.fields}
    for name, field in form.fields.items():
        if name in PORTAL_EXTRA_LABELS:
            field.label = PORTAL_EXTRA_LABELS[name]
        if isinstance(field.widget, forms.DateInput):
            field.widget.format = "%Y-%m-%d"
    _style(form)
    return form


class CaseNewForm(forms.Form):
    case_type = forms.ChoiceField(
        label=_("What do you need?"), choices=CaseType.choices, initial=CaseType.REPAIR
    )
    asset = forms.ModelChoiceField(
        label=_("Which of my products"),
        queryset=Asset.objects.none(),
        required=False,
        empty_label=_("— none or not listed —"),
    )
    product_model = forms.ModelChoiceField(
        label=_("Product model"),
        queryset=ProductModel.objects.none(),
        required=False,
        empty_label=_("— choose —"),
    )
    serial_number = forms.CharField(label=_("Serial number"), max_length=60, required=False)
    purchase_date = forms.DateField(
        label=_("Purchase date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    # The description is the one field a customer must fill in; the case's title is taken from
    # its first line when the subject is left empty (``case_create``). A subject alone is
    # accepted too, so one of the two is always required.
    description = forms.CharField(
        label=_("Describe the problem"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    title = forms.CharField(
        label=_("Subject"),
        max_length=200,
        required=False,
        help_text=_("Leave it empty and we use the first line of your description."),
        widget=forms.TextInput(attrs={"placeholder": _("e.g. The air conditioner does not cool")}),
    )
    files = MultipleFileField(
        label=_("Photos or documents"),
        help_text=_("Images or PDF; you can take a photo with your phone."),
    )

    def __init__(
        self, *args: Any, assets: QuerySet[Asset], product_models: QuerySet[ProductModel], **kw
    ) -> None:
        super().__init__(*args, **kw)
        self.fields["asset"].queryset = assets
        self.fields["product_model"].queryset = product_models
        # Choosing another type swaps its detail fields in (the partial of the same page).
        self.fields["case_type"].widget.attrs.update(
            {
                "hx-get": reverse("portal:case_new"),
                "hx-target": "#portal-type-fields",
                "hx-swap": "outerHTML",
                "hx-trigger": "change",
            }
        )
        _style(self)

    @property
    def registers_product(self) -> bool:
        return bool(self.cleaned_data.get("product_model"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        new_product = data.get("product_model")
        if new_product and data.get("asset"):
            self.add_error(
                "product_model",
                _("Choose one of your products or register a new one, not both."),
            )
        elif not new_product and (data.get("serial_number") or data.get("purchase_date")):
            self.add_error("product_model", _("Choose the model of the product to register."))
        title, description = data.get("title") or "", data.get("description") or ""
        if "title" in data and "description" in data and not (title.strip() or description.strip()):
            self.add_error("description", _("Describe the problem."))
        return data


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    files = MultipleFileField(label=_("Photos or documents"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not (data.get("body") or "").strip() and not data.get("files"):
            self.add_error("body", _("Write a message."))
        return data


class ConfirmForm(forms.Form):
    """The customer's say on the outcome: solved, not solved (why), or cancel (why)."""

    to_status = forms.ChoiceField(choices=Status.choices)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class RatingForm(forms.Form):
    """How the customer rates the service once the case is resolved (R1.3)."""

    rating = forms.TypedChoiceField(
        label=_("Your rating"),
        coerce=int,
        choices=[
            (5, _("Very satisfied")),
            (4, _("Satisfied")),
            (3, _("Neutral")),
            (2, _("Dissatisfied")),
            (1, _("Very dissatisfied")),
        ],
        widget=forms.RadioSelect,
    )
    feedback = forms.CharField(
        label=_("Anything you want to tell us (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
