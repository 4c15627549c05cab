"""Audit rows are append-only: nothing in the product can change or delete them (R16.2)."""

from __future__ import annotations

import pytest

from aftersales.core.audit import audit_record
from aftersales.core.models import AuditLog

pytestmark = pytest.mark.django_db


def test_audit_rows_cannot_be_changed_or_deleted(users):
    row = audit_record(actor=users["agent"], action="test.action", object_type="x", object_id=1)
    row.action = "rewritten"
    with pytest.raises(PermissionError):
        row.save()
    with pytest.raises(PermissionError):
        row.delete()
    with pytest.raises(PermissionError):
        AuditLog.objects.filter(pk=row.pk).update(action="rewritten")
    with pytest.raises(PermissionError):
        AuditLog.objects.filter(pk=row.pk).delete()
    assert AuditLog.objects.get(pk=row.pk).action == "test.action"


def test_admin_cannot_edit_audit_rows(client, users):
    admin_user = users["administrator"]
    admin_user.is_superuser = True
    admin_user.save()
    row = audit_record(actor=admin_user, action="test.action", object_type="x", object_id=1)
    client.force_login(admin_user)
    page = client.get(f"/admin/core/auditlog/{row.pk}/change/")
    assert page.status_code == 200  # view only
    client.post(f"/admin/core/auditlog/{row.pk}/change/", {"action": "rewritten"})
    assert client.post(f"/admin/core/auditlog/{row.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditLog.objects.get(pk=row.pk).action == "test.action"


def test_product_model_changes_in_admin_are_audited(client, users, product_model):
    admin_user = users["administrator"]
    admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    url = f"/admin/customers/productmodel/{product_model.pk}/change/"
    data = {
        "code": product_model.code,
        "name": product_model.name,
        "brand": product_model.brand,
        "product_line": product_model.product_line,
        "warranty_months": 24,
        "main_parts_warranty_months": 36,
        "warranty_km": "",
    }
    assert client.post(url, data).status_code == 302
    row = AuditLog.objects.get(action="productmodel.update")
    assert row.before == {"warranty_months": 12} and row.after == {"warranty_months": 24}


def test_administrator_role_keeps_the_organisation_in_the_admin(client, users, org):
    admin_user = users["administrator"]  # the role, not a superuser
    assert admin_user.is_staff and not admin_user.is_superuser
    client.force_login(admin_user)
    for url in (
        "/admin/accounts/user/",
        "/admin/accounts/team/",
        "/admin/accounts/department/",
        "/admin/accounts/servicecenter/",
        "/admin/accounts/apikey/",
        "/admin/cases/casecategory/",
    ):
        assert client.get(url).status_code == 200, url
    center = org["center"]
    response = client.post(
        f"/admin/accounts/servicecenter/{center.pk}/change/",
        {
            "code": center.code,
            "name": "上海浦东服务中心（新址）",
            "address": center.address,
            "latitude": "",
            "longitude": "",
            "coverage_radius_km": "30.0",
            "opening_hours": "{}",
            "phone": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    row = AuditLog.objects.get(action="servicecenter.update")
    assert row.actor == admin_user
    # The center had no typed point, so saving it locates it offline; the audit row holds both.
    assert row.after["name"] == "上海浦东服务中心（新址）"
    assert row.after["geo_source"] == "offline" and row.after["latitude"]
