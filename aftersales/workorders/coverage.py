"""Service-center coverage (R14): the nearest center whose radius covers an address, the load
per center, and the open orders whose address lies outside every coverage."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Q

from aftersales.accounts.models import ServiceCenter
from aftersales.core.audit import audit_record

from .choices import OPEN_STATUSES
from .geo import distance_km
from .models import WorkOrder


def _centers() -> list[ServiceCenter]:
    return list(
        ServiceCenter.objects.filter(
            is_active=True, latitude__isnull=False, longitude__isnull=False
        )
    )


def nearest_covering_center(
    latitude: Decimal | float,
    longitude: Decimal | float,
    centers: list[ServiceCenter] | None = None,
) -> tuple[ServiceCenter, float] | None:
    """The closest active center whose coverage radius reaches the point, with the distance."""
    best: tuple[ServiceCenter, float] | None = None
    for center in centers if centers is not None else _centers():
        km = distance_km(latitude, longitude, center.latitude, center.longitude)
        if km is None or km > float(center.coverage_radius_km):
            continue
        if best is None or km < best[1]:
            best = (center, km)
    return best


def center_load() -> list[dict[str, Any]]:
    """Open work orders and technicians per active center. Both counts are distinct: the two
    joins (orders and staff) multiply each other's rows, so without it every open order was
    counted once per technician of the center."""
    centers = ServiceCenter.objects.filter(is_active=True).annotate(
        open_orders=Count(
            "work_orders", filter=Q(work_orders__status__in=OPEN_STATUSES), distinct=True
        ),
        technicians=Count(
            "staff",
            filter=Q(staff__is_active=True, staff__groups__name="technician"),
            distinct=True,
        ),
    )
    return [
        {
            "center": c,
            "open_orders": c.open_orders,
            "technicians": c.technicians,
            "per_technician": round(c.open_orders / c.technicians, 1) if c.technicians else None,
        }
        for c in centers
    ]


def uncovered_orders(limit: int = 200) -> list[WorkOrder]:
    """Open orders with coordinates that no active center's radius reaches (coverage gaps)."""
    centers = _centers()
    qs = (
        WorkOrder.objects.filter(
            status__in=OPEN_STATUSES, latitude__isnull=False, longitude__isnull=False
        )
        .select_related("customer")
        .order_by("-id")
    )
    gaps = []
    for order in qs.iterator(chunk_size=500):
        if nearest_covering_center(order.latitude, order.longitude, centers) is None:
            gaps.append(order)
            if len(gaps) >= limit:
                break
    return gaps


def centers_for_open_orders() -> int:
    """Give each open order with a point but no service center the nearest center whose
    coverage reaches it (orders opened before their address was located). Audited."""
    centers = _centers()
    assigned = 0
    qs = WorkOrder.objects.filter(
        status__in=OPEN_STATUSES, service_center__isnull=True, latitude__isnull=False
    )
    for order in qs.only("pk", "number", "latitude", "longitude").iterator(chunk_size=500):
        found = nearest_covering_center(order.latitude, order.longitude, centers)
        if found is None:
            continue
        with transaction.atomic():
            moved = WorkOrder.objects.filter(pk=order.pk, service_center__isnull=True).update(
                service_center=found[0]
            )
            if moved:
                audit_record(
                    actor=None,
                    action="workorder.update",
                    obj=order,
                    before={"service_center": None},
                    after={"service_center": found[0].pk},
                    reason="geocode_backfill",
                )
                assigned += 1
    return assigned
