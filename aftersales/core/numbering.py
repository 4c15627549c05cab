"""Yearly human numbers (``SC-2026-000123``, ``WO-…``, ``PO-…``), never handed out twice.

Each sequence is a model with ``year`` (unique) and ``last``. The counter moves by a single
``UPDATE … RETURNING`` inside the creating transaction, so the row lock (PostgreSQL) or the write
lock (SQLite) serialises concurrent creators without a read-check-write window.
"""

from __future__ import annotations

from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone


def yearly_number_next(sequence: type[models.Model], prefix: str, year: int | None = None) -> str:
    """Take the next ``PREFIX-YYYY-NNNNNN`` of ``sequence``, inside the creating transaction."""
    year = year or timezone.localdate().year
    sql = f"UPDATE {sequence._meta.db_table} SET last = last + 1 WHERE year = %s RETURNING last"
    with connection.cursor() as cur:
        cur.execute(sql, [year])
        row = cur.fetchone()
        if row is None:
            try:
                with transaction.atomic():
                    sequence._default_manager.create(year=year, last=0)
            except IntegrityError:
                pass  # another creator made the row first; the UPDATE below waits for it
            cur.execute(sql, [year])
            row = cur.fetchone()
    return f"{prefix}-{year}-{row[0]:06d}"
