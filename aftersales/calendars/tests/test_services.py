"""Calendar services against a real database: seeding, edits with audit, validation, imports,
compiled calendars and their cache, absences."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from aftersales.calendars import selectors, services
from aftersales.calendars.models import CalendarDay, CalendarYear, WorkingCalendar
from aftersales.calendars.signals import calendar_changed
from aftersales.calendars.worktime import Duration, UnknownYear
from aftersales.core.errors import InvalidInput, VersionConflict
from aftersales.core.models import AuditLog

SH = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SH)


def test_company_calendar_is_seeded_with_every_package_year():
    cal = services.calendar_default()
    assert cal.code == "default" and cal.is_default
    years = set(cal.years.values_list("year", flat=True))
    assert {2004, 2025, 2026} <= years and 2027 not in years
    oct1 = cal.days.get(date=dt.date(2026, 10, 1))
    assert (oct1.kind, oct1.name) == ("holiday", "国庆节")
    assert cal.days.get(date=dt.date(2026, 9, 25)).name == "中秋节"
    sep20 = cal.days.get(date=dt.date(2026, 9, 20))
    assert (sep20.kind, sep20.name) == ("makeup_workday", "国庆节调休")
    hours = [(w.weekday, w.start, w.end) for w in cal.weekly_intervals.order_by("weekday", "start")]
    assert hours[:2] == [(0, dt.time(8, 30), dt.time(12)), (0, dt.time(13, 30), dt.time(17, 30))]
    assert len(hours) == 10


def test_seeding_is_idempotent():
    before = CalendarDay.objects.count(), CalendarYear.objects.count()
    services.calendar_seed_default()
    assert (CalendarDay.objects.count(), CalendarYear.objects.count()) == before
    assert WorkingCalendar.objects.filter(code="default").count() == 1


def test_compiled_default_answers_the_issue_example():
    cal = services.calendar_for("default")
    assert cal.add(at(2026, 9, 30, 18, 30), Duration.parse("1wd")) == at(2026, 10, 8, 17, 30)
    assert services.calendar_for(services.calendar_default()) is cal  # cached
    assert services.calendar_for(services.calendar_default().pk) is cal


def test_unknown_calendar():
    with pytest.raises(WorkingCalendar.DoesNotExist):
        services.calendar_for("nope")


def test_edit_invalidates_the_cache_and_is_audited(users):
    admin = users["administrator"]
    default = services.calendar_default()
    before = services.calendar_for(default)
    version = default.version
    services.calendar_day_set(
        actor=admin,
        calendar=default,
        date=dt.date(2026, 11, 20),
        kind="holiday",
        name="公司年会",
    )
    default.refresh_from_db()
    assert default.version == version + 1
    after = services.calendar_for(default)
    assert after is not before
    assert not after.is_working(at(2026, 11, 20, 10))
    assert after.add(at(2026, 11, 19, 17), Duration.parse("1wh")) == at(2026, 11, 23, 9, 0)
    log = AuditLog.objects.get(action="calendar_day.create")
    assert log.actor == admin and log.after["name"] == "公司年会"


def test_make_up_day_without_hours_works_the_standard_day(users):
    default = services.calendar_default()
    services.calendar_day_set(
        actor=users["administrator"],
        calendar=default,
        date=dt.date(2026, 11, 21),  # a Saturday
        kind="makeup_workday",
        name="补班",
    )
    cal = services.calendar_for(default)
    assert cal.hours_on(dt.date(2026, 11, 21)) == services.DEFAULT_HOURS


def test_special_hours_and_update_audits_the_difference(users):
    admin = users["administrator"]
    default = services.calendar_default()
    day = services.calendar_day_set(
        actor=admin,
        calendar=default,
        date=dt.date(2026, 12, 31),
        kind="special_hours",
        name="年终盘点",
        intervals="08:30-12:00",
    )
    assert day.intervals == [["08:30", "12:00"]]
    services.calendar_day_set(
        actor=admin,
        calendar=default,
        date=dt.date(2026, 12, 31),
        kind="special_hours",
        name="年终盘点",
        intervals="09:00-12:00",
    )
    log = AuditLog.objects.get(action="calendar_day.update")
    assert log.before == {"intervals": [["08:30", "12:00"]]}
    assert log.after == {"intervals": [["09:00", "12:00"]]}
    cal = services.calendar_for(default)
    assert cal.add(at(2026, 12, 31, 11), Duration.parse("1wh")) == at(2026, 12, 31, 12)


@pytest.mark.parametrize(
    "kind, intervals, message",
    [
        ("holiday", "09:00-12:00", "leave its working hours empty"),
        ("special_hours", "", "Give the working hours"),
        ("special_hours", "12:00-09:00", "must end after it starts"),
        ("special_hours", "09:00-12:00;11:00-13:00", "overlaps"),
        ("special_hours", "9-12", "is not a working interval"),
        ("birthday", "", "Unknown kind"),
    ],
)
def test_bad_days_are_refused_and_change_nothing(users, kind, intervals, message):
    default = services.calendar_default()
    version = default.version
    count = CalendarDay.objects.count()
    with pytest.raises(InvalidInput, match=message):
        services.calendar_day_set(
            actor=users["administrator"],
            calendar=default,
            date=dt.date(2026, 11, 25),
            kind=kind,
            intervals=intervals,
        )
    default.refresh_from_db()
    assert (default.version, CalendarDay.objects.count()) == (version, count)


def test_stale_version_is_refused(users):
    default = services.calendar_default()
    stale = default.version
    services.calendar_day_set(
        actor=users["administrator"], calendar=default, date=dt.date(2026, 11, 26), kind="holiday"
    )
    with pytest.raises(VersionConflict):
        services.calendar_day_delete(
            actor=users["administrator"],
            calendar=default,
            date=dt.date(2026, 11, 26),
            expected_version=stale,
        )
    assert CalendarDay.objects.filter(date=dt.date(2026, 11, 26)).exists()


def test_weekly_hours_replace_and_validate(users):
    default = services.calendar_default()
    services.calendar_set_weekly(
        actor=users["administrator"],
        calendar=default,
        weekly={wd: "09:00-12:00;13:00-18:00" for wd in range(5)},
    )
    cal = services.calendar_for(default)
    assert cal.add(at(2026, 11, 18, 11), Duration.parse("2wh")) == at(2026, 11, 18, 14)
    with pytest.raises(InvalidInput, match="overlaps"):
        services.calendar_set_weekly(
            actor=users["administrator"], calendar=default, weekly={0: "09:00-12:00;10:00-11:00"}
        )
    assert default.weekly_intervals.count() == 10
    log = AuditLog.objects.get(action="calendar.weekly")
    assert log.before["weekly"]["0"] == [["08:30", "12:00"], ["13:30", "17:30"]]


def test_team_calendar_takes_holidays_from_the_company(users, org):
    admin = users["administrator"]
    team_cal = services.calendar_create(
        actor=admin,
        code="field",
        name="上门维修组日历",
        owner_kind="team",
        team=org["team_b"],
        weekly={wd: [(dt.time(9), dt.time(18))] for wd in range(6)},  # Monday to Saturday
    )
    assert selectors.calendar_for_team(org["team_b"]) == team_cal
    assert selectors.calendar_for_team(org["team_a"]) == services.calendar_default()
    cal = services.calendar_for(team_cal)
    assert not cal.is_working(at(2026, 10, 3, 10))  # National Day from the company calendar
    assert cal.is_working(at(2026, 11, 21, 10))  # its own Saturday
    assert cal.hours_on(dt.date(2026, 9, 20)) == [(dt.time(9), dt.time(18))]  # 调休 on own hours
    # a holiday added to the company calendar reaches the team calendar
    services.calendar_day_set(
        actor=admin,
        calendar=services.calendar_default(),
        date=dt.date(2026, 11, 20),
        kind="holiday",
        name="公司年会",
    )
    assert not services.calendar_for(team_cal).is_working(at(2026, 11, 20, 10))


def test_calendar_changed_is_sent_on_commit_for_followers(
    users, org, django_capture_on_commit_callbacks
):
    team_cal = services.calendar_create(
        actor=users["administrator"],
        code="hotline",
        name="热线",
        owner_kind="team",
        team=org["team_a"],
    )
    received = []

    def listener(sender, calendar_id, **kwargs):
        received.append(calendar_id)

    calendar_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.calendar_year_mark(
                actor=users["administrator"], calendar=services.calendar_default(), year=2027
            )
        assert sorted(received) == sorted([services.calendar_default().pk, team_cal.pk])
    finally:
        calendar_changed.disconnect(listener)


def test_calendar_for_user_prefers_team_then_center(users, org):
    admin = users["administrator"]
    agent = users["agent"]  # in team A
    assert selectors.calendar_for_user(agent) == services.calendar_default()
    center_cal = services.calendar_create(
        actor=admin,
        code="sh-01",
        name="浦东中心",
        owner_kind="service_center",
        service_center=org["center"],
    )
    agent.service_center = org["center"]
    agent.save()
    assert selectors.calendar_for_user(agent) == center_cal
    team_cal = services.calendar_create(
        actor=admin, code="hotline", name="热线组", owner_kind="team", team=org["team_a"]
    )
    assert selectors.calendar_for_user(agent) == team_cal


def test_calendars_of_many_users_follow_the_rule_for_one(users, org):
    """The bulk form (dispatch board, routing, escalations) answers what the single one does."""
    admin = users["administrator"]
    services.calendar_create(
        actor=admin,
        code="sh-01",
        name="浦东中心",
        owner_kind="service_center",
        service_center=org["center"],
    )
    services.calendar_create(
        actor=admin, code="field", name="上门维修组日历", owner_kind="team", team=org["team_b"]
    )
    users["agent_b"].service_center = org["center"]
    users["agent_b"].save()
    users["supervisor"].service_center = org["center"]
    users["supervisor"].save()
    people = list(users.values())
    chosen = selectors.calendar_ids_for_users(people)
    assert chosen == {u.pk: selectors.calendar_for_user(u).pk for u in people}
    assert len(set(chosen.values())) >= 2


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"code": "default"}, "exists already"),
        ({"owner_kind": "team"}, "Choose the team"),
        ({"owner_kind": "service_center"}, "Choose the service center"),
        ({"tz": "Mars/Olympus"}, "not a known time zone"),
    ],
)
def test_calendar_create_validation(users, kwargs, message):
    args = {"code": "x", "name": "X"} | kwargs
    with pytest.raises(InvalidInput, match=message):
        services.calendar_create(actor=users["administrator"], **args)
    assert not WorkingCalendar.objects.filter(code="x").exists()


def test_import_package_for_a_year_it_knows_and_refuses_one_it_does_not(users):
    admin = users["administrator"]
    cal = services.calendar_create(actor=admin, code="plain", name="空白日历")
    dry = services.calendar_import_package(actor=admin, calendar=cal, year=2026, dry_run=True)
    assert dry.ok and dry.count("create") == 39 and not cal.days.exists()
    report = services.calendar_import_package(actor=admin, calendar=cal, year=2026)
    assert report.count("create") == 39 and cal.days.count() == 39
    assert cal.years.get().source == "package"
    again = services.calendar_import_package(actor=admin, calendar=cal, year=2026)
    assert again.count("unchanged") == 39
    with pytest.raises(InvalidInput, match="does not know 2027"):
        services.calendar_import_package(actor=admin, calendar=cal, year=2027)


CSV_2027 = """date,kind,name,hours
2027-01-01,holiday,元旦,
2027-02-06,makeup_workday,春节调休,08:30-12:00;13:30-17:30
2027-02-07,holiday,春节,
2027-12-31,special_hours,年终,08:30-12:00
"""


def test_import_csv_makes_the_year_known(users):
    admin = users["administrator"]
    default = services.calendar_default()
    with pytest.raises(UnknownYear):
        services.calendar_for(default).add(at(2026, 12, 31, 17), Duration.parse("1wh"))
    dry = services.calendar_import_csv(
        actor=admin, calendar=default, content=CSV_2027, dry_run=True
    )
    assert dry.ok and dry.count("create") == 4 and dry.years == [2027]
    assert not default.days.filter(date__year=2027).exists()
    services.calendar_import_csv(actor=admin, calendar=default, content=CSV_2027.encode("utf-8"))
    cal = services.calendar_for(default)
    assert cal.knows(dt.date(2027, 6, 1))
    assert cal.add(at(2026, 12, 31, 17), Duration.parse("1wh")) == at(2027, 1, 4, 9, 0)
    assert AuditLog.objects.filter(action="calendar.import_csv").count() == 1


def test_import_csv_reports_row_errors_and_writes_nothing(users):
    admin = users["administrator"]
    default = services.calendar_default()
    bad = CSV_2027 + "2027-13-01,holiday,x,\n2027-05-01,party,x,\n2027-01-01,holiday,again,\n"
    report = services.calendar_import_csv(actor=admin, calendar=default, content=bad)
    assert not report.ok
    assert [(e.line, e.error[:10]) for e in report.errors] == [
        (6, "“2027-13-0"),
        (7, "“party” is"),
        (8, "The date a"),
    ]
    assert not default.days.filter(date__year=2027).exists()
    assert not default.years.filter(year=2027).exists()


def test_absences(users):
    tech = users["technician"]
    services.staff_absence_create(
        actor=users["supervisor"], user=tech, start=at(2026, 12, 1, 9), end=at(2026, 12, 3, 18)
    )
    assert services.staff_absent(tech, at(2026, 12, 3, 17), at(2026, 12, 4, 9))
    assert not services.staff_absent(tech, at(2026, 12, 3, 18), at(2026, 12, 4, 9))
    assert not services.staff_absent(users["agent"], at(2026, 12, 2), at(2026, 12, 3))
    with pytest.raises(InvalidInput, match="end after it starts"):
        services.staff_absence_create(
            actor=users["supervisor"], user=tech, start=at(2026, 12, 5), end=at(2026, 12, 5)
        )
    assert AuditLog.objects.filter(action="staff_absence.create").count() == 1


def test_cache_stamp_includes_the_time_of_change(users):
    """A version number can repeat (a restored backup, a rolled-back transaction) with other
    contents; the time of the last change tells them apart."""
    default = services.calendar_default()
    first = services.calendar_for(default)
    WorkingCalendar.objects.filter(pk=default.pk).update(
        updated_at=default.updated_at + dt.timedelta(seconds=1)
    )
    assert services.calendar_for(default) is not first


def test_working_calendar_fixture(working_calendar):
    assert working_calendar.code == "default"
    assert services.calendar_for(working_calendar).knows(dt.date(2026, 10, 1))


def test_an_older_copy_without_a_version_still_edits(users):
    """Only an editor who says which version they saw is refused; a service called with an
    older copy of the calendar (no version given) just adds its change."""
    first = services.calendar_default()
    second = services.calendar_default()
    services.calendar_day_set(
        actor=users["administrator"], calendar=first, date=dt.date(2026, 11, 26), kind="holiday"
    )
    services.calendar_day_set(
        actor=users["administrator"], calendar=second, date=dt.date(2026, 11, 27), kind="holiday"
    )
    assert second.version == first.version + 1
    assert (
        CalendarDay.objects.filter(date__in=[dt.date(2026, 11, 26), dt.date(2026, 11, 27)]).count()
        == 2
    )
