"""Keeping the search index current: one entry per case, customer and asset.

The write services call :func:`index_case`, :func:`index_customer` and :func:`index_asset` in
their own transaction (no signals), so the index commits or rolls back with the change. Each
call is one upsert (``INSERT … ON CONFLICT DO UPDATE``) plus at most two small reads.
:func:`search_index_rebuild` rebuilds everything in batches from plain rows (no model
instances, no per-row saves); on PostgreSQL it loads with ``COPY`` and builds the GIN index
once at the end.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db import connection, transaction
from django.db.models import F

from aftersales.customers.phones import national_digits

from . import dictionary
from .models import EntryKind, SearchEntry
from .tokenizer import index_tokens, phone_tokens

TEXT_EVENT_KINDS = ("public_reply", "customer_reply", "internal_note")
SNIPPET_CHARS = 2000
ENTRY_FIELDS = [
    "kind",
    "object_id",
    "customer_id",
    "team_id",
    "assignee_id",
    "case_type",
    "status",
    "ref",
    "title",
    "body",
    "note_body",
    "tokens",
    "note_tokens",
    "phone_tokens",
    "created_at",
]


def _join(parts: Iterable[str]) -> str:
    return "\n".join(p for p in parts if p)


def _asset_texts(asset: dict[str, Any] | None) -> list[str]:
    if not asset:
        return []
    return [
        asset.get("model_code", ""),
        asset.get("model_name", ""),
        asset.get("brand", ""),
        asset.get("serial_number", ""),
        asset.get("vin", ""),
        asset.get("plate_number", ""),
    ]


def case_row(
    case: dict[str, Any], events: list[tuple[bool, str]], asset: dict[str, Any] | None
) -> dict[str, Any]:
    """The entry of a case from plain values: ``case`` has the Case's field names,
    ``events`` are (is_public, body) of its replies and notes, ``asset`` the product's
    identifiers and model."""
    public_replies = [body for public, body in events if public and body]
    notes = [body for public, body in events if not public and body]
    texts = [
        case["title"],
        case["description"],
        case.get("customer_demand", ""),
        case.get("resolution", ""),
        case.get("customer_feedback", ""),
    ]
    return {
        "kind": EntryKind.CASE,
        "object_id": case["id"],
        "customer_id": case["customer_id"],
        "team_id": case["team_id"],
        "assignee_id": case["assignee_id"],
        "case_type": case["case_type"],
        "status": case["status"],
        "ref": case["number"],
        "title": case["title"][:200],
        "body": _join([case["description"], *public_replies, case.get("resolution", "")])[
            :SNIPPET_CHARS
        ],
        "note_body": _join(notes)[:SNIPPET_CHARS],
        "tokens": " ".join(
            index_tokens(case["number"], *texts, *public_replies, *_asset_texts(asset))
        ),
        "note_tokens": " ".join(index_tokens(*notes)),
        "phone_tokens": "",
        "created_at": case["created_at"],
    }


def customer_row(customer: dict[str, Any], contacts: list[dict[str, Any]]) -> dict[str, Any]:
    """The entry of a customer: name, company, e-mail and contacts' names in ``tokens``,
    the phone numbers as digit fragments in ``phone_tokens``. ``ref`` keeps the primary
    number (E.164) so that lists can show it masked for the viewer's role."""
    phones: list[str] = []
    for contact in contacts:
        phones.extend(phone_tokens(national_digits(contact["phone"]), contact["phone"]))
    primary = next((c["phone"] for c in contacts if c.get("is_primary")), "")
    if not primary and contacts:
        primary = contacts[0]["phone"]
    title = customer["name"]
    if customer.get("company_name"):
        title = f"{customer['company_name']} · {customer['name']}"
    return {
        "kind": EntryKind.CUSTOMER,
        "object_id": customer["id"],
        "customer_id": customer["id"],
        "team_id": None,
        "assignee_id": None,
        "case_type": "",
        "status": "",
        "ref": primary,
        "title": title[:200],
        "body": customer.get("email", ""),
        "note_body": "",
        "tokens": " ".join(
            index_tokens(
                customer["name"],
                customer.get("company_name", ""),
                customer.get("email", ""),
                *(c["name"] for c in contacts),
            )
        ),
        "note_tokens": "",
        "phone_tokens": " ".join(dict.fromkeys(phones)),
        "created_at": customer["created_at"],
    }


def asset_row(asset: dict[str, Any]) -> dict[str, Any]:
    """The entry of a product a customer owns: serial, VIN, plate, model code and name."""
    ident = asset.get("serial_number") or asset.get("vin") or asset.get("plate_number") or ""
    return {
        "kind": EntryKind.ASSET,
        "object_id": asset["id"],
        "customer_id": asset["customer_id"],
        "team_id": None,
        "assignee_id": None,
        "case_type": "",
        "status": "",
        "ref": ident[:60],
        "title": f"{asset.get('model_name', '')} {asset.get('model_code', '')}".strip()[:200],
        "body": _join([asset.get("serial_number", ""), asset.get("vin", "")]),
        "note_body": "",
        "tokens": " ".join(index_tokens(*_asset_texts(asset))),
        "note_tokens": "",
        "phone_tokens": "",
        "created_at": asset["created_at"],
    }


_UPSERT_SQL = (
    f"INSERT INTO search_entry ({', '.join(ENTRY_FIELDS)}) "
    f"VALUES ({', '.join(['%s'] * len(ENTRY_FIELDS))}) "
    "ON CONFLICT (kind, object_id) DO UPDATE SET "
    + ", ".join(f"{f} = excluded.{f}" for f in ENTRY_FIELDS if f not in ("kind", "object_id"))
)


def _upsert(rows: list[dict[str, Any]]) -> None:
    """Insert or replace entries: one ``INSERT … ON CONFLICT DO UPDATE`` per row, written as
    SQL because it runs on every intake and the ORM's statement building cost more than the
    statement (both databases accept the same text)."""
    if not rows:
        return
    params = [[row[f] for f in ENTRY_FIELDS] for row in rows]
    with connection.cursor() as cursor:
        if len(params) == 1:
            cursor.execute(_UPSERT_SQL, params[0])  # psycopg's executemany adds a pipeline sync
        else:
            cursor.executemany(_UPSERT_SQL, params)


# --- the write path ------------------------------------------------------------------------------


def _asset_values(asset) -> dict[str, Any] | None:
    if asset is None:
        return None
    model = asset.product_model
    return {
        "model_code": model.code,
        "model_name": model.name,
        "brand": model.brand,
        "serial_number": asset.serial_number,
        "vin": asset.vin,
        "plate_number": asset.plate_number,
    }


def _case_values(case) -> dict[str, Any]:
    return {
        "id": case.pk,
        "number": case.number,
        "customer_id": case.customer_id,
        "team_id": case.team_id,
        "assignee_id": case.assignee_id,
        "case_type": case.case_type,
        "status": case.status,
        "title": case.title,
        "description": case.description,
        "customer_demand": case.customer_demand,
        "resolution": case.resolution,
        "customer_feedback": case.customer_feedback,
        "created_at": case.created_at,
    }


def index_case(case, *, new: bool = False) -> None:
    """Write the case's entry from its current fields, replies and notes. ``new`` skips reading
    the timeline (a case just created has no replies yet)."""
    dictionary.ensure_loaded(refresh=False)
    events: list[tuple[bool, str]] = []
    if not new:
        events = list(
            case.events.filter(kind__in=TEXT_EVENT_KINDS)
            .order_by("id")
            .values_list("is_public", "body")
        )
    _upsert([case_row(_case_values(case), events, _asset_values(case.asset))])


def index_customer(customer) -> None:
    """Write the customer's entry from its fields and contacts (one read of the contacts)."""
    dictionary.ensure_loaded(refresh=False)
    contacts = list(customer.contacts.values("name", "phone", "is_primary"))
    _upsert(
        [
            customer_row(
                {
                    "id": customer.pk,
                    "name": customer.name,
                    "company_name": customer.company_name,
                    "email": customer.email,
                    "created_at": customer.created_at,
                },
                contacts,
            )
        ]
    )


def index_asset(asset) -> None:
    """Write the asset's entry from its identifiers and product model."""
    dictionary.ensure_loaded(refresh=False)
    values = _asset_values(asset) or {}
    _upsert(
        [
            asset_row(
                {
                    **values,
                    "id": asset.pk,
                    "customer_id": asset.customer_id,
                    "created_at": asset.created_at,
                }
            )
        ]
    )


# --- rebuilding ----------------------------------------------------------------------------------


def _id_batches(model, batch_size: int) -> Iterator[tuple[int, int]]:
    """(low, high] id ranges of ``batch_size`` rows each, read from the primary key only."""
    last = 0
    while True:
        ids = list(
            model.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", flat=True)[batch_size - 1 : batch_size]
        )
        if ids:
            yield last, ids[0]
            last = ids[0]
            continue
        if model.objects.filter(pk__gt=last).exists():
            yield last, 2**63 - 1
        return


def _case_data(low: int, high: int) -> list[tuple[dict, list, dict | None]]:
    """The cases with ids in (low, high] as plain values, with their replies, notes and
    product: everything :func:`case_row` needs, picklable for a worker process."""
    from aftersales.cases.models import Case, CaseEvent
    from aftersales.customers.models import Asset

    cases = list(
        Case.objects.filter(pk__gt=low, pk__lte=high)
        .order_by("pk")
        .values(
            "id",
            "number",
            "customer_id",
            "team_id",
            "assignee_id",
            "case_type",
            "status",
            "title",
            "description",
            "customer_demand",
            "resolution",
            "customer_feedback",
            "created_at",
            "asset_id",
        )
    )
    if not cases:
        return []
    events: dict[int, list[tuple[bool, str]]] = {}
    for case_id, public, body in (
        CaseEvent.objects.filter(case_id__gt=low, case_id__lte=high, kind__in=TEXT_EVENT_KINDS)
        .order_by("id")
        .values_list("case_id", "is_public", "body")
    ):
        events.setdefault(case_id, []).append((public, body))
    asset_ids = {c["asset_id"] for c in cases if c["asset_id"]}
    assets = {
        a["id"]: a
        for a in Asset.objects.filter(pk__in=asset_ids).values(
            "id",
            "serial_number",
            "vin",
            "plate_number",
            model_code=F("product_model__code"),
            model_name=F("product_model__name"),
            brand=F("product_model__brand"),
        )
    }
    return [(c, events.get(c["id"], []), assets.get(c["asset_id"])) for c in cases]


def _case_rows(data: list[tuple[dict, list, dict | None]]) -> list[dict[str, Any]]:
    return [case_row(*item) for item in data]


def _customer_data(low: int, high: int) -> list[tuple[dict, list]]:
    from aftersales.customers.models import Contact, Customer

    customers = list(
        Customer.objects.filter(pk__gt=low, pk__lte=high)
        .order_by("pk")
        .values("id", "name", "company_name", "email", "created_at")
    )
    contacts: dict[int, list[dict[str, Any]]] = {}
    for contact in (
        Contact.objects.filter(customer_id__gt=low, customer_id__lte=high)
        .order_by("id")
        .values("customer_id", "name", "phone", "is_primary")
    ):
        contacts.setdefault(contact["customer_id"], []).append(contact)
    return [(c, contacts.get(c["id"], [])) for c in customers]


def _customer_rows(data: list[tuple[dict, list]]) -> list[dict[str, Any]]:
    return [customer_row(*item) for item in data]


def _asset_data(low: int, high: int) -> list[dict[str, Any]]:
    from aftersales.customers.models import Asset

    return list(
        Asset.objects.filter(pk__gt=low, pk__lte=high)
        .order_by("pk")
        .values(
            "id",
            "customer_id",
            "serial_number",
            "vin",
            "plate_number",
            "created_at",
            model_code=F("product_model__code"),
            model_name=F("product_model__name"),
            brand=F("product_model__brand"),
        )
    )


def _asset_rows(data: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [asset_row(a) for a in data]


def _sources():
    from aftersales.cases.models import Case
    from aftersales.customers.models import Asset, Customer

    return [
        (EntryKind.CUSTOMER, Customer, _customer_data, _customer_rows),
        (EntryKind.ASSET, Asset, _asset_data, _asset_rows),
        (EntryKind.CASE, Case, _case_data, _case_rows),
    ]


def _copy_rows(rows: list[dict[str, Any]]) -> None:
    """PostgreSQL: stream rows into the table with COPY."""
    columns = ", ".join(ENTRY_FIELDS)
    sql = f"COPY search_entry ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row([row[f] for f in ENTRY_FIELDS])


def _insert_rows(rows: list[dict[str, Any]]) -> None:
    SearchEntry.objects.bulk_create([SearchEntry(**row) for row in rows], batch_size=500)


def search_index_rebuild(
    *,
    batch_size: int = 5000,
    online: bool = False,
    workers: int = 0,
    progress: Callable[[str, int, float], None] | None = None,
) -> dict[str, int]:
    """Rebuild the whole index from the cases, customers and assets; returns rows per kind.

    By default the table is emptied and loaded in one transaction: writers that index during
    the rebuild wait for it and then write their newer entry, so nothing is lost; searches
    see the old index until the end. On PostgreSQL the rows go in with ``COPY`` and the GIN
    index is dropped and built once at the end, which is what makes a million cases take
    minutes instead of hours. With ``workers`` > 1, that many forked processes tokenise while
    this one reads and writes the next batches. ``online=True`` upserts batch by batch in short
    transactions instead (slower, nothing waits; entries of deleted objects are left until the
    next full rebuild)."""
    dictionary.ensure_loaded(force=True)
    counts: dict[str, int] = {}
    started = time.monotonic()
    postgres = connection.vendor == "postgresql"

    def emit(kind: str, rows: list[dict[str, Any]], write) -> None:
        if rows:
            write(rows)
            counts[kind] += len(rows)
            if progress is not None:
                progress(kind, counts[kind], time.monotonic() - started)

    def load(write: Callable[[list[dict[str, Any]]], None]) -> None:
        pool = None
        if workers > 1:
            import multiprocessing

            # Forked after the dictionary is loaded; the workers only tokenise, never touch
            # the database connection they inherit.
            pool = multiprocessing.get_context("fork").Pool(workers)
        try:
            for kind, model, fetch, build in _sources():
                counts[kind] = 0
                pending: deque = deque()
                for low, high in _id_batches(model, batch_size):
                    data = fetch(low, high)
                    if pool is None:
                        emit(kind, build(data), write)
                        continue
                    pending.append(pool.apply_async(build, (data,)))
                    while len(pending) > workers:
                        emit(kind, pending.popleft().get(), write)
                while pending:
                    emit(kind, pending.popleft().get(), write)
        finally:
            if pool is not None:
                pool.close()
                pool.join()

    def upsert_batch(rows: list[dict[str, Any]]) -> None:
        with transaction.atomic():
            _upsert(rows)

    if online:
        load(upsert_batch)
        return counts

    with transaction.atomic():
        with connection.cursor() as cursor:
            if postgres:
                cursor.execute("TRUNCATE search_entry")
                cursor.execute("DROP INDEX IF EXISTS search_entry_tsv_idx")
                cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            else:
                cursor.execute("DELETE FROM search_entry")
                cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
        load(_copy_rows if postgres else _insert_rows)
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("CREATE INDEX search_entry_tsv_idx ON search_entry USING gin (tsv)")
                cursor.execute("ANALYZE search_entry")
    return counts
