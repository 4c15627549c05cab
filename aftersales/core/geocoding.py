"""Where an address is: offline from China's administrative divisions, optionally online.

Offline (always): ``cpca`` recognises the province, city and district (区/县, county-level
city) in an address and carries the centroid of each division by its adcode; the point stored is
that centroid, with its precision (district, city or province). No network is needed.

Online (only when ``GEOCODER_AMAP_KEY`` is set): the AMap web-service geocoder
(``/v3/geocode/geo``) gives a building- or street-level point. It is asked after the offline
answer is saved, in the background, and its point replaces the centroid only when it is finer.

A point a person typed (source *manual*) is never replaced by a geocoder; a finer point is never
replaced by a coarser one for the same address text. See docs/geocoding.md.
"""

from __future__ import annotations

import hashlib
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from django.apps import apps as django_apps
from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

log = logging.getLogger(__name__)


class GeoPrecision(models.TextChoices):
    POINT = "point", _("exact point")
    STREET = "street", _("street or township")
    DISTRICT = "district", _("district centroid")
    CITY = "city", _("city centroid")
    PROVINCE = "province", _("province centroid")


class GeoSource(models.TextChoices):
    MANUAL = "manual", _("typed by staff")
    ONLINE = "online", _("online geocoder")
    OFFLINE = "offline", _("administrative divisions")


PRECISION_RANK = {
    GeoPrecision.POINT: 5,
    GeoPrecision.STREET: 4,
    GeoPrecision.DISTRICT: 3,
    GeoPrecision.CITY: 2,
    GeoPrecision.PROVINCE: 1,
}

# The four municipalities: their province-level division is the city.
MUNICIPALITIES = frozenset({"11", "12", "31", "50"})

SIX_PLACES = Decimal("0.000001")


@dataclass(frozen=True)
class GeoResult:
    latitude: Decimal
    longitude: Decimal
    precision: str
    source: str
    adcode: str = ""


def _coord(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(SIX_PLACES)


# --- offline ------------------------------------------------------------------------------------


@cache
def _divisions() -> Any:
    """The cpca module, imported on first use (it reads its table of 3,500 divisions)."""
    import cpca

    return cpca


@cache
def _ambiguous_districts() -> frozenset[str]:
    """District names that exist in more than one city (朝阳区: Beijing and Changchun)."""
    names = Counter(a.name for a in _divisions().ad_2_addr_dict.values() if a.rank == 2)
    return frozenset(n for n, count in names.items() if count > 1)


def address_text(province: str = "", city: str = "", district: str = "", street: str = "") -> str:
    """One line from an address's parts, each division named once (上海市 is province and city)."""
    parts: list[str] = []
    for part in (province, city, district, street):
        part = (part or "").strip()
        if part and part not in parts:
            parts.append(part)
    return "".join(parts)


def _from_row(row: dict[str, Any]) -> GeoResult | None:
    adcode = row.get("adcode")
    if not isinstance(adcode, str) or not adcode:
        return None
    # a district named without its province or city is taken only when the name is unique
    district = row.get("区")
    if (
        isinstance(district, str)
        and row.get("省_pos", -1) == -1
        and row.get("市_pos", -1) == -1
        and district in _ambiguous_districts()
    ):
        return None
    division = _divisions().ad_2_addr_dict.get(adcode.ljust(12, "0"))
    if division is None:
        return None
    if division.rank == 2:
        precision = GeoPrecision.DISTRICT
    elif division.rank == 1 or adcode[:2] in MUNICIPALITIES:
        precision = GeoPrecision.CITY
    else:
        precision = GeoPrecision.PROVINCE
    return GeoResult(
        latitude=_coord(division.latitude),
        longitude=_coord(division.longitude),
        precision=precision,
        source=GeoSource.OFFLINE,
        adcode=adcode,
    )


def offline_geocode_many(texts: list[str]) -> list[GeoResult | None]:
    """The centroid of the finest division recognised in each text (``None``: none found)."""
    if not texts:
        return []
    frame = _divisions().transform([t or "" for t in texts], pos_sensitive=True)
    return [_from_row(row) for row in frame.to_dict("records")]


def offline_geocode(text: str) -> GeoResult | None:
    return offline_geocode_many([text])[0]


# --- online (AMap web service) -----------------------------------------------------------------

# AMap's ``level`` of a geocode answer -> our precision
AMAP_LEVELS = {
    "门牌号": GeoPrecision.POINT,
    "单元号": GeoPrecision.POINT,
    "兴趣点": GeoPrecision.POINT,
    "楼栋": GeoPrecision.POINT,
    "道路": GeoPrecision.STREET,
    "道路交叉路口": GeoPrecision.STREET,
    "乡镇": GeoPrecision.STREET,
    "村庄": GeoPrecision.STREET,
    "热点商圈": GeoPrecision.STREET,
    "公交站台、地铁站": GeoPrecision.STREET,
    "区县": GeoPrecision.DISTRICT,
    "开发区": GeoPrecision.DISTRICT,
    "市": GeoPrecision.CITY,
    "省": GeoPrecision.PROVINCE,
}


def online_enabled() -> bool:
    return bool(getattr(settings, "GEOCODER_AMAP_KEY", ""))


def amap_signature(params: dict[str, str], secret: str) -> str:
    """AMap's digital signature: MD5 of the parameters sorted by name, ``k=v`` joined by
    ``&``, followed by the private key."""
    joined = "&".join(f"{k}={params[k]}" for k in sorted(params))
    return hashlib.md5((joined + secret).encode("utf-8")).hexdigest()


def online_geocode(text: str, city: str = "") -> GeoResult | None:
    """Ask the AMap geocoder; ``None`` without a key, on any failure or for an answer no finer
    than a province. Never raises: the offline centroid stays."""
    key = getattr(settings, "GEOCODER_AMAP_KEY", "")
    text = (text or "").strip()
    if not key or not text:
        return None
    params = {"key": key, "address": text[:200], "output": "JSON"}
    if city:
        params["city"] = city
    secret = getattr(settings, "GEOCODER_AMAP_SECRET", "")
    if secret:
        params["sig"] = amap_signature(params, secret)
    url = f"{settings.GEOCODER_AMAP_URL}?{urllib.parse.urlencode(params)}"
    try:
        with urllib.request.urlopen(url, timeout=settings.GEOCODER_TIMEOUT) as response:
            body = json.loads(response.read(256 * 1024).decode("utf-8"))
    except (OSError, ValueError, urllib.error.URLError) as exc:
        log.warning("online geocoder failed: %s", exc)
        return None
    if not isinstance(body, dict) or str(body.get("status")) != "1":
        info = body.get("info") if isinstance(body, dict) else ""
        log.warning("online geocoder refused: %s", info)
        return None
    found = body.get("geocodes") or []
    if not isinstance(found, list) or not found or not isinstance(found[0], dict):
        return None
    first = found[0]
    try:
        lng_text, lat_text = str(first.get("location", "")).split(",")
        latitude, longitude = _coord(lat_text), _coord(lng_text)
    except (ValueError, ArithmeticError):
        return None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    precision = AMAP_LEVELS.get(str(first.get("level", "")), GeoPrecision.STREET)
    if precision == GeoPrecision.PROVINCE:
        return None
    adcode = first.get("adcode")
    return GeoResult(
        latitude=latitude,
        longitude=longitude,
        precision=precision,
        source=GeoSource.ONLINE,
        adcode=adcode if isinstance(adcode, str) else "",
    )


# --- what to keep -------------------------------------------------------------------------------


def replaces(current_source: str, current_precision: str, new: GeoResult | None) -> bool:
    """Whether ``new`` should replace the stored point of an unchanged address: never a typed
    point, never by a coarser or equally fine answer of the same source."""
    if new is None or current_source == GeoSource.MANUAL:
        return False
    if not current_source:
        return True
    new_rank = PRECISION_RANK.get(new.precision, 0)  # type: ignore[call-overload]
    old_rank = PRECISION_RANK.get(current_precision, 0)  # type: ignore[call-overload]
    if new_rank != old_rank:
        return new_rank > old_rank
    return new.source == GeoSource.ONLINE and current_source == GeoSource.OFFLINE


def apply(obj: Any, result: GeoResult) -> None:
    """Put a result on a row with ``latitude``, ``longitude``, ``geo_precision``, ``geo_source``
    (not saved)."""
    obj.latitude, obj.longitude = result.latitude, result.longitude
    obj.geo_precision, obj.geo_source = result.precision, result.source


def clear(obj: Any) -> None:
    obj.latitude = obj.longitude = None
    obj.geo_precision = obj.geo_source = ""


GEO_FIELDS = ["latitude", "longitude", "geo_precision", "geo_source"]


def backfill(queryset: Any, text_of: Any, batch: int = 500) -> int:
    """Locate the rows of ``queryset`` (historical models too: migrations use it) offline.
    Rows with coordinates but no source were typed: they are marked as such. Returns how many
    rows got coordinates."""
    queryset.filter(latitude__isnull=False, geo_source="").update(
        geo_source=GeoSource.MANUAL, geo_precision=GeoPrecision.POINT
    )
    located = 0
    pending = queryset.filter(latitude__isnull=True).order_by("pk")
    last = 0
    while True:
        rows = list(pending.filter(pk__gt=last)[:batch])
        if not rows:
            return located
        last = rows[-1].pk
        results = offline_geocode_many([text_of(row) for row in rows])
        changed = []
        for row, result in zip(rows, results, strict=True):
            if result is not None:
                apply(row, result)
                changed.append(row)
        queryset.model.objects.bulk_update(changed, GEO_FIELDS)
        located += len(changed)


# --- on save, in the background, in bulk --------------------------------------------------------


def locate(obj: Any, *, latitude: Any = None, longitude: Any = None) -> None:
    """Set the point of a row that is new or whose address text changed (not saved): typed
    coordinates are kept as an exact point typed by staff; otherwise the offline centroid of
    ``obj.geocode_query()``, or no point when no division is recognised."""
    if latitude is not None and longitude is not None:
        obj.latitude, obj.longitude = _coord(latitude), _coord(longitude)
        obj.geo_precision, obj.geo_source = GeoPrecision.POINT, GeoSource.MANUAL
        return
    result = offline_geocode(obj.geocode_query()[0])
    if result is None:
        clear(obj)
    else:
        apply(obj, result)


def locate_after_edit(
    obj: Any, *, created: bool, changed: Any, text_fields: Any = ("address",)
) -> bool:
    """After an edit of ``changed`` fields (not saved): coordinates typed in this edit become an
    exact point typed by staff; a new row, a changed address text or a cleared point is located
    offline again (an old point belongs to the old address); otherwise the point stays.
    Returns whether the point was set."""
    changed = set(changed)
    typed = bool({"latitude", "longitude"} & changed)
    if typed and obj.latitude is not None and obj.longitude is not None:
        locate(obj, latitude=obj.latitude, longitude=obj.longitude)
        return True
    if created or typed or obj.latitude is None or set(text_fields) & changed:
        locate(obj)
        return True
    return False


def refine_later(obj: Any) -> None:
    """With an online geocoder configured, ask it after commit for a finer point."""
    if not online_enabled() or obj.geo_source == GeoSource.MANUAL:
        return
    from .tasks import geocode_refine

    label, pk = obj._meta.label, obj.pk
    transaction.on_commit(lambda: geocode_refine(label, pk))


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    return {k: str(v) if isinstance(v, Decimal) else v for k, v in values.items()}


def refine(label: str, pk: int) -> bool:
    """Ask the online geocoder for one row; store its answer when finer than the stored point
    and the point has not moved meanwhile. Audited. Returns whether the point changed."""
    from .audit import audit_record

    model = django_apps.get_model(label)
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        return False
    text, city = obj.geocode_query()
    result = online_geocode(text, city)
    if result is None or not replaces(obj.geo_source, obj.geo_precision, result):
        return False
    before = {f: getattr(obj, f) for f in GEO_FIELDS}
    with transaction.atomic():
        moved = model.objects.filter(pk=pk, **before).update(
            latitude=result.latitude,
            longitude=result.longitude,
            geo_precision=result.precision,
            geo_source=result.source,
        )
        if not moved:
            return False
        apply(obj, result)
        audit_record(
            actor=None,
            action=f"{obj._meta.model_name}.geocode",
            obj=obj,
            before=_plain(before),
            after=_plain({f: getattr(obj, f) for f in GEO_FIELDS}),
        )
    return True


def located_models() -> list[Any]:
    """The models whose rows have an address to locate (they define ``geocode_query``)."""
    return [m for m in django_apps.get_models() if hasattr(m, "geocode_query")]
