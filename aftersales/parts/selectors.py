"""Reads of the catalog and the stock ledger, restricted by the reader (style rule 5).

Stock figures come from the :class:`StockLevel` rows, never from summing the ledger at read
time, so a part's stock costs the same with ten or ten million movements.
"""

from __future__ import annotations

import datetime as dt
import importlib
import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import F, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from .choices import LocationKind, MovementKind
from .models import ZERO, Location, Movement, Part, Reservation, StockLevel


def _dec(value: Any) -> Decimal:
    """A stored quantity as a Decimal with three places (SQLite returns floats for sums)."""
    if value is None:
        return ZERO
    return Decimal(str(value)).quantize(Decimal("0.001"))


# --- catalog ---------------------------------------------------------------------------------


def part_list(
    *,
    q: str = "",
    stock_class: str = "",
    abc_class: str = "",
    active: bool | None = True,
    product_model: Any = None,
) -> QuerySet[Part]:
    """Catalog search by code, name or specification, and filters."""
    qs = Part.objects.all()
    if q:
        q = q.strip()
        qs = qs.filter(
            Q(code__icontains=q)
            | Q(name__icontains=q)
            | Q(specification__icontains=q)
            | Q(product_models__code__iexact=q)
        ).distinct()
    if stock_class:
        qs = qs.filter(stock_class=stock_class)
    if abc_class:
        qs = qs.filter(abc_class=abc_class)
    if active is not None:
        qs = qs.filter(active=active)
    if product_model is not None:
        qs = qs.filter(product_models=product_model)
    return qs


def part_get(code: str) -> Part:
    """The part with ``code`` or 404."""
    part = Part.objects.filter(code=code).first()
    if part is None:
        raise Http404
    return part


def part_available(part: Part | int) -> Decimal:
    """Available stock of a part over all locations (on hand minus reserved)."""
    total = StockLevel.objects.filter(part=part).aggregate(s=Sum(F("on_hand") - F("reserved")))["s"]
    return _dec(total)


def part_totals(part_ids: list[int] | None = None) -> dict[int, dict[str, Decimal]]:
    """On hand, reserved and available per part over all locations, in one query."""
    qs = StockLevel.objects.all()
    if part_ids is not None:
        qs = qs.filter(part_id__in=part_ids)
    rows = qs.values("part_id").annotate(on_hand=Sum("on_hand"), reserved=Sum("reserved"))
    out = {}
    for row in rows:
        on_hand, reserved = _dec(row["on_hand"]), _dec(row["reserved"])
        out[row["part_id"]] = {
            "on_hand": on_hand,
            "reserved": reserved,
            "available": on_hand - reserved,
        }
    return out


# --- locations and stock -------------------------------------------------------------------


def location_list(*, active: bool | None = True, kind: str = "") -> QuerySet[Location]:
    qs = Location.objects.select_related("parent", "technician", "service_center")
    if active is not None:
        qs = qs.filter(active=active)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def location_get(code: str) -> Location:
    location = Location.objects.filter(code=code).first()
    if location is None:
        raise Http404
    return location


def location_visible(user: Any, location: Location) -> bool:
    """Whether ``user`` may see ``location`` and what it holds: holders of
    ``parts.view_location``, and a technician their own van. The location page and the API
    share this rule, so a technician cannot read a warehouse's or a colleague's van's stock."""
    if user.has_perm("parts.view_location"):
        return True
    return location.kind == LocationKind.VAN and location.technician_id == user.pk


def van_locations_for(user: Any) -> QuerySet[Location]:
    """A technician's own vans."""
    return Location.objects.filter(kind=LocationKind.VAN, technician=user)


def stock_for_part(part: Part, *, user: Any = None) -> list[StockLevel]:
    """The part's stock per location (rows read directly, one indexed lookup); with ``user``
    only the locations they may see (:func:`location_visible`: a technician their own vans)."""
    qs = StockLevel.objects.filter(part=part)
    if user is not None and not user.has_perm("parts.view_location"):
        qs = qs.filter(location__in=van_locations_for(user))
    levels = list(qs.select_related("location").order_by("location__code"))
    for level in levels:
        level.part = part
    return levels


def stock_level(part: Part, location: Location) -> StockLevel | None:
    return StockLevel.objects.filter(part=part, location=location).first()


def stock_at_location(location: Location) -> QuerySet[StockLevel]:
    return (
        StockLevel.objects.filter(location=location)
        .filter(Q(on_hand__gt=0) | Q(reserved__gt=0))
        .select_related("part")
        .order_by("part__code")
    )


# --- the ledger ------------------------------------------------------------------------------


def can_view_ledger(user: Any) -> bool:
    return user.has_perm("parts.view_movement")


def movement_rows() -> QuerySet[Movement]:
    """Ledger rows with what a list shows: part, location, actor, batch, work order number."""
    return Movement.objects.select_related("part", "location", "actor", "batch").annotate(
        wo_number=F("work_order__number")
    )


def movement_list_for(
    user: Any,
    *,
    part: Part | None = None,
    location: Location | None = None,
    kind: str = "",
    work_order: Any = None,
) -> QuerySet[Movement]:
    """Ledger rows the user may read: all for keepers and supervisors, a technician's own vans
    for technicians, none otherwise."""
    qs = movement_rows()
    if not can_view_ledger(user):
        qs = qs.filter(location__in=van_locations_for(user))
    if part is not None:
        qs = qs.filter(part=part)
    if location is not None:
        qs = qs.filter(location=location)
    if kind:
        qs = qs.filter(kind=kind)
    if work_order is not None:
        qs = qs.filter(work_order=work_order)
    return qs


def reservation_list(
    *, part: Part | None = None, work_order: Any = None, status: str = ""
) -> QuerySet[Reservation]:
    qs = Reservation.objects.select_related("part", "location", "work_order")
    if part is not None:
        qs = qs.filter(part=part)
    if work_order is not None:
        qs = qs.filter(work_order=work_order)
    if status:
        qs = qs.filter(status=status)
    return qs


def ledger_totals(part: Part, location: Location) -> tuple[Decimal, Decimal]:
    """Sum of the ledger for one stock row (for checks and tests; not used for display)."""
    agg = Movement.objects.filter(part=part, location=location).aggregate(
        q=Sum("quantity"), r=Sum("reserved_delta")
    )
    return _dec(agg["q"]), _dec(agg["r"])


# --- replenishment -------------------------------------------------------------------------


def on_order_quantities() -> dict[int, Decimal]:
    """Quantities on open purchase orders per part id, from purchasing when it provides
    ``purchasing.selectors.open_order_quantities()``; empty otherwise."""
    try:
        module = importlib.import_module("aftersales.purchasing.selectors")
    except ImportError:
        return {}
    func = getattr(module, "open_order_quantities", None)
    if func is None:
        return {}
    return {
        int(k if isinstance(k, int) else getattr(k, "pk", k)): _dec(v) for k, v in func().items()
    }


def consumption(since: dt.datetime, part_ids: list[int] | None = None) -> dict[int, Decimal]:
    """Net quantity issued (issues minus returns) per part since ``since``."""
    qs = Movement.objects.filter(
        kind__in=[MovementKind.ISSUE, MovementKind.RETURN], created_at__gte=since
    )
    if part_ids is not None:
        qs = qs.filter(part_id__in=part_ids)
    rows = qs.values("part_id").annotate(q=Sum("quantity"))
    return {row["part_id"]: max(-_dec(row["q"]), ZERO) for row in rows}


@dataclass
class LowStockRow:
    part: Part
    on_hand: Decimal
    reserved: Decimal
    available: Decimal
    shortfall: Decimal


def low_stock_list() -> list[LowStockRow]:
    """Active parts whose available stock is below their reorder point (R8.3, R12.3)."""
    parts = list(Part.objects.filter(active=True, reorder_point__gt=0).order_by("code"))
    totals = part_totals([p.pk for p in parts])
    out = []
    for part in parts:
        t = totals.get(part.pk, {"on_hand": ZERO, "reserved": ZERO, "available": ZERO})
        if t["available"] < part.reorder_point:
            out.append(
                LowStockRow(
                    part=part,
                    on_hand=t["on_hand"],
                    reserved=t["reserved"],
                    available=t["available"],
                    shortfall=part.reorder_point - t["available"],
                )
            )
    return out


@dataclass
class PlanRow:
    part: Part
    consumed: Decimal
    daily: Decimal
    lead_time_demand: Decimal
    safety_stock: Decimal
    available: Decimal
    on_order: Decimal
    suggested: Decimal
    below_reorder_point: bool


def purchase_plan(*, days: int = 90, now: dt.datetime | None = None) -> list[PlanRow]:
    """Suggested purchase quantities: consumption over the last ``days`` days per day × lead
    time + safety stock − available − on order (rounded up to whole units where the part is
    counted whole). Only parts with something to order are listed."""
    days = max(1, int(days))
    now = now or timezone.now()
    parts = list(Part.objects.filter(active=True).order_by("code"))
    ids = [p.pk for p in parts]
    used = consumption(now - dt.timedelta(days=days), ids)
    totals = part_totals(ids)
    on_order = on_order_quantities()
    rows = []
    for part in parts:
        consumed = used.get(part.pk, ZERO)
        daily = consumed / Decimal(days)
        demand = daily * Decimal(part.lead_time_days)
        available = totals.get(part.pk, {}).get("available", ZERO)
        ordered = on_order.get(part.pk, ZERO)
        need = demand + part.safety_stock - available - ordered
        below = part.reorder_point > 0 and available + ordered < part.reorder_point
        if below:
            # at least back up to the reorder point
            need = max(need, part.reorder_point - available - ordered)
        if need <= 0:
            continue
        if part.whole_units:
            suggested = Decimal(math.ceil(need))
        else:
            suggested = need.quantize(Decimal("0.001"), rounding="ROUND_CEILING")
        rows.append(
            PlanRow(
                part=part,
                consumed=consumed,
                daily=daily.quantize(Decimal("0.001")),
                lead_time_demand=demand.quantize(Decimal("0.001")),
                safety_stock=part.safety_stock,
                available=available,
                on_order=ordered,
                suggested=suggested,
                below_reorder_point=below,
            )
        )
    return rows
