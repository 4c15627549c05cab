"""Masked numbers stay masked: no role rebuilds them through search, and technicians see only
the customers of their own jobs (R9.2; "every role sees only what it needs")."""

from __future__ import annotations

import pytest

from aftersales.cases.services import case_assign
from aftersales.core.models import AuditLog
from aftersales.customers.selectors import asset_list, customer_list, customer_search

pytestmark = pytest.mark.django_db


def test_fragment_search_is_for_roles_that_may_reveal_and_is_logged(users, customers):
    alice = customers["alice"]  # 138 1234 5678
    assert alice in customer_search(user=users["agent"], text="5678")
    row = AuditLog.objects.get(action="personal_data.search")
    assert row.actor == users["agent"]
    # the auditor sees numbers masked and may not reveal them: a fragment finds nothing ...
    assert customer_search(user=users["auditor"], text="5678") == []
    assert customer_search(user=users["auditor"], text="1381234567") == []
    # ... but the whole number (as a caller would give it) still does
    assert alice in customer_search(user=users["auditor"], text="138 1234 5678")


def test_supervisor_search_is_not_logged(users, customers):
    assert customers["alice"] in customer_search(user=users["supervisor"], text="5678")
    assert not AuditLog.objects.filter(action="personal_data.search").exists()


def test_api_list_search_follows_the_same_rule(client, users, customers):
    client.force_login(users["auditor"])
    assert client.get("/api/v1/customers", {"q": "5678"}).json()["items"] == []
    client.force_login(users["agent"])
    found = client.get("/api/v1/customers", {"q": "5678"}).json()["items"]
    assert [c["id"] for c in found] == [customers["alice"].pk]


def test_technician_sees_only_the_customers_of_own_jobs(users, customers, cases, org):
    tech = users["technician"]
    assert list(customer_list(user=tech)) == []
    assert list(asset_list(user=tech)) == []
    case_assign(actor=users["agent"], case=cases["alice_a"], team=org["team_a"], assignee=tech)
    assert list(customer_list(user=tech)) == [customers["alice"]]
    assert {a.customer_id for a in asset_list(user=tech)} == {customers["alice"].pk}


def test_technician_case_list_is_own_jobs_only(client, users, cases, org):
    tech = users["technician"]
    client.force_login(tech)
    assert client.get("/api/v1/cases").json()["items"] == []
    assert client.get(f"/api/v1/cases/{cases['alice_a'].number}").status_code == 404
    case_assign(actor=users["agent"], case=cases["alice_a"], team=org["team_a"], assignee=tech)
    numbers = [c["number"] for c in client.get("/api/v1/cases").json()["items"]]
    assert numbers == [cases["alice_a"].number]
