"""Dispatch by distance without typed coordinates: orders located from the customer's address,
technicians ranked by distance from their located service center, the distance on the
suggestion list in both languages, and the coverage page's count of open orders per center."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from aftersales.accounts.models import ServiceCenter
from aftersales.accounts.roles import Role
from aftersales.conftest import make_case, make_user
from aftersales.core import geocoding
from aftersales.core.geocoding import GeoPrecision, GeoSource
from aftersales.core.models import AuditLog
from aftersales.customers.services import address_add
from aftersales.workorders import coverage, dispatch, services
from aftersales.workorders.models import WorkOrder
from aftersales.workorders.staff import skill_grant

from .conftest import at

pytestmark = pytest.mark.django_db


def located_center(code: str, name: str, address: str) -> ServiceCenter:
    """A center as the administration saves it: the address located, nothing typed."""
    center = ServiceCenter(code=code, name=name, address=address)
    geocoding.locate_after_edit(center, created=True, changed=["address"])
    center.save()
    return center


@pytest.fixture
def beijing_tech(techs):
    """何师傅 of the Beijing center: the air-conditioning skill, nothing booked."""
    from aftersales.workorders.models import Skill

    center = located_center("bj-01", "北京朝阳服务中心", "北京市朝阳区望京街10号院3号楼102")
    he = make_user("he", Role.TECHNICIAN)
    he.display_name, he.service_center = "何师傅", center
    he.save()
    skill_grant(actor=None, user=he, skill=Skill.objects.get(code="aircon"), level=5)
    return he


@pytest.fixture
def shanghai_order(users, customers, org, techs, visit_day):
    """A repair at Alice's Pudong home; nobody typed a coordinate anywhere."""
    address_add(
        actor=users["agent"],
        customer=customers["alice"],
        province="上海市",
        city="上海市",
        district="浦东新区",
        street="张杨路500号锦绣苑3号楼501室",
        is_default=True,
    )
    case = make_case(customers["alice"], team=org["team_a"])
    return services.workorder_create(
        actor=users["dispatcher"],
        case=case,
        repair_at=at(visit_day, 10),
        required_skills=["aircon"],
    )


def test_the_order_takes_the_located_address_and_its_center(shanghai_order, centers):
    order = shanghai_order
    assert order.address.startswith("上海市浦东新区张杨路500号")
    assert (order.geo_precision, order.geo_source) == (GeoPrecision.DISTRICT, GeoSource.OFFLINE)
    assert order.latitude is not None
    assert order.service_center == centers["pudong"]  # the nearest covering center


def test_a_beijing_technician_no_longer_tops_a_shanghai_job(shanghai_order, beijing_tech, techs):
    ranked = dispatch.suggest_technicians(order=shanghai_order, limit=10)
    by_name = {s.technician.display_name: s for s in ranked}
    he, qian = by_name["何师傅"], by_name["钱师傅"]
    # 何师傅 has the skill, no load and a free day: on those alone he would top the list
    assert he.skills_matched == 1 and qian.skills_matched == 0 and he.score > qian.score
    assert he.distance_km > 1000 and he.out_of_reach
    assert qian.distance_km < 30 and not qian.out_of_reach
    assert ranked[-1].technician == beijing_tech
    assert ranked[0].technician.display_name in ("王师傅", "钱师傅")
    assert all(s.distance_approximate for s in ranked)  # district centroids
    assert any("100" in c for c in he.conflicts)
    with translation.override("en"):
        assert re.fullmatch(r"about 1\d{3} km", he.distance_text)  # whole km when far
        assert re.fullmatch(r"about \d{1,2}\.\d km", qian.distance_text)
    with translation.override("zh-hans"):
        assert re.fullmatch(r"约 \d{1,2}\.\d 公里", qian.distance_text)


def test_the_suggestion_list_shows_the_distance_in_both_languages(
    shanghai_order, beijing_tech, users
):
    c = Client()
    c.force_login(users["dispatcher"])
    url = reverse("workorders:order_detail", args=[shanghai_order.number])
    page = c.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "约 " in page and " 公里" in page
    assert ">区县中心点</span>" in page  # how precise the order's location is
    c.post(reverse("set_language"), {"language": "en", "next": url})
    page = c.get(url).content.decode()
    assert "about " in page and " km" in page
    assert ">district centroid</span>" in page
    with translation.override("en"):
        assert "more than 100 km away" in " ".join(
            dispatch.suggest_technicians(order=shanghai_order, limit=10)[-1].conflicts
        )


def test_the_suggestions_api_gives_the_distance(shanghai_order, beijing_tech, users):
    c = Client()
    c.force_login(users["dispatcher"])
    rows = c.get(f"/api/v1/workorders/{shanghai_order.number}/suggestions?limit=10").json()
    assert rows[-1]["technician"]["id"] == beijing_tech.pk and rows[-1]["distance_km"] > 1000
    assert rows[-1]["out_of_reach"] and rows[-1]["distance_approximate"]
    assert rows[0]["distance_km"] < 30 and not rows[0]["out_of_reach"]


def test_a_typed_address_without_coordinates_is_located(users, cases, techs):
    order = services.workorder_create(
        actor=users["dispatcher"], case=cases["bob_b"], address="浙江省义乌市稠州北路188号"
    )
    assert order.geo_precision == GeoPrecision.DISTRICT and order.service_center is None
    assert 29.2 < float(order.latitude) < 29.4
    typed = services.workorder_create(
        actor=users["dispatcher"],
        case=cases["bob_b"],
        address="上海市浦东新区张江路 200 号",
        latitude=Decimal("31.21"),
        longitude=Decimal("121.59"),
    )
    assert (typed.geo_precision, typed.geo_source) == (GeoPrecision.POINT, GeoSource.MANUAL)
    # a changed address is located again: the old point belongs to the old address
    moved = services.workorder_update(
        actor=users["dispatcher"],
        order=typed,
        expected_version=typed.version,
        changes={"address": "北京市海淀区中关村大街1号"},
    )
    assert moved.geo_source == GeoSource.OFFLINE and float(moved.latitude) > 39


def test_coverage_counts_each_open_order_once(order, users, techs, centers, cases):
    """Two technicians work from Pudong; one open order there is one, not two."""
    done = services.workorder_create(
        actor=users["dispatcher"],
        case=cases["bob_b"],
        address="上海市浦东新区张江路 300 号",
        latitude=Decimal("31.205"),
        longitude=Decimal("121.595"),
    )
    services.workorder_cancel(actor=users["dispatcher"], order=done, reason="客户取消")
    assert order.service_center == centers["pudong"]
    load = {row["center"].code: row for row in coverage.center_load()}
    assert load["sh-01"]["technicians"] == 2  # 王师傅 and 钱师傅
    assert load["sh-01"]["open_orders"] == 1
    assert load["sh-01"]["per_technician"] == 0.5
    assert (load["sh-02"]["technicians"], load["sh-02"]["open_orders"]) == (1, 0)
    c = Client()
    c.force_login(users["dispatcher"])
    page = c.get(reverse("workorders:coverage")).content.decode()
    row = page[page.index("上海浦东服务中心") :].split("</tr>")[0]
    assert '<td class="text-end">2</td><td class="text-end">1</td>' in row


def test_backfill_locates_rows_without_a_point_and_keeps_typed_ones(users, cases, centers):
    bare = ServiceCenter.objects.create(code="gz-01", name="广州", address="广东省广州市天河区")
    order = WorkOrder.objects.get(
        pk=services.workorder_create(
            actor=users["dispatcher"], case=cases["bob_b"], address="杭州市西湖区文三路"
        ).pk
    )
    pudong_job = services.workorder_create(
        actor=users["dispatcher"], case=cases["bob_b"], address="上海市浦东新区张杨路500号"
    )
    # as opened before addresses were located: no point, no center
    WorkOrder.objects.filter(pk__in=[order.pk, pudong_job.pk]).update(
        latitude=None, longitude=None, geo_precision="", geo_source="", service_center=None
    )
    out = io.StringIO()
    call_command("geocode_backfill", stdout=out)
    assert "open work orders given a service center: 1" in out.getvalue()
    bare.refresh_from_db()
    order.refresh_from_db()
    pudong_job.refresh_from_db()
    assert bare.geo_precision == GeoPrecision.DISTRICT and 23 < float(bare.latitude) < 23.3
    assert order.geo_precision == GeoPrecision.DISTRICT and 30.1 < float(order.latitude) < 30.4
    assert order.service_center is None  # no center covers Hangzhou here
    assert pudong_job.service_center == centers["pudong"]
    assert AuditLog.objects.filter(
        action="workorder.update", object_id=str(pudong_job.pk), reason="geocode_backfill"
    ).exists()
    pudong = ServiceCenter.objects.get(pk=centers["pudong"].pk)  # typed in the fixture
    assert pudong.geo_source == GeoSource.MANUAL and pudong.latitude == Decimal("31.204")
