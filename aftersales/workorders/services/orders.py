"""Opening a work order from a case (or directly at the counter), editing it, cancelling and
closing it (R3.1, R3.2).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.accounts.models import ServiceCenter, User
from aftersales.cases.choices import CaseType
from aftersales.cases.choices import Status as CaseStatus
from aftersales.cases.models import Case
from aftersales.core import geocoding
from aftersales.core.actors import actor_or_none
from aftersales.core.audit import audit_record, model_snapshot
from aftersales.core.errors import Conflict, InvalidInput
from aftersales.core.versions import model_update
from aftersales.customers.models import Asset, Customer
from aftersales.customers.phones import normalize_phone

from ..choices import OPEN_STATUSES, CertificateType, Status, Urgency
from ..models import Visit, WorkOrder
from ..numbering import workorder_number_next
from .base import (
    AUDIT_FIELDS,
    ORDER_CHANGED,
    SOURCE_CASE_TYPES,
    _reservations_release,
    event_add,
    workorder_transition,
)


def _clean_skills(skills: list[str] | None) -> list[str]:
    from ..models import Skill

    codes = sorted({(s or "").strip() for s in (skills or []) if (s or "").strip()})
    known = set(Skill.objects.filter(code__in=codes).values_list("code", flat=True))
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise InvalidInput(
            _("Unknown skills: %(codes)s") % {"codes": ", ".join(unknown)},
            code="unknown_skill",
            detail={"unknown": unknown},
        )
    return codes


def _check_times(inspection_at: dt.datetime | None, repair_at: dt.datetime | None) -> None:
    for value in (inspection_at, repair_at):
        if value is not None and timezone.is_naive(value):
            raise InvalidInput(_("Times must carry a time zone."), code="naive_time")
    if inspection_at and repair_at and repair_at < inspection_at:
        raise InvalidInput(
            _("The repair cannot be agreed before the inspection visit."), code="times_order"
        )


@transaction.atomic
def workorder_create(
    *,
    actor: User,
    case: Case,
    request: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    address: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    inspection_at: dt.datetime | None = None,
    repair_at: dt.datetime | None = None,
    urgency: str = Urgency.NORMAL,
    required_skills: list[str] | None = None,
    required_certificate: str = "",
    service_center: ServiceCenter | None = None,
) -> WorkOrder:
    """Open a work order for a repair request, warranty claim or complaint case (R3.1–R3.2).

    Contact, address and request default to the case's; a known position picks the nearest
    covering service center (R14.2) unless one is named."""
    if case.case_type not in SOURCE_CASE_TYPES:
        raise InvalidInput(
            _("Work orders are made from repair requests, warranty claims and complaints."),
            code="case_type_not_repairable",
        )
    if case.status in (CaseStatus.CLOSED, CaseStatus.CANCELLED):
        raise InvalidInput(_("The case is closed."), code="case_closed")
    if urgency not in Urgency.values:
        raise InvalidInput(_("Unknown urgency."), code="invalid_choice")
    if required_certificate and required_certificate not in CertificateType.values:
        raise InvalidInput(_("Unknown certificate type."), code="invalid_choice")
    _check_times(inspection_at, repair_at)
    skills = _clean_skills(required_skills)
    contact = case.contact
    if not contact_name and contact is not None:
        contact_name = contact.name
    phone = normalize_phone(contact_phone) if contact_phone else (contact.phone if contact else "")
    default = case.customer.addresses.order_by("-is_default", "id").first()
    if default is not None and not address:
        address = str(default)
    # the customer's address as it is: its point, precision and source come with it
    from_default = (
        default is not None
        and address == str(default)
        and (latitude is None or (latitude, longitude) == (default.latitude, default.longitude))
    )
    if (latitude is None) != (longitude is None):
        raise InvalidInput(_("Give both latitude and longitude, or neither."), code="coords")
    if (
        latitude is not None
        and longitude is not None
        and not (-90 <= latitude <= 90 and -180 <= longitude <= 180)
    ):
        raise InvalidInput(_("The coordinates are out of range."), code="coords")
    point = WorkOrder(address=address[:300])
    if from_default and default is not None:
        point.latitude, point.longitude = default.latitude, default.longitude
        point.geo_precision, point.geo_source = default.geo_precision, default.geo_source
    else:  # typed coordinates, else the typed address located offline
        geocoding.locate(point, latitude=latitude, longitude=longitude)
    latitude, longitude = point.latitude, point.longitude
    if service_center is None and latitude is not None and longitude is not None:
        from ..coverage import nearest_covering_center

        found = nearest_covering_center(latitude, longitude)
        service_center = found[0] if found else None
    request = (request or "").strip() or case.description or case.title
    now = timezone.now()
    order = WorkOrder.objects.create(
        geo_precision=point.geo_precision,
        geo_source=point.geo_source,
        number=workorder_number_next(timezone.localtime(now).year),
        case=case,
        customer=case.customer,
        asset=case.asset,
        status=Status.NEW,
        status_changed_at=now,
        request=request,
        contact_name=contact_name[:100],
        contact_phone=phone,
        address=address[:300],
        latitude=latitude,
        longitude=longitude,
        service_center=service_center,
        inspection_at=inspection_at,
        repair_at=repair_at,
        urgency=urgency,
        required_skills=skills,
        required_certificate=required_certificate,
        created_by=actor_or_none(actor),
    )
    geocoding.refine_later(order)
    event_add(order=order, kind="created", actor=actor, to_status=Status.NEW)
    audit_record(
        actor=actor,
        action="workorder.create",
        obj=order,
        after=model_snapshot(order, AUDIT_FIELDS),
    )
    from aftersales.cases.events import event_add as case_event_add

    case_event_add(
        case=case,
        kind="internal_note",
        actor=actor,
        body=_("Work order %(number)s opened.") % {"number": order.number},
        data={"work_order": order.number},
    )
    return order


@transaction.atomic
def workorder_create_direct(
    *,
    actor: User,
    customer: Customer,
    title: str,
    asset: Asset | None = None,
    **kwargs: Any,
) -> WorkOrder:
    """A dispatcher opens an order without a case: the repair-request case is made first, so
    every order keeps its customer-facing record."""
    from aftersales.cases.services import case_create

    case = case_create(
        actor=actor,
        customer=customer,
        case_type=CaseType.REPAIR,
        channel="hotline",
        title=title,
        description=kwargs.get("request", "") or title,
        asset=asset,
    )
    return workorder_create(actor=actor, case=case, **kwargs)


def _nullable(name: str) -> bool:
    field = WorkOrder._meta.get_field(name)
    return bool(field.null)


# What an edit may change while the order is open; status and people move by their services.
EDITABLE = frozenset(
    {
        "request",
        "contact_name",
        "address",
        "inspection_at",
        "repair_at",
        "urgency",
        "required_skills",
        "required_certificate",
        "service_center",
    }
)


@transaction.atomic
def workorder_update(
    *, actor: User, order: WorkOrder, expected_version: int | None, changes: dict[str, Any]
) -> WorkOrder:
    """Change the request's details (times, urgency, skills, address) while the order is open."""
    order, b, a = model_update(
        order,
        expected_version=expected_version,
        editable=EDITABLE,
        changes=changes,
        clean=lambda values: _update_clean(order, values),
        fields=AUDIT_FIELDS,
        message=ORDER_CHANGED,
    )
    event_add(order=order, kind="updated", actor=actor, data={"fields": sorted(a)})
    audit_record(actor=actor, action="workorder.update", obj=order, before=b, after=a)
    return order


def _update_clean(order: WorkOrder, values: dict[str, Any]) -> dict[str, Any]:
    """The checks of an edit, on the version the editor saw."""
    if order.status not in OPEN_STATUSES:
        raise Conflict(_("This work order is finished."), code="order_finished")
    cleared = sorted(
        name for name, value in values.items() if value is None and not _nullable(name)
    )
    if cleared:  # an explicit null for a field that always holds a value ("" clears text)
        raise InvalidInput(
            _("These fields cannot be empty: %s") % ", ".join(cleared),
            code="field_required",
            detail={"fields": cleared},
        )
    if "address" in values and (values["address"] or "") != order.address:
        # the old point belongs to the old address: locate the new one offline
        point = WorkOrder(address=values["address"] or "")
        geocoding.locate(point)
        values.update({f: getattr(point, f) for f in geocoding.GEO_FIELDS})
    if "required_skills" in values:
        values["required_skills"] = _clean_skills(values["required_skills"])
    if values.get("urgency") is not None and values["urgency"] not in Urgency.values:
        raise InvalidInput(_("Unknown urgency."), code="invalid_choice")
    if values.get("required_certificate") and (
        values["required_certificate"] not in CertificateType.values
    ):
        raise InvalidInput(_("Unknown certificate type."), code="invalid_choice")
    _check_times(
        values.get("inspection_at", order.inspection_at), values.get("repair_at", order.repair_at)
    )
    return values


@transaction.atomic
def workorder_cancel(
    *, actor: User, order: WorkOrder, reason: str, expected_version: int | None = None
) -> WorkOrder:
    order = workorder_transition(
        actor=actor,
        order=order,
        to_status=Status.CANCELLED,
        reason=reason,
        expected_version=expected_version,
    )
    Visit.objects.filter(work_order=order, check_in_at__isnull=True, cancelled=False).update(
        cancelled=True
    )
    _reservations_release(actor=actor, order=order, reason=reason)
    return order


@transaction.atomic
def workorder_close(
    *, actor: User, order: WorkOrder, expected_version: int | None = None
) -> WorkOrder:
    return workorder_transition(
        actor=actor, order=order, to_status=Status.CLOSED, expected_version=expected_version
    )
