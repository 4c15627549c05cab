"""Service centers (the technicians' home bases) are located when the administration saves
them, like customers' addresses: typed coordinates kept, otherwise the district centroid."""

from __future__ import annotations

from decimal import Decimal

import pytest

from aftersales.accounts.models import ServiceCenter
from aftersales.core.models import AuditLog

pytestmark = pytest.mark.django_db

FORM = {
    "code": "bj-01",
    "name": "北京朝阳服务中心",
    "address": "北京市朝阳区望京街10号院3号楼102",
    "latitude": "",
    "longitude": "",
    "coverage_radius_km": "40.0",
    "opening_hours": "{}",
    "phone": "",
    "is_active": "on",
}


@pytest.fixture
def admin_client(client, users):
    admin_user = users["administrator"]
    admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    return client


def test_a_center_saved_without_coordinates_is_located_and_a_typed_point_kept(admin_client):
    response = admin_client.post("/admin/accounts/servicecenter/add/", FORM)
    assert response.status_code == 302, response.content.decode()[:2000]
    center = ServiceCenter.objects.get(code="bj-01")
    assert (center.geo_precision, center.geo_source) == ("district", "offline")
    assert 39.8 < float(center.latitude) < 40.1 and 116.3 < float(center.longitude) < 116.6
    created = AuditLog.objects.get(action="servicecenter.create", object_id=str(center.pk))
    assert created.after["geo_precision"] == "district"

    url = f"/admin/accounts/servicecenter/{center.pk}/change/"
    typed = {**FORM, "latitude": "39.996120", "longitude": "116.480630"}
    assert admin_client.post(url, typed).status_code == 302
    center.refresh_from_db()
    assert (center.geo_precision, center.geo_source) == ("point", "manual")
    assert center.latitude == Decimal("39.996120")

    # another field changed: the typed point stays
    assert admin_client.post(url, {**typed, "phone": "010-64721188"}).status_code == 302
    center.refresh_from_db()
    assert center.geo_source == "manual" and center.latitude == Decimal("39.996120")

    # the center moved to Hangzhou: its old point is not kept
    moved = {**typed, "address": "浙江省杭州市西湖区文三路478号"}
    assert admin_client.post(url, moved).status_code == 302
    center.refresh_from_db()
    assert (center.geo_precision, center.geo_source) == ("district", "offline")
    assert 30.1 < float(center.latitude) < 30.4
