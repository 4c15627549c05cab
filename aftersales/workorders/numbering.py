"""Work-order numbers ``WO-2026-000123``: one sequence per year, never handed out twice.

Same technique as :mod:`aftersales.cases.numbering`: the counter moves by one
``UPDATE … RETURNING`` inside the creating transaction, so concurrent creators queue on the row.
"""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from .models import WorkOrderSequence

PREFIX = "WO"
NUMBER_PATTERN = r"^WO-\d{4}-\d{6,}$"


def workorder_number_next(year: int | None = None) -> str:
    year = year or timezone.localdate().year
    table = WorkOrderSequence._meta.db_table
    sql = f"UPDATE {table} SET last = last + 1 WHERE year = %s RETURNING last"
    with connection.cursor() as cur:
        cur.execute(sql, [year])
        row = cur.fetchone()
        if row is None:
            try:
                with transaction.atomic():
                    WorkOrderSequence.objects.create(year=year, last=0)
            except IntegrityError:
                pass
            cur.execute(sql, [year])
            row = cur.fetchone()
    return f"{PREFIX}-{year}-{row[0]:06d}"
