"""The SLA compliance report on known clocks: formulas, grouping, filters, drill-down, chart
JSON, Excel, permissions, and a query count that does not grow with the cases."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from aftersales.cases.models import Case
from aftersales.conftest import make_case
from aftersales.routing.sla_reports import SlaReportFilter, drill_url, sla_compliance

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, 0, tzinfo=SH)


def clock(case: Case, kind: str, state: str) -> None:
    from aftersales.sla.models import SlaClock

    SlaClock.objects.create(
        case=case,
        kind=kind,
        duration="24h",
        started_at=case.created_at,
        due_at=case.created_at + dt.timedelta(hours=24),
        state=state,
        met_at=case.created_at + dt.timedelta(hours=2) if state == "met" else None,
        breached_at=case.created_at + dt.timedelta(hours=24) if state == "breached" else None,
    )


@pytest.fixture
def known(users, customers, org):
    """Team A: two cases (3 h average first response), 2 met and 1 breached target, plus a
    running one; team B: one complaint with a breached target and no response yet; one case
    outside the period."""
    agent = users["agent"]

    def case(customer, day, team, assignee=None, case_type="repair_request", response_h=None):
        c = make_case(
            customer, team=team, assignee=assignee, case_type=case_type, priority="normal"
        )
        values = {"created_at": at(day)}
        if response_h is not None:
            values["first_response_at"] = at(day) + dt.timedelta(hours=response_h)
        Case.objects.filter(pk=c.pk).update(**values)
        c.refresh_from_db()
        return c

    a1 = case(customers["alice"], 2, org["team_a"], agent, response_h=2)
    a2 = case(customers["alice"], 3, org["team_a"], agent, response_h=4)
    b1 = case(customers["bob"], 10, org["team_b"], None, case_type="complaint")
    old = case(customers["bob"], 1, org["team_b"], None)
    Case.objects.filter(pk=old.pk).update(created_at=dt.datetime(2026, 1, 5, 10, tzinfo=SH))
    clock(a1, "first_response", "met")
    clock(a1, "resolution", "breached")
    clock(a2, "first_response", "met")
    clock(a2, "resolution", "running")
    clock(b1, "verification", "breached")
    clock(old, "first_response", "breached")
    return {"a1": a1, "a2": a2, "b1": b1, "old": old}


def march(**kw) -> SlaReportFilter:
    return SlaReportFilter(date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 31), **kw)


def test_by_team_formulas(users, org, known):
    report = sla_compliance(user=users["supervisor"], filters=march(group="team"))
    rows = {r.label: r for r in report.rows}
    a, b = rows["热线组"], rows["上门维修组"]
    assert (a.met, a.breached, a.finished, a.compliance) == (2, 1, 3, 66.7)
    assert a.avg_first_response_hours == 3.0 and a.responded == 2
    assert (b.met, b.breached, b.compliance, b.avg_first_response_hours) == (0, 1, 0.0, None)
    t = report.total
    assert (t.met, t.breached, t.compliance, t.avg_first_response_hours) == (2, 2, 50.0, 3.0)


def test_kind_type_agent_and_period(users, org, known):
    sup = users["supervisor"]
    first = sla_compliance(user=sup, filters=march(group="team", kind="first_response"))
    assert [(r.label, r.met, r.breached) for r in first.rows] == [("热线组", 2, 0)]
    by_type = sla_compliance(user=sup, filters=march(group="case_type"))
    assert {r.key: (r.met, r.breached) for r in by_type.rows} == {
        "repair_request": (2, 1),
        "complaint": (0, 1),
    }
    by_agent = sla_compliance(user=sup, filters=march(group="agent"))
    assert {r.key: r.finished for r in by_agent.rows} == {users["agent"].pk: 3, None: 1}
    weekly = sla_compliance(user=sup, filters=march(group="period", period="week"))
    assert [(r.label, r.met, r.breached) for r in weekly.rows] == [
        ("2026-W10", 2, 1),
        ("2026-W11", 0, 1),
    ]
    daily = sla_compliance(user=sup, filters=march(group="period", period="day"))
    assert [r.key for r in daily.rows] == [
        dt.date(2026, 3, 2),
        dt.date(2026, 3, 3),
        dt.date(2026, 3, 10),
    ]
    only_b = sla_compliance(user=sup, filters=march(group="team", team=org["team_b"]))
    assert [(r.label, r.breached) for r in only_b.rows] == [("上门维修组", 1)]


def test_report_is_a_fixed_number_of_queries(users, customers, org, known):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        users["supervisor"] = type(users["supervisor"]).objects.get(pk=users["supervisor"].pk)
        with CaptureQueriesContext(connection) as ctx:
            sla_compliance(user=users["supervisor"], filters=march(group="agent"))
        return len(ctx.captured_queries)

    before = count()
    for day in range(4, 9):  # five more cases, each with a finished target
        c = make_case(customers["alice"], team=org["team_b"], assignee=users["agent_b"])
        Case.objects.filter(pk=c.pk).update(created_at=at(day))
        c.refresh_from_db()
        clock(c, "first_response", "met")
    assert count() == before <= 7


def test_drill_down_opens_the_queue_on_the_cases_behind_a_number(users, customers, org, known):
    report = sla_compliance(user=users["supervisor"], filters=march(group="team"))
    row = next(r for r in report.rows if r.label == "热线组")
    client = Client()
    client.force_login(users["supervisor"])
    page = client.get(drill_url(row.query, "breached")).content.decode()
    assert known["a1"].number in page
    assert known["a2"].number not in page and known["b1"].number not in page
    met = client.get(drill_url(row.query, "met", "first_response")).content.decode()
    assert known["a1"].number in met and known["a2"].number in met
    api = client.get("/api/v1/cases", {"sla": "breached", "created": "2026-03-01..2026-03-31"})
    assert {c["number"] for c in api.json()["items"]} == {known["a1"].number, known["b1"].number}
    unassigned_team = make_case(customers["bob"], priority="normal")  # no team: no drill-down
    Case.objects.filter(pk=unassigned_team.pk).update(created_at=at(12))
    clock(Case.objects.get(pk=unassigned_team.pk), "first_response", "breached")
    report = sla_compliance(user=users["supervisor"], filters=march(group="team"))
    no_team = next(r for r in report.rows if r.key is None)
    assert no_team.breached == 1 and drill_url(no_team.query, "breached") == ""
    bad = client.get("/api/v1/cases", {"sla": "late"})
    assert bad.status_code == 422


def test_page_chart_json_excel_and_permissions(users, known):
    from openpyxl import load_workbook

    query = {"date_from": "2026-03-01", "date_to": "2026-03-31", "group": "team"}
    for name, expected in (("agent", 403), ("auditor", 200), ("supervisor", 200)):
        client = Client()
        client.force_login(users[name])
        assert client.get(reverse("routing:sla_report"), query).status_code == expected
    client = Client()
    client.force_login(users["supervisor"])
    page = client.get(reverse("routing:sla_report"), query)
    assert 'data-testid="sla-chart"' in page.content.decode()
    data = client.get(reverse("routing:sla_report_data"), query).json()
    assert data["labels"] == ["上门维修组", "热线组"]
    assert data["met"] == [0, 2] and data["breached"] == [1, 1]
    assert data["total"]["compliance"] == 50.0
    xlsx = client.get(reverse("routing:sla_report_export"), query)
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    assert values[0][:5] == ["上门维修组", 1, 0, 1, 0.0]
    assert values[1][:5] == ["热线组", 3, 2, 1, 66.7] and values[1][6] == 3.0
    assert values[2][1:5] == [4, 2, 2, 50.0]
    wrong = client.get(
        reverse("routing:sla_report"), {"date_from": "2026-04-01", "date_to": "2026-03-01"}
    )
    assert wrong.status_code == 422
