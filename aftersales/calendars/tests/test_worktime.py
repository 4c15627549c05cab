"""Working-time arithmetic (R2.2): the issue's examples, China's 2026 holidays, properties."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from aftersales.calendars.chinese_days import HOLIDAY, package_days, package_years
from aftersales.calendars.worktime import Calendar, Duration, UnknownYear

SH = ZoneInfo("Asia/Shanghai")
DAY = [(time(8, 30), time(12, 0)), (time(13, 30), time(17, 30))]  # 7.5 working hours


def china_calendar(weekly=None) -> Calendar:
    years = package_years()
    overrides = {}
    for year in years:
        for row in package_days(year):
            overrides[row.day] = [] if row.kind == HOLIDAY else DAY
    return Calendar(
        tz=SH,
        weekly=weekly or {wd: DAY for wd in range(5)},
        overrides=overrides,
        known_years=years,
        code="default",
    )


CAL = china_calendar()


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SH)


def add(start: datetime, text: str) -> datetime:
    return CAL.add(start, Duration.parse(text))


# -- the examples ---------------------------------------------------------------------
def test_initial_opinion_within_one_working_day_over_national_day():
    assert add(at(2026, 9, 30, 18, 30), "1wd").isoformat() == "2026-10-08T17:30:00+08:00"


def test_natural_24h_ignores_holidays():
    assert add(at(2026, 9, 30, 18, 30), "24h").isoformat() == "2026-10-01T18:30:00+08:00"


def test_natural_durations_never_need_a_known_year():
    assert add(at(2027, 5, 1, 9), "2d") == at(2027, 5, 3, 9)
    assert add(at(2026, 12, 31, 23), "90m") == at(2027, 1, 1, 0, 30)


def test_instants_in_another_zone_are_answered_in_the_calendar_zone():
    utc = datetime(2026, 9, 30, 10, 30, tzinfo=ZoneInfo("UTC"))  # 18:30 in Shanghai
    result = CAL.add(utc, Duration.parse("1wd"))
    assert result.isoformat() == "2026-10-08T17:30:00+08:00"


# -- lunch breaks and breaks ------------------------------------------------------------------
def test_across_lunch_break():
    assert add(at(2026, 11, 18, 11, 0), "2wh") == at(2026, 11, 18, 14, 30)
    assert CAL.between(at(2026, 11, 18, 11, 0), at(2026, 11, 18, 14, 30)) == timedelta(hours=2)


def test_start_inside_a_break_moves_to_next_working_instant():
    assert CAL.next_working_instant(at(2026, 11, 18, 12, 15)) == at(2026, 11, 18, 13, 30)
    assert add(at(2026, 11, 18, 12, 15), "30wm") == at(2026, 11, 18, 14, 0)
    assert add(at(2026, 11, 18, 12, 15), "0wm") == at(2026, 11, 18, 13, 30)
    assert add(at(2026, 11, 18, 7, 0), "1wh") == at(2026, 11, 18, 9, 30)


def test_deadline_at_end_of_interval_stays_there():
    assert add(at(2026, 11, 20, 16, 30), "1wh") == at(2026, 11, 20, 17, 30)  # Friday
    assert add(at(2026, 11, 18, 11, 0), "1wh") == at(2026, 11, 18, 12, 0)


def test_intervals_are_half_open():
    assert CAL.is_working(at(2026, 11, 18, 8, 30))
    assert not CAL.is_working(at(2026, 11, 18, 12, 0))
    assert CAL.is_working(at(2026, 11, 18, 17, 29, 59))
    assert not CAL.is_working(at(2026, 11, 18, 17, 30))
    assert CAL.next_working_instant(at(2026, 11, 18, 17, 30)) == at(2026, 11, 19, 8, 30)


# -- weekends and holidays ------------------------------------------------------------------
def test_weekend():
    friday = at(2026, 11, 13, 16, 0)
    assert add(friday, "1wd") == at(2026, 11, 16, 16, 0)
    assert add(friday, "2wh") == at(2026, 11, 16, 9, 0)
    assert add(at(2026, 11, 14, 10, 0), "1wd") == at(2026, 11, 16, 17, 30)  # Saturday
    assert CAL.between(friday, at(2026, 11, 16, 9, 0)) == timedelta(hours=2)


def test_national_day_2026_closed_and_make_up_days_worked():
    for day in range(1, 8):
        assert not CAL.is_working(at(2026, 10, day, 10, 0))
    assert CAL.is_working(at(2026, 9, 20, 10, 0))  # Sunday worked (调休)
    assert CAL.is_working(at(2026, 10, 10, 10, 0))  # Saturday worked
    assert add(at(2026, 9, 18, 16, 0), "1wd") == at(2026, 9, 20, 16, 0)  # Friday → Sunday
    assert add(at(2026, 10, 9, 16, 0), "1wd") == at(2026, 10, 10, 16, 0)  # Friday → Saturday
    assert add(at(2026, 10, 9, 13, 30), "1wd") == at(2026, 10, 10, 13, 30)
    assert add(at(2026, 9, 30, 17, 0), "1wh") == at(2026, 10, 8, 9, 0)
    # Mid-autumn (09-25) falls on a Friday: a day off
    assert add(at(2026, 9, 24, 17, 0), "1wh") == at(2026, 9, 28, 9, 0)
    # 09-30, 10-08, 10-09 and the worked Saturday 10-10
    assert CAL.between(at(2026, 9, 30, 0, 0), at(2026, 10, 11, 0, 0)) == timedelta(hours=30)


def test_spring_festival_2026():
    assert add(at(2026, 2, 13, 17, 0), "1wh") == at(2026, 2, 14, 9, 0)  # Saturday worked
    assert add(at(2026, 2, 14, 17, 0), "1wh") == at(2026, 2, 24, 9, 0)  # 02-15..23 off
    assert add(at(2026, 2, 14, 12, 0), "1wd") == at(2026, 2, 24, 13, 30)
    assert CAL.between(at(2026, 2, 13), at(2026, 2, 25)) == timedelta(hours=22.5)
    assert CAL.is_working(at(2026, 2, 28, 9, 0))  # Saturday worked


def test_new_year_2026():
    assert add(at(2025, 12, 31, 17, 0), "1wh") == at(2026, 1, 4, 9, 0)  # Sunday 01-04 worked
    assert add(at(2025, 12, 31, 10, 0), "1wd") == at(2026, 1, 4, 10, 0)
    assert CAL.between(at(2025, 12, 31, 17, 30), at(2026, 1, 4, 8, 30)) == timedelta(0)


# -- unknown years ----------------------------------------------------------------------------
def test_unknown_year_raises_with_the_year():
    with pytest.raises(UnknownYear) as exc:
        add(at(2026, 12, 31, 17, 0), "1wh")
    assert exc.value.year == 2027
    assert "2027" in str(exc.value) and "default" in str(exc.value)
    with pytest.raises(UnknownYear):
        CAL.between(at(2026, 12, 1), at(2027, 1, 5))
    with pytest.raises(UnknownYear) as exc:
        CAL.is_working(at(2003, 6, 2, 10))
    assert exc.value.year == 2003
    assert CAL.knows(date(2026, 5, 1)) and not CAL.knows(date(2027, 1, 1))


def test_a_gap_between_known_years_is_unknown():
    weekly = {wd: DAY for wd in range(5)}
    cal = Calendar(tz=SH, weekly=weekly, overrides={}, known_years=frozenset({2025, 2027}))
    assert cal.add(at(2025, 12, 30, 17, 0), Duration.parse("1wh")) == at(2025, 12, 31, 9, 0)
    with pytest.raises(UnknownYear) as exc:
        cal.add(at(2025, 12, 31, 17, 0), Duration.parse("1wh"))
    assert exc.value.year == 2026


def test_between_up_to_midnight_of_an_unknown_year_is_fine():
    assert CAL.between(at(2026, 12, 31, 8, 30), at(2027, 1, 1)) == timedelta(hours=7.5)


def test_add_or_estimate_falls_back_to_natural_time():
    result, estimated = CAL.add_or_estimate(at(2026, 12, 31, 17, 0), Duration.parse("1wd"))
    assert (result, estimated) == (at(2027, 1, 1, 17, 0), True)
    result, estimated = CAL.add_or_estimate(at(2026, 9, 30, 18, 30), Duration.parse("1wd"))
    assert (result, estimated) == (at(2026, 10, 8, 17, 30), False)


# -- between ----------------------------------------------------------------------------------
def test_between_is_negative_backwards():
    assert CAL.between(at(2026, 11, 18, 14, 30), at(2026, 11, 18, 11, 0)) == -timedelta(hours=2)


def test_naive_instants_are_refused():
    with pytest.raises(ValueError, match="aware"):
        CAL.add(datetime(2026, 11, 18, 10), Duration.parse("1wh"))
    with pytest.raises(ValueError, match="aware"):
        CAL.add(datetime(2026, 11, 18, 10), Duration.parse("1h"))


# -- days with different hours ------------------------------------------------------------------
def test_working_day_carries_the_elapsed_share_to_a_shorter_day():
    special = {date(2026, 11, 23): [(time(9, 0), time(13, 0))]}  # a Monday of 4 hours
    cal = Calendar(
        tz=SH,
        weekly={wd: DAY for wd in range(5)},
        overrides=special,
        known_years=frozenset({2026}),
    )
    # Friday 16:00: 6 of 7.5 hours elapsed = 80 % → 80 % of 4 hours = 3h12m after 09:00
    assert cal.add(at(2026, 11, 20, 16, 0), Duration.parse("1wd")) == at(2026, 11, 23, 12, 12)
    # from the short day back to a normal one: 1 of 4 hours = 25 % → 1h52m30s after 08:30
    assert cal.add(at(2026, 11, 23, 10, 0), Duration.parse("1wd")) == at(2026, 11, 24, 10, 22, 30)
    # from an opening: the close of the same day
    assert cal.add(at(2026, 11, 23, 9, 0), Duration.parse("1wd")) == at(2026, 11, 23, 13, 0)
    assert cal.add(at(2026, 11, 22, 9, 0), Duration.parse("2wd")) == at(2026, 11, 24, 17, 30)


def test_round_the_clock_calendar_with_midnight_end():
    cal = Calendar(
        tz=SH,
        weekly={wd: [(time(0), time(0))] for wd in range(7)},
        overrides={},
        known_years=frozenset({2026}),
    )
    assert cal.add(at(2026, 3, 1, 18, 30), Duration.parse("8wh")) == at(2026, 3, 2, 2, 30)
    assert cal.add(at(2026, 3, 1, 18, 30), Duration.parse("1wd")) == at(2026, 3, 2, 18, 30)
    assert cal.between(at(2026, 3, 1), at(2026, 3, 3)) == timedelta(days=2)
    assert cal.hours_on(date(2026, 3, 1)) == [(time(0), time(0))]


# -- validation -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "intervals, message",
    [
        ([(time(12), time(9))], "end after"),
        ([(time(9), time(12)), (time(11), time(14))], "overlap"),
    ],
)
def test_bad_intervals_are_refused(intervals, message):
    with pytest.raises(ValueError, match=message):
        Calendar(tz=SH, weekly={0: intervals}, overrides={}, known_years=frozenset({2026}))


@pytest.mark.parametrize(
    "text, kind, amount",
    [
        ("24h", "natural", 1440),
        ("90m", "natural", 90),
        ("2d", "natural", 2880),
        ("8wh", "working", 480),
        ("30wm", "working", 30),
        ("1wd", "working_days", 1),
        (" 3 WD ", "working_days", 3),
    ],
)
def test_duration_parse(text, kind, amount):
    assert Duration.parse(text) == Duration(kind, amount)


@pytest.mark.parametrize(
    "text", ["", "1", "h", "1.5wh", "-2h", "3wx", "1 2h", "10y", "9999999d", "9999wd"]
)
def test_duration_parse_refuses_with_a_clear_message(text):
    with pytest.raises(ValueError, match="invalid duration"):
        Duration.parse(text)


def test_duration_short_form():
    texts = ["24h", "90m", "48h", "8wh", "30wm", "90wm", "1wd"]
    assert [str(Duration.parse(t)) for t in texts] == [
        "1d",
        "90m",
        "2d",
        "8wh",
        "30wm",
        "90wm",
        "1wd",
    ]
    with pytest.raises(ValueError):
        Duration("working", -1)


@given(kind=st.sampled_from(["natural", "working", "working_days"]), amount=st.integers(0, 3660))
def test_duration_round_trips(kind, amount):
    d = Duration(kind, amount)
    assert Duration.parse(str(d)) == d


# -- properties -----------------------------------------------------------------------------
EPOCH = at(2025, 1, 1)
instants = st.integers(0, 600 * 24 * 60 * 60).map(lambda s: EPOCH + timedelta(seconds=s))
working_minutes = st.integers(0, 40 * 450)


@settings(max_examples=300, deadline=None)
@given(start=instants, minutes=working_minutes)
def test_add_then_between_returns_the_duration(start, minutes):
    end = CAL.add(start, Duration("working", minutes))
    assert CAL.between(start, end) == timedelta(minutes=minutes)
    assert end >= start
    if minutes:
        # the deadline is inside or at the end of an interval
        assert CAL.is_working(end - timedelta(microseconds=1))


@settings(max_examples=300, deadline=None)
@given(a=instants, b=instants, minutes=working_minutes, days=st.integers(0, 30))
def test_results_are_monotonic_in_the_start(a, b, minutes, days):
    a, b = min(a, b), max(a, b)
    assert CAL.add(a, Duration("working", minutes)) <= CAL.add(b, Duration("working", minutes))
    assert CAL.add(a, Duration("working_days", days)) <= CAL.add(b, Duration("working_days", days))


@settings(max_examples=300, deadline=None)
@given(start=instants, days=st.integers(1, 30))
def test_working_days_add_whole_days_of_working_time(start, days):
    """Every working day has the same hours here, so N working days are N × 7.5 hours."""
    end = CAL.add(start, Duration("working_days", days))
    assert CAL.between(start, end) == days * timedelta(hours=7.5)
    s = CAL.next_working_instant(start)
    if s.time() not in (time(8, 30),):
        assert end.time() == s.time()  # the same time of day, days later


@settings(max_examples=300, deadline=None)
@given(t=instants)
def test_next_working_instant(t):
    n = CAL.next_working_instant(t)
    assert n >= t and CAL.is_working(n) and CAL.between(t, n) == timedelta(0)
    if CAL.is_working(t):
        assert n == t


@settings(max_examples=200, deadline=None)
@given(a=instants, b=instants, c=instants)
def test_between_is_additive(a, b, c):
    assert CAL.between(a, b) + CAL.between(b, c) == CAL.between(a, c)


# -- against a minute-by-minute reference on random calendars -----------------------------------
minute_of_day = st.integers(0, 1440)


@st.composite
def day_intervals(draw):
    cuts = sorted(set(draw(st.lists(minute_of_day, max_size=6))))
    pairs = [(cuts[k], cuts[k + 1]) for k in range(0, len(cuts) - 1, 2)]
    return [(a, b) for a, b in pairs if a < b]


def as_times(pairs):
    def t(m):
        return time(0) if m == 1440 else time(m // 60, m % 60)

    return [(t(a), t(b)) for a, b in pairs]


@settings(max_examples=150, deadline=None)
@given(
    weekly=st.lists(day_intervals(), min_size=7, max_size=7),
    overrides=st.dictionaries(st.integers(0, 40), day_intervals(), max_size=12),
    start_minute=st.integers(0, 30 * 1440),
    amount=st.integers(0, 3000),
)
def test_add_matches_a_minute_by_minute_reference(weekly, overrides, start_minute, amount):
    first = date(2026, 1, 1)
    per_day = {first + timedelta(days=k): v for k, v in overrides.items()}
    cal = Calendar(
        tz=SH,
        weekly={wd: as_times(v) for wd, v in enumerate(weekly)},
        overrides={d: as_times(v) for d, v in per_day.items()},
        known_years=frozenset({2026}),
    )

    works = bytearray()  # one flag per minute after 2026-01-01 00:00, for 45 days
    for k in range(45):
        d = first + timedelta(days=k)
        flags = bytearray(1440)
        for a, b in per_day.get(d, weekly[d.weekday()]):
            flags[a:b] = b"\x01" * (b - a)
        works += flags
    assume(sum(works[start_minute:]) > amount)
    m, done = start_minute, 0
    while not works[m]:
        m += 1
    while done < amount:
        done += works[m]
        m += 1
    expected = m
    start = at(2026, 1, 1) + timedelta(minutes=start_minute)
    result = cal.add(start, Duration("working", amount))
    assert result == at(2026, 1, 1) + timedelta(minutes=expected)


@settings(max_examples=150, deadline=None)
@given(
    weekly=st.lists(day_intervals(), min_size=7, max_size=7),
    overrides=st.dictionaries(st.integers(0, 300), day_intervals(), max_size=30),
    a=st.integers(0, 200 * 1440),
    b=st.integers(0, 200 * 1440),
    minutes=st.integers(0, 3000),
    days=st.integers(0, 10),
)
def test_properties_hold_on_random_calendars(weekly, overrides, a, b, minutes, days):
    """Days of different hours, several breaks, worked weekends: add is monotonic in the start
    for working minutes and working days, and between gives back working minutes."""
    first = date(2026, 1, 1)
    cal = Calendar(
        tz=SH,
        weekly={wd: as_times(v) for wd, v in enumerate(weekly)},
        overrides={first + timedelta(days=k): as_times(v) for k, v in overrides.items()},
        known_years=frozenset({2026}),
    )
    s1, s2 = sorted([at(2026, 1, 1) + timedelta(minutes=a), at(2026, 1, 1) + timedelta(minutes=b)])
    for duration in (Duration("working", minutes), Duration("working_days", days)):
        try:
            r2 = cal.add(s2, duration)
        except UnknownYear:
            continue  # not enough working time left in 2026
        r1 = cal.add(s1, duration)
        assert s1 <= r1 <= r2
        if duration.kind == "working":
            assert cal.between(s1, r1) == timedelta(minutes=minutes)
