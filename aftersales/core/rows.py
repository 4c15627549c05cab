"""INSERTs for the writes every intake makes many of (timeline events, audit records, service
level clocks and their history), without the ORM's per-call statement building.

``Model.objects.create`` and ``bulk_create`` compile the INSERT anew on every call; at intake's
eight to ten inserts per case that compiling cost more application CPU than the statements
cost the database (docs/performance.md, intake). Here the statement text is built once per
model and connection, and values are prepared by the model's own fields exactly as the ORM
prepares them (``pre_save`` for ``auto_now_add``, ``get_db_prep_save`` for JSON, dates and
foreign keys). No ``pre_save``/``post_save`` signals are sent: use this only for models no
receiver listens to. ``insert_rows`` on PostgreSQL runs on psycopg's own cursor (for its
pipelined ``executemany``), so Django's execute wrappers — and tools that count statements
through them — do not see those statements.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import connections
from django.db.models import Field, Model

_M = TypeVar("_M", bound=Model)

_STATEMENTS: dict[tuple[str, type[Model], bool], tuple[str, str, list[Field]]] = {}


def _statement(alias: str, model: type[Model], returning: bool) -> tuple[str, str, list[Field]]:
    key = (alias, model, returning)
    found = _STATEMENTS.get(key)
    if found is None:
        connection = connections[alias]
        qn = connection.ops.quote_name
        # Concrete fields always have a column; the stubs type ``column`` as optional.
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        head = (
            f"INSERT INTO {qn(model._meta.db_table)} "
            f"({', '.join(qn(f.column) for f in fields)}) VALUES "  # type: ignore[arg-type]
        )
        row = "(" + ", ".join(["%s"] * len(fields)) + ")"
        tail = f" RETURNING {qn(model._meta.pk.column)}" if returning else ""  # type: ignore[arg-type]
        found = _STATEMENTS[key] = (head + row + tail, row, fields)
    return found


def _values(obj: Model, fields: list[Field], connection: Any) -> list[Any]:
    return [f.get_db_prep_save(f.pre_save(obj, add=True), connection) for f in fields]


def _saved(obj: Model, alias: str) -> None:
    obj._state.adding = False
    obj._state.db = alias


def insert_row(obj: _M, *, using: str = "default") -> _M:
    """Insert one new instance (auto-incremented primary key) and set its ``pk``."""
    connection = connections[using]
    model = type(obj)
    sql, _row, fields = _statement(using, model, True)
    with connection.cursor() as cursor:
        cursor.execute(sql, _values(obj, fields, connection))
        obj.pk = cursor.fetchone()[0]
    _saved(obj, using)
    return obj


def insert_rows(objs: list[Any], *, returning: bool = False, using: str = "default") -> None:
    """Insert new instances of one model, ids read back when asked. On PostgreSQL one short
    statement runs for every row in psycopg's pipeline (``executemany``): long multi-row
    statements cost more to parse in the driver than to run. On SQLite, multi-row
    ``INSERT … VALUES`` of up to 500 rows."""
    if not objs:
        return
    connection = connections[using]
    model = type(objs[0])
    one, row_sql, fields = _statement(using, model, returning)
    rows = [_values(obj, fields, connection) for obj in objs]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg's own cursor, for executemany(returning=…)
            raw.executemany(one, rows, returning=returning)
            if returning:
                for obj in objs:
                    obj.pk = raw.fetchone()[0]
                    raw.nextset()
    else:
        head = one.split(" VALUES ")[0] + " VALUES "
        tail = one[len(head) + len(row_sql) :]
        for start in range(0, len(objs), 500):
            chunk = objs[start : start + 500]
            params = [value for row in rows[start : start + 500] for value in row]
            with connection.cursor() as cursor:
                cursor.execute(head + ", ".join([row_sql] * len(chunk)) + tail, params)
                if returning:
                    for obj, (pk,) in zip(chunk, cursor.fetchall(), strict=True):
                        obj.pk = pk
    for obj in objs:
        _saved(obj, using)
