"""Calendar screens as anonymous, a role without the right, a supervisor (reads and tries) and
an administrator (edits)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from aftersales.calendars import services
from aftersales.calendars.models import CalendarDay, CalendarYear, WorkingCalendar

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def admin(users):
    return client_for(users["administrator"])


@pytest.mark.parametrize(
    "who, list_status, edit_status",
    [
        ("agent", 403, 403),
        ("technician", 403, 403),
        ("supervisor", 200, 403),
        ("administrator", 200, 200),
    ],
)
def test_who_may_open_what(users, who, list_status, edit_status):
    client = client_for(users[who])
    assert client.get("/calendars/").status_code == list_status
    assert client.get("/calendars/default/").status_code == list_status
    assert client.get("/calendars/default/day/").status_code == edit_status
    assert client.get("/calendars/default/import/").status_code == edit_status


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/calendars/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_detail_shows_the_year_with_holidays_and_make_up_days(admin):
    response = admin.get("/calendars/default/?year=2026")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-date="2026-10-01" data-kind="holiday"' in html
    assert 'data-date="2026-09-20" data-kind="makeup_workday"' in html
    assert "国庆节" in html and "中秋节" in html
    assert "08:30-12:00;13:30-17:30" in html  # weekly hours in the edit form


def test_supervisor_sees_no_edit_controls(users):
    html = client_for(users["supervisor"]).get("/calendars/default/?year=2026").content.decode()
    assert 'data-testid="weekly-form"' not in html and 'data-testid="day-delete"' not in html
    assert 'data-testid="try-add-form"' in html


def test_unknown_year_is_flagged(admin):
    html = admin.get("/calendars/default/?year=2027").content.decode()
    assert 'data-testid="year-unknown"' in html


def test_add_edit_and_remove_a_day(admin):
    response = admin.post(
        "/calendars/default/day/",
        {
            "date": "2026-12-31",
            "kind": "special_hours",
            "name": "年终盘点",
            "intervals": "08:30-12:00",
        },
    )
    assert response.status_code == 302
    day = CalendarDay.objects.get(calendar__code="default", date=dt.date(2026, 12, 31))
    assert day.intervals == [["08:30", "12:00"]]
    page = admin.get("/calendars/default/day/?date=2026-12-31").content.decode()
    assert "年终盘点" in page and "08:30-12:00" in page
    response = admin.post("/calendars/default/day/delete/", {"date": "2026-12-31"})
    assert response.status_code == 302
    assert not CalendarDay.objects.filter(date=dt.date(2026, 12, 31)).exists()


def test_bad_day_is_a_form_error_and_changes_nothing(admin):
    response = admin.post(
        "/calendars/default/day/",
        {"date": "2026-12-31", "kind": "special_hours", "intervals": "17:00-09:00"},
    )
    assert response.status_code == 422
    assert "must end after it starts" in response.content.decode()
    assert not CalendarDay.objects.filter(date=dt.date(2026, 12, 31)).exists()


def test_stale_form_is_refused(admin):
    version = services.calendar_default().version
    admin.post(
        "/calendars/default/day/", {"date": "2026-12-30", "kind": "holiday", "version": version}
    )
    response = admin.post(
        "/calendars/default/day/", {"date": "2026-12-29", "kind": "holiday", "version": version}
    )
    assert response.status_code == 422
    assert "changed this calendar" in response.content.decode()
    assert not CalendarDay.objects.filter(date=dt.date(2026, 12, 29)).exists()


def test_weekly_hours_form(admin):
    data = {f"day_{wd}": "09:00-12:00;13:00-18:00" for wd in range(5)}
    assert admin.post("/calendars/default/weekly/", data).status_code == 302
    assert services.calendar_default().weekly_intervals.count() == 10
    data["day_0"] = "09:00-12:00;11:00-18:00"
    response = admin.post("/calendars/default/weekly/", data)
    assert response.status_code == 422 and "overlaps" in response.content.decode()


def test_try_it_with_htmx_and_without(users):
    client = client_for(users["supervisor"])
    data = {"start": "2026-09-30T18:30", "duration": "1wd"}
    response = client.post("/calendars/default/try/add/", data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "2026-10-08T17:30:00+08:00" in response.content.decode()
    assert "<html" not in response.content.decode()
    full = client.post("/calendars/default/try/add/", data)
    assert "2026-10-08T17:30:00+08:00" in full.content.decode() and "<html" in full.content.decode()
    estimated = client.post(
        "/calendars/default/try/add/", {"start": "2026-12-31T18:30", "duration": "1wd"}
    )
    assert 'data-testid="try-add-estimated"' in estimated.content.decode()
    bad = client.post("/calendars/default/try/add/", {"start": "2026-09-30T18:30", "duration": "x"})
    assert bad.status_code == 422 and "is not a duration" in bad.content.decode()
    between = client.post(
        "/calendars/default/try/between/", {"start": "2026-09-30T08:30", "end": "2026-10-08T17:30"}
    )
    assert "15wh" in between.content.decode()


def test_create_a_team_calendar(admin, org):
    response = admin.post(
        "/calendars/",
        {
            "code": "field",
            "name": "上门维修组",
            "owner_kind": "team",
            "team": org["team_b"].pk,
            "timezone": "Asia/Shanghai",
        },
    )
    assert response.status_code == 302
    cal = WorkingCalendar.objects.get(code="field")
    assert cal.holidays_from == services.calendar_default()
    response = admin.post(
        "/calendars/",
        {"code": "field2", "name": "x", "owner_kind": "team", "timezone": "Asia/Shanghai"},
    )
    assert response.status_code == 422 and "Choose the team" in response.content.decode()


CSV = "date,kind,name,hours\n2027-01-01,holiday,元旦,\n2027-02-06,makeup_workday,春节调休,\n"


def test_csv_import_dry_run_then_confirm(admin):
    upload = SimpleUploadedFile("2027.csv", CSV.encode("utf-8"), content_type="text/csv")
    response = admin.post(
        "/calendars/default/import/",
        {"source": "csv", "file": upload, "dry_run": "on", "complete_years": "on"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and 'data-testid="import-confirm"' in html
    assert not CalendarDay.objects.filter(date__year=2027).exists()
    response = admin.post(
        "/calendars/default/import/", {"source": "csv", "content": CSV, "complete_years": "on"}
    )
    assert response.status_code == 302
    assert CalendarDay.objects.filter(date__year=2027).count() == 2
    assert CalendarYear.objects.filter(calendar__code="default", year=2027).exists()


def test_csv_import_with_row_errors(admin):
    upload = SimpleUploadedFile("bad.csv", b"2027-02-30,holiday,x,\n", content_type="text/csv")
    response = admin.post("/calendars/default/import/", {"source": "csv", "file": upload})
    assert response.status_code == 422
    assert 'data-testid="import-error"' in response.content.decode()
    assert not CalendarDay.objects.filter(date__year=2027).exists()


def test_package_import_of_an_unknown_year_says_so(admin):
    response = admin.post("/calendars/default/import/", {"source": "package", "year": "2027"})
    assert response.status_code == 422
    assert "does not know 2027" in response.content.decode()


def test_mark_a_year_complete(admin):
    assert admin.post("/calendars/default/year/", {"year": "2027"}).status_code == 302
    assert CalendarYear.objects.filter(
        calendar__code="default", year=2027, source="manual"
    ).exists()


def test_absences_page(users):
    dispatcher = client_for(users["dispatcher"])
    assert dispatcher.get("/calendars/absences/").status_code == 200
    # the page lists absences that have not ended: take days still to come
    first = timezone.localdate() + dt.timedelta(days=7)
    response = dispatcher.post(
        "/calendars/absences/",
        {
            "user": users["technician"].pk,
            "start": f"{first}T09:00",
            "end": f"{first + dt.timedelta(days=2)}T18:00",
            "reason": "年假",
        },
    )
    assert response.status_code == 302
    start = dt.datetime.combine(
        first + dt.timedelta(days=1), dt.time(10), tzinfo=dt.timezone(dt.timedelta(hours=8))
    )
    assert services.staff_absent(users["technician"], start, start + dt.timedelta(hours=1))
    page = dispatcher.get("/calendars/absences/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "年假" in page and 'href="/calendars/absences/"' in page  # in the navigation
    bad = dispatcher.post(
        "/calendars/absences/",
        {"user": users["technician"].pk, "start": "2026-12-05T09:00", "end": "2026-12-05T09:00"},
    )
    assert bad.status_code == 422 and "end after it starts" in bad.content.decode()
    absence = users["technician"].absences.get()
    assert dispatcher.post(f"/calendars/absences/{absence.pk}/delete/").status_code == 302
    assert not users["technician"].absences.exists()
    assert client_for(users["agent"]).get("/calendars/absences/").status_code == 403
    assert client_for(users["dispatcher"]).get("/calendars/").status_code == 403
