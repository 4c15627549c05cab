"""Personal data access is logged (PIPL art. 51): the customer page always, lists and API
answers when they show data unmasked — one insert per request, whatever the number of
customers — and administrators read the log on a page with filters."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from aftersales.customers.models import PersonalDataAccess
from aftersales.customers.services import customer_create

pytestmark = pytest.mark.django_db

Kind = PersonalDataAccess.Kind


def _rows(**filters) -> list[tuple]:
    return list(
        PersonalDataAccess.objects.filter(**filters)
        .order_by("customer_id")
        .values_list("actor__username", "customer_id", "kind", "unmasked")
    )


def test_viewing_a_customer_page_is_logged_for_every_role(client, users, customers):
    alice = customers["alice"]
    for role, unmasked in (("agent", False), ("supervisor", True), ("auditor", False)):
        client.force_login(users[role])
        response = client.get(reverse("customers:customer_detail", args=[alice.pk]))
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        assert _rows(actor__username=role) == [(role, alice.pk, Kind.PAGE, unmasked)]
    row = PersonalDataAccess.objects.get(actor=users["supervisor"])
    assert row.where == f"/customers/{alice.pk}/" and row.at is not None


def test_a_full_data_list_is_logged_in_one_insert_and_a_masked_one_not_at_all(
    client, users, customers
):
    for i in range(12):
        customer_create(actor=None, name=f"客户{i}", phone=f"1370000{i:04d}")
    client.force_login(users["agent"])  # sees phones masked
    assert client.get(reverse("customers:customer_list")).status_code == 200
    assert not PersonalDataAccess.objects.exists()

    client.force_login(users["supervisor"])  # sees them whole
    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("customers:customer_list"))
    inserts = [q for q in ctx.captured_queries if "customers_personaldataaccess" in q["sql"]]
    assert len(inserts) == 1 and inserts[0]["sql"].lstrip().upper().startswith("INSERT")
    assert PersonalDataAccess.objects.filter(kind=Kind.LIST).count() == 14  # 12 + Alice, Bob
    assert set(PersonalDataAccess.objects.values_list("actor__username", flat=True)) == {
        "supervisor"
    }


def test_api_reads_of_unmasked_data_are_logged(client, users, customers):
    alice = customers["alice"]
    client.force_login(users["supervisor"])
    assert client.get("/api/v1/customers").status_code == 200
    assert client.get(f"/api/v1/customers/{alice.pk}").status_code == 200
    assert client.get(f"/api/v1/customers/{alice.pk}/contacts").status_code == 200
    assert client.get(f"/api/v1/customers/{alice.pk}/addresses").status_code == 200
    rows = PersonalDataAccess.objects.filter(actor=users["supervisor"], kind=Kind.API)
    assert rows.filter(customer=alice).count() == 4
    assert set(rows.values_list("where", flat=True)) == {
        "GET /api/v1/customers",
        f"GET /api/v1/customers/{alice.pk}",
        f"GET /api/v1/customers/{alice.pk}/contacts",
        f"GET /api/v1/customers/{alice.pk}/addresses",
    }


def test_masked_api_reads_and_a_customer_reading_themself_are_not_logged(client, users, customers):
    alice = customers["alice"]
    client.force_login(users["agent"])
    client.get("/api/v1/customers")
    client.get(f"/api/v1/customers/{alice.pk}")
    client.force_login(alice.user)
    assert client.get(f"/api/v1/customers/{alice.pk}").json()["phone"] == "+8613812345678"
    assert not PersonalDataAccess.objects.exists()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_administrators_read_the_log_with_filters(client, users, customers, language):
    alice, bob = customers["alice"], customers["bob"]
    client.force_login(users["supervisor"])
    client.get(reverse("customers:customer_detail", args=[alice.pk]))
    client.force_login(users["agent"])
    client.get(reverse("customers:customer_detail", args=[bob.pk]))

    client.force_login(users["administrator"])
    url = reverse("customers:access_log")
    with translation.override(language):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('data-testid="access-row"') == 2
    heading = "个人信息访问日志" if language == "zh-hans" else "Personal data access log"
    assert heading in html
    assert ("客户页面" if language == "zh-hans" else "Customer page") in html

    by_actor = client.get(url, {"actor": "supervisor"}).content.decode()
    assert by_actor.count('data-testid="access-row"') == 1 and "张三丰" in by_actor
    by_customer = client.get(url, {"customer": "李四"}).content.decode()
    assert by_customer.count('data-testid="access-row"') == 1
    by_number = client.get(url, {"customer": str(alice.pk)}).content.decode()
    assert by_number.count('data-testid="access-row"') == 1
    by_kind = client.get(url, {"kind": "list"}).content.decode()
    assert 'data-testid="access-empty"' in by_kind


def test_only_administrators_open_the_log(client, users):
    for role in ("agent", "supervisor", "auditor"):
        client.force_login(users[role])
        assert client.get(reverse("customers:access_log")).status_code == 403


def test_an_api_case_read_with_the_contact_phone_whole_is_logged(client, users, customers, cases):
    case = cases["alice_a"]
    assert case.contact_id  # the customer's primary contact
    client.force_login(users["agent"])  # sees the phone masked
    assert client.get(f"/api/v1/cases/{case.number}").status_code == 200
    assert not PersonalDataAccess.objects.exists()
    client.force_login(users["supervisor"])
    body = client.get(f"/api/v1/cases/{case.number}").json()
    assert body["contact"]["phone"] == "+8613812345678"
    assert _rows() == [("supervisor", customers["alice"].pk, Kind.API, True)]


def test_the_intake_look_up_with_whole_numbers_is_logged(client, users, customers):
    url = reverse("cases:intake_lookup")
    client.force_login(users["agent"])  # numbers masked: nothing to log
    assert "张三丰" in client.get(url, {"q": "张三丰"}).content.decode()
    assert not PersonalDataAccess.objects.exists()
    client.force_login(users["supervisor"])
    assert "张三丰" in client.get(url, {"q": "张三丰"}).content.decode()
    assert _rows() == [("supervisor", customers["alice"].pk, Kind.LIST, True)]
