"""Purchase order numbers: ``PO-2026-000123``, one sequence per year, never handed out twice.

The counter moves by a single ``UPDATE … RETURNING`` (as case numbers do) so concurrent buyers
are serialised by the row lock without a read-check-write window.
"""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from .models import OrderSequence

PREFIX = "PO"


def order_number_next(year: int | None = None) -> str:
    """Take the next number for ``year``; call inside the creating transaction."""
    year = year or timezone.localdate().year
    table = OrderSequence._meta.db_table
    sql = f"UPDATE {table} SET last = last + 1 WHERE year = %s RETURNING last"
    with connection.cursor() as cur:
        cur.execute(sql, [year])
        row = cur.fetchone()
        if row is None:
            try:
                with transaction.atomic():
                    OrderSequence.objects.create(year=year, last=0)
            except IntegrityError:
                pass  # another buyer made the row first; the UPDATE below waits for it
            cur.execute(sql, [year])
            row = cur.fetchone()
    return f"{PREFIX}-{year}-{row[0]:06d}"
