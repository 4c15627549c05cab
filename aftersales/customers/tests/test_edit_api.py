"""Contacts and addresses changed through the API with the version the caller saw: a stale
version answers 409 and changes nothing; answers mask what the role sees masked."""

from __future__ import annotations

import json

import pytest

from aftersales.core.models import AuditLog
from aftersales.customers.services import address_add

pytestmark = pytest.mark.django_db


def _patch(client, path: str, payload: dict):
    return client.patch(path, data=json.dumps(payload), content_type="application/json")


def test_a_contact_patch_with_the_version_check(client, users, customers):
    contact = customers["alice"].contacts.get()
    client.force_login(users["agent"])
    ok = _patch(client, f"/api/v1/contacts/{contact.pk}", {"version": 1, "phone": "13900001234"})
    assert ok.status_code == 200, ok.content
    body = ok.json()
    assert body["phone"] == "139****1234" and body["phone_masked"] and body["version"] == 2
    stale = _patch(client, f"/api/v1/contacts/{contact.pk}", {"version": 1, "phone": "13700000000"})
    assert stale.status_code == 409 and stale.json()["code"] == "version_conflict"
    contact.refresh_from_db()
    assert contact.phone == "+8613900001234"
    assert AuditLog.objects.filter(action="contact.update").count() == 1
    bad = _patch(client, f"/api/v1/contacts/{contact.pk}", {"version": 2, "created_at": "x"})
    assert bad.status_code == 422


def test_an_address_patch_answers_masked_for_an_agent(client, users, customers):
    address = address_add(
        actor=None, customer=customers["alice"], province="上海市", street="张江路 100 号"
    )
    client.force_login(users["agent"])
    answer = _patch(
        client, f"/api/v1/addresses/{address.pk}", {"version": 1, "street": "科苑路 88 号"}
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["street"] == "科苑****" and answer.json()["version"] == 2
    address.refresh_from_db()
    assert address.street == "科苑路 88 号"
    record = AuditLog.objects.get(action="address.update")
    assert (record.before["street"], record.after["street"]) == ("张江路 100 号", "科苑路 88 号")


def test_a_customer_changes_their_own_contact_but_not_another(client, customers):
    alice, bob = customers["alice"], customers["bob"]
    client.force_login(alice.user)
    own = alice.contacts.get()
    assert (
        _patch(client, f"/api/v1/contacts/{own.pk}", {"version": 1, "name": "张三"}).json()["phone"]
        == "+8613812345678"
    )
    other = bob.contacts.get()
    assert (
        _patch(client, f"/api/v1/contacts/{other.pk}", {"version": 1, "name": "x"}).status_code
        == 404
    )
