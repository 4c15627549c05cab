"""Addresses are located when saved: the district centroid offline, a typed point kept, a finer
point from the online geocoder (a small AMap-like server on 127.0.0.1) in the background."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.test import Client

from aftersales.core.errors import InvalidInput
from aftersales.core.geocoding import GeoPrecision, GeoSource
from aftersales.core.models import AuditLog
from aftersales.core.tests.test_geocoding import amap, amap_answer  # noqa: F401  (fixture)
from aftersales.customers.models import Address
from aftersales.customers.services import address_add

pytestmark = pytest.mark.django_db


def test_an_address_without_coordinates_gets_its_district_centroid(users, customers):
    address = address_add(
        actor=users["agent"],
        customer=customers["alice"],
        province="上海市",
        city="上海市",
        district="浦东新区",
        street="张杨路500号锦绣苑3号楼501室",
    )
    address.refresh_from_db()
    assert (address.geo_precision, address.geo_source) == (GeoPrecision.DISTRICT, "offline")
    assert abs(float(address.latitude) - 31.22) < 0.1
    assert abs(float(address.longitude) - 121.54) < 0.1
    after = AuditLog.objects.get(action="address.create", object_id=str(address.pk)).after
    assert after["geo_precision"] == "district" and after["latitude"]
    # only the street typed: the divisions are read from it
    free = address_add(
        actor=users["agent"], customer=customers["bob"], street="江苏省昆山市玉山镇前进西路8号"
    )
    assert free.geo_precision == GeoPrecision.DISTRICT and 31.3 < float(free.latitude) < 31.5
    unknown = address_add(actor=users["agent"], customer=customers["bob"], street="门卫室")
    assert unknown.latitude is None and unknown.geo_precision == ""


def test_typed_coordinates_are_kept_as_an_exact_point(users, customers):
    address = address_add(
        actor=users["agent"],
        customer=customers["alice"],
        province="北京市",
        district="朝阳区",
        street="望京街10号",
        latitude=Decimal("39.99612"),
        longitude=Decimal("116.48063"),
    )
    assert (address.geo_precision, address.geo_source) == (GeoPrecision.POINT, GeoSource.MANUAL)
    assert address.latitude == Decimal("39.996120")
    with pytest.raises(InvalidInput):
        address_add(actor=None, customer=customers["alice"], street="x", latitude=Decimal("31.2"))
    with pytest.raises(InvalidInput):
        address_add(
            actor=None,
            customer=customers["alice"],
            street="x",
            latitude=Decimal("91"),
            longitude=Decimal("121"),
        )


def test_the_online_geocoder_refines_in_the_background_and_is_audited(
    amap,  # noqa: F811
    users,
    customers,
    django_capture_on_commit_callbacks,
):
    amap.answers.append(amap_answer("121.555123,31.228456", "门牌号"))
    with django_capture_on_commit_callbacks(execute=True):
        address = address_add(
            actor=users["agent"],
            customer=customers["alice"],
            province="上海市",
            city="上海市",
            district="浦东新区",
            street="张杨路500号",
        )
    assert amap.seen[0]["address"] == ["上海市浦东新区张杨路500号"]
    assert amap.seen[0]["city"] == ["上海市"]
    address.refresh_from_db()
    assert (address.geo_precision, address.geo_source) == (GeoPrecision.POINT, GeoSource.ONLINE)
    assert (address.latitude, address.longitude) == (Decimal("31.228456"), Decimal("121.555123"))
    record = AuditLog.objects.get(action="address.geocode", object_id=str(address.pk))
    assert record.before["geo_precision"] == "district"
    assert record.after == {
        "latitude": "31.228456",
        "longitude": "121.555123",
        "geo_precision": "point",
        "geo_source": "online",
    }
    # a typed point is not sent to the geocoder at all
    with django_capture_on_commit_callbacks(execute=True):
        address_add(
            actor=users["agent"],
            customer=customers["bob"],
            street="上海市闵行区沪闵路6088号",
            latitude=Decimal("31.11205"),
            longitude=Decimal("121.38102"),
        )
    assert len(amap.seen) == 1
    # a failing geocoder leaves the offline centroid
    amap.answers.append(
        (200, json.dumps({"status": "0", "info": "DAILY_QUERY_OVER_LIMIT"}).encode())
    )
    with django_capture_on_commit_callbacks(execute=True):
        later = address_add(actor=None, customer=customers["bob"], street="北京市海淀区学院路")
    later.refresh_from_db()
    assert later.geo_source == GeoSource.OFFLINE and later.geo_precision == GeoPrecision.DISTRICT


def test_the_api_takes_a_typed_point_or_locates_the_address(users, customers):
    c = Client()
    c.force_login(users["supervisor"])
    url = f"/api/v1/customers/{customers['alice'].pk}/addresses"
    typed = c.post(
        url,
        {
            "street": "张江路665号",
            "district": "浦东新区",
            "latitude": 31.20334,
            "longitude": 121.59071,
        },
        content_type="application/json",
    )
    assert typed.status_code == 201, typed.content
    assert (typed.json()["geo_precision"], typed.json()["geo_source"]) == ("point", "manual")
    located = c.post(
        url, {"street": "文三路478号", "city": "杭州市"}, content_type="application/json"
    )
    assert (located.json()["geo_precision"], located.json()["geo_source"]) == (
        "city",
        "offline",
    )
    bad = c.post(
        url, {"street": "x", "latitude": 95, "longitude": 0}, content_type="application/json"
    )
    assert bad.status_code == 422
    assert Address.objects.filter(customer=customers["alice"]).count() == 2
