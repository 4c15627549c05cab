"""The offline geocoder over China's administrative divisions, the rules of which point to
keep, and the online (AMap) adapter against a small HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest

from aftersales.core import geocoding
from aftersales.core.geocoding import GeoPrecision, GeoResult, GeoSource


def near(result: GeoResult | None, lat: float, lng: float, km: float = 15.0) -> bool:
    """The result lies within ``km`` of a known point of the place."""
    assert result is not None
    from haversine import haversine

    return haversine((float(result.latitude), float(result.longitude)), (lat, lng)) < km


# --- offline ------------------------------------------------------------------------------------


def test_shanghai_pudong_address_is_located_at_its_district():
    found = geocoding.offline_geocode("上海市浦东新区张江路665号1楼")
    assert found.adcode == "310115"
    assert found.precision == GeoPrecision.DISTRICT and found.source == GeoSource.OFFLINE
    assert near(found, 31.22, 121.54)  # the centre of Pudong, not People's Square
    assert not near(found, 39.9, 116.4, km=500)


def test_beijing_chaoyang_address_is_in_beijing():
    found = geocoding.offline_geocode("北京市朝阳区望京街10号院3号楼102")
    assert found.adcode == "110105" and found.precision == GeoPrecision.DISTRICT
    assert near(found, 39.92, 116.44)


@pytest.mark.parametrize(
    ("text", "adcode", "lat", "lng"),
    [
        ("浙江省义乌市稠州北路188号", "330782", 29.31, 120.07),  # county-level city of Jinhua
        ("江苏省昆山市玉山镇前进西路", "320583", 31.38, 120.98),  # county-level city of Suzhou
        ("广东省广州市天河区体育西路", "440106", 23.12, 113.36),
        ("新疆乌鲁木齐市天山区解放北路", "650102", 43.79, 87.63),
    ],
)
def test_county_level_cities_and_districts(text, adcode, lat, lng):
    found = geocoding.offline_geocode(text)
    assert found.adcode == adcode and found.precision == GeoPrecision.DISTRICT
    assert near(found, lat, lng)


def test_coarser_answers_say_so():
    city = geocoding.offline_geocode("广东省广州市某小区")
    assert city.precision == GeoPrecision.CITY and near(city, 23.13, 113.26)
    # a municipality's province-level division is the city
    assert geocoding.offline_geocode("上海市某某路1号").precision == GeoPrecision.CITY
    province = geocoding.offline_geocode("浙江省某县城")
    assert province.precision == GeoPrecision.PROVINCE
    assert geocoding.offline_geocode("某某路1号") is None
    assert geocoding.offline_geocode("") is None


def test_a_district_name_of_several_cities_alone_is_not_guessed():
    # 朝阳区 is in Beijing and in Changchun: without the city no point is better than a wrong one
    assert geocoding.offline_geocode("朝阳区建国路88号") is None
    assert geocoding.offline_geocode("北京朝阳区建国路88号").adcode == "110105"
    # a unique district name is enough
    assert geocoding.offline_geocode("浦东新区张杨路500号").adcode == "310115"


def test_address_parts_are_joined_once_and_located_in_bulk():
    text = geocoding.address_text("上海市", "上海市", "闵行区", "七莘路1号")
    assert text == "上海市闵行区七莘路1号"
    results = geocoding.offline_geocode_many(
        [
            geocoding.address_text("北京市", "北京市", "海淀区", "中关村大街1号"),
            geocoding.address_text("", "", "", "门口"),
        ]
    )
    assert results[0].adcode == "110108" and results[1] is None


# --- which point to keep ------------------------------------------------------------------------


def _result(precision: str, source: str = GeoSource.OFFLINE) -> GeoResult:
    return GeoResult(Decimal("31"), Decimal("121"), precision, source)


def test_a_typed_point_is_never_replaced_and_finer_wins():
    assert not geocoding.replaces(GeoSource.MANUAL, GeoPrecision.POINT, _result("point", "online"))
    assert geocoding.replaces("", "", _result(GeoPrecision.PROVINCE))
    online_street = _result(GeoPrecision.STREET, GeoSource.ONLINE)
    assert geocoding.replaces(GeoSource.OFFLINE, GeoPrecision.DISTRICT, online_street)
    assert not geocoding.replaces(GeoSource.ONLINE, GeoPrecision.POINT, _result("district"))
    # the same precision: online beats offline, never the other way round
    online_district = _result(GeoPrecision.DISTRICT, GeoSource.ONLINE)
    assert geocoding.replaces(GeoSource.OFFLINE, GeoPrecision.DISTRICT, online_district)
    assert not geocoding.replaces(GeoSource.ONLINE, GeoPrecision.DISTRICT, _result("district"))
    assert not geocoding.replaces(GeoSource.OFFLINE, GeoPrecision.DISTRICT, None)


class _Row:
    """A stand-in for a row with an address (what ``locate`` needs)."""

    def __init__(self, address: str, latitude=None, longitude=None, precision="", source=""):
        self.address = address
        self.latitude, self.longitude = latitude, longitude
        self.geo_precision, self.geo_source = precision, source

    def geocode_query(self) -> tuple[str, str]:
        return self.address, ""


def test_locate_after_edit_keeps_a_typed_point_until_the_address_changes():
    row = _Row("上海市闵行区沪闵路6088号")
    geocoding.locate_after_edit(row, created=True, changed=["address"])
    assert row.geo_source == GeoSource.OFFLINE and row.geo_precision == GeoPrecision.DISTRICT
    row.latitude, row.longitude = Decimal("31.11205"), Decimal("121.38102")
    geocoding.locate_after_edit(row, created=False, changed=["latitude", "longitude"])
    assert (row.geo_source, row.geo_precision) == (GeoSource.MANUAL, GeoPrecision.POINT)
    assert not geocoding.locate_after_edit(row, created=False, changed=["name"])
    assert row.latitude == Decimal("31.112050")
    row.address = "北京市朝阳区望京街10号"
    geocoding.locate_after_edit(row, created=False, changed=["address"])
    assert row.geo_source == GeoSource.OFFLINE and near(
        GeoResult(row.latitude, row.longitude, "", ""), 39.92, 116.44
    )


# --- online: the AMap adapter against a local server --------------------------------------------


class _AMap(BaseHTTPRequestHandler):
    answers: list[tuple[int, bytes]] = []
    seen: list[dict[str, list[str]]] = []

    def do_GET(self):
        self.seen.append(parse_qs(urlparse(self.path).query))
        status, body = self.answers.pop(0)
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=UTF-8")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def amap(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _AMap)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _AMap.answers, _AMap.seen = [], []
    settings.GEOCODER_AMAP_KEY = "test-key"
    settings.GEOCODER_AMAP_SECRET = ""
    settings.GEOCODER_AMAP_URL = f"http://127.0.0.1:{server.server_port}/v3/geocode/geo"
    settings.GEOCODER_TIMEOUT = 2
    yield _AMap
    server.shutdown()
    server.server_close()


def amap_answer(location: str, level: str, adcode: str = "310115") -> tuple[int, bytes]:
    body = {
        "status": "1",
        "info": "OK",
        "infocode": "10000",
        "count": "1",
        "geocodes": [
            {
                "formatted_address": "上海市浦东新区张江路665号",
                "country": "中国",
                "province": "上海市",
                "city": "上海市",
                "district": "浦东新区",
                "adcode": adcode,
                "location": location,
                "level": level,
            }
        ],
    }
    return 200, json.dumps(body, ensure_ascii=False).encode("utf-8")


def test_online_geocoder_is_asked_with_the_key_and_its_level_becomes_the_precision(amap):
    amap.answers.append(amap_answer("121.590710,31.203340", "门牌号"))
    found = geocoding.online_geocode("上海市浦东新区张江路665号", city="上海市")
    assert found == GeoResult(
        Decimal("31.203340"), Decimal("121.590710"), GeoPrecision.POINT, GeoSource.ONLINE, "310115"
    )
    query = amap.seen[0]
    assert query["key"] == ["test-key"] and query["address"] == ["上海市浦东新区张江路665号"]
    assert query["city"] == ["上海市"] and "sig" not in query
    amap.answers.append(amap_answer("121.59,31.20", "道路"))
    assert geocoding.online_geocode("上海市浦东新区张江路").precision == GeoPrecision.STREET


def test_online_geocoder_signs_requests_when_a_secret_is_set(amap, settings):
    settings.GEOCODER_AMAP_SECRET = "private"
    amap.answers.append(amap_answer("121.59,31.20", "兴趣点"))
    assert geocoding.online_geocode("上海市浦东新区张江路665号") is not None
    query = {k: v[0] for k, v in amap.seen[0].items()}
    sig = query.pop("sig")
    assert sig == geocoding.amap_signature(query, "private")
    import hashlib

    plain = f"address={query['address']}&key=test-key&output=JSON" + "private"
    assert sig == hashlib.md5(plain.encode()).hexdigest()


def test_online_failures_leave_the_offline_point(amap, settings):
    refusal = {"status": "0", "info": "INVALID_USER_KEY", "infocode": "10001"}
    amap.answers.append((200, json.dumps(refusal).encode()))
    assert geocoding.online_geocode("上海市浦东新区张江路665号") is None
    amap.answers.append((200, b'{"status": "1", "count": "0", "geocodes": []}'))
    assert geocoding.online_geocode("火星某地") is None
    amap.answers.append((500, b"oops"))
    assert geocoding.online_geocode("上海市浦东新区张江路665号") is None
    amap.answers.append(amap_answer("not-a-point", "门牌号"))
    assert geocoding.online_geocode("上海市浦东新区张江路665号") is None
    amap.answers.append(amap_answer("121.47,31.23", "省", adcode="310000"))
    assert geocoding.online_geocode("上海") is None  # no finer than a province
    assert len(amap.seen) == 5
    settings.GEOCODER_AMAP_URL = "http://127.0.0.1:9/v3/geocode/geo"  # nobody listens
    assert geocoding.online_geocode("上海市浦东新区张江路665号") is None
    settings.GEOCODER_AMAP_KEY = ""
    assert not geocoding.online_enabled()
    assert geocoding.online_geocode("上海市浦东新区张江路665号") is None
    assert len(amap.seen) == 5
