"""API: the parts catalog, stock locations, stock levels, the ledger, reservations and
replenishment (R8.1–R8.3).

Handlers check shape and permission, look objects up by code, and call the same services as
the screens. ``insufficient_stock`` answers 409 with the available quantity in ``detail``;
bad quantities answer 422.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status

from aftersales.accounts.models import User
from aftersales.core.api import (
    ERRORS_READ,
    ERRORS_WRITE,
    paginate,
    require,
    require_perm,
    set_fields,
)
from aftersales.core.errors import InvalidInput
from aftersales.customers.models import ProductModel

from . import selectors, services
from .api_schemas import (
    AdjustIn,
    IssueIn,
    LocationIn,
    LocationOut,
    LocationPatch,
    LowStockOut,
    MovementOut,
    MovementPageOut,
    MovementQuery,
    PartIn,
    PartOut,
    PartPageOut,
    PartPatch,
    PartQuery,
    PartStockOut,
    PlanOut,
    PlanQuery,
    ReceiveIn,
    ReservationIn,
    ReservationOut,
    ReservationPageOut,
    ReservationQuery,
    ReservationReleaseIn,
    ReturnIn,
    ScrapIn,
    StockRowOut,
    TransferIn,
    TransferOut,
)
from .models import ZERO, Batch, Location, Movement, Part, Reservation, StockLevel
from .services import CODE_PATTERN

router = Router(tags=["parts"])

PartCode = Path(..., max_length=40, pattern=CODE_PATTERN, description="Part code")
LocationCode = Path(..., max_length=40, pattern=CODE_PATTERN, description="Location code")


# --- lookups -------------------------------------------------------------------------------


def _unknown(field: str, message: str) -> InvalidInput:
    return InvalidInput(message, code="unknown_reference", detail={"field": field})


def _part(code: str, field: str = "part") -> Part:
    part = Part.objects.filter(code=code).first()
    if part is None:
        raise _unknown(field, _("Unknown part code “%(code)s”.") % {"code": code})
    return part


def _location(code: str, field: str = "location") -> Location:
    location = Location.objects.filter(code=code).first()
    if location is None:
        raise _unknown(field, _("Unknown location “%(code)s”.") % {"code": code})
    return location


def _work_order(number: str | None) -> Any:
    if not number:
        return None
    from aftersales.workorders.models import WorkOrder

    wo = WorkOrder.objects.filter(number=number).only("id", "number").first()
    if wo is None:
        raise _unknown("work_order", _("Unknown work order “%(n)s”.") % {"n": number})
    return wo


def _batch(part: Part, lot: str | None) -> Batch | None:
    if not lot:
        return None
    batch = Batch.objects.filter(part=part, lot_number=lot).first()
    if batch is None:
        raise _unknown(
            "batch_lot",
            _("Part %(part)s has no batch “%(lot)s”.") % {"part": part.code, "lot": lot},
        )
    return batch


def _product_models(codes: list[str]) -> list[ProductModel]:
    found = {pm.code: pm for pm in ProductModel.objects.filter(code__in=codes)}
    missing = [c for c in codes if c not in found]
    if missing:
        raise _unknown(
            "product_models",
            _("Unknown product models: %(codes)s") % {"codes": ", ".join(missing[:10])},
        )
    return list(found.values())


# --- output --------------------------------------------------------------------------------


def _part_out(part: Part, totals: dict[int, dict[str, Decimal]] | None = None) -> dict:
    if totals is None:
        totals = selectors.part_totals([part.pk])
    t = totals.get(part.pk, {"on_hand": ZERO, "reserved": ZERO, "available": ZERO})
    return {
        "id": part.pk,
        "code": part.code,
        "name": part.name,
        "specification": part.specification,
        "unit": part.unit,
        "whole_units": part.whole_units,
        "stock_class": part.stock_class,
        "abc_class": part.abc_class,
        "standard_cost": part.standard_cost,
        "list_price": part.list_price,
        "reorder_point": part.reorder_point,
        "safety_stock": part.safety_stock,
        "lead_time_days": part.lead_time_days,
        "product_models": sorted(pm.code for pm in part.product_models.all()),
        "image_url": part.image.url if part.image else None,
        "active": part.active,
        **t,
        "version": part.version,
    }


def _location_out(loc: Location) -> dict:
    return {
        "id": loc.pk,
        "code": loc.code,
        "name": loc.name,
        "kind": loc.kind,
        "parent": loc.parent.code if loc.parent_id else None,
        "technician": loc.technician.get_username() if loc.technician_id else None,
        "active": loc.active,
    }


def _stock_row(level: StockLevel) -> dict:
    return {
        "part": level.part.code,
        "part_name": level.part.name,
        "location": level.location.code,
        "location_name": level.location.name,
        "on_hand": level.on_hand,
        "reserved": level.reserved,
        "available": level.on_hand - level.reserved,
        "version": level.version,
    }


def _movement_out(m: Movement) -> dict:
    return {
        "id": m.pk,
        "kind": m.kind,
        "part": m.part.code,
        "location": m.location.code,
        "quantity": m.quantity,
        "reserved_delta": m.reserved_delta,
        "batch_lot": m.batch.lot_number if m.batch_id else None,
        "work_order": m.wo_number,
        "unit_cost": m.unit_cost,
        "reason": m.reason,
        "reference": m.reference,
        "actor": m.actor.get_username() if m.actor_id else None,
        "created_at": m.created_at,
    }


def _reservation_out(r: Reservation, wo_number: str | None = None) -> dict:
    return {
        "id": r.pk,
        "part": r.part.code,
        "location": r.location.code,
        "work_order": wo_number or r.work_order.number,
        "quantity": r.quantity,
        "status": r.status,
        "created_at": r.created_at,
        "closed_at": r.closed_at,
    }


# --- catalog -------------------------------------------------------------------------------


@router.get("/parts", response={200: PartPageOut, **ERRORS_READ}, summary="The parts catalog")
def part_list(request: HttpRequest, filters: Query[PartQuery]):
    """Parts by code, with stock totals over all locations. ``q`` searches code, name,
    specification and applicable product model code."""
    require_perm(request.auth, "parts.view_part")
    qs = selectors.part_list(
        q=filters.q,
        stock_class=filters.stock_class or "",
        abc_class=filters.abc_class or "",
        active=filters.active,
    ).prefetch_related("product_models")
    page = paginate(qs, order=["code"], cursor=filters.cursor, limit=filters.limit)
    totals = selectors.part_totals([p.pk for p in page.items])
    return {"items": [_part_out(p, totals) for p in page.items], "next_cursor": page.next_cursor}


@router.post("/parts", response={201: PartOut, **ERRORS_WRITE}, summary="Add a part")
def part_create(request: HttpRequest, payload: PartIn):
    user: User = request.auth
    require_perm(user, "parts.add_part")
    data = payload.dict()
    models = _product_models(data.pop("product_models"))
    part = services.part_create(actor=user, product_models=models, **data)
    return Status(201, _part_out(part))


@router.get("/parts/{code}", response={200: PartOut, **ERRORS_READ}, summary="One part")
def part_detail(request: HttpRequest, code: str = PartCode):
    require_perm(request.auth, "parts.view_part")
    return _part_out(selectors.part_get(code))


@router.patch("/parts/{code}", response={200: PartOut, **ERRORS_WRITE}, summary="Change a part")
def part_update(request: HttpRequest, payload: PartPatch, code: str = PartCode):
    """Change the fields sent; ``version`` is the one you read (409 ``version_conflict``
    when someone changed the part since)."""
    user: User = request.auth
    require_perm(user, "parts.view_part")
    require_perm(user, "parts.change_part")
    part = selectors.part_get(code)
    require(part is not None)
    changes = set_fields(payload, exclude={"version"})
    models = changes.pop("product_models", None)
    if models is not None:
        models = _product_models(models)
    part = services.part_update(
        part, actor=user, expected_version=payload.version, product_models=models, **changes
    )
    return _part_out(part)


@router.get(
    "/parts/{code}/stock",
    response={200: PartStockOut, **ERRORS_READ},
    summary="Stock of one part per location",
)
def part_stock(request: HttpRequest, code: str = PartCode):
    """On hand, reserved and available per location and in total, read from the stock rows
    (never by summing the ledger). A technician reads only their own vans' rows and totals."""
    user: User = request.auth
    require_perm(user, "parts.view_part")
    part = selectors.part_get(code)
    rows = [_stock_row(lvl) for lvl in selectors.stock_for_part(part, user=user)]
    on_hand = sum((r["on_hand"] for r in rows), ZERO)
    reserved = sum((r["reserved"] for r in rows), ZERO)
    return {
        "part": part.code,
        "on_hand": on_hand,
        "reserved": reserved,
        "available": on_hand - reserved,
        "reorder_point": part.reorder_point,
        "below_reorder_point": part.reorder_point > 0 and on_hand - reserved < part.reorder_point,
        "locations": rows,
    }


# --- locations -----------------------------------------------------------------------------


@router.get(
    "/stock-locations", response={200: list[LocationOut], **ERRORS_READ}, summary="Locations"
)
def location_list(request: HttpRequest):
    """Warehouses, bins and vans: all of them with ``parts.view_location``, otherwise the
    caller's own vans."""
    user: User = request.auth
    require_perm(user, "parts.view_part")
    return [
        _location_out(loc)
        for loc in selectors.location_list(active=None)
        if selectors.location_visible(user, loc)
    ]


@router.post(
    "/stock-locations", response={201: LocationOut, **ERRORS_WRITE}, summary="Add a location"
)
def location_create(request: HttpRequest, payload: LocationIn):
    user: User = request.auth
    require_perm(user, "parts.add_location")
    parent = _location(payload.parent, "parent") if payload.parent else None
    technician = None
    if payload.technician:
        technician = User.objects.filter(username=payload.technician, is_active=True).first()
        if technician is None:
            raise _unknown("technician", _("Unknown user “%(u)s”.") % {"u": payload.technician})
    loc = services.location_create(
        actor=user,
        code=payload.code,
        name=payload.name,
        kind=payload.kind,
        parent=parent,
        technician=technician,
        active=payload.active,
    )
    return Status(201, _location_out(loc))


@router.patch(
    "/stock-locations/{code}",
    response={200: LocationOut, **ERRORS_WRITE},
    summary="Rename or (de)activate a location",
)
def location_update(request: HttpRequest, payload: LocationPatch, code: str = LocationCode):
    user: User = request.auth
    require_perm(user, "parts.view_part")
    loc = selectors.location_get(code)
    require_perm(user, "parts.change_location")
    loc = services.location_update(loc, actor=user, **set_fields(payload))
    return _location_out(loc)


@router.get(
    "/stock-locations/{code}/stock",
    response={200: list[StockRowOut], **ERRORS_READ},
    summary="Stock at one location",
)
def location_stock(request: HttpRequest, code: str = LocationCode):
    """What one location holds; a location the caller may not see answers 404 like a missing
    one."""
    user: User = request.auth
    require_perm(user, "parts.view_part")
    loc = selectors.location_get(code)
    if not selectors.location_visible(user, loc):
        raise Http404("location")
    return [_stock_row(lvl) for lvl in selectors.stock_at_location(loc).select_related("location")]


# --- movements -----------------------------------------------------------------------------


@router.get("/stock/movements", response={200: MovementPageOut, **ERRORS_READ}, summary="Ledger")
def movement_list(request: HttpRequest, filters: Query[MovementQuery]):
    """Ledger rows, newest first (keyset paged). Technicians see their own vans' rows."""
    user: User = request.auth
    require_perm(user, "parts.view_part")
    qs = selectors.movement_list_for(
        user,
        part=selectors.part_get(filters.part) if filters.part else None,
        location=selectors.location_get(filters.location) if filters.location else None,
        kind=filters.kind or "",
    )
    if filters.work_order:
        qs = qs.filter(work_order__number=filters.work_order)
    page = paginate(qs, order=["-id"], cursor=filters.cursor, limit=filters.limit)
    return {"items": [_movement_out(m) for m in page.items], "next_cursor": page.next_cursor}


@router.post("/stock/receive", response={201: MovementOut, **ERRORS_WRITE}, summary="Receive")
def stock_receive(request: HttpRequest, payload: ReceiveIn):
    user: User = request.auth
    require_perm(user, "parts.move_stock")
    m = services.stock_receive(
        part=_part(payload.part),
        location=_location(payload.location),
        quantity=payload.quantity,
        unit_cost=payload.unit_cost,
        batch_lot=payload.batch_lot,
        reference=payload.reference,
        actor=user,
    )
    return Status(201, _movement_out(m))


@router.post("/stock/issue", response={201: MovementOut, **ERRORS_WRITE}, summary="Issue")
def stock_issue(request: HttpRequest, payload: IssueIn):
    """Issue parts, usually to a work order; with ``reservation_id`` the issue consumes it.
    409 ``insufficient_stock`` when not enough is available."""
    user: User = request.auth
    require_perm(user, "parts.move_stock")
    part = _part(payload.part)
    reservation = None
    if payload.reservation_id:
        reservation = Reservation.objects.filter(pk=payload.reservation_id).first()
        if reservation is None:
            raise _unknown("reservation_id", _("Unknown reservation."))
    m = services.stock_issue(
        part=part,
        location=_location(payload.location),
        quantity=payload.quantity,
        work_order=_work_order(payload.work_order),
        batch=_batch(part, payload.batch_lot),
        reservation=reservation,
        reason=payload.reason,
        actor=user,
    )
    return Status(201, _movement_out(m))


@router.post("/stock/return", response={201: MovementOut, **ERRORS_WRITE}, summary="Return")
def stock_return(request: HttpRequest, payload: ReturnIn):
    user: User = request.auth
    require_perm(user, "parts.move_stock")
    part = _part(payload.part)
    m = services.stock_return(
        part=part,
        location=_location(payload.location),
        quantity=payload.quantity,
        work_order=_work_order(payload.work_order),
        batch=_batch(part, payload.batch_lot),
        reason=payload.reason,
        actor=user,
    )
    return Status(201, _movement_out(m))


@router.post("/stock/transfer", response={201: TransferOut, **ERRORS_WRITE}, summary="Transfer")
def stock_transfer(request: HttpRequest, payload: TransferIn):
    user: User = request.auth
    require_perm(user, "parts.move_stock")
    part = _part(payload.part)
    out, into = services.stock_transfer(
        part=part,
        source=_location(payload.source, "source"),
        target=_location(payload.target, "target"),
        quantity=payload.quantity,
        batch=_batch(part, payload.batch_lot),
        reason=payload.reason,
        actor=user,
    )
    return Status(201, {"out": _movement_out(out), "into": _movement_out(into)})


@router.post("/stock/adjust", response={201: MovementOut, **ERRORS_WRITE}, summary="Adjust")
def stock_adjust(request: HttpRequest, payload: AdjustIn):
    """Correct on-hand stock after a count; the reason is required."""
    user: User = request.auth
    require_perm(user, "parts.move_stock")
    m = services.stock_adjust(
        part=_part(payload.part),
        location=_location(payload.location),
        quantity_delta=payload.quantity_delta,
        reason=payload.reason,
        actor=user,
    )
    return Status(201, _movement_out(m))


@router.post("/stock/scrap", response={201: MovementOut, **ERRORS_WRITE}, summary="Scrap")
def stock_scrap(request: HttpRequest, payload: ScrapIn):
    user: User = request.auth
    require_perm(user, "parts.move_stock")
    part = _part(payload.part)
    m = services.stock_scrap(
        part=part,
        location=_location(payload.location),
        quantity=payload.quantity,
        batch=_batch(part, payload.batch_lot),
        reason=payload.reason,
        actor=user,
    )
    return Status(201, _movement_out(m))


# --- reservations --------------------------------------------------------------------------


@router.get(
    "/stock/reservations", response={200: ReservationPageOut, **ERRORS_READ}, summary="Reservations"
)
def reservation_list(request: HttpRequest, filters: Query[ReservationQuery]):
    user: User = request.auth
    require_perm(user, "parts.view_reservation")
    qs = selectors.reservation_list(
        part=selectors.part_get(filters.part) if filters.part else None,
        status=filters.status or "",
    )
    if filters.work_order:
        qs = qs.filter(work_order__number=filters.work_order)
    qs = qs.select_related(None).select_related("part", "location")
    page = paginate(qs, order=["-id"], cursor=filters.cursor, limit=filters.limit)
    numbers = _wo_numbers([r.work_order_id for r in page.items])
    return {
        "items": [_reservation_out(r, numbers.get(r.work_order_id)) for r in page.items],
        "next_cursor": page.next_cursor,
    }


def _wo_numbers(ids: list[int]) -> dict[int, str]:
    from aftersales.workorders.models import WorkOrder

    return dict(WorkOrder.objects.filter(pk__in=ids).values_list("id", "number"))


@router.post(
    "/stock/reservations", response={201: ReservationOut, **ERRORS_WRITE}, summary="Reserve"
)
def reservation_create(request: HttpRequest, payload: ReservationIn):
    """Set stock aside for a scheduled work order; 409 ``insufficient_stock`` when not
    available."""
    user: User = request.auth
    require_perm(user, "parts.move_stock")
    wo = _work_order(payload.work_order)
    r = services.reservation_create(
        part=_part(payload.part),
        location=_location(payload.location),
        quantity=payload.quantity,
        work_order=wo,
        actor=user,
    )
    return Status(201, _reservation_out(r, wo.number))


@router.post(
    "/stock/reservations/{reservation_id}/release",
    response={200: ReservationOut, **ERRORS_WRITE},
    summary="Release a reservation",
)
def reservation_release(
    request: HttpRequest, payload: ReservationReleaseIn, reservation_id: int = Path(..., ge=1)
):
    user: User = request.auth
    require_perm(user, "parts.view_part")
    r = Reservation.objects.select_related("part", "location").filter(pk=reservation_id).first()
    if r is None or not user.has_perm("parts.view_reservation"):
        from django.http import Http404

        raise Http404
    require_perm(user, "parts.move_stock")
    r = services.reservation_release(r, actor=user, reason=payload.reason)
    return _reservation_out(r, _wo_numbers([r.work_order_id]).get(r.work_order_id))


# --- replenishment -------------------------------------------------------------------------


@router.get(
    "/stock/low", response={200: list[LowStockOut], **ERRORS_READ}, summary="Low-stock parts"
)
def low_stock(request: HttpRequest):
    """Active parts whose available stock is below their reorder point."""
    require_perm(request.auth, "parts.view_part")
    return [
        {
            "part": row.part.code,
            "name": row.part.name,
            "on_hand": row.on_hand,
            "reserved": row.reserved,
            "available": row.available,
            "reorder_point": row.part.reorder_point,
            "shortfall": row.shortfall,
        }
        for row in selectors.low_stock_list()
    ]


@router.get(
    "/stock/purchase-plan",
    response={200: list[PlanOut], **ERRORS_READ},
    summary="Suggested purchase plan",
)
def purchase_plan(request: HttpRequest, filters: Query[PlanQuery]):
    """Consumption over the window per day × lead time + safety stock − available − on
    order, for every part with something to order."""
    user: User = request.auth
    require_perm(user, "parts.move_stock", "parts.view_movement")
    return [
        {
            "part": r.part.code,
            "name": r.part.name,
            "consumed": r.consumed,
            "daily": r.daily,
            "lead_time_days": r.part.lead_time_days,
            "lead_time_demand": r.lead_time_demand,
            "safety_stock": r.safety_stock,
            "available": r.available,
            "on_order": r.on_order,
            "suggested": r.suggested,
            "below_reorder_point": r.below_reorder_point,
        }
        for r in selectors.purchase_plan(days=filters.days)
    ]
