"""Customer screens: permission matrix, masking by role, audited reveal, adding a product."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aftersales.conftest import make_case
from aftersales.core.models import AuditLog
from aftersales.customers.models import Asset

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def who(users, customers, role: str):
    if role == "anon":
        return None
    if role == "customer":
        return customers["alice"].user
    return users[role]


def _request(client, endpoint: str, customers, product_model):
    alice = customers["alice"]
    if endpoint == "list":
        return client.get(reverse("customers:customer_list"), {"q": "张"})
    if endpoint == "detail":
        return client.get(reverse("customers:customer_detail", args=[alice.pk]))
    if endpoint == "asset_create":
        return client.post(
            reverse("customers:asset_create", args=[alice.pk]),
            {"asset-product_model": product_model.pk, "asset-serial_number": "SN-NEW-1"},
        )
    if endpoint == "reveal":
        contact = alice.contacts.get()
        return client.post(reverse("customers:contact_reveal", args=[contact.pk]))
    raise AssertionError(endpoint)


MATRIX = {
    "anon": {"list": "login", "detail": "login", "asset_create": "login", "reveal": "login"},
    "customer": {"list": 403, "detail": 403, "asset_create": 403, "reveal": 403},
    "parts_keeper": {"list": 403, "detail": 403, "asset_create": 403, "reveal": 403},
    "auditor": {"list": 200, "detail": 200, "asset_create": 403, "reveal": 403},
    # technicians see the customers of their own jobs on the case page, not the customer base
    "technician": {"list": 403, "detail": 403, "asset_create": 403, "reveal": 403},
    "agent": {"list": 200, "detail": 200, "asset_create": 302, "reveal": 200},
    "supervisor": {"list": 200, "detail": 200, "asset_create": 302, "reveal": 200},
}


@pytest.mark.parametrize(("role", "endpoint"), [(r, e) for r, row in MATRIX.items() for e in row])
def test_customer_screen_permission_matrix(client, users, customers, product_model, role, endpoint):
    user = who(users, customers, role)
    if user is not None:
        client.force_login(user)
    audits, assets = AuditLog.objects.count(), Asset.objects.count()
    response = _request(client, endpoint, customers, product_model)
    expected = MATRIX[role][endpoint]
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected
    if expected in (403, "login"):
        assert (AuditLog.objects.count(), Asset.objects.count()) == (audits, assets)
        assert "13812345678" not in response.content.decode()


def test_missing_customer_and_contact_are_404(client, users, customers):
    client.force_login(users["agent"])
    assert client.get(reverse("customers:customer_detail", args=[999999])).status_code == 404
    assert client.post(reverse("customers:contact_reveal", args=[999999])).status_code == 404
    response = client.post(
        reverse("customers:asset_create", args=[999999]), {"asset-serial_number": "X"}
    )
    assert response.status_code == 404


def test_list_masks_phones_for_agents_and_not_for_supervisors(client, users, customers):
    client.force_login(users["agent"])
    html = client.get(reverse("customers:customer_list")).content.decode()
    assert "张三丰" in html and "李四" in html
    assert "138****5678" in html and "13812345678" not in html and "138 1234 5678" not in html
    client.force_login(users["supervisor"])
    html = client.get(reverse("customers:customer_list")).content.decode()
    assert "138 1234 5678" in html


def test_list_search_by_phone_digits_and_htmx_partial(client, users, customers):
    client.force_login(users["agent"])
    response = client.get(
        reverse("customers:customer_list"),
        {"q": "4321"},
        headers={**HTMX, "HX-Target": "customer-results"},
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="customer-results"')
    assert "李四" in html and "张三丰" not in html


def test_detail_is_a_customer_360(client, users, customers, cases):
    alice = customers["alice"]
    client.force_login(users["agent"])
    html = client.get(reverse("customers:customer_detail", args=[alice.pk])).content.decode()
    assert 'data-testid="customer-profile"' in html
    assert html.count('data-testid="contact"') == 1
    assert "138****5678" in html and 'data-testid="reveal-phone"' in html
    assert "SN-A-0001" in html and 'data-warranty="' in html
    assert cases["alice_a"].number in html and cases["alice_complaint"].number in html
    assert cases["bob_b"].number not in html  # Bob's, not Alice's


def test_detail_lists_the_customers_whole_history(client, users, customers, cases, org):
    alice = customers["alice"]
    other = make_case(alice, team=org["team_b"], title="另一组的工单")
    for agent in ("agent", "agent_b"):  # team A, team B: both serve Alice when she calls
        client.force_login(users[agent])
        url = reverse("customers:customer_detail", args=[alice.pk])
        html = client.get(url).content.decode()
        assert other.number in html and cases["alice_a"].number in html
        assert "上门维修组" in html and "热线组" in html  # each case's team


def test_detail_query_count_is_constant(
    client, users, customers, org, django_assert_max_num_queries
):
    alice = customers["alice"]
    client.force_login(users["agent"])
    url = reverse("customers:customer_detail", args=[alice.pk])
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    few = len(ctx.captured_queries)
    for i in range(15):
        make_case(alice, team=org["team_a"], assignee=users["agent"], title=f"请求 {i}")
    with django_assert_max_num_queries(few):
        html = client.get(url).content.decode()
    assert html.count('data-testid="customer-case"') == 15


def test_reveal_writes_an_audit_record(client, users, customers):
    contact = customers["alice"].contacts.get()
    client.force_login(users["agent"])
    response = client.post(reverse("customers:contact_reveal", args=[contact.pk]), headers=HTMX)
    assert response.status_code == 200
    assert 'data-testid="revealed-phone"' in response.content.decode()
    assert "138 1234 5678" in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    log = AuditLog.objects.get(action="personal_data.reveal")
    assert log.actor == users["agent"]
    assert log.object_type == "customers.contact" and log.object_id == str(contact.pk)
    assert "13812345678" not in log.object_repr


def test_reveal_refused_without_permission_and_for_get(client, users, customers):
    contact = customers["alice"].contacts.get()
    client.force_login(users["technician"])
    response = client.post(reverse("customers:contact_reveal", args=[contact.pk]), headers=HTMX)
    assert response.status_code == 403
    client.force_login(users["agent"])
    assert client.get(reverse("customers:contact_reveal", args=[contact.pk])).status_code == 405
    assert not AuditLog.objects.filter(action="personal_data.reveal").exists()


def test_asset_create_derives_warranty(client, users, customers, product_model):
    alice = customers["alice"]
    client.force_login(users["agent"])
    response = client.post(
        reverse("customers:asset_create", args=[alice.pk]),
        {
            "asset-product_model": product_model.pk,
            "asset-serial_number": "sn-a-0002",
            "asset-purchase_date": "2026-02-10",
        },
        headers=HTMX,
    )
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<section id="customer-assets"')
    asset = alice.assets.get(serial_number="SN-A-0002")
    assert asset.warranty_end == dt.date(2027, 2, 10)


def test_asset_create_bad_input_changes_nothing(client, users, customers, product_model):
    alice = customers["alice"]
    client.force_login(users["agent"])
    url = reverse("customers:asset_create", args=[alice.pk])
    before = Asset.objects.count()
    future = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    response = client.post(
        url,
        {"asset-product_model": product_model.pk, "asset-purchase_date": future},
        headers=HTMX,
    )
    assert response.status_code == 422
    assert 'data-testid="error-purchase_date"' in response.content.decode()
    response = client.post(
        url, {"asset-product_model": product_model.pk, "asset-serial_number": "SN-B-0001"}
    )
    assert response.status_code == 409  # Bob's serial number, already registered
    response = client.post(url, {"asset-serial_number": "SN-X"})
    assert response.status_code == 422  # no product model
    assert Asset.objects.count() == before
