"""The HTML forms refuse the numbers the API refuses: every decimal or float field of every form
the apps define answers ``Infinity``, ``NaN`` and ``1e999999`` with an error on that field,
never a value that reaches a service or the database. Django's DecimalField and FloatField do
the finite check; the bound comes from each field's ``max_digits`` (or a value limit), which
this test makes every such field declare."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from django import forms

import aftersales

pytestmark = pytest.mark.django_db

VALUES = ["Infinity", "-Infinity", "NaN", "1e999999", "-1e999999"]


def form_classes() -> list[type[forms.BaseForm]]:
    found = []
    for info in pkgutil.iter_modules(aftersales.__path__):
        try:
            module = importlib.import_module(f"aftersales.{info.name}.forms")
        except ModuleNotFoundError:
            continue
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                found.append(cls)
    return found


def number_fields():
    for cls in form_classes():
        try:
            form = cls(data={})
        except TypeError:  # needs arguments of its screen: its declared fields still count
            fields = getattr(cls, "base_fields", {})
        else:
            fields = form.fields
        for name, field in fields.items():
            if isinstance(field, forms.DecimalField | forms.FloatField):
                yield cls, name, field


def test_every_number_field_of_every_form_refuses_non_finite_input():
    checked = 0
    for cls, name, field in number_fields():
        for value in VALUES:
            try:
                field.clean(value)
            except forms.ValidationError:
                continue
            pytest.fail(f"{cls.__module__}.{cls.__name__}.{name} took {value!r}")
        checked += 1
    assert checked >= 15, checked


def test_the_part_form_shows_the_error_on_the_field():
    from aftersales.parts.forms import PartForm

    form = PartForm(
        data={"code": "FAN-01", "name": "风扇电机", "unit": "pcs", "standard_cost": "Infinity"}
    )
    assert not form.is_valid()
    assert "standard_cost" in form.errors
