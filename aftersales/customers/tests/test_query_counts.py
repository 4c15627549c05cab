"""Customer lists and pages run a fixed number of queries, however many rows they show.

Each test measures with a few rows, then with ten times as many (customers with several
contacts, addresses, products and cases), and asserts the same, known number of statements.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aftersales.conftest import make_case
from aftersales.customers.models import Customer
from aftersales.customers.services import address_add, asset_create, contact_add, customer_create

pytestmark = pytest.mark.django_db

# session, user, permissions and groups, the rows (plus one prefetch of their contacts), what
# the page frame needs, and for a role that sees numbers whole one insert into the personal data
# access log for all the customers shown
CUSTOMER_LIST = 8
CUSTOMER_SEARCH = 8
CUSTOMER_PAGE = 12
API_CUSTOMER_LIST = 7
API_CUSTOMER_DETAIL = 10
# The role check reads the user's role names once (is_customer) besides the permissions.
API_ASSET_LIST = 6

_serial = iter(range(1, 10**6))


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return len(ctx.captured_queries)


def add_customers(n: int, product_model) -> list[Customer]:
    made = []
    for _ in range(n):
        i = next(_serial)
        customer = customer_create(actor=None, name=f"王{i}", phone=f"1390000{i:04d}")
        contact_add(actor=None, customer=customer, name=f"李{i}", phone=f"1370000{i:04d}")
        address_add(actor=None, customer=customer, street=f"张江路 {i} 号", city="上海市")
        asset_create(
            actor=None,
            customer=customer,
            product_model=product_model,
            serial_number=f"SN-Q-{i:06d}",
            purchase_date=dt.date(2026, 1, 1),
        )
        made.append(customer)
    return made


def grow(customer: Customer, product_model, org, n: int) -> None:
    for _ in range(n):
        i = next(_serial)
        contact_add(actor=None, customer=customer, name=f"联系人{i}", phone=f"1360000{i:04d}")
        address_add(actor=None, customer=customer, street=f"世纪大道 {i} 号", city="上海市")
        asset = asset_create(
            actor=None,
            customer=customer,
            product_model=product_model,
            serial_number=f"SN-G-{i:06d}",
            purchase_date=dt.date(2026, 2, 1),
        )
        make_case(customer, team=org["team_a"], asset=asset, title=f"冰箱不制冷 {i}")


@pytest.mark.parametrize("query", ["", "?q=王", "?q=1390000"], ids=["newest", "name", "phone"])
def test_customer_list_queries_do_not_grow(client, users, product_model, query):
    client.force_login(users["supervisor"])
    url = reverse("customers:customer_list") + query
    add_customers(3, product_model)
    few = queries(client, url)
    add_customers(30, product_model)
    many = queries(client, url)
    expected = CUSTOMER_SEARCH if query else CUSTOMER_LIST
    assert few == many == expected
    assert client.get(url).content.decode().count("/customers/") >= 33


def test_customer_page_queries_do_not_grow(client, users, product_model, org):
    client.force_login(users["agent"])
    (customer,) = add_customers(1, product_model)
    grow(customer, product_model, org, 1)
    url = reverse("customers:customer_detail", args=[customer.pk])
    few = queries(client, url)
    grow(customer, product_model, org, 10)
    many = queries(client, url)
    assert few == many == CUSTOMER_PAGE


def test_api_customer_list_and_detail_queries_do_not_grow(client, users, product_model, org):
    client.force_login(users["supervisor"])
    (customer,) = add_customers(1, product_model)
    detail = f"/api/v1/customers/{customer.pk}"
    add_customers(2, product_model)
    few = (queries(client, "/api/v1/customers?limit=100"), queries(client, detail))
    add_customers(30, product_model)
    grow(customer, product_model, org, 10)
    many = (queries(client, "/api/v1/customers?limit=100"), queries(client, detail))
    assert few == many == (API_CUSTOMER_LIST, API_CUSTOMER_DETAIL)
    body = client.get("/api/v1/customers?limit=100").json()
    assert len(body["items"]) == 33


def test_api_asset_list_queries_do_not_grow(client, users, product_model):
    client.force_login(users["supervisor"])
    add_customers(3, product_model)
    few = queries(client, "/api/v1/assets?limit=100")
    add_customers(30, product_model)
    many = queries(client, "/api/v1/assets?limit=100")
    assert few == many == API_ASSET_LIST
