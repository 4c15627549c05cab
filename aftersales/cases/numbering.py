"""Human case numbers: ``SC-2026-000123``, one sequence per year, never handed out twice.

The counter moves by a single ``UPDATE … RETURNING`` so the row lock (PostgreSQL) or the write
lock (SQLite) serialises concurrent creators without a read-check-write window.
"""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from .models import CaseSequence

PREFIX = "SC"


def case_number_next(year: int | None = None) -> str:
    """Take the next number for ``year``; call inside the creating transaction."""
    year = year or timezone.localdate().year
    table = CaseSequence._meta.db_table
    sql = f"UPDATE {table} SET last = last + 1 WHERE year = %s RETURNING last"
    with connection.cursor() as cur:
        cur.execute(sql, [year])
        row = cur.fetchone()
        if row is None:
            try:
                with transaction.atomic():
                    CaseSequence.objects.create(year=year, last=0)
            except IntegrityError:
                pass  # another creator made the row first; the UPDATE below waits for it
            cur.execute(sql, [year])
            row = cur.fetchone()
    return f"{PREFIX}-{year}-{row[0]:06d}"
