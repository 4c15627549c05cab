"""The purchasing demo loads through the services and shows every state."""

from __future__ import annotations

import pytest

from aftersales.accounts.roles import Role
from aftersales.conftest import make_user

pytestmark = pytest.mark.django_db


def test_purchasing_demo(org, customers, product_model):
    from aftersales.demo.purchasing_demo import purchasing_demo_load
    from aftersales.parts.models import Batch
    from aftersales.purchasing import selectors
    from aftersales.purchasing.models import PriceChange, PurchaseOrder, Supplier, SupplierReturn
    from aftersales.purchasing.scorecard import supplier_scorecard

    make_user("parts", Role.PARTS_KEEPER)
    make_user("supervisor", Role.SUPERVISOR)
    make_user("admin", Role.ADMINISTRATOR)
    make_user("dispatcher", Role.DISPATCHER)
    purchasing_demo_load()
    purchasing_demo_load()  # a second run adds nothing
    assert Supplier.objects.count() == 3
    statuses = set(PurchaseOrder.objects.values_list("status", flat=True))
    assert statuses == {"closed", "received", "partially_received", "ordered", "draft", "cancelled"}
    assert SupplierReturn.objects.get().quantity == 5
    batch = Batch.objects.get(defective=True)
    assert len({line.customer.pk for line in selectors.recall_list(batch)}) >= 2
    assert PriceChange.objects.filter(status="pending").count() == 1
    import datetime as dt

    from django.utils import timezone

    today = timezone.localdate()
    ranked = supplier_scorecard(today - dt.timedelta(days=90), today)
    assert ranked[0].supplier.code == "sz-hualeng"
