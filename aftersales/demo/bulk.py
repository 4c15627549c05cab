"""Many customers, products and cases, fast, for benchmarks and load tests.

The per-row services are bypassed on purpose: rows go in with bulk inserts, in batches, each
batch in its own transaction, and **no audit records or notifications are written** (the data
only has to look like real cases with real timelines). What stays true:

* case numbers are unique and follow creation time: each year's block is taken from the
  year's sequence by one conditional ``UPDATE … RETURNING`` (``last = last + n``), so real
  intake running at the same time keeps getting its own numbers;
* every case's status is one its type can reach through the transition table, and its
  timeline holds the events that got it there (at least three per case);
* timestamps are ordered: events after creation, ``closed_at`` after ``created_at``.

Cases and events are written with multi-row ``INSERT`` statements built from the models' own
field list (columns this module does not fill get the field default), so the generator keeps
working when a nullable or defaulted column is added.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import sqlite3
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.management.base import CommandError
from django.db import connection, models, transaction
from django.utils import timezone

from aftersales.accounts.models import Team
from aftersales.cases.choices import PRIORITY_RANK, CaseType, EventKind, Status
from aftersales.cases.events import PUBLIC_KINDS
from aftersales.cases.models import Case, CaseCategory, CaseEvent, CaseSequence
from aftersales.cases.numbering import PREFIX
from aftersales.cases.transitions import TABLE, find_step
from aftersales.core.geocoding import apply as geocoding_apply
from aftersales.core.geocoding import offline_geocode_many
from aftersales.customers.models import Address, Asset, Contact, Customer, ProductModel

from . import data
from .build import DemoClock, path_to, reachable_statuses, vin_with_check_digit

S = Status

TYPE_WEIGHTS = {
    CaseType.REPAIR: 46,
    CaseType.CONSULTATION: 16,
    CaseType.COMPLAINT: 10,
    CaseType.RETURN_EXCHANGE: 7,
    CaseType.WARRANTY_CLAIM: 6,
    CaseType.PROPOSAL: 3,
    CaseType.DELIVERY_ISSUE: 12,
}
STATUS_WEIGHTS = {
    S.CLOSED: 50,
    S.RESOLVED: 8,
    S.IN_PROGRESS: 8,
    S.NEW: 5,
    S.ACCEPTED: 4,
    S.VERIFYING: 2,
    S.WAITING_CUSTOMER: 3,
    S.WAITING_THIRD_PARTY: 2,
    S.APPROVED: 2,
    S.CANCELLED: 4,
    S.REJECTED: 2,
    S.HELD: 1,
    S.ADOPTED: 1,
}
LINE_OF = {"空调": "ac", "洗衣机": "wm", "冰箱": "fridge", "热水器": "wh"}


@dataclass
class BulkResult:
    customers: int = 0
    assets: int = 0
    cases: int = 0
    events: int = 0
    first_number: str = ""
    last_number: str = ""


def generate(
    *,
    customers: int = 0,
    assets: int = 0,
    cases: int = 0,
    days: int = 365,
    seed: int = 2026,
    progress: Callable[[str], None] | None = None,
    batch_size: int | None = None,
) -> BulkResult:
    """Add ``customers``, ``assets`` and ``cases`` generated rows; see the module docstring."""
    rng = random.Random(seed * 7919 + int(time.time()))
    result = BulkResult()
    say = progress or (lambda _msg: None)
    now = timezone.now()
    if customers:
        result.customers = _customers(customers, rng, now - dt.timedelta(days=days + 30), say)
    if assets:
        result.assets = _assets(assets, rng, now - dt.timedelta(days=days + 30), say)
    if cases:
        _cases(cases, rng, now, days, say, result, batch_size)
    return result


# --- customers and assets -------------------------------------------------------------------
def _random_name(rng: random.Random) -> str:
    given = "".join(rng.choice(data.GIVEN_CHARS) for _ in range(rng.choice((1, 2, 2))))
    return rng.choice(data.SURNAMES) + given


def _mobile(rng: random.Random) -> str:
    prefix = rng.choice(["135", "136", "137", "138", "139", "150", "151", "158", "186", "188"])
    return f"+86{prefix}{rng.randint(0, 99_999_999):08d}"


def _customers(n: int, rng: random.Random, at: dt.datetime, say) -> int:
    clock = DemoClock()
    made = 0
    cities = list(data.CITIES)
    with clock.installed():
        clock.value = at
        for start in range(0, n, 2000):
            size = min(2000, n - start)
            rows = []
            for _ in range(size):
                company = rng.random() < 0.06
                name = _random_name(rng)
                rows.append(
                    Customer(
                        kind="company" if company else "individual",
                        name=name,
                        company_name=f"{rng.choice(data.COMMUNITIES)}物业服务有限公司"
                        if company
                        else "",
                        tier=rng.choices(["standard", "silver", "gold", "vip"], [80, 12, 6, 2])[0],
                        email=f"{rng.randint(10**7, 10**10)}@example.com"
                        if rng.random() < 0.6
                        else "",
                        preferred_language="en" if rng.random() < 0.03 else "zh-hans",
                    )
                )
            with transaction.atomic():
                created = Customer.objects.bulk_create(rows)
                Contact.objects.bulk_create(
                    Contact(
                        customer=c, name=c.name, phone=_mobile(rng), email=c.email, is_primary=True
                    )
                    for c in created
                )
                addresses = []
                for c in created:
                    province, city, districts, _plate = data.CITIES[rng.choice(cities)]
                    district, roads = rng.choice(districts)
                    addresses.append(
                        Address(
                            customer=c,
                            label="公司" if c.kind == "company" else "家",
                            province=province,
                            city=city,
                            district=district,
                            street=f"{rng.choice(roads)}{rng.randint(1, 2999)}号"
                            f"{rng.choice(data.COMMUNITIES)}{rng.randint(1, 30)}号楼"
                            f"{rng.randint(1, 28) * 100 + rng.randint(1, 4)}室",
                            is_default=True,
                        )
                    )
                # located offline like any saved address (0.5 ms each in one batch)
                for address, found in zip(
                    addresses, offline_geocode_many([str(a) for a in addresses]), strict=True
                ):
                    if found is not None:
                        geocoding_apply(address, found)
                Address.objects.bulk_create(addresses)
            made += size
            say(f"customers: {made}/{n}")
    return made


def _product_models() -> list[ProductModel]:
    models_ = list(ProductModel.objects.all())
    if models_:
        return models_
    return [
        ProductModel.objects.create(
            code=p.code,
            name=p.name,
            brand=p.brand,
            product_line=p.product_line,
            is_vehicle=p.is_vehicle,
            warranty_months=p.warranty_months,
            main_parts_warranty_months=p.main_parts_warranty_months,
            warranty_km=p.warranty_km,
        )
        for p in data.PRODUCTS
    ]


def _assets(n: int, rng: random.Random, at: dt.datetime, say) -> int:
    customer_ids = list(Customer.objects.values_list("id", flat=True))
    if not customer_ids:
        raise CommandError("Generating products needs customers: load the demo or use --customers.")
    product_models = _product_models()
    # Serial numbers and VINs carry a per-run tag (plant code "B" in VINs) and a running number,
    # so they never collide with the demo's or an earlier run's.
    tag = f"{rng.randint(0, 36**4 - 1):04X}"[-4:]
    vin_base = rng.randint(0, 33**3)
    today = timezone.localdate()
    clock = DemoClock()
    made = 0
    with clock.installed():
        clock.value = at
        for start in range(0, n, 2000):
            size = min(2000, n - start)
            rows = []
            for i in range(start, start + size):
                pm = rng.choice(product_models)
                purchase = today - dt.timedelta(days=rng.randint(1, 1095))
                asset = Asset(
                    customer_id=rng.choice(customer_ids),
                    product_model=pm,
                    purchase_date=purchase,
                    invoice_number=f"{purchase:%y}{rng.randint(10**17, 10**18 - 1)}",
                )
                if pm.is_vehicle:
                    asset.vin = _bulk_vin(vin_base + i, purchase)
                    region = rng.choice(["沪A", "沪B", "京N", "浙A", "粤A", "粤B"])
                    asset.plate_number = f"{region}{rng.randint(10000, 99999)}"
                else:
                    asset.serial_number = f"B{tag}{purchase:%y%m}{i:08d}"
                asset.derive_warranty()
                rows.append(asset)
            with transaction.atomic():
                Asset.objects.bulk_create(rows)
            made += size
            say(f"products: {made}/{n}")
    return made


_VIN_CHARS = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"


def _bulk_vin(number: int, purchase: dt.date) -> str:
    digits = []
    for _ in range(7):
        number, r = divmod(number, 33)
        digits.append(_VIN_CHARS[r])
    year = "ABCDEFGHJKLMNPRSTVWXY123456789"[(purchase.year - 2010) % 30]
    return vin_with_check_digit(
        f"LYHBK{''.join(reversed(digits[:3]))}0{year}B{''.join(digits[3:])}00"
    )


# --- cases ----------------------------------------------------------------------------------
class RowWriter:
    """Turns dicts of attribute values into database rows for one model.

    Columns the caller does not give get the field's default, prepared once; given values are
    prepared by the backend's own adapters, so the rows are what the ORM would have written.
    """

    def __init__(self, model: type[models.Model], given: Iterable[str], with_pk: bool = False):
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
        given = set(given) | ({model._meta.pk.attname} if with_pk else set())
        self.columns = [connection.ops.quote_name(f.column) for f in self.fields]
        self.table = connection.ops.quote_name(model._meta.db_table)
        self.plan: list[tuple[str, Any]] = []
        for f in self.fields:
            if f.attname in given:
                if isinstance(f, models.DateTimeField):
                    self.plan.append((f.attname, connection.ops.adapt_datetimefield_value))
                elif isinstance(f, models.JSONField):
                    self.plan.append(
                        (f.attname, lambda v, f=f: connection.ops.adapt_json_value(v, f.encoder))
                    )
                else:
                    self.plan.append((f.attname, None))
            else:
                constant = f.get_db_prep_save(f.get_default(), connection)
                self.plan.append(("", constant))

    def row(self, values: dict[str, Any]) -> list[Any]:
        out = []
        for attname, how in self.plan:
            if not attname:
                out.append(how)
            elif how is None:
                out.append(values[attname])
            else:
                value = values[attname]
                out.append(None if value is None else how(value))
        return out

    def insert_sql(self, rows: int, returning: str = "") -> str:
        one = "(" + ", ".join(["%s"] * len(self.columns)) + ")"
        sql = f"INSERT INTO {self.table} ({', '.join(self.columns)}) VALUES " + ", ".join(
            [one] * rows
        )
        return sql + (f" RETURNING {returning}" if returning else "")

    def executemany_sql(self) -> str:
        return self.insert_sql(1)

    def copy_sql(self) -> str:
        return f"COPY {self.table} ({', '.join(self.columns)}) FROM STDIN"

    def write_many(self, cur, rows: list[list[Any]]) -> None:
        """Insert ``rows``: PostgreSQL's COPY where available, else one executemany."""
        if connection.vendor == "postgresql":
            with cur.cursor.copy(self.copy_sql()) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cur.executemany(self.executemany_sql(), rows)


def _max_params() -> int:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        try:
            return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        except (AttributeError, sqlite3.Error):
            return 999
    return 65_535


def _reserve_numbers(counts: dict[int, int]) -> dict[int, int]:
    """Take a block of ``counts[year]`` numbers per year; return the first number of each."""
    table = connection.ops.quote_name(CaseSequence._meta.db_table)
    sql = f"UPDATE {table} SET last = last + %s WHERE year = %s RETURNING last"
    first: dict[int, int] = {}
    with transaction.atomic(), connection.cursor() as cur:
        for year, n in sorted(counts.items()):
            cur.execute(sql, [n, year])
            row = cur.fetchone()
            if row is None:
                CaseSequence.objects.get_or_create(year=year)
                cur.execute(sql, [n, year])
                row = cur.fetchone()
            first[year] = row[0] - n + 1
    return first


class _Pools:
    """What generated cases point at: customers, their products, teams, people, categories."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.customer_ids = list(Customer.objects.values_list("id", flat=True))
        if not self.customer_ids:
            raise CommandError(
                "Generating cases needs customers: load the demo or use --customers."
            )
        self.english = set(
            Customer.objects.filter(preferred_language="en").values_list("id", flat=True)
        )
        self.contact_of = dict(
            Contact.objects.filter(is_primary=True).values_list("customer_id", "id")
        )
        lines: dict[int, str] = {}
        codes = {p.code: p.line for p in data.PRODUCTS}
        for pm in ProductModel.objects.all():
            if pm.code in codes:
                lines[pm.id] = codes[pm.code]
            elif pm.is_vehicle:
                lines[pm.id] = "car"
            else:
                lines[pm.id] = LINE_OF.get(pm.product_line, "ac")
        self.assets_by_line: dict[str, list[tuple[int, int, dt.date | None]]] = defaultdict(list)
        rows = Asset.objects.values_list("id", "customer_id", "product_model_id", "purchase_date")
        for pk, customer_id, pm_id, purchase in rows.iterator(chunk_size=5000):
            self.assets_by_line[lines[pm_id]].append((pk, customer_id, purchase))
        self.categories = dict(CaseCategory.objects.values_list("code", "id"))
        teams = {t.code: t for t in Team.objects.prefetch_related("members")}
        self.team_ids = {code: t.id for code, t in teams.items()}
        self.members = {code: [u.id for u in t.members.all()] for code, t in teams.items()}
        self.fallback_staff = [m for ms in self.members.values() for m in ms]
        self.scenarios: dict[str, list[data.Scenario]] = defaultdict(list)
        for sc in data.SCENARIOS:
            self.scenarios[sc.case_type].append(sc)

    def person(self, team: str) -> int | None:
        people = self.members.get(team) or self.fallback_staff
        return self.rng.choice(people) if people else None


def _shortest(case_type: str, target: str, rng: random.Random) -> list[str]:
    """A shortest status path from ``new`` to ``target`` (ties broken at random)."""
    table = TABLE[CaseType(case_type)]
    parent: dict[str, str | None] = {S.NEW: None}
    frontier = [str(S.NEW)]
    while frontier and target not in parent:
        nxt = []
        for status in frontier:
            steps = list(table.get(S(status), []))
            rng.shuffle(steps)
            for step in steps:
                if step.to not in parent:
                    parent[str(step.to)] = status
                    nxt.append(str(step.to))
        frontier = nxt
    path = [target]
    while parent[path[-1]] is not None:
        path.append(parent[path[-1]])
    return path[::-1]


def _paths(rng: random.Random) -> dict[str, tuple[list[list[str]], list[float]]]:
    """Status paths per type, with weights, to draw from quickly: mostly the shortest way to
    each reachable status (short timelines keep benchmark data lean), some longer ones."""
    out = {}
    for case_type in CaseType:
        reachable = sorted(reachable_statuses(case_type))
        paths, weights = [], []
        for target in reachable:
            for i in range(20):
                longer = i % 5 == 0
                paths.append(
                    path_to(case_type, target, rng) if longer else _shortest(case_type, target, rng)
                )
                weights.append(STATUS_WEIGHTS[S(target)] / 20)
        out[str(case_type)] = (paths, weights)
    return out


def _cases(
    n: int,
    rng: random.Random,
    now: dt.datetime,
    days: int,
    say,
    result: BulkResult,
    batch_size: int | None,
) -> None:
    pools = _Pools(rng)
    paths = _paths(rng)
    types = [str(t) for t in TYPE_WEIGHTS]
    type_weights = list(TYPE_WEIGHTS.values())
    end = now.timestamp() - 60
    start = end - days * 86400
    stamps = sorted(rng.uniform(start, end) for _ in range(n))
    tz = timezone.get_current_timezone()
    years = [dt.datetime.fromtimestamp(s, tz).year for s in stamps]
    counts: dict[int, int] = defaultdict(int)
    for y in years:
        counts[y] += 1
    first = _reserve_numbers(counts)
    next_number = dict(first)
    postgres = connection.vendor == "postgresql"
    case_fields = [
        "number",
        "case_type",
        "channel",
        "category_id",
        "priority",
        "priority_rank",
        "severity",
        "status",
        "title",
        "description",
        "customer_demand",
        "customer_id",
        "contact_id",
        "asset_id",
        "team_id",
        "assignee_id",
        "extra",
        "created_by_id",
        "created_at",
        "updated_at",
        "status_changed_at",
        "first_response_at",
        "resolved_at",
        "closed_at",
        "version",
    ]
    # PostgreSQL: ids are taken from the table's sequence and both tables are filled by COPY;
    # elsewhere one multi-row INSERT … RETURNING per batch maps numbers to ids.
    case_writer = RowWriter(Case, case_fields, with_pk=postgres)
    event_writer = RowWriter(
        CaseEvent, ["case_id", "kind", "actor_id", "created_at", "is_public", "body", "data"]
    )
    if postgres:
        batch = batch_size or 5000
    else:
        batch = max(1, min(batch_size or 1000, _max_params() // len(case_writer.columns)))
    started = time.perf_counter()
    for offset in range(0, n, batch):
        chunk = range(offset, min(n, offset + batch))
        values_list, timelines = [], []
        for i in chunk:
            year = years[i]
            number = f"{PREFIX}-{year}-{next_number[year]:06d}"
            next_number[year] += 1
            if i == 0:
                result.first_number = number
            result.last_number = number
            values, timeline = _one_case(
                rng, pools, paths, types, type_weights, stamps[i], end, tz, number
            )
            values_list.append(values)
            timelines.append(timeline)
        with transaction.atomic(), connection.cursor() as cur:
            if postgres:
                cur.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [Case._meta.db_table, len(values_list)],
                )
                for values, (pk,) in zip(values_list, cur.fetchall(), strict=True):
                    values["id"] = pk
                case_writer.write_many(cur, [case_writer.row(v) for v in values_list])
            else:
                case_rows = [case_writer.row(v) for v in values_list]
                cur.execute(
                    case_writer.insert_sql(len(case_rows), "id, number"),
                    [v for row in case_rows for v in row],
                )
                ids = {num: pk for pk, num in cur.fetchall()}
                for values in values_list:
                    values["id"] = ids[values["number"]]
            event_rows = []
            for values, timeline in zip(values_list, timelines, strict=True):
                for ev in timeline:
                    ev["case_id"] = values["id"]
                    event_rows.append(event_writer.row(ev))
            event_writer.write_many(cur, event_rows)
        result.cases += len(values_list)
        result.events += len(event_rows)
        if result.cases % 20_000 < batch or result.cases == n:
            rate = result.cases / (time.perf_counter() - started)
            say(f"cases: {result.cases:,}/{n:,} ({rate:,.0f}/s)")


def _texts(rng: random.Random, sc: data.Scenario, english: bool) -> tuple[str, str]:
    model = rng.choice(data.PRODUCTS).code
    if english or sc.language == "en":
        tail = rng.choice(data.BULK_TAILS_EN)
    else:
        tail = rng.choice(data.BULK_TAILS_ZH)
    tail = tail.format(
        years=rng.randint(1, 5),
        model=model,
        place=rng.choice(data.PLACES),
        code=rng.choice(data.ERROR_CODES),
        name=_random_name(rng),
    )
    return sc.title, f"{sc.description}\n{tail}"


def _one_case(
    rng: random.Random,
    pools: _Pools,
    paths: dict[str, tuple[list[list[str]], list[float]]],
    types: list[str],
    type_weights: list[int],
    stamp: float,
    end: float,
    tz,
    number: str,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    case_type = rng.choices(types, type_weights)[0]
    english_wanted = rng.random() < 0.08
    options = pools.scenarios[case_type]
    english_options = [sc for sc in options if sc.language == "en"]
    if english_wanted and english_options:
        sc = rng.choice(english_options)
    else:
        sc = rng.choice([o for o in options if o.language != "en"] or options)
    asset_id = None
    customer_id = None
    org = sc.org
    if sc.lines:
        line = rng.choice(sc.lines)
        owned = pools.assets_by_line.get(line)
        if owned:
            asset_id, customer_id, _purchase = rng.choice(owned)
            org = data.YH if line in ("car", "ev") else data.HL
            if case_type == CaseType.DELIVERY_ISSUE:
                asset_id = None
    if customer_id is None:
        customer_id = rng.choice(pools.customer_ids)
    team_code, _role = data.ROUTING[(org, case_type)]
    team_code = sc.team or team_code
    team_id = pools.team_ids.get(team_code)
    intake = pools.person(data.INTAKE_TEAM[org])
    assignee = pools.person(team_code)
    created = dt.datetime.fromtimestamp(stamp, tz)
    status_path, weights = paths[case_type]
    path = rng.choices(status_path, weights)[0]
    title, description = _texts(rng, sc, customer_id in pools.english)
    channel = rng.choices(
        ["hotline", "portal", "wechat", "email", "api", "walk_in"], [40, 22, 14, 6, 10, 8]
    )[0]
    # the timeline: created, assigned, the status changes, with replies and notes in between
    t = stamp
    room = end - stamp
    gaps = [rng.uniform(0.05, 1.0) for _ in range(len(path) + 2)]
    scale = min(1.0, room / (sum(g * 36 * 3600 for g in gaps) or 1.0))
    gap_iter = iter(gaps)

    def later(seconds: float | None = None) -> dt.datetime:
        nonlocal t
        step = next(gap_iter) * 36 * 3600 * scale if seconds is None else seconds
        t = min(end, t + step + 1)
        return dt.datetime.fromtimestamp(t, tz)

    events = [
        _ev(
            EventKind.CREATED, intake, created, description, {"channel": channel, "type": case_type}
        )
    ]
    version = 1
    # Most cases are routed at intake (no separate event); some are assigned afterwards.
    routed = path[-1] != S.NEW or rng.random() < 0.5
    first_response = None
    if routed and rng.random() < 0.3:
        at = later()
        assignment = {"team_before": None, "assignee_before": None}
        assignment.update(team=team_id, assignee=assignee)
        events.append(_ev(EventKind.ASSIGNED, intake, at, "", assignment))
        version += 1
    if rng.random() < 0.3 or len(path) + len(events) < 4:
        at = later() if len(path) > 1 else later(600)
        events.append(_ev(EventKind.PUBLIC_REPLY, intake, at, sc.ack or "已收到，正在处理。", {}))
        first_response = at
    if len(path) + len(events) < 4:
        at = later(900)
        events.append(
            _ev(EventKind.INTERNAL_NOTE, assignee or intake, at, "已联系客户，待处理。", {})
        )
    status_changed = created
    resolved_at = closed_at = None
    for prev, to in itertools.pairwise(path):
        at = later()
        step = find_step(case_type, prev, to)
        reason = ""
        if step is not None and step.reason_required:
            reason = _reason(rng, case_type, to)
        actor = assignee if to not in (S.ACCEPTED, S.CLOSED, S.CANCELLED) else intake
        events.append(_ev(EventKind.STATUS_CHANGED, actor, at, reason, {"from": prev, "to": to}))
        version += 1
        status_changed = at
        if to == S.RESOLVED:
            resolved_at = at
        if to in (S.CLOSED, S.CANCELLED):
            closed_at = at
        if prev in (S.CLOSED, S.RESOLVED) and to not in (S.CLOSED, S.CANCELLED):
            resolved_at = closed_at = None
    extra = dict(sc.extra)
    day = created.date()
    if case_type in (CaseType.RETURN_EXCHANGE, CaseType.DELIVERY_ISSUE):
        extra["order_number"] = f"JD{day:%Y%m%d}{rng.randint(100000, 999999)}"
    if case_type == CaseType.COMPLAINT:
        extra["incident_date"] = day.isoformat()
    values = {
        "number": number,
        "case_type": case_type,
        "channel": channel,
        "category_id": pools.categories.get(sc.category),
        "priority": sc.priority,
        "priority_rank": PRIORITY_RANK[sc.priority],
        "severity": sc.severity,
        "status": path[-1],
        "title": title,
        "description": description,
        "customer_demand": sc.demand,
        "customer_id": customer_id,
        "contact_id": pools.contact_of.get(customer_id),
        "asset_id": asset_id,
        "team_id": team_id if routed else None,
        "assignee_id": assignee if routed else None,
        "extra": extra,
        "created_by_id": intake,
        "created_at": created,
        "updated_at": events[-1]["created_at"],
        "status_changed_at": status_changed,
        "first_response_at": first_response,
        "resolved_at": resolved_at,
        "closed_at": closed_at,
        "version": version,
    }
    return values, events


def _ev(kind: str, actor: int | None, at: dt.datetime, body: str, payload: dict) -> dict[str, Any]:
    return {
        "kind": kind,
        "actor_id": actor,
        "created_at": at,
        "is_public": kind in PUBLIC_KINDS,
        "body": body,
        "data": payload,
    }


def _reason(rng: random.Random, case_type: str, to: str) -> str:
    if to == S.CANCELLED:
        return rng.choice(data.CANCEL_REASONS)
    if to == S.REJECTED:
        return rng.choice(data.REJECT_REASONS.get(case_type, data.REJECT_REASONS["proposal"]))
    if to == S.HELD:
        return rng.choice(data.HOLD_REASONS)
    return rng.choice(data.REOPEN_REASONS)


def numbers_unique() -> bool:
    """True when no case number appears twice (a check for tests and the benchmark)."""
    total = Case.objects.count()
    return Case.objects.values("number").distinct().count() == total
