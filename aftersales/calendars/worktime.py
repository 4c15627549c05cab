"""Working-time arithmetic on a working calendar (R2.2), with no Django dependency.

A :class:`Calendar` knows, for every day of the years it *knows*, the working intervals of that day:
the weekday's intervals unless a dated override replaces them (a holiday is an override with no
intervals, a make-up working day 调休 or a day of special hours one with its own intervals). It is
built once and keeps a per-day index (cumulative working time before each day, the working days in
order) so that one addition costs a couple of binary searches.

Rules, stated once here and documented in ``docs/calendars.md``:

* Instants are aware datetimes; results are in the calendar's time zone. Working intervals are
  half-open ``[start, end)`` on the calendar's wall clock; an interval ending at ``00:00`` ends at
  midnight (24:00).
* Natural durations (``24h``, ``90m``, ``2d``) ignore the calendar and never raise
  :class:`UnknownYear`.
* Working minutes/hours (``30wm``, ``8wh``): the result is the earliest instant at which that much
  working time has passed since ``start``. A deadline reached exactly at the end of an interval
  is that end (Friday 16:30 + 1wh = Friday 17:30, not Monday 08:30). A start outside working
  time counts from the next working instant; a zero duration yields the next working instant.
* Working days (``1wd``): the start moves to the next working instant ``s`` on working day ``D``.
  If ``s`` is the opening of ``D`` the result is the close of the N-th working day counting ``D``
  as the first (from 2026-09-30 18:30, 1wd is 2026-10-08 17:30). Otherwise the result lies on the
  N-th working day after ``D`` at the same *share* of that day's working time as ``s`` had of
  ``D``'s: with equal hours that is the same time of day (Friday 16:00 → Monday 16:00, or a make-up
  Saturday 16:00); when hours differ, 6 of 7.5 working hours elapsed on ``D`` map to 80 % of the
  target day's hours (e.g. 3h12m into a 4-hour day). A share that falls on the boundary between two
  intervals lands on the start of the later one (13:30 stays 13:30, never 12:00).
* :meth:`Calendar.between` is the working time in ``[start, end)``, negative when ``end < start``.
* Whenever a day that is needed lies in a year the calendar does not know, :class:`UnknownYear` is
  raised; :meth:`Calendar.add_or_estimate` instead falls back to natural time (1wd = 24h, 8wh = 8h)
  and says the result is estimated.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

__all__ = ["DURATION_KINDS", "Calendar", "Duration", "UnknownYear"]

NATURAL = "natural"
WORKING = "working"
WORKING_DAYS = "working_days"
DURATION_KINDS = (NATURAL, WORKING, WORKING_DAYS)

_US_PER_MINUTE = 60_000_000
_US_PER_DAY = 86_400_000_000

# unit → (kind, minutes per unit); working days count days, not minutes.
_UNITS = {
    "m": (NATURAL, 1),
    "min": (NATURAL, 1),
    "h": (NATURAL, 60),
    "d": (NATURAL, 1440),
    "wm": (WORKING, 1),
    "wh": (WORKING, 60),
    "wd": (WORKING_DAYS, 1),
}
MAX_MINUTES = 10 * 366 * 1440  # ten years, natural or working
MAX_WORKING_DAYS = 10 * 366
_DURATION_RE = re.compile(r"^\s*(\d{1,7})\s*([a-z]{1,3})\s*$")


class UnknownYear(Exception):
    """A computation needed a day in a year whose holidays and make-up days were never entered."""

    def __init__(self, year: int, code: str = "") -> None:
        self.year = year
        self.code = code
        where = f"calendar '{code}'" if code else "the calendar"
        super().__init__(f"year {year} is not in {where}")


@dataclass(frozen=True)
class Duration:
    """A duration as a service level states it: natural or working minutes, or working days.

    ``amount`` is minutes for ``natural`` and ``working``, days for ``working_days``.
    """

    kind: str
    amount: int

    def __post_init__(self) -> None:
        if self.kind not in DURATION_KINDS:
            raise ValueError(f"unknown duration kind {self.kind!r}")
        if not isinstance(self.amount, int) or isinstance(self.amount, bool) or self.amount < 0:
            raise ValueError("a duration is a whole number of minutes or days, not negative")

    @classmethod
    def parse(cls, text: str) -> Duration:
        """``24h``, ``90m``, ``2d`` (natural); ``8wh``, ``30wm`` (working); ``1wd`` (working days).

        Raises ValueError with a message that lists the accepted units."""
        match = _DURATION_RE.match(str(text).lower())
        if not match or match.group(2) not in _UNITS:
            raise ValueError(
                f"invalid duration {text!r}: use a whole number and a unit — "
                "m, h, d (natural minutes, hours, days), wm, wh (working minutes, hours) "
                "or wd (working days), e.g. 24h, 90m, 8wh, 30wm, 1wd"
            )
        kind, factor = _UNITS[match.group(2)]
        amount = int(match.group(1)) * factor
        if amount > (MAX_WORKING_DAYS if kind == WORKING_DAYS else MAX_MINUTES):
            raise ValueError(f"invalid duration {text!r}: at most ten years")
        return cls(kind, amount)

    @property
    def is_natural(self) -> bool:
        return self.kind == NATURAL

    def natural_equivalent(self) -> timedelta:
        """The natural time used when the calendar cannot answer: minutes as they are, 1wd = 24h."""
        if self.kind == WORKING_DAYS:
            return timedelta(days=self.amount)
        return timedelta(minutes=self.amount)

    def __str__(self) -> str:
        n = self.amount
        if self.kind == WORKING_DAYS:
            return f"{n}wd"
        if self.kind == WORKING:
            return f"{n // 60}wh" if n and n % 60 == 0 else f"{n}wm"
        if n and n % 1440 == 0:
            return f"{n // 1440}d"
        return f"{n // 60}h" if n and n % 60 == 0 else f"{n}m"


Interval = tuple[time, time]


def _to_us(t: time) -> int:
    return ((t.hour * 60 + t.minute) * 60 + t.second) * 1_000_000 + t.microsecond


def _normalise(intervals: list[Interval] | tuple[Interval, ...], label: str) -> tuple:
    """Intervals as sorted ``(start_us, end_us)`` pairs; refuses reversed or overlapping ones."""
    pairs = []
    for start, end in intervals:
        a = _to_us(start)
        b = _to_us(end) or _US_PER_DAY  # 00:00 as an end is midnight
        if b <= a:
            raise ValueError(f"{label}: an interval must end after it starts ({start}–{end})")
        pairs.append((a, b))
    pairs.sort()
    for (_, b1), (a2, _) in pairwise(pairs):
        if a2 < b1:
            raise ValueError(f"{label}: working intervals overlap")
    return tuple(pairs)


class Calendar:
    """An immutable working calendar with a precomputed per-day index.

    ``weekly`` maps ``date.weekday()`` (0 = Monday … 6 = Sunday) to that weekday's intervals;
    ``overrides`` maps a date to the intervals that replace the weekday's (``[]`` = closed);
    ``known_years`` are the years whose holidays and make-up days are in ``overrides``.
    """

    __slots__ = (
        "_base",
        "_cum",
        "_ends",
        "_intervals",
        "_midnights",
        "_n",
        "_overrides",
        "_unknown",
        "_wd_rank",
        "_wdays",
        "_weekly",
        "code",
        "known_years",
        "tz",
    )

    def __init__(
        self,
        *,
        tz: ZoneInfo,
        weekly: dict[int, list[Interval]],
        overrides: dict[date, list[Interval]],
        known_years: frozenset[int],
        code: str = "",
    ) -> None:
        self.tz = tz
        self.code = code
        self.known_years = frozenset(known_years)
        self._weekly = {wd: _normalise(weekly.get(wd, ()), f"weekday {wd}") for wd in range(7)}
        for wd in weekly:
            if wd not in range(7):
                raise ValueError(f"weekday {wd} is not in 0 (Monday) … 6 (Sunday)")
        self._overrides = {d: _normalise(iv, d.isoformat()) for d, iv in overrides.items()}
        self._build_index()

    # -- index -----------------------------------------------------------------------------
    def _build_index(self) -> None:
        if self.known_years:
            first, last = min(self.known_years), max(self.known_years)
            self._base = date(first, 1, 1).toordinal()
            self._n = date(last, 12, 31).toordinal() - self._base + 1
        else:
            self._base, self._n = date(2000, 1, 1).toordinal(), 0
        intervals, ends, cum, unknown = [], [], [0], [0]
        wd_rank, wdays, midnights = [], [], []
        total = unknown_count = 0
        for i in range(self._n):
            d = date.fromordinal(self._base + i)
            pairs = self._overrides.get(d, self._weekly[d.weekday()])
            acc, day_ends = 0, []
            for a, b in pairs:
                acc += b - a
                day_ends.append(acc)
            intervals.append(pairs)
            ends.append(tuple(day_ends))
            wd_rank.append(len(wdays))
            if acc:
                wdays.append(i)
            total += acc
            cum.append(total)
            unknown_count += d.year not in self.known_years
            unknown.append(unknown_count)
            midnights.append(datetime(d.year, d.month, d.day, tzinfo=self.tz))
        wd_rank.append(len(wdays))
        self._intervals, self._ends, self._cum, self._unknown = intervals, ends, cum, unknown
        self._wd_rank, self._wdays, self._midnights = wd_rank, wdays, midnights

    def _locate(self, t: datetime) -> tuple[int, int]:
        """(day index, microseconds since local midnight) of an aware instant."""
        if t.tzinfo is None or t.utcoffset() is None:
            raise ValueError("instants must be aware datetimes (with a time zone)")
        local = t.astimezone(self.tz)
        off = ((local.hour * 60 + local.minute) * 60 + local.second) * 1_000_000
        return local.toordinal() - self._base, off + local.microsecond

    def _year_of(self, i: int) -> int:
        return date.fromordinal(self._base + i).year

    def _require(self, first: int, last: int) -> None:
        """Raise UnknownYear for the first day index in [first, last] outside the known years."""
        if first < 0:
            raise UnknownYear(self._year_of(first), self.code)
        hi = min(last, self._n - 1)
        if hi >= first and self._unknown[hi + 1] - self._unknown[first]:
            k = bisect_right(self._unknown, self._unknown[first], lo=first)
            raise UnknownYear(self._year_of(k - 1), self.code)
        if last >= self._n:
            raise UnknownYear(self._year_of(max(first, self._n)), self.code)

    def _elapsed(self, i: int, off: int) -> int:
        """Working microseconds of day ``i`` before ``off``."""
        acc = 0
        for a, b in self._intervals[i]:
            if off >= b:
                acc += b - a
            else:
                if off > a:
                    acc += off - a
                break
        return acc

    def _instant(self, i: int, off: int) -> datetime:
        return self._midnights[i] + timedelta(microseconds=off)

    def _at_work(self, i: int, w: int, later: bool) -> int:
        """Offset on day ``i`` where ``w`` working microseconds of that day have passed
        (0 < w <= day total; on a boundary between intervals the earlier end, or with
        ``later`` the start of the next interval)."""
        ends = self._ends[i]
        k = bisect_right(ends, w) if later else bisect_left(ends, w)
        b = self._intervals[i][k][1]
        return b - (ends[k] - w)

    def _next_working(self, i: int, off: int) -> tuple[int, int]:
        self._require(i, i)
        for a, b in self._intervals[i]:
            if off < b:
                return i, max(off, a)
        # the first later day with working time: the first cum step after day i
        k = bisect_right(self._cum, self._cum[i + 1]) - 1
        if k >= self._n:
            self._require(i, self._n)
        self._require(i, k)
        return k, self._intervals[k][0][0]

    # -- public ----------------------------------------------------------------------------
    def knows(self, d: date) -> bool:
        """Whether the year of ``d`` has its holidays and make-up days in this calendar."""
        return d.year in self.known_years

    def hours_on(self, d: date) -> list[Interval]:
        """The working intervals of day ``d`` (override or weekday), as times."""
        pairs = self._overrides.get(d, self._weekly[d.weekday()])
        return [(_us_time(a), _us_time(b)) for a, b in pairs]

    def is_working(self, t: datetime) -> bool:
        """Whether ``t`` lies inside a working interval; raises UnknownYear outside known years."""
        i, off = self._locate(t)
        self._require(i, i)
        return any(a <= off < b for a, b in self._intervals[i])

    def next_working_instant(self, t: datetime) -> datetime:
        """``t`` itself when it is working time, else the start of the next working interval."""
        return self._instant(*self._next_working(*self._locate(t)))

    def _start(self, start: datetime) -> tuple[int, int, int]:
        """(day index, offset, working time elapsed that day) of the next working instant at
        or after ``start`` — the hot path of :meth:`add`, inlined for speed."""
        if start.tzinfo is None:
            raise ValueError("instants must be aware datetimes (with a time zone)")
        local = start if start.tzinfo is self.tz else start.astimezone(self.tz)
        i = local.toordinal() - self._base
        off = (local.hour * 3600 + local.minute * 60 + local.second) * 1_000_000 + local.microsecond
        if i < 0 or i >= self._n or self._unknown[i + 1] != self._unknown[i]:
            self._require(i, i)
        acc = 0
        for a, b in self._intervals[i]:
            if off < b:
                if off > a:
                    acc += off - a
                else:
                    off = a
                return i, off, acc
            acc += b - a
        i, off = self._next_working(i, off)
        return i, off, 0

    def add(self, start: datetime, duration: Duration) -> datetime:
        """The deadline ``duration`` after ``start`` (see the module's rules)."""
        kind = duration.kind
        if kind == NATURAL:
            return self._natural(start, timedelta(minutes=duration.amount))
        i, off, elapsed = self._start(start)
        amount = duration.amount
        if amount == 0:
            return self._midnights[i] + timedelta(0, 0, off)
        cum = self._cum
        if kind == WORKING:
            target = cum[i] + elapsed + amount * _US_PER_MINUTE
            m = bisect_left(cum, target, i + 1)
            if m > self._n:
                self._require(i, self._n)
            k = m - 1
            if self._unknown[m] != self._unknown[i]:
                self._require(i, k)
            rem = target - cum[k]
            ends = self._ends[k]
            j = bisect_left(ends, rem)
            off = self._intervals[k][j][1] - (ends[j] - rem)
            return self._midnights[k] + timedelta(0, 0, off)
        # working days
        rank = self._wd_rank[i] + amount - (0 if elapsed else 1)
        if rank >= len(self._wdays):
            self._require(i, self._n)
        k = self._wdays[rank]
        if self._unknown[k + 1] != self._unknown[i]:
            self._require(i, k)
        if not elapsed:
            return self._instant(k, self._intervals[k][-1][1])
        day_from = cum[i + 1] - cum[i]
        day_to = cum[k + 1] - cum[k]
        share = elapsed if day_to == day_from else elapsed * day_to // day_from
        if share == 0:  # a sliver of the start day maps below a microsecond of the target day
            return self._instant(k, self._intervals[k][0][0])
        return self._instant(k, self._at_work(k, share, later=True))

    def add_or_estimate(self, start: datetime, duration: Duration) -> tuple[datetime, bool]:
        """:meth:`add`, or natural time when a needed year is unknown; the flag says *estimated*."""
        try:
            return self.add(start, duration), False
        except UnknownYear:
            return self._natural(start, duration.natural_equivalent()), True

    def _natural(self, start: datetime, delta: timedelta) -> datetime:
        if start.tzinfo is None or start.utcoffset() is None:
            raise ValueError("instants must be aware datetimes (with a time zone)")
        return (start.astimezone(UTC) + delta).astimezone(self.tz)

    def between(self, start: datetime, end: datetime) -> timedelta:
        """Working time in ``[start, end)``; negative when ``end`` is before ``start``."""
        if end < start:
            return -self.between(end, start)
        i, off_i = self._locate(start)
        j, off_j = self._locate(end)
        if off_j == 0 and j > i:  # ends at midnight: the day of ``end`` is not needed
            j, off_j = j - 1, _US_PER_DAY
        self._require(i, j)
        work = (self._cum[j] + self._elapsed(j, off_j)) - (self._cum[i] + self._elapsed(i, off_i))
        return timedelta(microseconds=work)

    def __repr__(self) -> str:
        years = f"{min(self.known_years)}–{max(self.known_years)}" if self.known_years else "none"
        return f"<Calendar {self.code or '?'} {self.tz.key} years {years}>"


def _us_time(us: int) -> time:
    if us >= _US_PER_DAY:
        return time(0)
    s, micro = divmod(us, 1_000_000)
    return time(s // 3600, s // 60 % 60, s % 60, micro)
