"""Policy pages: who may open them, editing targets in place, and the recompute that follows."""

from __future__ import annotations

import pytest
from django.test import Client

from aftersales.cases.models import CaseEvent
from aftersales.conftest import make_case
from aftersales.core.models import AuditLog
from aftersales.sla.models import SlaClock, SlaTarget

from .conftest import at

pytestmark = pytest.mark.django_db


def client_as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_data(client: Client, url: str) -> dict:
    """The edit form as the browser would send it back unchanged."""
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["form"]
    data = {
        "name": form.instance.name,
        "code": form.instance.code,
        "position": form.instance.position,
        "is_active": "on" if form.instance.is_active else "",
        "version": form.instance.version,
        "case_types": form.instance.case_types,
        "pause_waiting_customer": form.instance.pause_rules.get("waiting_customer", ""),
        "pause_waiting_third_party": form.instance.pause_rules.get("waiting_third_party", ""),
    }
    for prefix in ("targets", "levels"):
        formset = response.context[prefix]
        data[f"{prefix}-TOTAL_FORMS"] = len(formset.forms)
        data[f"{prefix}-INITIAL_FORMS"] = formset.initial_form_count()
        data[f"{prefix}-MIN_NUM_FORMS"] = 0
        data[f"{prefix}-MAX_NUM_FORMS"] = 1000
        for i, f in enumerate(formset.forms):
            for name, field in f.fields.items():
                value = f.initial.get(name, field.initial)
                if value is None or value is False:
                    continue
                if name == "id" and value is not None:
                    value = getattr(value, "pk", value)
                if name == "calendar":
                    continue
                data[f"{prefix}-{i}-{name}"] = "on" if value is True else value
    return data


@pytest.mark.parametrize(
    ("role", "status"),
    [("supervisor", 200), ("administrator", 200), ("agent", 403), ("auditor", 403)],
)
def test_who_may_open_the_policy_pages(repair_policy, users, role, status):
    client = client_as(users[role])
    assert client.get("/sla/").status_code == status
    nav = client.get("/cases/" if role != "auditor" else "/audit/").content.decode()
    assert ('href="/sla/"' in nav) is (status == 200)
    assert client.get(f"/sla/policies/{repair_policy.pk}/").status_code == status


def test_editing_a_target_recomputes_open_cases(
    repair_policy, users, customers, org, clock_at, django_capture_on_commit_callbacks
):
    clock_at(at(2026, 3, 2, 10))
    case = make_case(customers["alice"], actor=users["agent"], team=org["team_a"])
    assert SlaClock.objects.get(case=case, kind="resolution").due_at == at(2026, 3, 9, 10)
    client = client_as(users["supervisor"])
    url = f"/sla/policies/{repair_policy.pk}/"
    data = form_data(client, url)
    target = SlaTarget.objects.get(policy=repair_policy, kind="resolution", duration="5wd")
    index = next(
        k.split("-")[1]
        for k, v in data.items()
        if k.endswith("-id") and v == target.pk and k.startswith("targets")
    )
    data[f"targets-{index}-duration"] = "4wd"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302, response.context and [
        f.errors for f in response.context["targets"]
    ]
    target.refresh_from_db()
    assert target.duration == "4wd"
    clock = SlaClock.objects.get(case=case, kind="resolution")
    assert clock.target_id == target.pk and clock.due_at == at(2026, 3, 6, 10)
    assert CaseEvent.objects.filter(case=case, kind="sla_recomputed").exists()
    assert AuditLog.objects.filter(
        action="sla.policy.update", object_id=str(repair_policy.pk)
    ).exists()
    repair_policy.refresh_from_db()
    assert repair_policy.version == 2


def test_a_bad_duration_is_refused_and_changes_nothing(repair_policy, users):
    client = client_as(users["supervisor"])
    url = f"/sla/policies/{repair_policy.pk}/"
    data = form_data(client, url)
    data["targets-0-duration"] = "3 weeks"
    response = client.post(url, data)
    assert response.status_code == 422
    assert "3 weeks" in response.content.decode()
    assert not SlaTarget.objects.filter(duration="3 weeks").exists()
    repair_policy.refresh_from_db()
    assert repair_policy.version == 1


def test_a_new_policy_with_a_level(users, calendar):
    client = client_as(users["administrator"])
    data = {
        "name": "投诉时效",
        "code": "complaints",
        "position": 5,
        "is_active": "on",
        "case_types": ["complaint"],
        "targets-TOTAL_FORMS": 1,
        "targets-INITIAL_FORMS": 0,
        "targets-0-kind": "verification",
        "targets-0-duration": "24h",
        "targets-0-end_on": "status",
        "targets-0-end_statuses": ["in_progress"],
        "targets-0-position": 0,
        "levels-TOTAL_FORMS": 1,
        "levels-INITIAL_FORMS": 0,
        "levels-0-trigger": "share",
        "levels-0-share_percent": 75,
        "levels-0-recipients": ["owner"],
        "levels-0-channels": ["email"],
        "levels-0-position": 0,
    }
    response = client.post("/sla/policies/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    listing = client.get("/sla/").content.decode()
    assert "投诉时效" in listing and "75 %" in listing
