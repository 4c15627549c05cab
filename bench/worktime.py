"""Working-time arithmetic: additions per second on one core, with the calendar's per-day index.

The calendar is the company default the database is seeded with (08:30–12:00 and 13:30–17:30,
Monday to Friday, China's holidays and make-up working days of every year chinesecalendar knows),
built here without Django, exactly as ``calendars.services.compile_calendar`` builds it. Inputs
(random instants in 2025–2026 at second resolution, random durations) are made before timing.

Printed figures: building the index; ``add`` of working minutes/hours, of working days and of
natural hours; ``between``; ``next_working_instant``; and, as the floor to compare against, a
straightforward day-by-day walk over the same calendar without an index. The process is pinned
to one CPU. Exit status 1 when working-minute additions fall below the target (100,000/s).

    make bench-sla
    .venv/bin/python bench/worktime.py --n 200000
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import datetime, timedelta
from datetime import time as clock
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aftersales.calendars.chinese_days import HOLIDAY, package_days, package_years
from aftersales.calendars.worktime import Calendar, Duration

TARGET = 100_000
SH = ZoneInfo("Asia/Shanghai")
DAY = [(clock(8, 30), clock(12, 0)), (clock(13, 30), clock(17, 30))]


def default_calendar() -> Calendar:
    overrides = {}
    years = package_years()
    for year in years:
        for row in package_days(year):
            overrides[row.day] = [] if row.kind == HOLIDAY else DAY
    return Calendar(
        tz=SH,
        weekly={wd: DAY for wd in range(5)},
        overrides=overrides,
        known_years=years,
        code="default",
    )


def naive_add_minutes(cal: Calendar, start: datetime, minutes: int) -> datetime:
    """The obvious algorithm: walk the intervals day by day (no index), for comparison."""
    t = start.astimezone(SH)
    left = timedelta(minutes=minutes)
    day = t.date()
    while True:
        for a, b in cal.hours_on(day):
            lo = datetime.combine(day, a, SH)
            hi = (
                datetime.combine(day, b, SH) if b != clock(0) else lo.replace(hour=0) + timedelta(1)
            )
            if hi <= t:
                continue
            lo = max(lo, t)
            if hi - lo >= left and left:
                return lo + left
            left -= hi - lo
        day += timedelta(days=1)
        t = datetime.combine(day, clock(0), SH)


def rate(label: str, n: int, fn) -> float:
    """Operations per CPU second of this process (the machine may be shared: CPU time is what
    one core spent on them; wall time is printed too)."""
    c0, w0 = time.process_time(), time.perf_counter()
    fn()
    cpu, wall = time.process_time() - c0, time.perf_counter() - w0
    per_s = n / cpu
    print(
        f"  {label:<42} {per_s:>10,.0f} /s   ({cpu * 1e6 / n:5.2f} µs CPU, "
        f"{wall * 1e6 / n:5.2f} µs wall each)"
    )
    return per_s


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=200_000, help="operations per figure")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    rng = random.Random(args.seed)
    n = args.n

    t0 = time.perf_counter()
    cal = default_calendar()
    build_ms = (time.perf_counter() - t0) * 1000
    years = sorted(cal.known_years)
    print(f"calendar: {years[0]}–{years[-1]} ({len(years)} years) built in {build_ms:.1f} ms")

    epoch = datetime(2025, 1, 1, tzinfo=SH)
    span = int((datetime(2026, 11, 1, tzinfo=SH) - epoch).total_seconds())
    starts = [epoch + timedelta(seconds=rng.randrange(span)) for _ in range(n)]
    ends = [s + timedelta(seconds=rng.randrange(30 * 86400)) for s in starts]
    wm = [Duration("working", rng.choice([30, 60, 240, 480, 450, 900, 2400])) for _ in range(n)]
    wd = [Duration("working_days", rng.choice([1, 1, 2, 3, 5, 10])) for _ in range(n)]
    nat = [Duration("natural", rng.choice([60, 1440, 2880])) for _ in range(n)]
    pairs_wm, pairs_wd, pairs_nat = (list(zip(starts, d, strict=True)) for d in (wm, wd, nat))
    add = cal.add
    print(f"one core, {n:,} operations each, random starts in 2025–2026:")
    figure = rate(
        "add working minutes/hours (8wh, 30wm …)", n, lambda: [add(s, d) for s, d in pairs_wm]
    )
    rate("add working days (1wd …)", n, lambda: [add(s, d) for s, d in pairs_wd])
    rate("add natural time (24h …)", n, lambda: [add(s, d) for s, d in pairs_nat])
    between = cal.between
    rate(
        "between (up to 30 days apart)",
        n,
        lambda: [between(a, b) for a, b in zip(starts, ends, strict=True)],
    )
    nwi = cal.next_working_instant
    rate("next_working_instant", n, lambda: [nwi(s) for s in starts])
    m = max(n // 20, 1000)
    sample = [(s, d.amount) for s, d in pairs_wm[:m]]
    floor = rate(
        "floor: day-by-day walk, no index (wm)",
        m,
        lambda: [naive_add_minutes(cal, s, a) for s, a in sample],
    )
    # the two agree
    for s, d in pairs_wm[:2000]:
        assert add(s, d) == naive_add_minutes(cal, s, d.amount), (s, d)
    verdict = "meets" if figure >= TARGET else "MISSES"
    print(
        f"result: {figure:,.0f} working-time additions/s on one core — {verdict} the target "
        f"of {TARGET:,}/s; {figure / floor:.0f}× the day-by-day walk"
    )
    return 0 if figure >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
