"""Distances on the earth's surface, for dispatch suggestions and service-center coverage."""

from __future__ import annotations

import math
from decimal import Decimal

EARTH_RADIUS_KM = 6371.0088


def distance_km(
    lat1: float | Decimal | None,
    lng1: float | Decimal | None,
    lat2: float | Decimal | None,
    lng2: float | Decimal | None,
) -> float | None:
    """Great-circle distance (haversine) in km, or ``None`` when a coordinate is unknown."""
    if None in (lat1, lng1, lat2, lng2):
        return None
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dp = p2 - p1
    dl = math.radians(float(lng2) - float(lng1))
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))
