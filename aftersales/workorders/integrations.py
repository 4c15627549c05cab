"""The seams to the parts, calendars and SLA apps.

Parts are issued through the stock ledger of :mod:`aftersales.parts`; working time and absences
come from :mod:`aftersales.calendars`; the technician's arrival is recorded as an SLA milestone
by :mod:`aftersales.sla`, whose clocks pause and resume with the case status.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

# --- calendars -------------------------------------------------------------------------------


def _compiled_is_working(compiled: Any, t: dt.datetime) -> bool:
    """``Calendar.is_working``; for a year whose holidays were never entered, the weekly hours
    decide (an administrator is warned about the missing year by the calendars app)."""
    from aftersales.calendars.worktime import UnknownYear

    try:
        return bool(compiled.is_working(t))
    except UnknownYear:
        local = timezone.localtime(t)
        return any(a <= local.time() < b for a, b in compiled.hours_on(local.date()))


def calendars_for(users: list[Any]) -> dict[int, Any]:
    """The compiled working calendar of each user, in a fixed number of queries.

    Which calendar is the calendars app's rule
    (:func:`aftersales.calendars.selectors.calendar_ids_for_users`)."""
    from aftersales.calendars.selectors import calendar_ids_for_users
    from aftersales.calendars.services import calendar_for

    compiled: dict[int, Any] = {}
    out: dict[int, Any] = {}
    chosen = calendar_ids_for_users(users)
    for user in users:
        cal_id = chosen[user.pk]
        if cal_id not in compiled:
            compiled[cal_id] = calendar_for(cal_id)
        out[user.pk] = compiled[cal_id]
    return out


def window_in_working_time(
    user: Any, start: dt.datetime, end: dt.datetime, calendar: Any = None
) -> bool:
    """Start and end (minus a minute) both inside ``user``'s working time."""
    calendar = calendar or calendars_for([user])[user.pk]
    return _compiled_is_working(calendar, start) and _compiled_is_working(
        calendar, end - dt.timedelta(minutes=1)
    )


def absent_users(ids: list[int], start: dt.datetime, end: dt.datetime) -> set[int]:
    """Which of these users are away at some moment of ``[start, end)`` (one query)."""
    from aftersales.calendars.models import StaffAbsence

    return set(
        StaffAbsence.objects.filter(user_id__in=ids, start__lt=end, end__gt=start).values_list(
            "user_id", flat=True
        )
    )


def is_absent(user: Any, start: dt.datetime, end: dt.datetime) -> bool:
    from aftersales.calendars.services import staff_absent

    return bool(staff_absent(user, start, end))


# --- parts -----------------------------------------------------------------------------------


def part_lookup(code: str) -> Any:
    """The active catalog part with this code, or ``None``."""
    from aftersales.parts.models import Part

    return Part.objects.filter(code=code, active=True).first()


def technician_van(user: Any) -> Any:
    """The technician's van stock location (parts are issued from it by default)."""
    from aftersales.parts.choices import LocationKind
    from aftersales.parts.models import Location

    return (
        Location.objects.filter(technician=user, kind=LocationKind.VAN, active=True)
        .order_by("id")
        .first()
    )


def stock_issue_for(
    *, part: Any, location: Any, quantity: Decimal, work_order: Any, batch_code: str, actor: Any
) -> Any:
    """Issue the part to the order through the stock ledger; a batch (lot) must be known for
    this part. Raises the ledger's ``InsufficientStock`` (409) when the location runs short."""
    from aftersales.parts.models import Batch
    from aftersales.parts.services import stock_issue

    batch = None
    if batch_code:
        batch = Batch.objects.filter(part=part, lot_number=batch_code).first()
        if batch is None:
            from django.utils.translation import gettext as _

            from aftersales.core.errors import InvalidInput

            raise InvalidInput(
                _("Batch %(lot)s of %(code)s is not known.")
                % {"lot": batch_code, "code": part.code},
                code="batch_unknown",
            )
    return stock_issue(
        part=part,
        location=location,
        quantity=quantity,
        work_order=work_order,
        batch=batch,
        actor=actor,
        reason=work_order.number,
        reservation=reservation_for(work_order=work_order, part=part, location=location),
    )


def reservation_for(*, work_order: Any, part: Any, location: Any) -> Any:
    """The order's oldest active reservation of ``part`` at ``location``, or ``None``: the
    technician's issue consumes it (issue 6), so reserved stock is not counted twice."""
    from aftersales.parts.choices import ReservationStatus
    from aftersales.parts.models import Reservation

    return (
        Reservation.objects.filter(
            work_order=work_order,
            part=part,
            location=location,
            status=ReservationStatus.ACTIVE,
        )
        .order_by("created_at", "pk")
        .first()
    )


def reservations_release(*, work_order: Any, actor: Any, reason: str) -> int:
    """Give the order's active part reservations back to available stock (the order was
    cancelled or handed back); returns how many were released."""
    from aftersales.parts.services import reservations_release_for_work_order

    return reservations_release_for_work_order(work_order, actor=actor, reason=reason)


# --- SLA -------------------------------------------------------------------------------------


def sla_on_site(case: Any, at: dt.datetime, actor: Any) -> None:
    """The technician's arrival is the case's ``onsite_arrival`` milestone (SLA targets that end
    on arrival are met by it)."""
    from aftersales.sla.services import sla_milestone_record

    sla_milestone_record(case=case, milestone_code="onsite_arrival", at=at, actor=actor)
