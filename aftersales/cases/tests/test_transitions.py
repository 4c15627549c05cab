"""Every case type's table, step by step: each (from, to, side) is allowed exactly when the
table lists it for that side, the refusal is the API answer callers rely on, every status is
reachable from a new case, and no status is a dead end.

Parametrisation ids come from sorted sequences so that parallel collection agrees."""

from __future__ import annotations

import pytest
from django.db import transaction

from aftersales.cases.choices import CaseType, Status
from aftersales.cases.models import Case
from aftersales.cases.services import case_transition
from aftersales.cases.transitions import (
    CUSTOMER,
    MACHINES,
    SIDES,
    STAFF,
    SYSTEM,
    TABLE,
    allowed_steps,
    find_step,
    initial_status,
    statuses_for,
)
from aftersales.conftest import make_case
from aftersales.core.errors import TransitionNotAllowed

TYPE_STATES = sorted((ct.value, s.value) for ct, m in MACHINES.items() for s in m.table)
TYPES = sorted(ct.value for ct in CaseType)


def _one_type_per_table() -> list[str]:
    """One case type per distinct table, for the walk through the service itself."""
    owners: list[CaseType] = []
    for ct in sorted(MACHINES, key=lambda c: c.value):
        if all(TABLE[ct] != TABLE[other] for other in owners):
            owners.append(ct)
    return [ct.value for ct in owners]


TABLE_OWNERS = _one_type_per_table()


def test_every_type_has_a_machine_and_the_sides_are_known():
    assert sorted(ct.value for ct in MACHINES) == TYPES
    assert SIDES == (STAFF, CUSTOMER, SYSTEM)
    for machine in MACHINES.values():
        assert machine.sides <= set(SIDES)


@pytest.mark.parametrize(("case_type", "source"), TYPE_STATES, ids="/".join)
def test_every_step_from_a_status_is_allowed_or_refused_by_the_table(case_type, source):
    machine = MACHINES[CaseType(case_type)]
    wrong = []
    for to in sorted(Status.values):
        for side in sorted(SIDES):
            step = find_step(case_type, source, to)
            listed = step is not None and side in step.by
            allowed_here = [s.to.value for s in allowed_steps(case_type, source, side)]
            if listed != (to in allowed_here):
                wrong.append((to, side, "allowed_steps disagrees"))
            try:
                taken = machine.check(source, to, side)
            except TransitionNotAllowed as exc:
                if listed:
                    wrong.append((to, side, "refused"))
                elif exc.detail != {"from": source, "to": to, "allowed": allowed_here}:
                    wrong.append((to, side, exc.detail))
            else:
                if not listed or taken is not step:
                    wrong.append((to, side, "allowed"))
    assert not wrong, wrong


@pytest.mark.parametrize("case_type", TYPES)
def test_every_status_is_reachable_and_none_is_a_dead_end(case_type):
    machine = MACHINES[CaseType(case_type)]
    assert machine.initial == (initial_status(case_type),) == (Status.NEW,)
    assert statuses_for(case_type) == list(machine.table)
    assert machine.unreachable() == []
    assert machine.trapped() == []
    for source, steps in machine.table.items():
        assert steps or source in machine.terminal


@pytest.mark.django_db
@pytest.mark.parametrize("case_type", TABLE_OWNERS)
def test_the_service_takes_exactly_the_steps_of_the_table(case_type, users, customers):
    """case_transition, from every status of the type's table, for every (to, side): it moves
    when the table lists the step and refuses with the table's own answer otherwise. Each
    allowed step is rolled back so the next starts from the same status."""
    machine = MACHINES[CaseType(case_type)]
    case = make_case(customers["alice"], case_type=case_type, asset=None)
    wrong = []
    for source, to, side in machine.moves():
        Case.objects.filter(pk=case.pk).update(status=source)
        case.refresh_from_db()
        listed = machine.allows(source, to, side)
        try:
            with transaction.atomic():
                moved = case_transition(
                    actor=users["agent"], case=case, to_status=to, reason="walk", side=side
                )
                assert moved.status == to
                transaction.set_rollback(True)
        except TransitionNotAllowed as exc:
            if listed:
                wrong.append((source, to, side, "refused"))
                continue
            with pytest.raises(TransitionNotAllowed) as expected:
                machine.check(source, to, side)
            if exc.as_dict() != expected.value.as_dict():
                wrong.append((source, to, side, exc.as_dict()))
        else:
            if not listed:
                wrong.append((source, to, side, "allowed"))
    assert not wrong, wrong
