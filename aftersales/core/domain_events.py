"""The one domain event outbox: typed events written in the change's transaction, read in
commit order by consumers that keep a cursor (docs/adr/0005-one-event-outbox.md).

Each domain declares its kinds with :func:`event_type` in its own ``events.py`` and writes them
through one typed function per kind, so a payload's shape is defined once. Consumers never read
by ``id``: ids are taken when a row is written, not when it commits, so reading ``id > cursor``
skips a row whose transaction took a lower id and committed later. Instead,
:func:`events_publish` numbers committed, unnumbered rows (``seq``) while holding the one
counter row's lock; a row that commits later gets a later number, so ``seq > cursor`` never
skips. Readers publish before they read; nothing else has to run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils.functional import Promise

from .actors import actor_or_none
from .models import DomainEvent, EventCursor, EventSequence
from .rows import insert_row, insert_rows


@dataclass(frozen=True)
class EventType:
    """A kind of domain event: ``case.opened``. ``label`` is what a person reads."""

    name: str
    aggregate: str
    label: str | Promise

    def __str__(self) -> str:
        return self.name


_TYPES: dict[str, EventType] = {}


def event_type(name: str, *, aggregate: str, label: str | Promise) -> EventType:
    """Declare a kind once (at import of the domain's ``events`` module)."""
    found = _TYPES.get(name)
    if found is not None and found.aggregate != aggregate:
        raise ValueError(f"event kind {name} declared twice with other objects")
    _TYPES[name] = EventType(name, aggregate, label)
    return _TYPES[name]


def event_types() -> list[EventType]:
    return sorted(_TYPES.values(), key=lambda t: t.name)


def event_label(name: str) -> str:
    found = _TYPES.get(name)
    return str(found.label) if found else name


def _row(
    kind: EventType, *, aggregate_id: int, reference: str, actor: Any, payload: dict[str, Any]
) -> DomainEvent:
    return DomainEvent(
        kind=kind.name,
        aggregate=kind.aggregate,
        aggregate_id=aggregate_id,
        reference=(reference or "")[:64],
        actor=actor_or_none(actor),
        payload=payload,
    )


def event_record(
    kind: EventType,
    *,
    aggregate_id: int,
    reference: str = "",
    actor: Any = None,
    payload: dict[str, Any] | None = None,
) -> DomainEvent:
    """Append one event in the caller's transaction (the domain's typed functions call this)."""
    return insert_row(
        _row(
            kind, aggregate_id=aggregate_id, reference=reference, actor=actor, payload=payload or {}
        )
    )


def events_record(kind: EventType, items: Iterable[tuple[int, str, Any, dict[str, Any]]]) -> None:
    """Append many events of one kind: ``(aggregate_id, reference, actor, payload)`` each."""
    rows = [
        _row(kind, aggregate_id=a, reference=r, actor=actor, payload=p) for a, r, actor, p in items
    ]
    if rows:
        insert_rows(rows)


def events_publish(*, batch: int = 5000) -> int:
    """Number the committed, unnumbered events in id order; returns how many were numbered.

    The counter row is locked first (``SELECT … FOR UPDATE``; on SQLite the write transaction
    already serialises writers), then the unnumbered rows are read in a fresh snapshot: every
    row seen here is committed, and a row still uncommitted is numbered by a later call, after
    every number given now."""
    with transaction.atomic():
        counter = _counter_locked()
        ids = list(
            DomainEvent.objects.filter(seq__isnull=True)
            .order_by("id")
            .values_list("id", flat=True)[:batch]
        )
        if not ids:
            return 0
        first = counter.last_seq + 1
        _number(ids, first)
        EventSequence.objects.filter(pk=counter.pk).update(last_seq=first + len(ids) - 1)
    return len(ids)


def _counter_locked() -> EventSequence:
    qs = EventSequence.objects.all()
    if connection.features.has_select_for_update:
        qs = qs.select_for_update()
    counter = qs.order_by("pk").first()
    if counter is None:
        # Seeded by the migration; a flushed test database may lack it. Two first publishers
        # racing here: the loser's insert fails and it waits on the winner's row.
        try:
            with transaction.atomic():
                EventSequence.objects.create(pk=1, last_seq=0)
        except IntegrityError:
            pass
        counter = qs.get(pk=1)
    return counter


def _number(ids: list[int], first: int) -> None:
    """``seq = first + rank`` for ``ids`` (in order) in one statement per chunk."""
    qn = connection.ops.quote_name
    table = qn(DomainEvent._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            lo, hi = chunk[0], chunk[-1]
            if hi - lo + 1 == len(chunk):
                # A gap-free run of ids (the usual case): arithmetic instead of a CASE list.
                cursor.execute(
                    f"UPDATE {table} SET {qn('seq')} = {qn('id')} + %s "
                    f"WHERE {qn('id')} BETWEEN %s AND %s AND {qn('seq')} IS NULL",
                    [first + start - lo, lo, hi],
                )
            else:
                whens = " ".join(["WHEN %s THEN %s"] * len(chunk))
                params: list[int] = []
                for i, pk in enumerate(chunk):
                    params += [pk, first + start + i]
                cursor.execute(
                    f"UPDATE {table} SET {qn('seq')} = CASE {qn('id')} {whens} END "
                    f"WHERE {qn('id')} IN ({', '.join(['%s'] * len(chunk))})",
                    [*params, *chunk],
                )


def events_after(position: int, *, limit: int = 500, publish: bool = True) -> list[DomainEvent]:
    """Events published after ``position`` (a ``seq``), oldest first."""
    if publish:
        events_publish()
    return list(DomainEvent.objects.filter(seq__gt=position).order_by("seq")[:limit])


def events_consume(
    consumer: str, handle: Callable[[DomainEvent], None], *, limit: int = 500
) -> int:
    """Hand the events after ``consumer``'s cursor to ``handle`` in order and move the cursor
    past them, in one transaction: an error in ``handle`` leaves the cursor where it was, so the
    events come again (at least once; handlers must be idempotent by event id)."""
    events_publish()
    with transaction.atomic():
        cursor, _created = EventCursor.objects.get_or_create(consumer=consumer)
        qs = EventCursor.objects.filter(pk=cursor.pk)
        if connection.features.has_select_for_update:
            cursor = qs.select_for_update().get()
        events = events_after(cursor.position, limit=limit, publish=False)
        for event in events:
            handle(event)
        if events:
            qs.update(position=events[-1].seq)
    return len(events)
