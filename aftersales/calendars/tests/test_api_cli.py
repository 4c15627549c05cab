"""The ``worktime`` and ``calendar_import`` commands and the calendars API."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from aftersales.calendars import services
from aftersales.calendars.models import CalendarDay

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue().strip()


# -- command line -----------------------------------------------------------------------------
def test_cli_add_prints_iso_with_offset():
    assert (
        run(
            "worktime",
            "add",
            "--calendar",
            "default",
            "--from",
            "2026-09-30T18:30",
            "--duration",
            "1wd",
        )
        == "2026-10-08T17:30:00+08:00"
    )
    assert run("worktime", "add", "--from", "2026-09-30T18:30", "--duration", "24h") == (
        "2026-10-01T18:30:00+08:00"
    )
    # an instant with another offset is answered in the calendar's zone
    assert run("worktime", "add", "--from", "2026-09-30T10:30Z", "--duration", "90m") == (
        "2026-09-30T20:00:00+08:00"
    )
    assert run("worktime", "add", "--from", "2026-09-30T12:15", "--duration", "30wm") == (
        "2026-09-30T14:00:00+08:00"
    )


def test_cli_between():
    args = ["worktime", "between", "--from", "2026-09-30T08:30", "--to", "2026-10-08T17:30"]
    assert run(*args) == "15wh"
    assert run(*args, "--minutes") == "900"
    back = ["worktime", "between", "--from", "2026-10-08T09:30", "--to", "2026-09-30T17:00"]
    assert run(*back) == "-90wm"


@pytest.mark.parametrize(
    "args, message",
    [
        (["add", "--calendar", "nope", "--from", "2026-09-30T18:30", "--duration", "1wd"], "nope"),
        (["add", "--from", "2026-09-30T18:30", "--duration", "1wx"], "is not a duration"),
        (["add", "--from", "2026-13-30T18:30", "--duration", "1wd"], "is not a date and time"),
        (["add", "--from", "2026-12-31T18:30", "--duration", "1wd"], "year 2027 is not in"),
        (["between", "--from", "2026-12-01", "--to", "2027-01-10"], "year 2027 is not in"),
    ],
)
def test_cli_refuses_bad_input_clearly(args, message):
    with pytest.raises(CommandError, match=message):
        run("worktime", *args)


def test_cli_estimate_flag():
    line = run("worktime", "add", "--from", "2026-12-31T18:30", "--duration", "1wd", "--estimate")
    assert line.startswith("2027-01-01T18:30:00+08:00") and "estimated" in line


def test_cli_import_csv(tmp_path):
    path = tmp_path / "2027.csv"
    path.write_text("date,kind,name,hours\n2027-01-01,holiday,元旦,\n", encoding="utf-8")
    assert "would import 1 new" in run("calendar_import", "--csv", str(path), "--dry-run")
    assert not CalendarDay.objects.filter(date=dt.date(2027, 1, 1)).exists()
    assert "imported 1 new" in run("calendar_import", "--csv", str(path))
    assert run("worktime", "add", "--from", "2026-12-31T17:00", "--duration", "1wh") == (
        "2027-01-04T09:00:00+08:00"
    )
    path.write_text("2027-02-30,holiday,x,\n", encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was imported"):
        run("calendar_import", "--csv", str(path))
    with pytest.raises(CommandError, match="does not know 2027"):
        run("calendar_import", "--package", "--year", "2027")


# -- API --------------------------------------------------------------------------------------
def post(client: Client, path: str, payload: dict):
    return client.post(path, data=json.dumps(payload), content_type="application/json")


@pytest.fixture
def admin_client(users):
    client = Client()
    client.force_login(users["administrator"])
    return client


def test_api_add_and_between(admin_client):
    url = "/api/v1/calendars/default/worktime/"
    r = post(admin_client, url + "add", {"from": "2026-09-30T18:30", "duration": "1wd"})
    assert r.status_code == 200
    assert r.json() == {
        "result": "2026-10-08T17:30:00+08:00",
        "estimated": False,
        "warning": None,
        "duration": "1wd",
    }
    r = post(admin_client, url + "between", {"from": "2026-09-30T08:30", "to": "2026-10-08T17:30"})
    assert r.json() == {"working_minutes": 900, "duration": "15wh"}


def test_api_add_in_an_unknown_year_is_an_estimate(admin_client):
    r = post(
        admin_client,
        "/api/v1/calendars/default/worktime/add",
        {"from": "2026-12-31T18:30:00+08:00", "duration": "1wd"},
    )
    body = r.json()
    assert r.status_code == 200 and body["estimated"] is True
    assert body["result"] == "2027-01-01T18:30:00+08:00" and "default" in body["warning"]


@pytest.mark.parametrize(
    "path, payload, status, code",
    [
        ("add", {"from": "2026-09-30T18:30", "duration": "two days"}, 422, "invalid_duration"),
        ("add", {"from": "yesterday", "duration": "1wd"}, 422, "invalid_instant"),
        ("add", {"duration": "1wd"}, 422, "invalid_input"),
        ("add", {"from": "9999-12-31T20:00", "duration": "24h"}, 422, "invalid_instant"),
        ("between", {"from": "0001-01-01T00:00+14:00", "to": "2026-01-01"}, 422, "invalid_instant"),
        ("add", {"from": "2026-09-30T18:30", "duration": "3000wd"}, 200, ""),
        ("between", {"from": "2026-12-01", "to": "2027-01-10"}, 422, "unknown_year"),
    ],
)
def test_api_refuses_bad_input(admin_client, path, payload, status, code):
    r = post(admin_client, f"/api/v1/calendars/default/worktime/{path}", payload)
    assert r.status_code == status, r.content
    body = r.json()
    if status == 200:  # far beyond the known years: an estimate, not an error
        assert body["estimated"] is True
    else:
        assert body["code"] == code and body["message"]


def test_api_unknown_calendar_is_404(admin_client):
    r = post(
        admin_client,
        "/api/v1/calendars/nope/worktime/add",
        {"from": "2026-09-30", "duration": "1h"},
    )
    assert r.status_code == 404
    assert admin_client.get("/api/v1/calendars/nope").status_code == 404


def test_api_list_and_detail(admin_client, users, org, django_assert_max_num_queries):
    for code, team in (("hotline", org["team_a"]), ("field", org["team_b"])):
        services.calendar_create(actor=None, code=code, name=code, owner_kind="team", team=team)
    with django_assert_max_num_queries(6):  # the same for any number of calendars
        r = admin_client.get("/api/v1/calendars")
    assert r.status_code == 200
    default = next(c for c in r.json() if c["code"] == "default")
    assert default["is_default"] and 2026 in default["known_years"]
    r = admin_client.get("/api/v1/calendars/default?year=2026")
    body = r.json()
    assert body["weekly"]["0"] == [
        {"start": "08:30", "end": "12:00"},
        {"start": "13:30", "end": "17:30"},
    ]
    national_day = next(d for d in body["days"] if d["date"] == "2026-10-01")
    assert national_day == {
        "date": "2026-10-01",
        "kind": "holiday",
        "name": "国庆节",
        "intervals": [],
        "inherited": False,
    }
    assert admin_client.get("/api/v1/calendars/default?year=1800").status_code == 422


def test_api_team_calendar_shows_inherited_days(admin_client, users, org):
    services.calendar_create(
        actor=users["administrator"],
        code="field",
        name="上门组",
        owner_kind="team",
        team=org["team_b"],
    )
    body = admin_client.get("/api/v1/calendars/field?year=2026").json()
    assert body["holidays_from"] == "default" and body["team"] == "field"
    assert all(d["inherited"] for d in body["days"]) and len(body["days"]) == 39
    assert 2026 in body["known_years"]


@pytest.mark.parametrize(
    "role, status", [("supervisor", 200), ("agent", 403), ("technician", 403), ("auditor", 403)]
)
def test_api_roles(users, role, status):
    client = Client()
    client.force_login(users[role])
    assert client.get("/api/v1/calendars").status_code == status
    r = post(
        client, "/api/v1/calendars/default/worktime/add", {"from": "2026-09-30", "duration": "1h"}
    )
    assert r.status_code == status


def test_api_answers_in_the_callers_language(admin_client):
    r = admin_client.post(
        "/api/v1/calendars/default/worktime/add",
        data=json.dumps({"from": "2026-09-30T18:30", "duration": "1x"}),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert r.status_code == 422
    message = r.json()["message"]
    assert "1x" in message and "is not a duration" not in message


def test_cli_speaks_the_shells_language(monkeypatch):
    args = ["worktime", "add", "--from", "2026-12-31T18:30", "--duration", "1wd"]
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    with pytest.raises(CommandError, match="year 2027 is not in the calendar"):
        run(*args)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    with pytest.raises(CommandError) as exc:
        run(*args)
    assert "2027" in str(exc.value) and "is not in" not in str(exc.value)
