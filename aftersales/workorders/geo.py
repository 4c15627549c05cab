"""Distances on the earth's surface, for dispatch suggestions and service-center coverage."""

from __future__ import annotations

from decimal import Decimal

from haversine import Unit, haversine

from aftersales.core.geocoding import GeoPrecision

# points that stand for a whole district, city or province (their centroid)
COARSE_PRECISIONS = frozenset({GeoPrecision.DISTRICT, GeoPrecision.CITY, GeoPrecision.PROVINCE})


def distance_km(
    lat1: float | Decimal | None,
    lng1: float | Decimal | None,
    lat2: float | Decimal | None,
    lng2: float | Decimal | None,
) -> float | None:
    """Great-circle distance (haversine) in km, or ``None`` when a coordinate is unknown."""
    if lat1 is None or lng1 is None or lat2 is None or lng2 is None:
        return None
    return haversine((float(lat1), float(lng1)), (float(lat2), float(lng2)), unit=Unit.KILOMETERS)
