"""The customers API: registration, search, masking of phones by role, the audited reveal,
contacts, addresses and assets — and that bad input changes nothing."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone, translation

from aftersales.core.models import AuditLog
from aftersales.customers.models import Address, Asset, Contact, Customer

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, path: str, payload: dict, **headers):
    return client.post(path, data=json.dumps(payload), content_type="application/json", **headers)


def patch(client: Client, path: str, payload: dict, **headers):
    return client.patch(path, data=json.dumps(payload), content_type="application/json", **headers)


def counts() -> tuple[int, int, int, int]:
    return (
        Customer.objects.count(),
        Contact.objects.count(),
        Address.objects.count(),
        Asset.objects.count(),
    )


def test_create_customer_stores_e164_and_answers_masked(users):
    response = post(
        login(users["agent"]),
        "/api/v1/customers",
        {"name": "王五", "phone": "+86 137-0000-1111", "kind": "individual", "tier": "gold"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["phone"] == "137****1111"
    assert body["contacts"][0]["phone_masked"] is True
    assert Contact.objects.get(customer_id=body["id"]).phone == "+8613700001111"


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_malformed_phone_is_422_in_the_request_language(users, lang):
    before = counts()
    response = post(
        login(users["agent"]),
        "/api/v1/customers",
        {"name": "王五", "phone": "12345"},
        HTTP_ACCEPT_LANGUAGE=lang,
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "phone_invalid"
    assert response["Content-Language"] == lang
    with translation.override(lang):
        expected = translation.gettext("“%(phone)s” is not a valid phone number.") % {
            "phone": "12345"
        }
    assert body["message"] == expected
    assert counts() == before


@pytest.mark.parametrize(
    "payload",
    [
        {"name": "王五", "tier": "platinum"},
        {"name": "王五", "kind": "alien"},
        {"name": "王五", "preferred_language": "fr"},
        {"name": "王五", "email": "not-an-address"},
        {"name": ""},
        {"name": "王" * 101},
    ],
)
def test_bad_customer_input_is_422_and_creates_nothing(users, payload):
    before = counts()
    response = post(login(users["agent"]), "/api/v1/customers", payload)
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "invalid_input"
    assert counts() == before


def test_search_by_name_and_phone_digits(users, customers):
    client = login(users["agent"])
    by_name = client.get("/api/v1/customers?q=张").json()["items"]
    assert [c["name"] for c in by_name] == ["张三丰"]
    by_phone = client.get("/api/v1/customers?q=8765").json()["items"]
    assert [c["name"] for c in by_phone] == ["李四"]
    everyone = client.get("/api/v1/customers?limit=1").json()
    assert len(everyone["items"]) == 1 and everyone["next_cursor"]
    rest = client.get(f"/api/v1/customers?limit=1&cursor={everyone['next_cursor']}").json()
    assert rest["items"][0]["id"] != everyone["items"][0]["id"]


def test_phones_are_masked_by_role(users, customers):
    alice = customers["alice"]
    path = f"/api/v1/customers/{alice.pk}"
    assert login(users["agent"]).get(path).json()["phone"] == "138****5678"
    assert login(users["supervisor"]).get(path).json()["phone"] == "+8613812345678"
    own = login(alice.user).get(path).json()
    assert own["phone"] == "+8613812345678"
    assert own["contacts"][0]["phone_masked"] is False
    assert own["notes"] == ""  # internal notes stay internal


def test_reveal_returns_the_number_and_is_audited(users, customers):
    contact = customers["alice"].contacts.first()
    response = post(
        login(users["agent"]), f"/api/v1/contacts/{contact.pk}/reveal", {"reason": "回访电话"}
    )
    assert response.status_code == 200
    assert response.json() == {"contact_id": contact.pk, "phone": "+8613812345678"}
    record = AuditLog.objects.get(action="personal_data.reveal")
    assert record.actor == users["agent"] and record.reason == "回访电话"
    assert "13812345678" not in record.object_repr


def test_reveal_is_refused_without_the_permission(users, customers):
    contact = customers["alice"].contacts.first()
    before = AuditLog.objects.count()
    for user in (users["technician"], customers["alice"].user):
        response = post(login(user), f"/api/v1/contacts/{contact.pk}/reveal", {})
        assert response.status_code == 403
    assert AuditLog.objects.count() == before


def test_patch_customer_changes_only_what_was_sent(users, customers):
    alice = customers["alice"]
    response = patch(
        login(users["agent"]),
        f"/api/v1/customers/{alice.pk}",
        {"version": 1, "tier": "vip", "notes": "老客户"},
    )
    assert response.status_code == 200
    assert response.json()["version"] == 2
    alice.refresh_from_db()
    assert (alice.tier, alice.notes, alice.name) == ("vip", "老客户", "张三丰")


def test_patch_customer_with_stale_version_is_refused(users, customers):
    alice = customers["alice"]
    first = patch(
        login(users["agent"]), f"/api/v1/customers/{alice.pk}", {"version": 1, "tier": "gold"}
    )
    assert first.status_code == 200
    second = patch(
        login(users["supervisor"]), f"/api/v1/customers/{alice.pk}", {"version": 1, "tier": "vip"}
    )
    assert second.status_code == 409 and second.json()["code"] == "version_conflict"
    alice.refresh_from_db()
    assert (alice.tier, alice.version) == ("gold", 2)


@pytest.mark.parametrize(
    "payload",
    [{"tier": "diamond"}, {"name": None}, {"name": ""}, {"user": 1}, {"email": "x@"}],
)
def test_patch_customer_bad_input_changes_nothing(users, customers, payload):
    alice = customers["alice"]
    response = patch(
        login(users["agent"]), f"/api/v1/customers/{alice.pk}", {"version": 1, **payload}
    )
    assert response.status_code == 422
    fresh = Customer.objects.get(pk=alice.pk)
    assert (fresh.tier, fresh.name, fresh.email, fresh.user_id) == (
        alice.tier,
        alice.name,
        alice.email,
        alice.user_id,
    )


def test_contacts_and_addresses(users, customers):
    alice = customers["alice"]
    client = login(users["agent"])
    added = post(
        client,
        f"/api/v1/customers/{alice.pk}/contacts",
        {"name": "张太太", "phone": "13600002222", "is_primary": True},
    )
    assert added.status_code == 201 and added.json()["phone"] == "136****2222"
    duplicate = post(client, f"/api/v1/customers/{alice.pk}/contacts", {"phone": "136 0000 2222"})
    assert duplicate.status_code == 409 and duplicate.json()["code"] == "duplicate_phone"
    bad = post(client, f"/api/v1/customers/{alice.pk}/contacts", {"phone": "100"})
    assert bad.status_code == 422 and bad.json()["code"] == "phone_invalid"
    letters = post(client, f"/api/v1/customers/{alice.pk}/contacts", {"phone": "abc"})
    assert letters.status_code == 422 and letters.json()["code"] == "invalid_input"
    contacts = client.get(f"/api/v1/customers/{alice.pk}/contacts").json()
    assert [c["is_primary"] for c in contacts] == [True, False]
    address = post(
        client,
        f"/api/v1/customers/{alice.pk}/addresses",
        {"province": "上海市", "city": "上海市", "district": "浦东新区", "street": "张江路 1 号"},
    )
    assert address.status_code == 201 and address.json()["is_default"] is True
    too_long = post(
        client, f"/api/v1/customers/{alice.pk}/addresses", {"street": "x", "city": "市" * 51}
    )
    assert too_long.status_code == 422
    assert len(client.get(f"/api/v1/customers/{alice.pk}/addresses").json()) == 1


def test_assets_create_update_and_warranty(users, customers, product_model):
    alice = customers["alice"]
    client = login(users["agent"])
    purchase = timezone.localdate() - dt.timedelta(days=30)
    created = post(
        client,
        "/api/v1/assets",
        {
            "customer_id": alice.pk,
            "product_model": "KFR-35GW",
            "serial_number": " sn-a-0002 ",
            "purchase_date": purchase.isoformat(),
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["serial_number"] == "SN-A-0002"
    assert body["in_warranty"] is True and body["warranty_end"] is not None
    assert body["main_parts_warranty_end"] > body["warranty_end"]
    changed = patch(
        client, f"/api/v1/assets/{body['id']}", {"version": 1, "purchase_date": "2020-01-01"}
    )
    assert changed.status_code == 200
    assert changed.json()["in_warranty"] is False
    assert changed.json()["warranty_end"] == "2021-01-01"
    stale = patch(client, f"/api/v1/assets/{body['id']}", {"version": 1, "purchase_date": None})
    assert stale.status_code == 409 and stale.json()["code"] == "version_conflict"
    cleared = patch(client, f"/api/v1/assets/{body['id']}", {"version": 2, "purchase_date": None})
    assert cleared.json()["in_warranty"] is None
    listed = client.get(f"/api/v1/assets?customer_id={alice.pk}&q=sn-a").json()["items"]
    assert {a["serial_number"] for a in listed} == {"SN-A-0001", "SN-A-0002"}


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        ({"serial_number": "SN-B-0001"}, 409, "duplicate_asset"),
        ({"vin": "SHORT"}, 422, "vin_invalid"),
        ({"purchase_date": "2999-01-01"}, 422, "purchase_date_future"),
        ({"warranty_end": "2999-01-01"}, 422, "invalid_input"),
    ],
)
def test_asset_bad_update_changes_nothing(users, customers, payload, status, code):
    asset = customers["alice"].assets.first()
    before = Asset.objects.filter(pk=asset.pk).values().get()
    response = patch(login(users["agent"]), f"/api/v1/assets/{asset.pk}", {"version": 1, **payload})
    assert response.status_code == status, response.content
    assert response.json()["code"] == code
    assert Asset.objects.filter(pk=asset.pk).values().get() == before


def test_asset_create_unknown_references(users, customers):
    client = login(users["agent"])
    before = counts()
    unknown_model = post(
        client, "/api/v1/assets", {"customer_id": customers["alice"].pk, "product_model": "NOPE"}
    )
    assert unknown_model.status_code == 422
    assert unknown_model.json()["code"] == "unknown_product_model"
    unknown_customer = post(
        client, "/api/v1/assets", {"customer_id": 999999, "product_model": "KFR-35GW"}
    )
    assert unknown_customer.status_code == 422
    assert counts() == before


def test_customer_sees_own_assets_only(customers):
    mine = login(customers["alice"].user).get("/api/v1/assets").json()["items"]
    assert [a["serial_number"] for a in mine] == ["SN-A-0001"]
