"""The rows intake writes for one case, written again through the plain driver.

The plain-SQL side of ``intake.py`` is the database's limit for the *same* work as
``POST /api/v1/cases``: not a smaller set of rows. A case made through ``case_create`` in the
prepared database is the template: every row it wrote (the case, its timeline events, audit
records, service-level clocks and their history, outbox rows, domain events, its search
entry, the team's round-robin pointer) is read back, and each plain-SQL case writes the same
rows with its own number, texts, customer, times and ids. What the application decides
(routing, due times, tokens) is not the database's work: decisions are the template's, and the
search tokens of each request's texts are computed before the clock starts.

Per case, in one transaction: the case number (``UPDATE … RETURNING``), the round-robin pointer
(``UPDATE … RETURNING``), the case row (``INSERT … RETURNING id``, due time included), one
``INSERT`` per event, audit record, domain event and outbox row, the search entry
(``INSERT … ON CONFLICT``), and the clocks and their history as one multi-row ``INSERT`` each.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Table:
    """One table's INSERT over every column Django writes, and the template's rows for it."""

    name: str
    columns: list[str]
    rows: list[list[tuple[str, Any]]]  # per row, per column: (how, value)
    returning: str = ""

    def sql(self, mark: str, n_rows: int) -> str:
        one = "(" + ", ".join([mark] * len(self.columns)) + ")"
        cols = ", ".join(f'"{c}"' for c in self.columns)
        sql = f'INSERT INTO "{self.name}" ({cols}) VALUES ' + ", ".join([one] * n_rows)
        return sql + (f" RETURNING {self.returning}" if self.returning else "")


@dataclass
class Template:
    number: str
    title: str
    description: str
    case: Table
    events: Table
    audits: Table
    clocks: Table
    clock_events: Table
    outbox: Table
    domain_events: Table
    entry_sql: str
    entry_fields: list[str]
    entry: dict[str, Any]
    rotation_team: int | None
    members: list[int]
    reachable: set[int]  # members with an e-mail address
    outbox_to_assignee: list[bool]
    per_case: dict[str, int] = field(default_factory=dict)


def _cells(model, obj, created: dt.datetime, texts: tuple[str, ...]) -> tuple[list[str], list]:
    """(columns, cells) of ``obj``: each cell says how the value is made for a new case."""
    from django.core.serializers.json import DjangoJSONEncoder
    from django.db.models import JSONField

    columns, cells = [], []
    for f in model._meta.concrete_fields:
        if f.primary_key:
            continue
        value = getattr(obj, f.attname)
        columns.append(f.column)
        if (
            f.attname == "case_id"
            or (model.__name__ == "AuditLog" and f.attname == "object_id")
            or (model.__name__ == "DomainEvent" and f.attname == "aggregate_id")
        ):
            cells.append(("case_id", value))
        elif f.attname == "clock_id":
            cells.append(("clock", value))
        elif f.attname in ("customer_id", "contact_id", "asset_id") and model.__name__ == "Case":
            cells.append((f.attname, None))
        elif f.attname == "assignee_id" and model.__name__ == "Case":
            cells.append(("assignee", value))
        elif isinstance(value, dt.datetime):
            cells.append(("time", value - created))
        elif isinstance(f, JSONField):
            text = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
            escaped = tuple(_json_inner(t) for t in texts)
            how = "json_text" if any(t in text for t in escaped) else "json"
            cells.append((how, text))
        elif isinstance(value, str) and any(t in value for t in texts):
            cells.append(("text", value))
        else:
            cells.append(("const", value))
    return columns, cells


def _json_inner(text: str) -> str:
    """``text`` as it stands inside a JSON string."""
    return json.dumps(text, ensure_ascii=False)[1:-1]


def _replacer(olds: tuple[str, ...]):
    """One pass replacing each of ``olds`` (longest first) by its counterpart in a mapping."""
    pattern = re.compile("|".join(re.escape(t) for t in sorted(olds, key=len, reverse=True)))

    def replace(text: str, new: dict[str, str]) -> str:
        return pattern.sub(lambda m: new[m.group(0)], text)

    return replace


def capture(
    *, actor, customer, asset, title: str, description: str, mark: str, made: list[int]
) -> Template:
    """Create the template case through the service and read back every row it wrote
    (``made`` receives the ids of the cases created for it)."""
    from django.db import connection

    from aftersales.cases.models import Case, CaseEvent
    from aftersales.cases.services import case_create
    from aftersales.core.models import AuditLog, DomainEvent
    from aftersales.notifications.models import Notification
    from aftersales.routing.models import TeamRotation
    from aftersales.search.indexing import _UPSERT_SQL, ENTRY_FIELDS
    from aftersales.sla.models import SlaClock, SlaClockEvent

    for _turn in range(20):  # round-robin: until the case goes to an agent who gets a notice
        case = case_create(
            actor=actor,
            customer=customer,
            case_type="repair_request",
            channel="api",
            title=title,
            description=description,
            priority="normal",
            asset=asset,
        )
        made.append(case.pk)
        if (
            case.assignee_id is None
            or Notification.objects.filter(case=case, recipient_user_id=case.assignee_id).exists()
        ):
            break
    case = Case.objects.get(pk=case.pk)
    created, number = case.created_at, case.number
    texts = (number, case.title, case.description)

    def table(model, objs, returning: str = "") -> Table:
        rows, columns = [], [f.column for f in model._meta.concrete_fields if not f.primary_key]
        for obj in objs:
            columns, cells = _cells(model, obj, created, texts)
            rows.append(cells)
        return Table(model._meta.db_table, columns, rows, returning)

    clocks = list(SlaClock.objects.filter(case=case).order_by("id"))
    clock_index = {c.pk: i for i, c in enumerate(clocks)}
    history = table(
        SlaClockEvent, SlaClockEvent.objects.filter(clock__case=case).order_by("clock_id", "id")
    )
    for row in history.rows:  # the clock a history row belongs to, by position
        row[:] = [("clock", clock_index[v]) if how == "clock" else (how, v) for how, v in row]
    with connection.cursor() as cur:
        columns = ", ".join(ENTRY_FIELDS)
        cur.execute(
            f"SELECT {columns} FROM search_entry WHERE kind = %s AND object_id = %s",
            ["case", case.pk],
        )
        entry = dict(zip(ENTRY_FIELDS, cur.fetchone(), strict=True))
    rotation = TeamRotation.objects.filter(team_id=case.team_id).first()
    members = (
        sorted(case.team.members.values_list("id", flat=True)) if case.team_id is not None else []
    )
    outbox = list(Notification.objects.filter(case=case).order_by("id"))
    tpl = Template(
        number=number,
        title=case.title,
        description=case.description,
        case=table(Case, [case], '"id"'),
        events=table(CaseEvent, CaseEvent.objects.filter(case=case).order_by("id")),
        audits=table(
            AuditLog,
            AuditLog.objects.filter(object_type="cases.case", object_id=str(case.pk)).order_by(
                "id"
            ),
        ),
        clocks=table(SlaClock, clocks, '"id"'),
        clock_events=history,
        outbox=table(Notification, outbox),
        domain_events=table(
            DomainEvent,
            DomainEvent.objects.filter(aggregate="case", aggregate_id=case.pk).order_by("id"),
        ),
        outbox_to_assignee=[
            n.recipient_user_id is not None and n.recipient_user_id == case.assignee_id
            for n in outbox
        ],
        reachable=set(
            case.team.members.exclude(email="").values_list("id", flat=True)
            if case.team_id is not None
            else ()
        ),
        entry_sql=_UPSERT_SQL.replace("%s", mark),
        entry_fields=list(ENTRY_FIELDS),
        entry=entry,
        rotation_team=rotation.team_id if rotation is not None and case.assignee_id else None,
        members=members,
    )
    tpl.per_case = {
        "events": len(tpl.events.rows),
        "audit records": len(tpl.audits.rows),
        "clocks": len(tpl.clocks.rows),
        "clock history": len(tpl.clock_events.rows),
        "outbox rows": len(tpl.outbox.rows),
        "domain events": len(tpl.domain_events.rows),
        "search entries": 1,
    }
    return tpl


def route_key(payload: dict[str, Any]) -> tuple:
    """Which route the request takes (rule, team, whether an agent is picked), decided as
    intake decides it but without moving the round-robin pointer."""
    from aftersales.customers.models import Asset, Customer
    from aftersales.routing.services import route_decide, sample_for

    customer = Customer.objects.get(pk=payload["customer_id"])
    asset = (
        Asset.objects.select_related("product_model").get(pk=payload["asset_id"])
        if payload["asset_id"]
        else None
    )
    sample = sample_for(
        case_type=payload["case_type"],
        asset=asset,
        customer=customer,
        title=payload["title"],
        description=payload["description"],
        channel=payload["channel"],
    )
    decision = route_decide(sample, priority=payload["priority"], advance=False)
    return (
        getattr(decision.rule, "pk", None),
        getattr(decision.team, "pk", None),
        decision.assignee is not None,
    )


def capture_routes(
    payloads: list[dict[str, Any]], *, actor, mark: str, made: list[int]
) -> tuple[dict[tuple, Template], list[tuple]]:
    """One template per route the requests take, and each request's route."""
    from aftersales.customers.models import Asset, Customer

    keys, firsts = [], {}
    for payload in payloads:
        key = route_key(payload)
        keys.append(key)
        firsts.setdefault(key, payload)
    templates = {}
    for key, payload in firsts.items():
        templates[key] = capture(
            actor=actor,
            customer=Customer.objects.get(pk=payload["customer_id"]),
            asset=Asset.objects.get(pk=payload["asset_id"]) if payload["asset_id"] else None,
            title=payload["title"],
            description=payload["description"],
            mark=mark,
            made=made,
        )
    return templates, keys


def entry_tokens(payload: dict[str, Any], asset: dict[str, Any] | None) -> dict[str, Any]:
    """The request's search entry without its number and id: the tokens of its texts are made
    before timing (rjieba is the application's work); the number's are added per case."""
    from aftersales.search.indexing import _asset_texts
    from aftersales.search.tokenizer import index_tokens

    return {
        "title": payload["title"][:200],
        "body": payload["description"],
        "tokens": " ".join(
            index_tokens(payload["title"], payload["description"], *_asset_texts(asset))
        ),
    }


class Writer:
    """Writes one case's rows from the template on a plain DB-API cursor."""

    def __init__(self, tpl: Template, *, mark: str, ts, js, rotation_sql: str, sequence_sql: str):
        from aftersales.search.tokenizer import index_tokens

        self.tpl, self.mark, self.ts, self.js = tpl, mark, ts, js
        self.index_tokens = index_tokens
        olds = (tpl.number, tpl.title, tpl.description)
        self.replace_plain = _replacer(olds)
        self.replace_json = _replacer(tuple(_json_inner(t) for t in olds))
        self.rotation_sql, self.sequence_sql = rotation_sql, sequence_sql
        self.sql = {
            name: getattr(tpl, name).sql(mark, 1)
            for name in ("case", "events", "audits", "outbox", "domain_events")
        }
        self.clocks_sql = tpl.clocks.sql(mark, len(tpl.clocks.rows)) if tpl.clocks.rows else ""
        self.history_sql = (
            tpl.clock_events.sql(mark, len(tpl.clock_events.rows)) if tpl.clock_events.rows else ""
        )

    def _values(self, cells, ctx: dict[str, Any]) -> list[Any]:
        out = []
        for how, value in cells:
            if how == "const":
                out.append(value)
            elif how == "time":
                out.append(self.ts(ctx["now"] + value))
            elif how == "case_id":
                out.append(ctx["case_id"] if not isinstance(value, str) else str(ctx["case_id"]))
            elif how == "clock":
                out.append(ctx["clock_ids"][value])
            elif how == "text":
                out.append(ctx["sub"](value))
            elif how == "json":
                out.append(self.js(value))
            elif how == "json_text":
                out.append(self.js(ctx["sub_json"](value)))
            elif how == "assignee":
                out.append(ctx["assignee"] if value is not None else None)
            else:  # customer_id, contact_id, asset_id of the case row
                out.append(ctx[how])
        return out

    def write(self, cur, payload: dict[str, Any], *, contact: int | None, entry: dict) -> None:
        tpl = self.tpl
        now = dt.datetime.now(dt.UTC)
        cur.execute(self.sequence_sql, (now.astimezone().year,))
        number = f"SC-{now.astimezone().year}-{cur.fetchone()[0]:06d}"
        assignee = None
        if tpl.rotation_team is not None:
            cur.execute(self.rotation_sql, (tpl.members[0], tpl.rotation_team))
            turns = cur.fetchone()[0]
            assignee = tpl.members[turns % len(tpl.members)]
        title, description = payload["title"], payload["description"]
        plain = {tpl.number: number, tpl.title: title, tpl.description: description}
        inner = {_json_inner(k): _json_inner(v) for k, v in plain.items()}

        def sub(text: str) -> str:
            return self.replace_plain(text, plain)

        def sub_json(text: str) -> str:  # inside JSON text the texts are escaped
            return self.replace_json(text, inner)

        ctx: dict[str, Any] = {
            "now": now,
            "sub": sub,
            "sub_json": sub_json,
            "assignee": assignee,
            "customer_id": payload["customer_id"],
            "contact_id": contact,
            "asset_id": payload["asset_id"],
        }
        cur.execute(self.sql["case"], self._values(tpl.case.rows[0], ctx))
        ctx["case_id"] = cur.fetchone()[0]
        for cells in tpl.events.rows:
            cur.execute(self.sql["events"], self._values(cells, ctx))
        for cells in tpl.audits.rows:
            cur.execute(self.sql["audits"], self._values(cells, ctx))
        for cells in tpl.domain_events.rows:
            cur.execute(self.sql["domain_events"], self._values(cells, ctx))
        row = dict(tpl.entry)
        row.update(
            object_id=ctx["case_id"],
            customer_id=payload["customer_id"],
            assignee_id=assignee,
            ref=number,
            title=entry["title"],
            body=entry["body"],
            # the number's tokens as the indexer cuts them (sc2026000123, 2026000123, …)
            tokens=" ".join([*self.index_tokens(number), entry["tokens"]]),
            created_at=self.ts(now),
        )
        cur.execute(tpl.entry_sql, [row[f] for f in tpl.entry_fields])
        if self.clocks_sql:
            cur.execute(
                self.clocks_sql,
                [v for cells in tpl.clocks.rows for v in self._values(cells, ctx)],
            )
            ctx["clock_ids"] = [r[0] for r in cur.fetchall()]
            if self.history_sql:
                cur.execute(
                    self.history_sql,
                    [v for cells in tpl.clock_events.rows for v in self._values(cells, ctx)],
                )
        for cells, to_assignee in zip(tpl.outbox.rows, tpl.outbox_to_assignee, strict=True):
            if to_assignee and assignee not in tpl.reachable:
                continue  # as intake: no notice to an agent without an e-mail address
            cur.execute(self.sql["outbox"], self._values(cells, ctx))


def rows_per_case(user_id: int) -> dict[str, float]:
    """What the cases created by ``user_id`` hold, per case, for the check after a run."""
    from django.db.models import Avg
    from django.db.models.functions import Length

    from aftersales.cases.models import Case, CaseEvent
    from aftersales.core.models import AuditLog, DomainEvent
    from aftersales.notifications.models import Notification
    from aftersales.search.models import SearchEntry
    from aftersales.sla.models import SlaClock, SlaClockEvent

    ids = list(Case.objects.filter(created_by_id=user_id).values_list("id", flat=True))
    n = len(ids) or 1
    return {
        "events": CaseEvent.objects.filter(case_id__in=ids).count() / n,
        "audit records": AuditLog.objects.filter(
            object_type="cases.case", object_id__in=[str(i) for i in ids]
        ).count()
        / n,
        "clocks": SlaClock.objects.filter(case_id__in=ids).count() / n,
        "clock history": SlaClockEvent.objects.filter(clock__case_id__in=ids).count() / n,
        "outbox rows": Notification.objects.filter(case_id__in=ids).count() / n,
        "domain events": DomainEvent.objects.filter(aggregate="case", aggregate_id__in=ids).count()
        / n,
        "search entries": SearchEntry.objects.filter(kind="case", object_id__in=ids).count() / n,
        "search token characters": SearchEntry.objects.filter(
            kind="case", object_id__in=ids
        ).aggregate(n=Avg(Length("tokens")))["n"]
        or 0.0,
    }
