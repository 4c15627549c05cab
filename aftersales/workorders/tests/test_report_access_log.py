"""The repair report carries the customer's name, address and phone whole: staff who open or
download it are written to the personal data access log (PIPL), the customer is not."""

from __future__ import annotations

import pytest
from django.test import Client

from aftersales.customers.models import PersonalDataAccess

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_opening_the_repair_report_is_logged_as_an_export(
    order, users, techs, van_stock, visit_day
):
    from aftersales.workorders import services

    from .test_services import _completed

    order = _completed(order, users, techs, visit_day)
    services.workorder_review(actor=users["supervisor"], order=order, approve=True)
    supervisor = _client(users["supervisor"])
    assert supervisor.get(f"/workorders/{order.number}/report.pdf").status_code == 200
    assert supervisor.get(f"/workorders/{order.number}/report/").status_code == 200
    assert supervisor.get(f"/api/v1/workorders/{order.number}/report.pdf").status_code == 200
    rows = PersonalDataAccess.objects.filter(actor=users["supervisor"])
    assert set(rows.values_list("kind", "customer_id")) == {("export", order.customer_id)}
    assert set(rows.values_list("where", flat=True)) == {
        f"/workorders/{order.number}/report.pdf",
        f"/workorders/{order.number}/report/",
        f"GET /api/v1/workorders/{order.number}/report.pdf",
    }
    customer = _client(order.customer.user)
    assert customer.get(f"/workorders/{order.number}/report.pdf").status_code == 200
    assert not PersonalDataAccess.objects.filter(actor=order.customer.user).exists()
