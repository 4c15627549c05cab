"""Editing a customer or a product: only the editable fields, only from the version the editor
saw, and an audit record of what changed (an edit that changes nothing writes nothing)."""

from __future__ import annotations

import datetime as dt

import pytest

from aftersales.core.errors import Conflict, InvalidInput, VersionConflict
from aftersales.core.models import AuditLog
from aftersales.customers.models import Customer
from aftersales.customers.services import (
    asset_create,
    asset_update,
    customer_create,
    customer_update,
)

pytestmark = pytest.mark.django_db


def _audits(action: str) -> int:
    return AuditLog.objects.filter(action=action).count()


def test_customer_edit_is_audited_without_bookkeeping(users):
    customer = customer_create(actor=None, name="王五", phone="13700001111")
    customer_update(
        actor=users["agent"], customer=customer, expected_version=1, name=" 王五六 ", tier="gold"
    )
    assert (customer.name, customer.tier, customer.version) == ("王五六", "gold", 2)
    log = AuditLog.objects.filter(action="customer.update").latest("id")
    assert log.before == {"name": "王五", "tier": "standard"}
    assert log.after == {"name": "王五六", "tier": "gold"}


def test_customer_edit_that_changes_nothing_writes_nothing(users):
    customer = customer_create(actor=None, name="王五", phone="13700001111")
    customer_update(actor=users["agent"], customer=customer, expected_version=1, name="王五")
    assert Customer.objects.get(pk=customer.pk).version == 1
    assert _audits("customer.update") == 0


def test_customer_edit_refuses_other_fields_before_the_version(users):
    customer = customer_create(actor=None, name="王五", phone="13700001111")
    with pytest.raises(InvalidInput) as caught:
        customer_update(
            actor=users["agent"], customer=customer, expected_version=9, phone="1", user=None
        )
    assert caught.value.code == "field_not_editable"
    assert str(caught.value.message).endswith("phone, user")
    with pytest.raises(VersionConflict):
        customer_update(actor=users["agent"], customer=customer, expected_version=9, name="")
    assert Customer.objects.get(pk=customer.pk).name == "王五"


def test_product_edit_derives_the_warranty_again(users, product_model):
    customer = customer_create(actor=None, name="王五", phone="13700001111")
    asset = asset_create(
        actor=None,
        customer=customer,
        product_model=product_model,
        serial_number="sn-1",
        purchase_date=dt.date(2026, 1, 10),
    )
    asset_update(
        actor=users["agent"],
        asset=asset,
        expected_version=1,
        purchase_date=dt.date(2026, 3, 1),
        serial_number="sn-2",
    )
    assert (asset.serial_number, asset.warranty_end, asset.version) == (
        "SN-2",
        dt.date(2027, 3, 1),
        2,
    )
    log = AuditLog.objects.filter(action="asset.update").latest("id")
    assert "version" not in log.after and log.after["warranty_end"] == "2027-03-01"


def test_product_edit_to_a_registered_serial_is_a_conflict(users, product_model):
    customer = customer_create(actor=None, name="王五", phone="13700001111")
    asset_create(actor=None, customer=customer, product_model=product_model, serial_number="A1")
    other = asset_create(
        actor=None, customer=customer, product_model=product_model, serial_number="B1"
    )
    with pytest.raises(Conflict) as caught:
        asset_update(actor=users["agent"], asset=other, expected_version=1, serial_number="a1")
    assert caught.value.code == "duplicate_asset"
    other.refresh_from_db()
    assert (other.serial_number, other.version) == ("B1", 1)
    assert _audits("asset.update") == 0
