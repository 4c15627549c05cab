"""Customer data rules: phones in E.164, masking, warranty derivation, duplicates, sign-up."""

from __future__ import annotations

import datetime as dt

import pytest

from aftersales.core.errors import Conflict, InvalidInput
from aftersales.core.models import AuditLog
from aftersales.customers.models import Contact, Customer, add_months
from aftersales.customers.phones import mask_name, mask_phone, normalize_phone
from aftersales.customers.services import (
    asset_create,
    contact_add,
    customer_create,
    customer_signup,
    personal_data_reveal,
)


@pytest.mark.parametrize(
    "raw",
    ["13812345678", "138 1234 5678", "+86 138-1234-5678", "0086 13812345678", "+8613812345678"],
)
def test_mobile_numbers_normalise_to_e164(raw):
    assert normalize_phone(raw) == "+8613812345678"


def test_landline_keeps_area_code():
    assert normalize_phone("010-12345678") == "+861012345678"


@pytest.mark.parametrize("raw", ["", "abc", "12345", "1381234567899999"])
def test_bad_numbers_are_refused(raw):
    with pytest.raises(InvalidInput):
        normalize_phone(raw)


def test_masks():
    assert mask_phone("+8613812345678") == "138****5678"
    assert mask_name("张三丰") == "张*丰"
    assert mask_name("李四") == "李*"


def test_add_months_clamps_to_month_end():
    assert add_months(dt.date(2025, 1, 31), 1) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2025, 11, 15), 14) == dt.date(2027, 1, 15)


@pytest.mark.django_db
def test_warranty_is_derived_from_model_terms(product_model):
    customer = customer_create(actor=None, name="王五", phone="13700001111")
    asset = asset_create(
        actor=None,
        customer=customer,
        product_model=product_model,
        serial_number="sn-9",
        purchase_date=dt.date(2026, 1, 10),
    )
    assert asset.serial_number == "SN-9"
    assert asset.warranty_end == dt.date(2027, 1, 10)
    assert asset.main_parts_warranty_end == dt.date(2029, 1, 10)
    assert asset.in_warranty(dt.date(2026, 12, 31)) is True
    assert asset.in_warranty(dt.date(2027, 1, 11)) is False


@pytest.mark.django_db
def test_duplicate_serial_is_a_conflict_and_changes_nothing(product_model):
    customer = customer_create(actor=None, name="王五", phone="13700001111")
    asset_create(actor=None, customer=customer, product_model=product_model, serial_number="X1")
    count = customer.assets.count()
    with pytest.raises(Conflict):
        asset_create(actor=None, customer=customer, product_model=product_model, serial_number="x1")
    assert customer.assets.count() == count


@pytest.mark.django_db
def test_future_purchase_date_refused(product_model):
    customer = customer_create(actor=None, name="王五", phone="13700001111")
    with pytest.raises(InvalidInput):
        asset_create(
            actor=None,
            customer=customer,
            product_model=product_model,
            purchase_date=dt.date.today() + dt.timedelta(days=5),
        )


@pytest.mark.django_db
def test_malformed_phone_creates_nothing():
    before = Customer.objects.count()
    with pytest.raises(InvalidInput):
        customer_create(actor=None, name="赵六", phone="12-34")
    assert Customer.objects.count() == before


@pytest.mark.django_db
def test_contact_duplicates_and_primary():
    customer = customer_create(actor=None, name="钱七", phone="13600002222")
    second = contact_add(
        actor=None, customer=customer, name="钱太太", phone="13600003333", is_primary=True
    )
    assert second.is_primary
    assert Contact.objects.filter(customer=customer, is_primary=True).count() == 1
    with pytest.raises(Conflict):
        contact_add(actor=None, customer=customer, name="x", phone="136 0000 3333")


@pytest.mark.django_db
def test_signup_never_takes_over_a_customer_by_phone():
    existing = customer_create(actor=None, name="孙八", phone="13500004444")
    mine = customer_signup(
        username="sunba", password="pw-Test-12345", name="孙八", phone="135 0000 4444"
    )
    assert mine.pk != existing.pk and mine.user.username == "sunba"
    existing.refresh_from_db()
    assert existing.user is None
    with pytest.raises(Conflict):
        customer_signup(username="SUNBA", password="pw-Test-12345", name="x", phone="13500005555")


@pytest.mark.django_db
def test_reveal_is_audited(users):
    customer = customer_create(actor=None, name="周九", phone="13400006666")
    contact = customer.contacts.get()
    full = personal_data_reveal(actor=users["agent"], contact=contact, reason="回拨客户")
    assert full == "+8613400006666"
    row = AuditLog.objects.get(action="personal_data.reveal")
    assert row.actor == users["agent"] and row.reason == "回拨客户"
    assert "6666" in row.object_repr and "13400006666" not in row.object_repr
