"""The kernel helpers every app shares: the acting user, a refusal on a form, the editable
fields of a versioned edit, and writers that race."""

from __future__ import annotations

import threading

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser

from aftersales.core.actors import actor_or_none
from aftersales.core.errors import Conflict, InvalidInput
from aftersales.core.forms import add_domain_error
from aftersales.core.testing import run_concurrently
from aftersales.core.versions import require_editable


class _Person:
    is_authenticated = True

    def get_username(self) -> str:
        return "zhang"


def test_only_a_signed_in_user_is_recorded_as_the_actor():
    person = _Person()
    assert actor_or_none(person) is person
    assert actor_or_none(AnonymousUser()) is None
    assert actor_or_none(None) is None


class _Form(forms.Form):
    name = forms.CharField(required=False)
    files = forms.CharField(required=False)


def _errors(exc, fields=None) -> dict:
    form = _Form(data={})
    form.is_valid()
    add_domain_error(form, exc, fields)
    return {key: [str(e) for e in value] for key, value in form.errors.items()}


def test_a_refusal_lands_on_the_field_it_names_else_on_the_form():
    named = InvalidInput("名称必填", detail={"field": "name"})
    assert _errors(named) == {"name": ["名称必填"]}
    unknown_field = InvalidInput("x", detail={"field": "not_on_this_form"})
    assert _errors(unknown_field) == {"__all__": ["x"]}
    assert _errors(Conflict("y")) == {"__all__": ["y"]}


def test_a_form_that_maps_codes_decides_by_the_code():
    fields = {"name_required": "name", "mismatch": None}
    assert _errors(InvalidInput("a", code="name_required"), fields) == {"name": ["a"]}
    # the mapping wins over the field the error names, and None means the whole form
    assert _errors(InvalidInput("b", code="mismatch", detail={"field": "name"}), fields) == {
        "__all__": ["b"]
    }
    assert _errors(InvalidInput("c", code="attachment_too_large"), fields) == {"files": ["c"]}


def test_fields_outside_the_editable_set_are_all_named():
    require_editable({"name": 1}, {"name", "notes"})
    with pytest.raises(InvalidInput) as caught:
        require_editable({"zeta": 1, "alpha": 2, "name": 3}, {"name"})
    assert caught.value.code == "field_not_editable"
    assert str(caught.value.message).endswith("alpha, zeta")


def test_concurrent_calls_run_together_and_report_in_order():
    started = threading.Barrier(3, timeout=10)  # passes only when all three run at once

    def work(i: int) -> int:
        started.wait()
        if i == 1:
            raise Conflict("lost the race")
        return i * 10

    results = run_concurrently(3, work)
    assert results[0] == 0 and results[2] == 20
    assert isinstance(results[1], Conflict)
