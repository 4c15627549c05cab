"""Background jobs of the kernel: thin, idempotent, enqueued after commit."""

from __future__ import annotations

from huey.contrib.djhuey import db_task


@db_task()
def geocode_refine(label: str, pk: int) -> bool:
    """Ask the online geocoder for a finer point of one row (see core.geocoding.refine)."""
    from .geocoding import refine

    return refine(label, pk)
