"""The SLA sweep on PostgreSQL: 1,000,000 open clocks, of which 1,000 are due.

A fresh database ``aftersales_bench_sla`` is migrated and filled in bulk (``INSERT … SELECT
generate_series``): 250,000 open cases of 50 agents in 5 teams, four clocks each (first response,
initial opinion, verification, resolution), every clock with its ``next_check_at`` in the coming
days — except batches of 1,000 first-response clocks that reach 75 % of their 24 hours at
T, T+1 min, T+2 min … . The sweep at each of those instants must find its 1,000 clocks through the
partial index on ``next_check_at``, fire the 75 % level (escalation notice, a delivery to the
owner, an in-app and an e-mail outbox row, a timeline event and the clock's history) and move each
clock's next check. The first sweep warms the process (calendars, templates); the next three are
timed. Target: ≤ 1 s per sweep.

The raw-SQL limit does the same writes for another 1,000 due clocks with psycopg in one
transaction — claim with ``FOR UPDATE SKIP LOCKED``, ``UPDATE … FROM (VALUES …)``, the notices
with ``ON CONFLICT DO NOTHING RETURNING``, multi-row inserts for the rest — with messages
formatted in Python instead of rendered from templates.

    make bench-sla                      # after bench/worktime.py
    .venv/bin/python bench/sla_sweep.py --clocks 200000 --due 1000
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _common import cpu_seconds, cpu_used, machine, recreate_postgres, say  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/aftersales_bench_sla"
SH = ZoneInfo("Asia/Shanghai")
T0 = dt.datetime(2026, 3, 4, 10, 0, tzinfo=SH)  # a Wednesday, inside working hours
KINDS = ["first_response", "initial_opinion", "verification", "resolution"]
T0_SQL = f"'{T0.isoformat()}'::timestamptz"
# spreads the clocks that are not due over the coming days (a different hour per target)
SPREAD = "(c.id %% 43200 + k.n * 3600) * interval '1 second'"
TARGET_SECONDS = 1.0
TAG = "sla"


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["HUEY_IMMEDIATE"] = "0"  # sending is the worker's job, not the sweep's
    os.environ.setdefault("AFTERSALES_VAR_DIR", str(ROOT / "var" / "bench-sla"))
    Path(os.environ["AFTERSALES_VAR_DIR"]).mkdir(parents=True, exist_ok=True)
    import django

    django.setup()


def constant_row(model, values: dict) -> tuple[list[str], list]:
    """Columns and prepared values of one row of ``model``: ``values`` plus model defaults."""
    from django.db import connection

    obj = model(**values)
    cols, params = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        value = getattr(obj, field.attname)
        if value is None and field.has_default():
            value = field.get_default()
        cols.append(field.column)
        params.append(field.get_db_prep_save(value, connection))
    return cols, params


def bulk_insert_select(model, values: dict, varying: dict[str, str], source: str, args=()):
    """``INSERT INTO model (…) SELECT <constants and expressions> FROM source``."""
    from django.db import connection

    cols, params = constant_row(model, values)
    exprs, final = [], []
    for col, param in zip(cols, params, strict=True):
        if col in varying:
            exprs.append(varying[col])
        else:
            exprs.append("%s")
            final.append(param)
    qn = connection.ops.quote_name
    sql = (
        f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(c) for c in cols)}) "
        f"SELECT {', '.join(exprs)} FROM {source}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*final, *args])
        return cursor.rowcount


def load(clocks: int, due: int, batches: int) -> dict:
    """Base data through the models, the bulk through ``INSERT … SELECT``."""
    from django.db import connection, transaction

    from aftersales.accounts.models import Department, Team
    from aftersales.accounts.roles import Role
    from aftersales.accounts.services import user_create
    from aftersales.calendars.services import calendar_default
    from aftersales.cases.models import Case
    from aftersales.customers.models import Customer
    from aftersales.sla.models import EscalationLevel, SlaClock, SlaPolicy, SlaTarget

    cases = clocks // len(KINDS)
    with transaction.atomic():
        dept = Department.objects.create(code="bench", name="售后服务部")
        agents = []
        for t in range(5):
            lead = user_create(
                actor=None,
                username=f"lead{t}",
                password=None,
                role=Role.AGENT,
                display_name=f"组长{t}",
                email=f"lead{t}@bench.cn",
            )
            team = Team.objects.create(
                code=f"team{t}", name=f"服务组{t}", department=dept, lead=lead
            )
            for a in range(10):
                agents.append(
                    user_create(
                        actor=None,
                        username=f"agent{t}_{a}",
                        password=None,
                        role=Role.AGENT,
                        display_name=f"专员{t}-{a}",
                        email=f"agent{t}_{a}@bench.cn",
                        teams=[team],
                    )
                )
        customer = Customer.objects.create(name="基准客户", email="bench@example.cn")
        calendar = calendar_default()
        policy = SlaPolicy.objects.create(code="bench", name="投诉时效", case_types=["complaint"])
        targets = {
            kind: SlaTarget.objects.create(
                policy=policy,
                kind=kind,
                duration="24h",
                position=i,
                end_on="first_reply" if kind == "first_response" else "status",
                end_statuses=[] if kind == "first_response" else ["resolved"],
            )
            for i, kind in enumerate(KINDS)
        }
        EscalationLevel.objects.create(
            policy=policy,
            position=0,
            trigger="share",
            share_percent=75,
            recipients=["owner"],
            channels=["in_app", "email"],
        )
        EscalationLevel.objects.create(
            policy=policy,
            position=1,
            trigger="share",
            share_percent=100,
            recipients=["owner", "team_lead"],
            channels=["email"],
        )
    agent_ids = [a.pk for a in agents]
    team_of = {a.pk: a.teams.first().pk for a in agents}
    t = time.perf_counter()
    with transaction.atomic():
        created = bulk_insert_select(
            Case,
            {
                "number": "x",
                "case_type": "complaint",
                "channel": "hotline",
                "priority": "normal",
                "priority_rank": 2,
                "severity": "general",
                "status": "in_progress",
                "title": "基准投诉",
                "customer_id": customer.pk,
                "extra": {},
                "created_at": T0,
                "updated_at": T0,
                "status_changed_at": T0,
            },
            {
                "number": "'BS-' || g",
                "assignee_id": f"(ARRAY{agent_ids})[1 + g %% {len(agent_ids)}]",
                "team_id": "(ARRAY"
                + json.dumps([team_of[a] for a in agent_ids])
                + f")[1 + g %% {len(agent_ids)}]",
                "created_at": f"{T0_SQL} - (g %% 86400) * interval '1 second'",
            },
            "generate_series(1, %s) AS g",
            [cases],
        )
    say(TAG, f"{created:,} cases in {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    kinds_sql = (
        "(VALUES " + ", ".join(f"('{k}', {targets[k].pk}, {i})" for i, k in enumerate(KINDS)) + ")"
    )
    due_cases = due * batches
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT min(id) FROM cases_case WHERE number LIKE 'BS-%%'")
            first_id = cursor.fetchone()[0]
        # batch b (0-based) of due clocks: first-response clocks of cases first_id + b*due …;
        # its 75 % threshold (18 h of 24) falls at T0 + b minutes
        rank = f"(c.id - {int(first_id)})"
        batch = f"({rank} / {due})"
        is_due = f"(k.kind = 'first_response' AND {rank} < {due_cases})"
        check = f"({T0_SQL} + {batch} * interval '1 minute')"
        created = bulk_insert_select(
            SlaClock,
            {
                "kind": "first_response",
                "duration": "24h",
                "started_at": T0,
                "state": "running",
                "allotted_seconds": 86400,
                "policy_id": policy.pk,
                "calendar_id": calendar.pk,
                "updated_at": T0,
            },
            {
                "case_id": "c.id",
                "kind": "k.kind",
                "target_id": "k.target",
                "started_at": f"CASE WHEN {is_due} THEN {check} - interval '18 hours' "
                f"ELSE {T0_SQL} - (c.id %% 3600) * interval '1 second' END",
                "due_at": f"CASE WHEN {is_due} THEN {check} + interval '6 hours' "
                f"ELSE {T0_SQL} + interval '1 day' + {SPREAD} END",
                "next_check_at": f"CASE WHEN {is_due} THEN {check} "
                f"ELSE {T0_SQL} + interval '10 hours' + {SPREAD} END",
            },
            f"cases_case c CROSS JOIN {kinds_sql} AS k(kind, target, n) "
            "WHERE c.number LIKE 'BS-%%'",
        )
        # the nearest due time of each case, as the services keep it
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE cases_case c SET sla_due_at = m.due "
                "FROM (SELECT case_id, min(due_at) AS due "
                "FROM sla_slaclock GROUP BY case_id) m WHERE m.case_id = c.id"
            )
    say(TAG, f"{created:,} clocks in {time.perf_counter() - t:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE sla_slaclock")
        cursor.execute("ANALYZE cases_case")
    return {"policy": policy.pk}


def explain(now: dt.datetime) -> str:
    from django.db import connection

    from aftersales.sla.models import SlaClock

    qs = SlaClock.objects.filter(next_check_at__lte=now).order_by("next_check_at", "id")[:2000]
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        lines = [r[0].strip() for r in cursor.fetchall()]
        return " / ".join(x for x in lines if "Scan" in x or "Index" in x) or lines[0]


def _backend_pid() -> int:
    from django.db import connection

    connection.ensure_connection()
    return connection.connection.info.backend_pid


def sweep_runs(due: int, batches: int) -> list[tuple[float, float, object]]:
    """(wall seconds, CPU seconds of this process and its database server process, result)."""
    from aftersales.sla.sweep import sla_sweep

    runs = []
    pid = _backend_pid()
    for b in range(batches):
        now = T0 + dt.timedelta(minutes=b)
        db_before, app_before = cpu_seconds([pid]), time.process_time()
        started = time.perf_counter()
        result = sla_sweep(now=now)
        took = time.perf_counter() - started
        cpu = time.process_time() - app_before + cpu_used(db_before, cpu_seconds([pid]))
        runs.append((took, cpu, result))
        say(
            TAG,
            f"sweep at T+{b} min: {took * 1000:.0f} ms wall, {cpu * 1000:.0f} ms CPU, "
            f"{result.as_dict()}",
        )
        if result.clocks != due or result.notices != due:
            raise SystemExit(f"expected {due} due clocks and notices, got {result.as_dict()}")
    return runs


def raw_limit(url: str, now: dt.datetime, due: int) -> tuple[float, float]:
    """The same writes for ``due`` clocks as plain SQL in one transaction: (wall, CPU)."""
    import psycopg

    from aftersales.sla.models import EscalationLevel

    level = EscalationLevel.objects.order_by("position").first().pk
    with psycopg.connect(url) as conn, conn.cursor() as cur:
        pid = conn.info.backend_pid
        db_before, app_before = cpu_seconds([pid]), time.process_time()
        started = time.perf_counter()
        cur.execute(
            "SELECT s.id, s.case_id, s.due_at, c.number, c.title, c.assignee_id, "
            "u.username, u.email "
            "FROM sla_slaclock s JOIN cases_case c ON c.id = s.case_id "
            "JOIN accounts_user u ON u.id = c.assignee_id "
            "WHERE s.next_check_at <= %s ORDER BY s.next_check_at, s.id LIMIT %s "
            "FOR UPDATE OF s SKIP LOCKED",
            (now, due),
        )
        rows = cur.fetchall()
        values = ", ".join(["(%s, %s::timestamptz)"] * len(rows))
        cur.execute(
            "UPDATE sla_slaclock s SET next_level = 1, next_check_at = v.due, updated_at = %s "
            f"FROM (VALUES {values}) AS v(id, due) WHERE s.id = v.id",
            [now, *[x for r in rows for x in (r[0], r[2])]],
        )
        values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(rows))
        cur.execute(
            "INSERT INTO sla_escalationnotice "
            "(clock_id, level_id, case_id, reached_at, created_at) "
            f"VALUES {values} ON CONFLICT (clock_id, level_id) DO NOTHING RETURNING id, clock_id",
            [x for r in rows for x in (r[0], level, r[1], now, now)],
        )
        notice_of = {clock: pk for pk, clock in cur.fetchall()}
        values = ", ".join(["(%s, %s, 'queued', NULL, %s)"] * len(rows))
        cur.execute(
            "INSERT INTO sla_escalationdelivery (notice_id, user_id, state, hold_until, queued_at) "
            f"VALUES {values}",
            [x for r in rows for x in (notice_of[r[0]], r[5], now)],
        )
        notes = []
        for r in rows:
            subject = f"即将到期：工单 {r[3]} 的首次响应"
            body = f"{r[6]}，工单 {r[3]}（{r[4]}）的首次响应将于 {r[2]:%Y-%m-%d %H:%M} 到期。"
            for channel, address in (("in_app", r[6]), ("email", r[7])):
                notes += [
                    channel,
                    "sla_escalation",
                    "zh-hans",
                    address,
                    r[5],
                    r[1],
                    subject,
                    body,
                    now,
                ]
        values = ", ".join(
            ["(%s, %s, %s, %s, %s, %s, %s, %s, 'pending', 0, '', %s)"] * (2 * len(rows))
        )
        cur.execute(
            "INSERT INTO notifications_notification (channel, template, language, recipient, "
            "recipient_user_id, case_id, subject, body, state, attempts, last_error, created_at) "
            f"VALUES {values}",
            notes,
        )
        values = ", ".join(["(%s, 'sla_escalated', %s, false, '', %s::jsonb)"] * len(rows))
        cur.execute(
            "INSERT INTO cases_caseevent (case_id, kind, created_at, is_public, body, data) "
            f"VALUES {values}",
            [x for r in rows for x in (r[1], now, json.dumps({"clock": r[0], "level": "75 %"}))],
        )
        values = ", ".join(["(%s, 'escalated', %s, %s::jsonb)"] * len(rows))
        cur.execute(
            f"INSERT INTO sla_slaclockevent (clock_id, kind, at, data) VALUES {values}",
            [x for r in rows for x in (r[0], now, json.dumps({"level": "75 %"}))],
        )
        conn.commit()
        took = time.perf_counter() - started
        cpu = time.process_time() - app_before + cpu_used(db_before, cpu_seconds([pid]))
    if len(rows) != due:
        raise SystemExit(f"raw SQL found {len(rows)} due clocks, expected {due}")
    return took, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=os.environ.get("BENCH_SLA_URL", DEFAULT_URL))
    parser.add_argument("--clocks", type=int, default=1_000_000)
    parser.add_argument("--due", type=int, default=1_000)
    args = parser.parse_args()
    batches = 5  # one warm-up, three timed, one for the raw-SQL limit
    say(TAG, machine())
    recreate_postgres(args.url)
    setup_django(args.url)
    from django.core.management import call_command
    from django.db import connection

    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    say(TAG, f"migrated in {time.perf_counter() - t:.1f} s")
    load(args.clocks, args.due, batches)
    from aftersales.sla.models import SlaClock

    open_clocks = SlaClock.objects.filter(state="running").count()
    say(TAG, f"{open_clocks:,} open clocks; plan of the sweep's read: {explain(T0)}")
    runs = sweep_runs(args.due, batches - 1)
    timed = runs[1:]
    connection.close()
    raw, raw_cpu = raw_limit(args.url, T0 + dt.timedelta(minutes=batches - 1), args.due)
    median = statistics.median(x[0] for x in timed)
    median_cpu = statistics.median(x[1] for x in timed)
    say(
        TAG,
        f"RESULT sweep of {args.due:,} due among {open_clocks:,} open clocks: "
        f"median {median * 1000:.0f} ms wall, {median_cpu * 1000:.0f} ms CPU (app + database) "
        f"(runs {', '.join(f'{x[0] * 1000:.0f}' for x in timed)} ms; "
        f"warm-up {runs[0][0] * 1000:.0f} ms); raw-SQL limit for the same writes "
        f"{raw * 1000:.0f} ms wall, {raw_cpu * 1000:.0f} ms CPU; "
        f"target ≤ {TARGET_SECONDS * 1000:.0f} ms",
    )
    if median_cpu > TARGET_SECONDS:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
