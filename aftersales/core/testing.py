"""Helpers shared by the test suites: small real files to upload, and writers that race."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from typing import TypeVar

from django.db import close_old_connections, connection
from PIL import Image

T = TypeVar("T")


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (64, 48), color=(30, 120, 200)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, format=fmt)
    return buf.getvalue()


def pdf_bytes() -> bytes:
    """A minimal one-page PDF."""
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def run_concurrently(
    count: int, work: Callable[[int], T], *, timeout: float = 120
) -> list[T | Exception]:
    """Run ``work(0)`` … ``work(count - 1)`` at once against the real database and return their
    results in that order.

    Each call runs in its own thread on its own connection (closed afterwards, so the test
    database can be dropped), and all start together from a barrier, so the race is real. An
    exception takes the place of the result it interrupted, for the test to assert on (a lost
    race is usually a domain error); a call still running after ``timeout`` seconds fails the
    test instead of leaving a silent gap. Use it with ``django_db(transaction=True)``: the
    threads must see the committed rows the test made.
    """
    results: list[T | Exception | None] = [None] * count
    barrier = threading.Barrier(count)

    def runner(i: int) -> None:
        close_old_connections()
        try:
            barrier.wait(timeout=10)
            results[i] = work(i)
        except Exception as exc:  # handed to the caller, who asserts on it
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i,), daemon=True) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    stuck = [i for i, thread in enumerate(threads) if thread.is_alive()]
    if stuck:
        raise AssertionError(f"concurrent calls {stuck} still running after {timeout} s")
    return results  # type: ignore[return-value]  # every slot was filled by its thread
