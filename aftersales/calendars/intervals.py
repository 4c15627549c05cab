"""Working intervals written as text, ``08:30-12:00;13:30-17:30``, and back (no Django import)."""

from __future__ import annotations

import re
from datetime import time
from itertools import pairwise


class IntervalError(ValueError):
    """A bad interval; ``code`` (malformed, bad_time, reversed, overlap) and ``text`` let the
    caller say it in the user's language."""

    def __init__(self, code: str, text: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.text = text


_PAIR = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-–~]\s*(\d{1,2}):(\d{2})\s*$")


def _clock(hour: str, minute: str, *, end: bool) -> time:
    h, m = int(hour), int(minute)
    if end and (h, m) == (24, 0):
        return time(0)
    if h > 23 or m > 59:
        raise IntervalError("bad_time", f"{hour}:{minute}", f"{hour}:{minute} is not a time of day")
    return time(h, m)


def parse_intervals(text: str) -> list[tuple[time, time]]:
    """``"08:30-12:00;13:30-17:30"`` → sorted pairs; ``""`` → ``[]``. An end of 24:00 or 00:00 is
    midnight. Raises ValueError for a malformed, reversed or overlapping interval."""
    pairs = []
    for part in re.split(r"[;,，；]", text or ""):
        if not part.strip():
            continue
        match = _PAIR.match(part)
        if not match:
            text = part.strip()
            raise IntervalError("malformed", text, f"“{text}” is not an interval like 08:30-12:00")
        start = _clock(match.group(1), match.group(2), end=False)
        end = _clock(match.group(3), match.group(4), end=True)
        pairs.append((start, end))
    return check_intervals(pairs)


def check_intervals(pairs: list[tuple[time, time]]) -> list[tuple[time, time]]:
    """Sorted pairs, each ending after it starts (00:00 as an end is midnight), none overlapping."""

    def minutes(t: time, end: bool) -> int:
        m = t.hour * 60 + t.minute
        return 1440 if end and m == 0 and t.second == 0 else m

    ordered = sorted(pairs, key=lambda p: minutes(p[0], False))
    for start, end in ordered:
        if minutes(end, True) <= minutes(start, False):
            text = f"{start:%H:%M}-{end:%H:%M}"
            raise IntervalError("reversed", text, f"{text} must end after it starts")
    for (_s1, e1), (s2, e2) in pairwise(ordered):
        if minutes(s2, False) < minutes(e1, True):
            text = f"{s2:%H:%M}-{e2:%H:%M}"
            raise IntervalError("overlap", text, f"{text} overlaps the interval before it")
    return ordered


def format_intervals(pairs) -> str:
    """Pairs of times or of ``"HH:MM"`` strings → ``"08:30-12:00;13:30-17:30"``."""

    def clock(t, end: bool) -> str:
        text = t if isinstance(t, str) else f"{t:%H:%M}"
        return "24:00" if end and text == "00:00" else text

    return ";".join(f"{clock(a, False)}-{clock(b, True)}" for a, b in pairs)


def to_json(pairs: list[tuple[time, time]]) -> list[list[str]]:
    return [[f"{a:%H:%M}", f"{b:%H:%M}"] for a, b in pairs]


def from_json(rows) -> list[tuple[time, time]]:
    return [(time.fromisoformat(a), time.fromisoformat(b)) for a, b in rows or []]
