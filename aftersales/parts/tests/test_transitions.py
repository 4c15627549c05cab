"""The stock-reservation table, step by step: each (from, to, side) is allowed exactly when
the table lists it, and the ledger's services close a reservation exactly from the states the
table lets them start from.

Parametrisation ids come from sorted sequences so that parallel collection agrees."""

from __future__ import annotations

import pytest
from django.db import transaction

from aftersales.core.errors import Conflict, TransitionNotAllowed
from aftersales.parts.choices import ReservationStatus
from aftersales.parts.models import Reservation
from aftersales.parts.services import (
    reservation_create,
    reservation_release,
    stock_issue,
    stock_receive,
)
from aftersales.parts.transitions import RESERVATIONS, SYSTEM

MOVES = RESERVATIONS.moves()


@pytest.mark.parametrize(("source", "to", "side"), MOVES, ids=["-".join(m) for m in MOVES])
def test_every_step_is_allowed_or_refused_by_the_table(source, to, side):
    step = RESERVATIONS.find_step(source, to)
    listed = step is not None and side in step.by
    assert (source in RESERVATIONS.sources(to, side)) is listed
    if listed:
        assert RESERVATIONS.check(source, to, side) is step
    else:
        with pytest.raises(TransitionNotAllowed):
            RESERVATIONS.check(source, to, side)


def test_every_state_is_reachable_and_none_is_a_dead_end():
    assert sorted(RESERVATIONS.table) == sorted(ReservationStatus)
    assert RESERVATIONS.initial == (ReservationStatus.ACTIVE,)
    assert Reservation._meta.get_field("status").default == ReservationStatus.ACTIVE
    assert RESERVATIONS.unreachable() == [] and RESERVATIONS.trapped() == []
    assert RESERVATIONS.sides == {SYSTEM}


@pytest.mark.django_db
def test_issue_and_release_close_a_reservation_only_from_the_tables_states(stock_setup):
    s = stock_setup
    cap, wh, keeper = s["cap"], s["wh"], s["keeper"]
    stock_receive(part=cap, location=wh, quantity=10, unit_cost=10, actor=keeper)
    reservation = reservation_create(
        part=cap, location=wh, quantity=1, work_order=s["wo"], actor=keeper
    )
    actions = [
        (ReservationStatus.RELEASED, lambda r: reservation_release(r, actor=keeper)),
        (
            ReservationStatus.CONSUMED,
            lambda r: stock_issue(part=cap, location=wh, quantity=1, reservation=r, actor=keeper),
        ),
    ]
    wrong = []
    for source in sorted(ReservationStatus.values):
        for to, act in actions:
            Reservation.objects.filter(pk=reservation.pk).update(status=source)
            reservation.refresh_from_db()
            try:
                with transaction.atomic():
                    act(reservation)
                    reservation.refresh_from_db()
                    assert reservation.status == to
                    transaction.set_rollback(True)
            except Conflict:
                taken = False
            else:
                taken = True
            if taken != RESERVATIONS.allows(source, to, SYSTEM):
                wrong.append((source, to, taken))
    assert not wrong, wrong
