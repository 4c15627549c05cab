"""The service-level API: policies, a case's clocks and recording milestones."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from aftersales.cases.models import CaseEvent
from aftersales.conftest import make_case
from aftersales.sla.models import SlaClock

from .conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def repair_case(repair_policy, users, customers, org, clock_at):
    now = clock_at(at(2026, 3, 2, 10))
    case = make_case(customers["alice"], actor=users["agent"], team=org["team_a"])
    now.set(at(2026, 3, 2, 16))
    return case


def client_as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_policies_list_targets_and_levels(repair_case, users):
    body = client_as(users["agent"]).get("/api/v1/sla/policies").json()
    assert [p["code"] for p in body] == ["repair"]
    targets = body[0]["targets"]
    assert [(t["kind"], t["duration"], t["priorities"]) for t in targets][:3] == [
        ("first_response", "24h", []),
        ("resolution", "3wd", ["urgent"]),
        ("resolution", "5wd", []),
    ]
    assert body[0]["pause_rules"]["waiting_third_party"] == "waiting_parts"


def test_case_clocks_show_due_time_left_and_history(repair_case, users):
    response = client_as(users["agent"]).get(f"/api/v1/cases/{repair_case.number}/clocks")
    assert response.status_code == 200
    clocks = {c["kind"]: c for c in response.json()}
    resolution = clocks["resolution"]
    assert resolution["state"] == "running" and resolution["estimated"] is False
    assert dt.datetime.fromisoformat(resolution["due_at"]) == at(2026, 3, 9, 10)
    # Monday 16:00 → Monday 9 March 10:00: six and a half days left
    assert resolution["seconds_left"] == (6 * 24 + 18) * 3600
    assert [h["kind"] for h in resolution["history"]] == ["started"]


def test_recording_a_milestone_meets_its_target(repair_case, users):
    client = client_as(users["agent"])
    response = client.post(
        f"/api/v1/cases/{repair_case.number}/milestones",
        data=json.dumps({"code": "onsite_arrival", "at": "2026-03-02T15:30:00+08:00"}),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert [c["kind"] for c in body["met"]] == ["milestone"]
    assert body["met"][0]["state"] == "met"
    clock = SlaClock.objects.get(case=repair_case, kind="milestone")
    assert clock.met_at == at(2026, 3, 2, 15, 30)
    assert CaseEvent.objects.filter(case=repair_case, kind="sla_milestone").count() == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"code": "onsite_arrival", "at": "2026-03-03T09:00:00+08:00"}, "at"),  # future
        ({"code": "onsite_arrival", "at": "2026-03-01T09:00:00+08:00"}, "at"),  # before case
        ({"code": "到达现场"}, "code"),
    ],
)
def test_bad_milestones_are_refused_and_change_nothing(repair_case, users, payload, field):
    events = CaseEvent.objects.count()
    response = client_as(users["agent"]).post(
        f"/api/v1/cases/{repair_case.number}/milestones",
        data=json.dumps(payload),
        content_type="application/json",
    )
    assert response.status_code == 422
    body = response.json()
    assert set(body) == {"code", "message", "detail"}
    assert field in json.dumps(body["detail"])
    assert CaseEvent.objects.count() == events
    assert SlaClock.objects.get(case=repair_case, kind="milestone").state == "running"


def test_answers_match_the_openapi_schema(repair_case, users):
    import jsonschema_rs

    client = client_as(users["agent"])
    spec = client.get("/api/openapi.json").json()

    def check(response, path: str, method: str) -> None:
        op = spec["paths"][path][method]
        content = op["responses"][str(response.status_code)]["content"]["application/json"]
        schema = {**content["schema"], "components": spec["components"]}
        jsonschema_rs.validator_for(schema).validate(response.json())

    number = repair_case.number
    check(client.get("/api/v1/sla/policies"), "/api/v1/sla/policies", "get")
    check(client.get(f"/api/v1/cases/{number}/clocks"), "/api/v1/cases/{number}/clocks", "get")
    recorded = client.post(
        f"/api/v1/cases/{number}/milestones",
        data=json.dumps({"code": "onsite_arrival"}),
        content_type="application/json",
    )
    check(recorded, "/api/v1/cases/{number}/milestones", "post")
    refused = client.post(
        f"/api/v1/cases/{number}/milestones",
        data=json.dumps({"code": "x y"}),
        content_type="application/json",
    )
    assert refused.status_code == 422
    check(refused, "/api/v1/cases/{number}/milestones", "post")


def test_case_list_sorts_by_nearest_due_across_pages(
    repair_policy, users, customers, org, clock_at
):
    now = clock_at(at(2026, 3, 2, 10))
    agent = users["agent"]
    made = []
    for hour in (15, 9, 12, 10):  # opened at these hours: due in the same order, a day later
        now.set(at(2026, 3, 2, hour))
        made.append(make_case(customers["alice"], actor=agent, team=org["team_a"], title=f"{hour}"))
    plain = make_case(
        customers["alice"], actor=agent, team=org["team_a"], case_type="consultation", title="无"
    )
    client = client_as(agent)
    first = client.get("/api/v1/cases?sort=due&limit=3").json()
    second = client.get(f"/api/v1/cases?sort=due&limit=3&cursor={first['next_cursor']}").json()
    numbers = [c["number"] for c in first["items"] + second["items"]]
    by_hour = {int(c.title): c.number for c in made}
    assert numbers == [by_hour[9], by_hour[10], by_hour[12], by_hour[15], plain.number]
