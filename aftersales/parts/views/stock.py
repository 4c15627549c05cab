"""Stock screens: movement forms, the ledger, locations, a technician's van, releasing a
reservation, and the Excel import with its dry run."""

from __future__ import annotations

import re
import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aftersales.core.access import staff_required
from aftersales.core.errors import DomainError
from aftersales.core.forms import add_domain_error
from aftersales.core.pagination import keyset_page

from .. import selectors, services
from ..forms import MOVE_KINDS, MOVEMENT_KIND_CHOICES, ImportForm, LocationForm, MovementForm
from ..imports import run_import, stock_template_workbook
from ..models import Batch, Location, Part, Reservation
from .common import MOVE, VIEW

PAGE = 50


# --- movements -----------------------------------------------------------------------------


def _batch(part: Part, lot: str) -> Batch | None:
    if not lot:
        return None
    batch = Batch.objects.filter(part=part, lot_number=lot).first()
    if batch is None:
        raise DomainError(
            _("Part %(part)s has no batch “%(lot)s”.") % {"part": part.code, "lot": lot},
            detail={"field": "batch_lot"},
        )
    return batch


def _apply(kind: str, data: dict, actor) -> str:
    """Call the service of ``kind``; returns the success message."""
    part: Part = data["part"]
    loc: Location = data["location"]
    qty = data["quantity"]
    if kind == "receive":
        services.stock_receive(
            part=part,
            location=loc,
            quantity=qty,
            unit_cost=data["unit_cost"],
            batch_lot=data.get("batch_lot") or None,
            reference=data.get("reference", ""),
            actor=actor,
        )
    elif kind == "issue":
        reservation = data.get("reservation")
        services.stock_issue(
            part=part,
            location=loc,
            quantity=qty,
            work_order=data.get("work_order"),
            batch=_batch(part, data.get("batch_lot", "")),
            reservation=reservation,
            reason=data.get("reason", ""),
            actor=actor,
        )
    elif kind == "return":
        services.stock_return(
            part=part,
            location=loc,
            quantity=qty,
            work_order=data.get("work_order"),
            batch=_batch(part, data.get("batch_lot", "")),
            reason=data.get("reason", ""),
            actor=actor,
        )
    elif kind == "transfer":
        services.stock_transfer(
            part=part,
            source=loc,
            target=data["target"],
            quantity=qty,
            batch=_batch(part, data.get("batch_lot", "")),
            reason=data.get("reason", ""),
            actor=actor,
        )
    elif kind == "adjust":
        services.stock_adjust(
            part=part, location=loc, quantity_delta=qty, reason=data["reason"], actor=actor
        )
    elif kind == "scrap":
        services.stock_scrap(
            part=part,
            location=loc,
            quantity=qty,
            batch=_batch(part, data.get("batch_lot", "")),
            reason=data["reason"],
            actor=actor,
        )
    return _("%(kind)s of %(qty)s × %(part)s recorded.") % {
        "kind": MOVE_KINDS[kind],
        "qty": qty.normalize(),
        "part": part.code,
    }


@staff_required(*MOVE)
@require_http_methods(["GET", "POST"])
def movement_create(request: HttpRequest, kind: str) -> HttpResponse:
    """Receive, issue, return, transfer, adjust or scrap, one form per kind."""
    if kind not in MOVE_KINDS:
        raise Http404
    initial = {k: request.GET[k] for k in ("part", "location", "work_order") if k in request.GET}
    form = MovementForm(request.POST or None, kind=kind, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            message = _apply(kind, form.cleaned_data, request.user)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, message)
            return redirect("parts:part_detail", code=form.cleaned_data["part"].code)
    return render(
        request,
        "parts/movement_form.html",
        {
            "form": form,
            "kind": kind,
            "kind_label": MOVE_KINDS[kind],
            "kinds": MOVE_KINDS,
            "part_codes": list(
                Part.objects.filter(active=True).order_by("code").values_list("code", "name")[:2000]
            ),
        },
    )


@staff_required(*MOVE)
@require_POST
def reservation_release(request: HttpRequest, pk: int) -> HttpResponse:
    reservation = Reservation.objects.select_related("part", "location").filter(pk=pk).first()
    if reservation is None:
        raise Http404
    try:
        services.reservation_release(
            reservation, actor=request.user, reason=request.POST.get("reason", "")[:300]
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Reservation released."))
    return redirect("parts:part_detail", code=reservation.part.code)


# --- the ledger ----------------------------------------------------------------------------


@staff_required(*VIEW)
@require_GET
def ledger(request: HttpRequest) -> HttpResponse:
    """Ledger rows, newest first, filtered by part, location and kind (keyset paged)."""
    user = request.user
    part = location = None
    code = request.GET.get("part", "").strip()
    if code:
        part = Part.objects.filter(code=code).first()
    loc_code = request.GET.get("location", "").strip()
    if loc_code:
        location = Location.objects.filter(code=loc_code).first()
    kind = request.GET.get("kind", "")
    if kind not in dict(MOVEMENT_KIND_CHOICES):
        kind = ""
    if (code and part is None) or (loc_code and location is None):
        qs = selectors.movement_list_for(user).none()
    else:
        qs = selectors.movement_list_for(user, part=part, location=location, kind=kind)
    try:
        page = keyset_page(qs, order=["-id"], cursor=request.GET.get("cursor"), limit=PAGE)
    except DomainError:
        page = keyset_page(qs, order=["-id"], cursor=None, limit=PAGE)
    query = request.GET.copy()
    query.pop("cursor", None)
    return render(
        request,
        "parts/ledger.html",
        {
            "movements": page.items,
            "next_cursor": page.next_cursor,
            "query": query.urlencode(),
            "filters": {"part": code, "location": loc_code, "kind": kind},
            "kinds": MOVEMENT_KIND_CHOICES,
            "locations": selectors.location_list(),
        },
    )


# --- locations -----------------------------------------------------------------------------


@staff_required(*VIEW)
@require_http_methods(["GET", "POST"])
def location_list(request: HttpRequest) -> HttpResponse:
    """Warehouses with their bins, and the technicians' vans; keepers add locations here."""
    user = request.user
    if not user.has_perm("parts.view_location"):
        return redirect("parts:my_van")
    can_add = user.has_perm("parts.add_location")
    form = LocationForm(request.POST or None) if can_add else None
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                loc = services.location_create(
                    actor=user,
                    code=data["code"],
                    name=data["name"],
                    kind=data["kind"],
                    parent=data.get("parent"),
                    technician=data.get("technician"),
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Location %(code)s added.") % {"code": loc.code})
                return redirect("parts:location_list")
    locations = list(selectors.location_list(active=None).order_by("code"))
    counts = _location_counts([loc.pk for loc in locations])
    return render(
        request,
        "parts/location_list.html",
        {"locations": locations, "counts": counts, "form": form},
    )


def _location_counts(ids: list[int]) -> dict[int, int]:
    from django.db.models import Count, Q

    from ..models import StockLevel

    rows = (
        StockLevel.objects.filter(location_id__in=ids)
        .filter(Q(on_hand__gt=0) | Q(reserved__gt=0))
        .values("location_id")
        .annotate(n=Count("id"))
    )
    return {r["location_id"]: r["n"] for r in rows}


@staff_required(*VIEW)
@require_GET
def location_detail(request: HttpRequest, code: str) -> HttpResponse:
    location = selectors.location_get(code)
    if not selectors.location_visible(request.user, location):
        raise Http404
    return render(
        request,
        "parts/location_detail.html",
        {
            "location": location,
            "levels": list(selectors.stock_at_location(location)),
            "children": list(location.children.order_by("code")),
            "can_move": request.user.has_perm("parts.move_stock"),
        },
    )


@staff_required(*VIEW)
@require_GET
def my_van(request: HttpRequest) -> HttpResponse:
    """A technician's own van stock."""
    vans = list(selectors.van_locations_for(request.user).filter(active=True))
    return render(
        request,
        "parts/my_van.html",
        {"vans": [(van, list(selectors.stock_at_location(van))) for van in vans]},
    )


# --- import --------------------------------------------------------------------------------

TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")


def _upload_path(token: str) -> str:
    return f"parts/imports/{token}.xlsx"


@staff_required(*VIEW, "parts.import_part")
@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest) -> HttpResponse:
    """Upload a file: it is checked at once as a dry run and kept for applying."""
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    token = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read(5 * 1024 * 1024 + 1)
        try:
            result = run_import(
                data, kind=form.cleaned_data["kind"], actor=request.user, dry_run=True
            )
        except DomainError as exc:
            form.add_error("file", str(exc.message))
        else:
            if result.ok:
                token = uuid.uuid4().hex
                default_storage.save(_upload_path(token), ContentFile(data))
    return render(
        request,
        "parts/import.html",
        {"form": form, "result": result, "token": token},
    )


@staff_required(*VIEW, "parts.import_part")
@require_POST
def import_apply(request: HttpRequest) -> HttpResponse:
    """Apply a file that passed its dry run; all rows or none."""
    token = request.POST.get("token", "")
    kind = request.POST.get("kind", "")
    if not TOKEN_RE.match(token) or kind not in ("catalog", "stock"):
        raise Http404
    path = _upload_path(token)
    if not default_storage.exists(path):
        messages.error(request, _("The uploaded file has expired. Upload it again."))
        return redirect("parts:import")
    with default_storage.open(path, "rb") as fh:
        data = fh.read()
    try:
        result = run_import(data, kind=kind, actor=request.user, dry_run=False)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("parts:import")
    if not result.applied:
        return render(
            request,
            "parts/import.html",
            {"form": ImportForm(initial={"kind": kind}), "result": result, "token": ""},
        )
    default_storage.delete(path)
    messages.success(request, _("%(n)s rows imported.") % {"n": len(result.rows)})
    return redirect(reverse("parts:part_list"))


@staff_required(*VIEW, "parts.import_part")
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        stock_template_workbook(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="opening-stock.xlsx"'
    return response
