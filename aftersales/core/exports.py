"""Every Excel and CSV file the product writes goes through here, so no cell can be read by a
spreadsheet as a formula ("CSV/formula injection").

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (or the
full-width ``＝＋－＠``, which some spreadsheet programs also accept) is written with a leading
apostrophe, so ``=HYPERLINK("http://…")`` in a part's name arrives as the text it is.
Numbers, dates and booleans stay what they are.

Use :func:`new_workbook` to build a sheet and :func:`xlsx_bytes` / :func:`xlsx_response` to
write it (every cell of every sheet is checked there, however it was filled), and
:func:`csv_response` for CSV. A test walks every export of the product and refuses one that
writes a workbook or a CSV file by itself.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from openpyxl import Workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def neutralise(value: Any) -> Any:
    """The value as a spreadsheet cell may hold it: text that a spreadsheet would run as a
    formula gets a leading apostrophe; an aware time becomes local wall-clock time (Excel has
    no time zones); numbers, dates and booleans are returned unchanged."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def is_inert(value: Any) -> bool:
    """True when a cell's value cannot start a formula (what :func:`neutralise` guarantees)."""
    return not (isinstance(value, str) and value.startswith(FORMULA_STARTS))


def new_workbook() -> Workbook:
    """An empty workbook (one sheet) to fill with ``ws.append`` and write with
    :func:`xlsx_bytes` or :func:`xlsx_response`."""
    return Workbook()


def guard_workbook(wb: Workbook) -> Workbook:
    """Neutralise every cell of every sheet in place."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, str | dt.datetime):
                    safe = neutralise(value)
                    if safe != value:
                        cell.value = safe  # openpyxl types the text as a string again
    return wb


def xlsx_bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    guard_workbook(wb).save(buffer)
    return buffer.getvalue()


def xlsx_response(wb: Workbook | bytes, filename: str) -> HttpResponse:
    """A download of the workbook (checked on the way out) under ``filename``."""
    data = wb if isinstance(wb, bytes) else xlsx_bytes(wb)
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_text(header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(v) for v in header])
    for row in rows:
        writer.writerow([neutralise(v) for v in row])
    return buffer.getvalue()


def csv_response(
    header: Iterable[Any], rows: Iterable[Iterable[Any]], filename: str
) -> HttpResponse:
    """A CSV download in UTF-8 with a byte-order mark, which Excel needs to read Chinese."""
    response = HttpResponse(
        "\ufeff" + csv_text(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
