"""Every stateful model field has a state machine (style rule 3): a field named ``status``,
``state`` or ``…_state``/``…_status`` with choices must be governed by a table in its app's
``transitions.py``, over exactly the field's choices, starting where the field's default
starts. A new stateful model without a table fails here.

Parametrisation ids come from sorted sequences so that parallel collection agrees."""

from __future__ import annotations

import importlib
import importlib.util

import pytest
from django.apps import apps
from django.db import models

from aftersales.core.statemachine import registered


def _load_tables() -> None:
    for config in apps.get_app_configs():
        name = f"{config.name}.transitions"
        if importlib.util.find_spec(name) is not None:
            importlib.import_module(name)


def _is_state(field: models.Field) -> bool:
    name = field.name
    return bool(field.choices) and (
        name in ("status", "state") or name.endswith(("_status", "_state"))
    )


def _state_fields() -> list[str]:
    return sorted(
        f"{model._meta.app_label}.{model.__name__}.{field.name}"
        for model in apps.get_models()
        if not model._meta.abstract and not model._meta.proxy
        for field in model._meta.concrete_fields
        if _is_state(field)
    )


_load_tables()
FIELDS = _state_fields()


def _field(label: str) -> models.Field:
    app_label, model_name, field_name = label.split(".")
    return apps.get_model(app_label, model_name)._meta.get_field(field_name)


def test_the_enumeration_finds_the_known_state_fields():
    assert "workorders.WorkOrder.status" in FIELDS
    assert "cases.Case.status" in FIELDS
    assert sorted(registered()) == FIELDS


@pytest.mark.parametrize("label", FIELDS)
def test_every_state_field_has_a_machine_over_its_choices(label):
    machines = registered().get(label)
    assert machines, f"{label} has no state machine: add one to its app's transitions.py"
    field = _field(label)
    values = {value for value, _label in field.choices}
    for machine in machines:
        assert {str(s) for s in machine.states} == values, machine.name
        assert {str(s) for s in machine.table} <= values, machine.name
        if field.has_default() and field.get_default() != "":
            assert field.get_default() in machine.initial, machine.name
