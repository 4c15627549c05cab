"""Every write to the parts catalog and the stock ledger goes through here (R8.1–R8.3).

Stock changes append a :class:`Movement` and move the :class:`StockLevel` row in the same
transaction with one conditional ``UPDATE`` whose ``WHERE`` holds the guard (enough available,
enough reserved) — never read, check, then write — so concurrent issues can neither drive stock
negative nor issue the same unit twice; a refused guard raises :class:`InsufficientStock` and
the transaction leaves nothing behind. Each change writes an audit record with the level
before and after.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Model, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.core.actors import actor_or_none
from aftersales.core.audit import audit_record, diff, model_snapshot
from aftersales.core.errors import Conflict, InvalidInput
from aftersales.core.versions import require_version, versioned_update

from . import events
from .choices import CLASS_DEFAULTS, WHOLE_UNITS, LocationKind, MovementKind, StockClass, Unit
from .errors import InsufficientStock
from .models import ZERO, Batch, Location, Movement, Part, Reservation, StockLevel
from .quantities import check_quantity, to_quantity
from .transitions import RESERVATIONS, SYSTEM

__all__ = [
    "InsufficientStock",
    "batch_for_lot",
    "location_create",
    "location_update",
    "part_create",
    "part_update",
    "reservation_create",
    "reservation_release",
    "reservations_release_for_work_order",
    "stock_adjust",
    "stock_issue",
    "stock_receive",
    "stock_return",
    "stock_scrap",
    "stock_transfer",
]

# Stored quantities have three places; on SQLite they are floating point, so guards allow half
# a thousandth of slack (exact on PostgreSQL, where values are multiples of 0.001 anyway) and
# updates round back to three places.
SLACK = Decimal("0.0005")

CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$"
CODE_RE = re.compile(CODE_PATTERN)

PART_FIELDS = [
    "code",
    "name",
    "specification",
    "unit",
    "whole_units",
    "stock_class",
    "standard_cost",
    "list_price",
    "reorder_point",
    "safety_stock",
    "lead_time_days",
    "active",
]
PART_AUDIT = [*PART_FIELDS, "image", "abc_class", "version"]
LOCATION_FIELDS = ["code", "name", "kind", "parent", "technician", "service_center", "active"]


# --- catalog -------------------------------------------------------------------------------


def _money(value: Any, label: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (ArithmeticError, ValueError, TypeError) as exc:
        raise InvalidInput(_("%(field)s must be an amount.") % {"field": label}) from exc
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise InvalidInput(
            _("%(field)s must be an amount of at least 0 with at most two decimal places.")
            % {"field": label}
        )
    if amount >= Decimal("10000000000"):
        raise InvalidInput(_("%(field)s is too large.") % {"field": label})
    return amount


def _verbose_name(model: type[Model], name: str) -> str:
    # ``get_field`` may also answer a reverse relation, which has no verbose name.
    return str(getattr(model._meta.get_field(name), "verbose_name", name))


def _clean_part_values(values: dict[str, Any], *, whole: bool) -> dict[str, Any]:
    """Check the shape of catalog values; raise InvalidInput with the field's name."""
    out = dict(values)
    for key in ("code", "name"):
        if key in out:
            out[key] = str(out[key] or "").strip()
            if not out[key]:
                raise InvalidInput(
                    _("%(field)s is required.") % {"field": _verbose_name(Part, key)},
                    detail={"field": key},
                )
    if "code" in out and not CODE_RE.match(out["code"]):
        raise InvalidInput(
            _(
                "The part code may have at most 40 letters, digits, dots, dashes and "
                "underscores, starting with a letter or digit."
            ),
            detail={"field": "code"},
        )
    if "unit" in out and out["unit"] not in Unit.values:
        raise InvalidInput(_("Unknown unit “%(unit)s”.") % {"unit": out["unit"]})
    if "stock_class" in out and out["stock_class"] not in StockClass.values:
        raise InvalidInput(_("Unknown stock class “%(value)s”.") % {"value": out["stock_class"]})
    for key in ("standard_cost", "list_price"):
        if key in out:
            out[key] = _money(out[key], _verbose_name(Part, key))
    for key in ("reorder_point", "safety_stock"):
        if key in out:
            qty = to_quantity(out[key])
            if qty < 0:
                raise InvalidInput(
                    _("%(field)s must not be negative.") % {"field": _verbose_name(Part, key)}
                )
            if whole and qty != qty.to_integral_value():
                raise InvalidInput(
                    _("%(field)s must be a whole number for this unit.")
                    % {"field": _verbose_name(Part, key)}
                )
            out[key] = qty
    if "lead_time_days" in out:
        try:
            days = int(out["lead_time_days"])
        except (TypeError, ValueError) as exc:
            raise InvalidInput(_("The lead time must be a whole number of days.")) from exc
        if not 0 <= days <= 3650:
            raise InvalidInput(_("The lead time must be between 0 and 3650 days."))
        out["lead_time_days"] = days
    return out


@transaction.atomic
def part_create(
    *,
    code: str,
    name: str,
    actor: Any,
    specification: str = "",
    unit: str = Unit.PIECE,
    whole_units: bool | None = None,
    stock_class: str = StockClass.COMMON,
    standard_cost: Any = ZERO,
    list_price: Any = ZERO,
    reorder_point: Any = None,
    safety_stock: Any = None,
    lead_time_days: int | None = None,
    product_models: list[Any] | None = None,
    image: Any = None,
    active: bool = True,
) -> Part:
    """Add a part to the catalog. Reorder point, safety stock and lead time default from the
    stock class (R8.3); whole quantities default from the unit."""
    if whole_units is None:
        whole_units = unit in WHOLE_UNITS
    if stock_class not in StockClass.values:
        raise InvalidInput(_("Unknown stock class “%(value)s”.") % {"value": stock_class})
    defaults = CLASS_DEFAULTS[stock_class]
    values = _clean_part_values(
        {
            "code": code,
            "name": name,
            "specification": (specification or "").strip(),
            "unit": unit,
            "stock_class": stock_class,
            "standard_cost": standard_cost,
            "list_price": list_price,
            "reorder_point": defaults["reorder_point"] if reorder_point is None else reorder_point,
            "safety_stock": defaults["safety_stock"] if safety_stock is None else safety_stock,
            "lead_time_days": defaults["lead_time_days"]
            if lead_time_days is None
            else lead_time_days,
        },
        whole=whole_units,
    )
    if Part.objects.filter(code=values["code"]).exists():
        raise Conflict(
            _("A part with code %(code)s already exists.") % {"code": values["code"]},
            code="duplicate_code",
        )
    try:
        with transaction.atomic():
            part = Part.objects.create(whole_units=whole_units, active=active, **values)
    except IntegrityError as exc:
        raise Conflict(
            _("A part with code %(code)s already exists.") % {"code": values["code"]},
            code="duplicate_code",
        ) from exc
    if image:
        part.image = image
        part.save(update_fields=["image"])
    if product_models:
        part.product_models.set(product_models)
    audit_record(
        actor=actor,
        action="part.create",
        obj=part,
        after={
            **model_snapshot(part, PART_AUDIT),
            "product_models": sorted(p.pk for p in part.product_models.all()),
        },
    )
    return part


@transaction.atomic
def part_update(
    part: Part,
    *,
    actor: Any,
    expected_version: int | None = None,
    product_models: list[Any] | None = None,
    image: Any = None,
    **values: Any,
) -> Part:
    """Change catalog fields of a part on the version the editor saw (optimistic)."""
    require_version(part, expected_version)
    unknown = set(values) - set(PART_FIELDS)
    if unknown:
        raise InvalidInput(_("These fields cannot be changed: %(f)s") % {"f": ", ".join(unknown)})
    whole = values.get("whole_units", part.whole_units)
    values = _clean_part_values(values, whole=whole)
    if (
        "code" in values
        and values["code"] != part.code
        and Part.objects.filter(code=values["code"]).exclude(pk=part.pk).exists()
    ):
        raise Conflict(
            _("A part with code %(code)s already exists.") % {"code": values["code"]},
            code="duplicate_code",
        )
    if whole and not part.whole_units:
        fractional = [
            lvl.on_hand
            for lvl in part.stock_levels.all()
            if to_quantity(lvl.on_hand) != to_quantity(lvl.on_hand).to_integral_value()
        ]
        if fractional:
            raise Conflict(
                _("Stock of this part holds fractional quantities; it cannot be whole-only.")
            )
    before = model_snapshot(part, PART_AUDIT)
    before_models = sorted(p.pk for p in part.product_models.all())
    try:
        with transaction.atomic():
            versioned_update(part, expected_version, **values)
    except IntegrityError as exc:
        raise Conflict(_("A part with this code already exists."), code="duplicate_code") from exc
    if image is not None:
        part.image = image
        part.save(update_fields=["image", "updated_at"])
    if product_models is not None:
        part.product_models.set(product_models)
    after = model_snapshot(part, PART_AUDIT)
    b, a = diff(before, after)
    after_models = sorted(p.pk for p in part.product_models.all())
    if before_models != after_models:
        b["product_models"], a["product_models"] = before_models, after_models
    audit_record(actor=actor, action="part.update", obj=part, before=b, after=a)
    _low_stock_check(part, actor=actor)
    return part


def _clean_location(values: dict[str, Any], *, instance: Location | None = None) -> dict[str, Any]:
    out = dict(values)
    for key in ("code", "name"):
        if key in out:
            out[key] = str(out[key] or "").strip()
            if not out[key]:
                raise InvalidInput(
                    _("%(field)s is required.") % {"field": _verbose_name(Location, key)}
                )
    if "code" in out and not CODE_RE.match(out["code"]):
        raise InvalidInput(
            _(
                "The location code may have at most 40 letters, digits, dots, dashes and "
                "underscores, starting with a letter or digit."
            ),
            detail={"field": "code"},
        )
    kind = out.get("kind", instance.kind if instance else LocationKind.WAREHOUSE)
    if kind not in LocationKind.values:
        raise InvalidInput(_("Unknown location kind “%(kind)s”.") % {"kind": kind})
    parent = out.get("parent", instance.parent if instance else None)
    technician = out.get("technician", instance.technician if instance else None)
    if kind == LocationKind.BIN:
        if parent is None or parent.kind != LocationKind.WAREHOUSE:
            raise InvalidInput(_("A bin must lie inside a warehouse."))
    elif parent is not None:
        raise InvalidInput(_("Only bins lie inside a warehouse."))
    if kind == LocationKind.VAN:
        if technician is None:
            raise InvalidInput(_("A van belongs to a technician."))
    elif technician is not None:
        raise InvalidInput(_("Only a van belongs to a technician."))
    if instance is not None and parent is not None and parent.pk == instance.pk:
        raise InvalidInput(_("A location cannot lie inside itself."))
    return out


@transaction.atomic
def location_create(*, code: str, name: str, actor: Any, kind: str = LocationKind.WAREHOUSE,
                    parent: Location | None = None, technician: Any = None,
                    service_center: Any = None, active: bool = True) -> Location:  # fmt: skip
    """Add a warehouse, a bin inside a warehouse, or a technician's van."""
    values = _clean_location(
        {
            "code": code,
            "name": name,
            "kind": kind,
            "parent": parent,
            "technician": technician,
            "service_center": service_center,
            "active": active,
        }
    )
    if Location.objects.filter(code=values["code"]).exists():
        raise Conflict(
            _("A location with code %(code)s already exists.") % {"code": values["code"]},
            code="duplicate_code",
        )
    location = Location.objects.create(**values)
    audit_record(
        actor=actor,
        action="location.create",
        obj=location,
        after=model_snapshot(location, LOCATION_FIELDS),
    )
    return location


@transaction.atomic
def location_update(location: Location, *, actor: Any, **values: Any) -> Location:
    """Rename, re-home or (de)activate a location."""
    unknown = set(values) - set(LOCATION_FIELDS)
    if unknown:
        raise InvalidInput(_("These fields cannot be changed: %(f)s") % {"f": ", ".join(unknown)})
    values = _clean_location(values, instance=location)
    if (
        "code" in values
        and values["code"] != location.code
        and Location.objects.filter(code=values["code"]).exclude(pk=location.pk).exists()
    ):
        raise Conflict(
            _("A location with code %(code)s already exists.") % {"code": values["code"]},
            code="duplicate_code",
        )
    before = model_snapshot(location, LOCATION_FIELDS)
    for key, value in values.items():
        setattr(location, key, value)
    location.save()
    b, a = diff(before, model_snapshot(location, LOCATION_FIELDS))
    audit_record(actor=actor, action="location.update", obj=location, before=b, after=a)
    return location


def batch_for_lot(*, part: Part, lot_number: str, supplier_ref: str = "") -> Batch:
    """The batch of ``part`` with ``lot_number``, created on first receipt (race-safe)."""
    lot_number = (lot_number or "").strip()
    if not lot_number or len(lot_number) > 60:
        raise InvalidInput(_("The lot number must have 1 to 60 characters."))
    batch = Batch.objects.filter(part=part, lot_number=lot_number).first()
    if batch is not None:
        return batch
    try:
        with transaction.atomic():
            return Batch.objects.create(
                part=part, lot_number=lot_number, supplier_ref=supplier_ref[:120]
            )
    except IntegrityError:
        return Batch.objects.get(part=part, lot_number=lot_number)


# --- the ledger ----------------------------------------------------------------------------


def _level_change(
    part: Part, location: Location, on_hand_delta: Decimal, reserved_delta: Decimal = ZERO
) -> tuple[Decimal, Decimal]:
    """Move the stock row by the deltas in one conditional UPDATE; return on hand and reserved
    after it.

    The guard keeps ``on_hand - reserved >= 0`` and ``reserved >= 0`` after the change; when
    it does not hold the UPDATE touches no row and :class:`InsufficientStock` is raised. A row
    is created on the first increase (inside a savepoint, so a concurrent first receipt that
    wins the insert is simply updated). ``RETURNING`` (PostgreSQL, SQLite ≥ 3.35) hands back
    the new figures for the audit record without a second read.
    """
    need = reserved_delta - on_hand_delta  # how much available stock the change consumes
    guards = ["part_id = %s", "location_id = %s"]
    params: list[Any] = [part.pk, location.pk]
    if need > 0:
        guards.append("on_hand >= reserved + %s")
        params.append(need - SLACK)
    if reserved_delta < 0:
        guards.append("reserved >= %s")
        params.append(-reserved_delta - SLACK)
    sql = (
        f"UPDATE {StockLevel._meta.db_table} SET on_hand = ROUND(on_hand + %s, 3), "
        "reserved = ROUND(reserved + %s, 3), version = version + 1, updated_at = %s "
        f"WHERE {' AND '.join(guards)} RETURNING on_hand, reserved"
    )
    values = [on_hand_delta, reserved_delta, timezone.now(), *params]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        row = cursor.fetchone()
    if row is None:
        if need > 0 or reserved_delta < 0:
            _refuse(part, location, need, reserved_delta)
        try:
            with transaction.atomic():
                StockLevel.objects.create(part=part, location=location)
        except IntegrityError:
            pass  # another transaction created it first
        with connection.cursor() as cursor:
            cursor.execute(sql, values)
            row = cursor.fetchone()
        if row is None:
            raise Conflict(_("The stock row could not be updated. Try again."))
    return _dec3(row[0]), _dec3(row[1])


def _dec3(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.001"))


def _refuse(part: Part, location: Location, need: Decimal, reserved_delta: Decimal) -> None:
    level = StockLevel.objects.filter(part=part, location=location).first()
    available = level.available if level else ZERO
    reserved = level.reserved if level else ZERO
    if need > 0 and available < need - SLACK:
        raise InsufficientStock(
            _(
                "Insufficient stock of %(part)s at %(location)s: %(available)s available, "
                "%(needed)s needed."
            )
            % {
                "part": part.code,
                "location": location.code,
                "available": _fmt(available),
                "needed": _fmt(need),
            },
            detail={
                "part": part.code,
                "location": location.code,
                "available": str(_fmt(available)),
                "requested": str(_fmt(need)),
            },
        )
    raise InsufficientStock(
        _("Only %(reserved)s of %(part)s are reserved at %(location)s.")
        % {"reserved": _fmt(reserved), "part": part.code, "location": location.code},
        detail={"part": part.code, "location": location.code, "reserved": str(_fmt(reserved))},
    )


def _fmt(value: Any) -> Decimal:
    qty = Decimal(str(value)).quantize(Decimal("0.001"))
    return qty.to_integral_value() if qty == qty.to_integral_value() else qty.normalize()


def _record(
    *,
    kind: str,
    part: Part,
    location: Location,
    quantity: Decimal,
    reserved_delta: Decimal = ZERO,
    actor: Any,
    batch: Batch | None = None,
    work_order: Any = None,
    unit_cost: Decimal | None = None,
    reason: str = "",
    reference: str = "",
) -> Movement:
    """Apply the change to the stock row, append the movement and audit it."""
    on_hand, reserved = _level_change(part, location, quantity, reserved_delta)
    movement = Movement.objects.create(
        kind=kind,
        part=part,
        location=location,
        quantity=quantity,
        reserved_delta=reserved_delta,
        batch=batch,
        work_order=work_order,
        unit_cost=part.standard_cost if unit_cost is None else unit_cost,
        reason=(reason or "")[:300],
        reference=(reference or "")[:100],
        actor=actor_or_none(actor),
    )
    movement.wo_number = getattr(work_order, "number", None)
    movement.available_after = on_hand - reserved
    after = {"on_hand": str(_fmt(on_hand)), "reserved": str(_fmt(reserved))}
    before = {
        "on_hand": str(_fmt(on_hand - quantity)),
        "reserved": str(_fmt(reserved - reserved_delta)),
    }
    audit_record(
        actor=actor,
        action=f"stock.{kind}",
        obj=movement,
        object_repr=f"{part.code} @ {location.code}: {_fmt(quantity)}",
        before={"part": part.code, "location": location.code, **before},
        after={
            "part": part.code,
            "location": location.code,
            **after,
            "quantity": str(_fmt(quantity)),
            "reserved_delta": str(_fmt(reserved_delta)),
            "work_order": getattr(work_order, "number", None),
            "batch": batch.lot_number if batch else None,
        },
        reason=reason or "",
    )
    events.stock_moved(
        movement=movement,
        part_code=part.code,
        location_code=location.code,
        on_hand=on_hand,
        reserved=reserved,
        work_order=getattr(work_order, "number", None),
        actor=actor,
    )
    return movement


def _usable_location(location: Location) -> None:
    if not location.active:
        raise InvalidInput(
            _("Location %(code)s is inactive.") % {"code": location.code},
            code="inactive_location",
        )


def _check_batch(part: Part, batch: Batch | None, *, outgoing: bool) -> None:
    if batch is None:
        return
    if batch.part_id != part.pk:
        raise InvalidInput(_("The batch belongs to another part."))
    if outgoing and batch.defective:
        raise Conflict(
            _("Batch %(lot)s of %(part)s is marked defective and cannot be used.")
            % {"lot": batch.lot_number, "part": part.code},
            code="defective_batch",
        )


def _reason_required(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Give a reason."), code="reason_required")
    return reason


@transaction.atomic
def stock_receive(
    *,
    part: Part,
    location: Location,
    quantity: Any,
    unit_cost: Any,
    batch_lot: str | None = None,
    actor: Any,
    reference: str = "",
) -> Movement:
    """Put received goods on stock (a purchase receipt or an opening balance)."""
    qty = check_quantity(part, quantity)
    cost = _money(unit_cost, _("Unit cost"))
    _usable_location(location)
    if not part.active:
        raise InvalidInput(
            _("Part %(code)s is inactive.") % {"code": part.code}, code="inactive_part"
        )
    batch = batch_for_lot(part=part, lot_number=batch_lot) if batch_lot else None
    movement = _record(
        kind=MovementKind.RECEIPT,
        part=part,
        location=location,
        quantity=qty,
        actor=actor,
        batch=batch,
        unit_cost=cost,
        reference=reference,
    )
    _low_stock_check(part, actor=actor, floor=movement.available_after)
    return movement


@transaction.atomic
def stock_issue(
    *,
    part: Part,
    location: Location,
    quantity: Any,
    work_order: Any = None,
    batch: Batch | None = None,
    reservation: Reservation | None = None,
    actor: Any,
    reason: str = "",
) -> Movement:
    """Issue parts from a location, usually to a work order. With ``reservation`` the issue
    consumes it: its reserved quantity is freed and the issued quantity leaves on-hand stock
    (issuing more than reserved needs the difference available)."""
    qty = check_quantity(part, quantity)
    _usable_location(location)
    _check_batch(part, batch, outgoing=True)
    reserved_delta = ZERO
    if reservation is not None:
        if reservation.part_id != part.pk or reservation.location_id != location.pk:
            raise InvalidInput(_("The reservation is for another part or location."))
        if work_order is None:
            work_order = _work_order_ref(reservation.work_order_id)
        elif reservation.work_order_id != work_order.pk:
            raise InvalidInput(_("The reservation is for another work order."))
        _reservation_close(reservation, "consumed")
        reserved_delta = -reservation.quantity
    movement = _record(
        kind=MovementKind.ISSUE,
        part=part,
        location=location,
        quantity=-qty,
        reserved_delta=reserved_delta,
        actor=actor,
        batch=batch,
        work_order=work_order,
        reason=reason,
    )
    _low_stock_check(part, actor=actor, floor=movement.available_after)
    return movement


@transaction.atomic
def stock_return(
    *,
    part: Part,
    location: Location,
    quantity: Any,
    work_order: Any = None,
    batch: Batch | None = None,
    actor: Any,
    reason: str = "",
) -> Movement:
    """Take unused parts back from a work order (or a technician) onto stock.

    A return for a work order cannot exceed what was issued to it and not yet returned."""
    qty = check_quantity(part, quantity)
    _usable_location(location)
    _check_batch(part, batch, outgoing=False)
    if work_order is not None:
        net = (
            Movement.objects.filter(
                part=part,
                work_order=work_order,
                kind__in=[MovementKind.ISSUE, MovementKind.RETURN],
            ).aggregate(s=Sum("quantity"))["s"]
            or ZERO
        )
        outstanding = -Decimal(str(net))
        if qty > outstanding + SLACK:
            raise InvalidInput(
                _("Only %(qty)s of %(part)s were issued to %(wo)s and not returned.")
                % {"qty": _fmt(max(outstanding, ZERO)), "part": part.code, "wo": work_order},
                code="invalid_quantity",
            )
    movement = _record(
        kind=MovementKind.RETURN,
        part=part,
        location=location,
        quantity=qty,
        actor=actor,
        batch=batch,
        work_order=work_order,
        reason=reason,
    )
    _low_stock_check(part, actor=actor, floor=movement.available_after)
    return movement


@transaction.atomic
def stock_transfer(
    *,
    part: Part,
    source: Location,
    target: Location,
    quantity: Any,
    batch: Batch | None = None,
    actor: Any,
    reason: str = "",
) -> tuple[Movement, Movement]:
    """Move stock between locations (warehouse → van, bin → bin) as two paired movements.

    Both rows are updated in location-id order, so two opposite transfers never deadlock."""
    qty = check_quantity(part, quantity)
    if source.pk == target.pk:
        raise InvalidInput(_("A transfer needs two different locations."), code="same_location")
    _usable_location(source)
    _usable_location(target)
    _check_batch(part, batch, outgoing=True)
    reference = f"transfer:{source.code}->{target.code}"
    pairs = [(source, -qty, MovementKind.TRANSFER_OUT), (target, qty, MovementKind.TRANSFER_IN)]
    made: dict[str, Movement] = {}
    for location, delta, kind in sorted(pairs, key=lambda p: p[0].pk):
        made[kind] = _record(
            kind=kind,
            part=part,
            location=location,
            quantity=delta,
            actor=actor,
            batch=batch,
            reason=reason,
            reference=reference,
        )
    _low_stock_check(part, actor=actor)
    return made[MovementKind.TRANSFER_OUT], made[MovementKind.TRANSFER_IN]


@transaction.atomic
def stock_adjust(
    *, part: Part, location: Location, quantity_delta: Any, reason: str, actor: Any
) -> Movement:
    """Correct on-hand stock after a count (positive or negative), with a reason. A negative
    adjustment cannot take away reserved stock."""
    qty = check_quantity(part, quantity_delta, signed=True)
    reason = _reason_required(reason)
    _usable_location(location)
    movement = _record(
        kind=MovementKind.ADJUSTMENT,
        part=part,
        location=location,
        quantity=qty,
        actor=actor,
        reason=reason,
    )
    _low_stock_check(part, actor=actor, floor=movement.available_after)
    return movement


@transaction.atomic
def stock_scrap(
    *,
    part: Part,
    location: Location,
    quantity: Any,
    reason: str,
    actor: Any,
    batch: Batch | None = None,
) -> Movement:
    """Write off damaged or defective stock, with a reason."""
    qty = check_quantity(part, quantity)
    reason = _reason_required(reason)
    _usable_location(location)
    _check_batch(part, batch, outgoing=False)
    movement = _record(
        kind=MovementKind.SCRAP,
        part=part,
        location=location,
        quantity=-qty,
        actor=actor,
        batch=batch,
        reason=reason,
    )
    _low_stock_check(part, actor=actor, floor=movement.available_after)
    return movement


# --- reservations ----------------------------------------------------------------------------


def _work_order_ref(pk: int) -> Any:
    """The work order a reservation is for, with the fields the ledger needs."""
    from aftersales.workorders.models import WorkOrder

    return WorkOrder.objects.only("id", "number").get(pk=pk)


def _reservation_close(reservation: Reservation, status: str) -> None:
    """Active → consumed/released, once: a conditional update on the states the table lets
    the step start from."""
    done = Reservation.objects.filter(
        pk=reservation.pk, status__in=RESERVATIONS.sources(status, SYSTEM)
    ).update(status=status, closed_at=timezone.now())
    if not done:
        raise Conflict(_("This reservation is no longer active."), code="reservation_closed")
    reservation.refresh_from_db()


@transaction.atomic
def reservation_create(
    *, part: Part, location: Location, quantity: Any, work_order: Any, actor: Any
) -> Reservation:
    """Set available stock aside for a scheduled work order (refused when not available)."""
    qty = check_quantity(part, quantity)
    _usable_location(location)
    if work_order is None:
        raise InvalidInput(_("A reservation is for a work order."))
    _record(
        kind=MovementKind.RESERVE,
        part=part,
        location=location,
        quantity=ZERO,
        reserved_delta=qty,
        actor=actor,
        work_order=work_order,
        reference=getattr(work_order, "number", ""),
    )
    reservation = Reservation.objects.create(
        part=part,
        location=location,
        work_order=work_order,
        quantity=qty,
        created_by=actor_or_none(actor),
    )
    _low_stock_check(part, actor=actor)
    return reservation


@transaction.atomic
def reservation_release(reservation: Reservation, *, actor: Any, reason: str = "") -> Reservation:
    """Give reserved stock back to available (the work order was cancelled or rescheduled)."""
    _reservation_close(reservation, "released")
    _record(
        kind=MovementKind.RELEASE,
        part=reservation.part,
        location=reservation.location,
        quantity=ZERO,
        reserved_delta=-reservation.quantity,
        actor=actor,
        work_order=_work_order_ref(reservation.work_order_id),
        reason=reason,
    )
    _low_stock_check(reservation.part, actor=actor)
    return reservation


@transaction.atomic
def reservations_release_for_work_order(work_order: Any, *, actor: Any, reason: str = "") -> int:
    """Release every active reservation of a cancelled work order; returns how many."""
    count = 0
    for reservation in Reservation.objects.filter(work_order=work_order, status="active"):
        try:
            with transaction.atomic():
                reservation_release(reservation, actor=actor, reason=reason)
        except Conflict:
            continue  # released or consumed concurrently
        count += 1
    return count


# --- low-stock alert ---------------------------------------------------------------------------


def _low_stock_check(part: Part, *, actor: Any, floor: Decimal | None = None) -> None:
    """Raise one alert when the part's available stock falls below its reorder point, and
    re-arm it once stock is back (R8.3, R12.3). The flag flips by conditional update, so two
    concurrent issues raise one alert.

    ``floor`` is what is available at the location just moved: when that alone reaches the
    reorder point and no alert is pending, the part cannot be short and the sum over all
    locations is skipped."""
    from .alerts import low_stock_alert
    from .selectors import part_available

    if part.reorder_point <= 0:
        return
    if floor is not None and floor >= part.reorder_point and not part.low_stock_alerted:
        return
    available = part_available(part)
    if available < part.reorder_point:
        if Part.objects.filter(pk=part.pk, low_stock_alerted=False).update(low_stock_alerted=True):
            part.low_stock_alerted = True
            low_stock_alert(part, available=available)
    elif Part.objects.filter(pk=part.pk, low_stock_alerted=True).update(low_stock_alerted=False):
        part.low_stock_alerted = False
