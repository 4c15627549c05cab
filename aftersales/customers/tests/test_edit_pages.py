"""Customer, contact and address details are edited on their pages with the version check
(R9.1): a stale form gets a clear conflict message and changes nothing; every change is audited
before → after; data an agent sees masked never reaches the form."""

from __future__ import annotations

import pytest
from django.urls import reverse

from aftersales.core.models import AuditLog
from aftersales.customers.services import address_add, address_update, contact_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(customers):
    alice = customers["alice"]
    address_add(actor=None, customer=alice, province="上海市", street="张江路 100 号")
    return alice


def _customer_form(customer, **changes) -> dict:
    data = {
        "version": customer.version,
        "name": customer.name,
        "kind": customer.kind,
        "company_name": customer.company_name,
        "email": customer.email,
        "tier": customer.tier,
        "preferred_language": customer.preferred_language,
        "notes": customer.notes,
    }
    data.update(changes)
    return data


def test_a_customer_edit_is_saved_and_audited(client, users, alice):
    client.force_login(users["supervisor"])
    url = reverse("customers:customer_edit", args=[alice.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _customer_form(alice, tier="gold", notes="老客户"))
    assert response.status_code == 302
    alice.refresh_from_db()
    assert (alice.tier, alice.notes, alice.version) == ("gold", "老客户", 2)
    record = AuditLog.objects.get(action="customer.update", object_id=str(alice.pk))
    assert record.before == {"tier": "standard", "notes": ""}
    assert record.after == {"tier": "gold", "notes": "老客户"}
    assert record.actor == users["supervisor"]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_stale_customer_form_changes_nothing_and_says_so(client, users, alice, language):
    client.force_login(users["supervisor"])
    url = reverse("customers:customer_edit", args=[alice.pk])
    stale = _customer_form(alice, notes="我的修改")
    # someone else saves first
    client.post(url, _customer_form(alice, tier="vip"))
    alice.refresh_from_db()
    response = client.post(url, stale, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 409
    html = response.content.decode()
    assert 'data-testid="edit-conflict"' in html
    expected = "您的修改未保存" if language == "zh-hans" else "Nothing was saved"
    assert expected in html
    assert f'name="version" value="{alice.version}"' in html  # the form now holds what is stored
    alice.refresh_from_db()
    assert (alice.tier, alice.notes) == ("vip", "")
    assert AuditLog.objects.filter(action="customer.update").count() == 1


def test_an_agent_never_gets_the_masked_email_in_the_form_and_keeps_it_by_leaving_it_empty(
    client, users, alice
):
    alice.email = "zhangsanfeng@example.cn"
    alice.save(update_fields=["email"])
    client.force_login(users["agent"])
    url = reverse("customers:customer_edit", args=[alice.pk])
    html = client.get(url).content.decode()
    assert "zhangsanfeng@example.cn" not in html and "z***@example.cn" in html
    response = client.post(url, _customer_form(alice, email="", company_name="张氏商行"))
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.email == "zhangsanfeng@example.cn" and alice.company_name == "张氏商行"


def test_a_contact_edit_through_the_page(client, users, alice):
    contact = alice.contacts.get()
    client.force_login(users["supervisor"])
    url = reverse("customers:contact_edit", args=[contact.pk])
    form = {"version": contact.version, "name": "张三丰", "phone": "139 0000 1234", "email": ""}
    assert client.post(url, form).status_code == 302
    contact.refresh_from_db()
    assert contact.phone == "+8613900001234" and contact.version == 2
    record = AuditLog.objects.get(action="contact.update", object_id=str(contact.pk))
    assert record.before["phone"] == "138****5678" and record.after["phone"] == "139****1234"
    # the same form again is stale now
    response = client.post(url, {**form, "phone": "137 0000 0000"})
    assert response.status_code == 409
    contact.refresh_from_db()
    assert contact.phone == "+8613900001234"


def test_a_contact_edit_refuses_a_bad_or_taken_number(users, alice):
    from aftersales.core.errors import Conflict, InvalidInput
    from aftersales.customers.services import contact_add

    first = alice.contacts.get()
    second = contact_add(actor=None, customer=alice, name="张太太", phone="13600002222")
    with pytest.raises(Conflict):
        contact_update(
            actor=users["agent"], contact=second, expected_version=1, phone="13812345678"
        )
    with pytest.raises(InvalidInput):
        contact_update(actor=users["agent"], contact=second, expected_version=1, phone="12")
    second.refresh_from_db()
    assert second.phone == "+8613600002222" and second.version == 1
    contact_update(actor=users["agent"], contact=second, expected_version=1, is_primary=True)
    first.refresh_from_db()
    assert not first.is_primary


def test_an_address_edit_through_the_page_is_located_again(client, users, alice):
    address = alice.addresses.get()
    client.force_login(users["supervisor"])
    url = reverse("customers:address_edit", args=[address.pk])
    form = {
        "version": address.version,
        "label": "家",
        "province": "北京市",
        "city": "",
        "district": "海淀区",
        "street": "中关村大街 1 号",
        "is_default": "on",
    }
    assert client.post(url, form).status_code == 302
    address.refresh_from_db()
    assert (address.province, address.street, address.version) == ("北京市", "中关村大街 1 号", 2)
    record = AuditLog.objects.get(action="address.update", object_id=str(address.pk))
    assert record.before["street"] == "张江路 100 号"
    assert record.after["street"] == "中关村大街 1 号"
    # stale
    response = client.post(url, {**form, "street": "别的地址"})
    assert response.status_code == 409
    address.refresh_from_db()
    assert address.street == "中关村大街 1 号"


def test_an_address_edit_that_changes_nothing_writes_nothing(users, alice):
    address = alice.addresses.get()
    address_update(actor=users["agent"], address=address, expected_version=1, street=address.street)
    address.refresh_from_db()
    assert address.version == 1
    assert not AuditLog.objects.filter(action="address.update").exists()


def test_edit_pages_refuse_roles_without_the_change_permission(client, users, alice):
    contact, address = alice.contacts.get(), alice.addresses.get()
    for role in ("auditor", "technician", "parts_keeper"):
        client.force_login(users[role])
        for url in (
            reverse("customers:customer_edit", args=[alice.pk]),
            reverse("customers:contact_edit", args=[contact.pk]),
            reverse("customers:address_edit", args=[address.pk]),
        ):
            assert client.get(url).status_code == 403, (role, url)
