"""The domain event outbox: a cursor-following reader never skips an event, including one whose
transaction took a lower id and committed after a higher one (the classic outbox trap)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import close_old_connections, connection, connections, transaction

from aftersales.core.domain_events import (
    event_record,
    event_type,
    events_after,
    events_consume,
    events_publish,
)
from aftersales.core.models import DomainEvent

PINGED = event_type("test.pinged", aggregate="test", label="Pinged")


def naive_after(position: int) -> list[DomainEvent]:
    """The reader this design exists to avoid: follow the write order."""
    return list(DomainEvent.objects.filter(id__gt=position).order_by("id"))


def _drain(read, position_of, position: int, seen: list[int]) -> int:
    for event in read(position):
        seen.append(event.payload["n"])
        position = position_of(event)
    return position


@pytest.mark.django_db
def test_record_publish_and_consume_in_order():
    for n in range(5):
        event_record(PINGED, aggregate_id=n, reference=f"T-{n}", payload={"n": n})
    assert DomainEvent.objects.filter(seq__isnull=True).count() == 5
    got: list[int] = []
    assert events_consume("robot", lambda e: got.append(e.payload["n"])) == 5
    assert got == [0, 1, 2, 3, 4]
    assert events_consume("robot", lambda e: got.append(e.payload["n"])) == 0
    event_record(PINGED, aggregate_id=9, payload={"n": 9})
    assert events_consume("robot", lambda e: got.append(e.payload["n"])) == 1
    assert got[-1] == 9
    # Another consumer starts from the beginning with its own cursor.
    other: list[int] = []
    events_consume("rollup", lambda e: other.append(e.payload["n"]))
    assert other == got


@pytest.mark.django_db
def test_a_failing_handler_leaves_the_cursor():
    event_record(PINGED, aggregate_id=1, payload={"n": 1})

    def boom(event):
        raise RuntimeError("endpoint down")

    with pytest.raises(RuntimeError):
        events_consume("webhook", boom)
    got: list[int] = []
    assert events_consume("webhook", lambda e: got.append(e.payload["n"])) == 1
    assert got == [1]


@pytest.mark.django_db
def test_an_event_written_in_a_rolled_back_transaction_never_appears():
    with pytest.raises(RuntimeError), transaction.atomic():
        event_record(PINGED, aggregate_id=1, payload={"n": 1})
        raise RuntimeError("the change failed")
    assert events_after(0) == []


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite has one writer at a time, so ids commit in order there",
)
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("reader", ["naive", "published"])
def test_a_lower_id_committing_after_a_higher_one_is_not_skipped(reader):
    """Writer A takes an id and waits; writer B takes the next id and commits; the reader reads;
    then A commits. Following ids loses A's event; following publication numbers does not."""
    a_wrote, b_done, reader_done = threading.Event(), threading.Event(), threading.Event()

    def writer_a():
        try:
            with transaction.atomic():
                event_record(PINGED, aggregate_id=1, payload={"n": 1})
                a_wrote.set()
                assert reader_done.wait(20)
        finally:
            connections.close_all()

    def writer_b():
        try:
            assert a_wrote.wait(20)
            event_record(PINGED, aggregate_id=2, payload={"n": 2})
            b_done.set()
        finally:
            connections.close_all()

    seen: list[int] = []
    if reader == "naive":
        read, position_of = naive_after, (lambda e: e.id)
    else:
        read, position_of = events_after, (lambda e: e.seq)
    with ThreadPoolExecutor(2) as pool:
        fa, fb = pool.submit(writer_a), pool.submit(writer_b)
        assert b_done.wait(20)
        position = _drain(read, position_of, 0, seen)
        reader_done.set()
        fa.result(), fb.result()
    position = _drain(read, position_of, position, seen)
    if reader == "naive":
        assert seen == [2], "the naive reader was expected to lose the late commit"
    else:
        assert sorted(seen) == [1, 2]


@pytest.mark.django_db(transaction=True)
def test_eight_concurrent_writers_and_a_following_reader_miss_nothing():
    """Eight writers commit events in transactions of random length while a reader follows
    the publication cursor; at the end the reader has seen each event exactly once."""
    writers, per_writer = 8, 15
    stop = threading.Event()
    seen: list[int] = []
    errors: list[BaseException] = []

    def write(w: int) -> None:
        try:
            for i in range(per_writer):
                with transaction.atomic():
                    event_record(PINGED, aggregate_id=w, payload={"n": w * 1000 + i})
                    # Hold some transactions open so later ids commit first.
                    if (w + i) % 3 == 0:
                        threading.Event().wait(0.01 * ((w * 7 + i) % 4))
        except BaseException as exc:  # surfaced below
            errors.append(exc)
        finally:
            close_old_connections()
            connections.close_all()

    def follow() -> None:
        position = 0
        try:
            while True:
                done = stop.is_set()
                for event in events_after(position):
                    seen.append(event.payload["n"])
                    position = event.seq
                if done:
                    break
                threading.Event().wait(0.005)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    reader = threading.Thread(target=follow)
    reader.start()
    with ThreadPoolExecutor(writers) as pool:
        list(pool.map(write, range(writers)))
    stop.set()
    reader.join(60)
    assert not errors, errors
    expected = sorted(w * 1000 + i for w in range(writers) for i in range(per_writer))
    assert sorted(seen) == expected
    assert len(seen) == len(set(seen))
    # Publication numbers are dense and unique.
    seqs = list(DomainEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(expected) + 1))


@pytest.mark.django_db
def test_publishing_numbers_gaps_in_ids():
    rows = [event_record(PINGED, aggregate_id=n, payload={"n": n}) for n in range(4)]
    DomainEvent.objects.filter(pk=rows[1].pk).delete()  # a gap, as a rolled-back id leaves
    assert events_publish() == 3
    assert [e.payload["n"] for e in events_after(0)] == [0, 2, 3]
    assert [e.seq for e in events_after(0)] == [1, 2, 3]
