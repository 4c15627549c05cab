"""SLA compliance report at scale: how long the report's grouped queries take over many cases,
next to the same statements sent through the plain driver (the raw-database limit).

    .venv/bin/python bench/sla_report.py             # PostgreSQL, database aftersales_bench_report
    .venv/bin/python bench/sla_report.py --sqlite    # SQLite in a temporary folder
    .venv/bin/python bench/sla_report.py --cases 200000

Cases (spread over 180 days, 8 teams, 40 agents) and two SLA clocks each (first response and
resolution, met / breached / running) are written with ``bulk_create``; then the report is
computed for the last 90 days grouped by team, agent, type and week, five times each, and the
median is printed with the median of the same SQL through the driver's cursor.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._common import machine, recreate_postgres, say

PG_URL = "postgres://postgres@127.0.0.1:5432/aftersales_bench_report"


def setup(args) -> None:
    if args.sqlite:
        folder = tempfile.mkdtemp(prefix="sla-bench-")
        os.environ["AFTERSALES_VAR_DIR"] = folder
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    else:
        os.environ["DATABASE_URL"] = args.url
        recreate_postgres(args.url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def generate(n: int, seed: int = 7) -> None:
    from django.utils import timezone

    from aftersales.accounts.models import Department, Team, User
    from aftersales.accounts.roles import Role
    from aftersales.accounts.services import user_create
    from aftersales.cases.models import Case
    from aftersales.customers.models import Customer
    from aftersales.sla.models import SlaClock

    rng = random.Random(seed)
    dept = Department.objects.create(code="bench", name="基准部门")
    teams = [Team.objects.create(code=f"t{i}", name=f"班组{i}", department=dept) for i in range(8)]
    agents: list[User] = []
    for i in range(40):
        agents.append(
            user_create(
                actor=None,
                username=f"bench{i}",
                password=None,
                role=Role.AGENT,
                display_name=f"坐席{i}",
                email=f"bench{i}@example.cn",
                teams=[teams[i % 8]],
            )
        )
    customer = Customer.objects.create(name="基准客户")
    now = timezone.now()
    types = ["repair_request", "complaint", "consultation", "return_exchange"]
    batch = 5000
    for start in range(0, n, batch):
        cases = []
        for i in range(start, min(n, start + batch)):
            k = rng.randrange(40)
            responded = rng.random() < 0.9
            cases.append(
                Case(
                    number=f"SC-B-{i:08d}",
                    case_type=types[i % 4],
                    channel="hotline",
                    priority="normal",
                    status="in_progress",
                    title="基准",
                    customer=customer,
                    team_id=teams[k % 8].pk,
                    assignee=agents[k],
                    first_response_at=now if responded else None,  # spread_created moves it
                )
            )
        made = Case.objects.bulk_create(cases)
        clocks = []
        for case in made:
            for kind in ("first_response", "resolution"):
                state = rng.choices(["met", "breached", "running"], [70, 15, 15])[0]
                clocks.append(
                    SlaClock(
                        case=case,
                        kind=kind,
                        duration="24h",
                        started_at=case.created_at,
                        due_at=case.created_at + dt.timedelta(hours=24),
                        state=state,
                    )
                )
        SlaClock.objects.bulk_create(clocks)
    say("data", f"{Case.objects.count():,} cases, {SlaClock.objects.count():,} clocks")


def spread_created(n: int, seed: int = 7) -> None:
    """auto_now_add wrote "now" into created_at; spread the cases over 180 days with one
    UPDATE per day-bucket (ids are assigned in order)."""
    from django.db import connection

    from aftersales.cases.models import Case

    table = Case._meta.db_table
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(
                f"UPDATE {table} SET created_at = now() - ((id % 180) || ' days')::interval "
                f"- ((id * 37 % 1440) || ' minutes')::interval, "
                "first_response_at = CASE WHEN first_response_at IS NULL THEN NULL ELSE "
                "now() - ((id % 180) || ' days')::interval "
                "+ ((id * 13 % 2900 + 30) || ' minutes')::interval END"
            )
        else:
            cur.execute(
                f"UPDATE {table} SET created_at = datetime('now', '-' || (id % 180) || ' days', "
                "'-' || (id * 37 % 1440) || ' minutes'), first_response_at = CASE WHEN "
                "first_response_at IS NULL THEN NULL ELSE datetime('now', '-' || (id % 180) || "
                "' days', '+' || (id * 13 % 2900 + 30) || ' minutes') END"
            )


def measure(runs: int) -> list[tuple[str, float, float]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from aftersales.accounts.models import User
    from aftersales.routing.sla_reports import SlaReportFilter, sla_compliance

    user = User.objects.create_superuser("bench-admin", "a@example.cn", None)
    today = timezone.localdate()
    out = []
    for group in ("team", "agent", "case_type", "period"):
        f = SlaReportFilter(date_from=today - dt.timedelta(days=89), date_to=today, group=group)
        times = []
        for _ in range(runs):
            user = User.objects.get(pk=user.pk)  # no permission cache between runs
            t0 = time.perf_counter()
            with CaptureQueriesContext(connection) as ctx:
                report = sla_compliance(user=user, filters=f)
            times.append(time.perf_counter() - t0)
        heavy = [q["sql"] for q in ctx.captured_queries if "GROUP BY" in q["sql"].upper()]
        raw = []
        for _ in range(runs):
            t0 = time.perf_counter()
            with connection.cursor() as cur:
                for sql in heavy:
                    cur.execute(sql)
                    cur.fetchall()
            raw.append(time.perf_counter() - t0)
        out.append((group, statistics.median(times), statistics.median(raw)))
        ms, raw_ms = statistics.median(times) * 1000, statistics.median(raw) * 1000
        say(
            group,
            f"{len(report.rows)} rows, {report.total.finished:,} finished targets, "
            f"{len(ctx.captured_queries)} queries: report {ms:.0f} ms, "
            f"its GROUP BY statements through the driver {raw_ms:.0f} ms",
        )
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--url", default=PG_URL)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    setup(args)
    from django.db import connection

    say("machine", machine())
    say("database", f"{connection.vendor} {connection.Database.__name__}")
    t0 = time.perf_counter()
    generate(args.cases)
    spread_created(args.cases)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")  # fresh statistics, as autovacuum would leave them
    say("load", f"{time.perf_counter() - t0:.1f} s")
    measure(args.runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
