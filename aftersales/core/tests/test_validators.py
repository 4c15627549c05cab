"""The shared e-mail check refuses what Django's EmailValidator lets through (invisible and
control characters in the domain, which it checks after IDNA encoding), on forms and in the
API alike."""

from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from aftersales.core.validators import EmailAddressField, validate_email_address

INVISIBLE = ["\u2028", "\u2029", "\u200b", "\u200e", "\u202e", "\u00ad", "\ufeff", "\x07", "\x00"]


@pytest.mark.parametrize("char", INVISIBLE)
def test_invisible_or_control_characters_are_refused(char):
    address = f"wang@exa{char}mple.com"
    with pytest.raises(ValidationError):
        validate_email_address(address)


def test_django_alone_lets_a_line_separator_in_the_domain_through():
    """Why the shared validator exists: this is the gap it closes."""
    validate_email("wang@exa\u2028mple.com")


@pytest.mark.parametrize(
    "address", ["wang@example.com", "li.na+shouhou@service.example.cn", "wang@例子.中国"]
)
def test_ordinary_addresses_pass(address):
    validate_email_address(address)


def test_plain_django_errors_still_apply():
    for address in ("wang@", "wang", "wang@@example.com"):
        with pytest.raises(ValidationError):
            validate_email_address(address)


class _Form(forms.Form):
    email = EmailAddressField()


def test_the_form_field_shows_an_error_on_the_field():
    form = _Form(data={"email": "wang@exa\u2028mple.com"})
    assert not form.is_valid()
    assert list(form.errors) == ["email"]
    assert _Form(data={"email": "wang@example.com"}).is_valid()
