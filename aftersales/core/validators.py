"""Validators shared by the HTML forms and the JSON API, so both refuse the same input."""

from __future__ import annotations

import unicodedata
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext_lazy as _

# Control, format (zero-width, bidi marks, soft hyphen), separator (U+2028/U+2029, spaces),
# private-use, surrogate and unassigned characters: none belongs in an e-mail address, yet
# Django's EmailValidator lets them through in the domain, which it checks after IDNA encoding.
_NOT_IN_ADDRESSES = {"Cc", "Cf", "Cn", "Co", "Cs", "Zl", "Zp", "Zs"}


class EmailAddressValidator(EmailValidator):
    """Django's EmailValidator, and no invisible or control character anywhere."""

    message = _("Enter a valid e-mail address.")

    def __call__(self, value: Any) -> None:
        text = str(value)
        if any(unicodedata.category(ch) in _NOT_IN_ADDRESSES for ch in text):
            raise ValidationError(
                _("The e-mail address contains invisible or control characters."),
                code="invalid",
                params={"value": value},
            )
        super().__call__(text)


validate_email_address = EmailAddressValidator()


class EmailAddressField(forms.EmailField):
    """A form's e-mail field with :data:`validate_email_address`."""

    default_validators = [validate_email_address]
