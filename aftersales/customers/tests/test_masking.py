"""E-mail and street addresses are masked for roles that do not see personal data whole, by
the same rule as phones (R9.2), on the customer page and in the API."""

from __future__ import annotations

import pytest
from django.urls import reverse

from aftersales.customers.phones import mask_email, mask_street
from aftersales.customers.services import address_add, contact_add

pytestmark = pytest.mark.django_db

EMAIL = "zhangsanfeng@example.cn"
STREET = "张江路 100 号 3 栋 502"


@pytest.fixture
def alice(customers):
    alice = customers["alice"]
    alice.email = EMAIL
    alice.save(update_fields=["email"])
    contact_add(
        actor=None, customer=alice, name="张太太", phone="13600002222", email="mrs.zhang@163.com"
    )
    address_add(actor=None, customer=alice, province="上海市", district="浦东新区", street=STREET)
    return alice


def test_the_masks():
    assert mask_email(EMAIL) == "z***@example.cn"
    assert mask_email("") == ""
    assert mask_street(STREET) == "张江****"


@pytest.mark.parametrize(
    ("role", "whole"),
    [
        ("agent", False),
        ("complaint_officer", False),
        ("auditor", False),
        ("supervisor", True),
        ("administrator", True),
    ],
)
def test_customer_page_masks_email_and_address_by_role(client, users, alice, role, whole):
    client.force_login(users[role])
    html = client.get(reverse("customers:customer_detail", args=[alice.pk])).content.decode()
    assert (EMAIL in html) is whole
    assert ("mrs.zhang@163.com" in html) is whole
    assert (STREET in html) is whole
    if not whole:
        assert "z***@example.cn" in html and "m***@163.com" in html
        assert "上海市浦东新区张江****" in html


@pytest.mark.parametrize(
    ("role", "whole"), [("agent", False), ("auditor", False), ("supervisor", True)]
)
def test_api_masks_email_and_address_by_role(client, users, alice, role, whole):
    client.force_login(users[role])
    body = client.get(f"/api/v1/customers/{alice.pk}").json()
    assert (body["email"] == EMAIL) is whole
    emails = {c["email"] for c in body["contacts"] if c["name"] == "张太太"}
    assert emails == ({"mrs.zhang@163.com"} if whole else {"m***@163.com"})
    streets = {a["street"] for a in body["addresses"]}
    assert streets == ({STREET} if whole else {"张江****"})
    listed = client.get(f"/api/v1/customers/{alice.pk}/addresses").json()
    assert {a["street"] for a in listed} == streets
    contacts = client.get(f"/api/v1/customers/{alice.pk}/contacts").json()
    assert {c["email"] for c in contacts if c["name"] == "张太太"} == emails
    page = client.get("/api/v1/customers").json()["items"]
    assert {c["email"] for c in page if c["id"] == alice.pk} == {
        EMAIL if whole else "z***@example.cn"
    }


def test_the_customer_sees_their_own_data_whole(client, alice):
    client.force_login(alice.user)
    body = client.get(f"/api/v1/customers/{alice.pk}").json()
    assert body["email"] == EMAIL
    assert {a["street"] for a in body["addresses"]} == {STREET}
