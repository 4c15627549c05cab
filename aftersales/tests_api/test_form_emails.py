"""Every e-mail field of every form uses the shared check (``core.validators``), so a form
refuses what the API refuses: an address with U+2028 or a zero-width space in its domain."""

from __future__ import annotations

import pytest
from django import forms

from aftersales.core.validators import EmailAddressField

from .test_form_numbers import form_classes

pytestmark = pytest.mark.django_db


def email_fields():
    for cls in form_classes():
        for name, field in getattr(cls, "base_fields", {}).items():
            if isinstance(field, forms.EmailField):
                yield cls, name, field


def test_every_e_mail_field_is_the_shared_one_and_refuses_invisible_characters():
    fields = list(email_fields())
    assert len(fields) >= 4, fields
    for cls, name, field in fields:
        where = f"{cls.__module__}.{cls.__name__}.{name}"
        assert isinstance(field, EmailAddressField), where
        for address in ("wang@exa\u2028mple.com", "wang@exa\u200bmple.com"):
            with pytest.raises(forms.ValidationError):
                field.clean(address)
        assert field.clean("wang@example.com") == "wang@example.com", where


def test_portal_sign_up_shows_the_error_on_the_e_mail_field():
    from aftersales.portal.forms import SignupForm

    form = SignupForm(data={"name": "王五", "phone": "13700001111", "email": "w@exa\u2028mple.com"})
    assert not form.is_valid()
    assert "email" in form.errors
