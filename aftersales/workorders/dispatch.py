"""The dispatch board and technician suggestions (R3.2, R13.2, R14.2).

Reads only. The board shows the unassigned orders, today's orders and one lane per technician
for a day or a week; a suggestion ranks technicians for one order and says why: a required
certificate valid on the visit date (without it a technician is not eligible), matching skills,
distance from the technician's last job that day or their service center, current load, and
whether the window fits their working calendar without double booking. Each read is a fixed
number of queries whatever the number of technicians (see ``make bench-dispatch``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.accounts.models import User
from aftersales.accounts.roles import Role
from aftersales.core.errors import InvalidInput

from . import integrations
from .choices import OPEN_STATUSES, URGENCY_RANK, CertificateType, Status
from .geo import COARSE_PRECISIONS, distance_km
from .models import Certificate, TechnicianSkill, Visit, WorkOrder

UNASSIGNED = (Status.NEW, Status.SCHEDULED, Status.REJECTED)
BOARD_LIMIT = 100
# Farther than this a technician is out of reach: listed after every technician within reach,
# whatever their skills or load (a Beijing technician does not top a Shanghai job).
REACH_KM = 100.0


TECHNICIAN_FIELDS = (
    "id",
    "username",
    "display_name",
    "first_name",
    "last_name",
    "service_center__id",
    "service_center__name",
    "service_center__latitude",
    "service_center__longitude",
    "service_center__geo_precision",
)


def technicians() -> list[User]:
    """Active technicians with their service center, only the columns dispatch reads."""
    return list(
        User.objects.filter(groups__name=Role.TECHNICIAN, is_active=True)
        .select_related("service_center")
        .only(*TECHNICIAN_FIELDS)
        .order_by("display_name", "username")
    )


def day_bounds(day: dt.date, days: int = 1) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return start, start + dt.timedelta(days=days)


def open_load() -> dict[int, int]:
    rows = (
        WorkOrder.objects.filter(status__in=OPEN_STATUSES, technician__isnull=False)
        .values("technician")
        .annotate(n=Count("pk"))
    )
    return {r["technician"]: r["n"] for r in rows}


# the days a board can show: far enough for any plan, near enough that a week's bounds and
# their conversion to UTC stay inside what dates and the databases hold
BOARD_FIRST, BOARD_LAST = dt.date(2000, 1, 1), dt.date(2099, 12, 31)


def board_day_check(day: dt.date) -> None:
    if not BOARD_FIRST <= day <= BOARD_LAST:
        raise InvalidInput(
            _("Choose a day between %(first)s and %(last)s.")
            % {"first": BOARD_FIRST.isoformat(), "last": BOARD_LAST.isoformat()},
            code="day_out_of_range",
        )


def dispatch_board(*, day: dt.date | None = None, week: bool = False) -> dict[str, Any]:
    """Unassigned orders (most urgent first), today's orders and one lane per technician."""
    day = day or timezone.localdate()
    board_day_check(day)
    if week:
        day = day - dt.timedelta(days=day.weekday())
    start, end = day_bounds(day, 7 if week else 1)
    unassigned_qs = WorkOrder.objects.filter(status__in=UNASSIGNED, technician__isnull=True)
    unassigned = list(
        unassigned_qs.select_related("customer", "service_center").order_by(
            "-urgency", "repair_at", "id"
        )[:BOARD_LIMIT]
    )
    unassigned.sort(key=lambda o: (-URGENCY_RANK.get(o.urgency, 1), o.repair_at or end, o.pk))
    # plain rows, not model instances: a week of 200 lanes is thousands of visits
    visits = list(
        Visit.objects.filter(cancelled=False, planned_start__lt=end, planned_end__gt=start)
        .order_by("planned_start", "id")
        .values(
            "id",
            "technician_id",
            "planned_start",
            "planned_end",
            "check_in_at",
            number=F("work_order__number"),
            status=F("work_order__status"),
            urgency=F("work_order__urgency"),
            address=F("work_order__address"),
            customer=F("work_order__customer__name"),
        )
    )
    tz = timezone.get_current_timezone()
    for v in visits:
        v["day"] = v["planned_start"].astimezone(tz).date()
    by_tech: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for visit in visits:
        by_tech[visit["technician_id"]].append(visit)
    load = open_load()
    lanes = []
    for tech in technicians():
        tech_visits = by_tech.get(tech.pk, [])
        lanes.append(
            {
                "technician": tech,
                "visits": tech_visits,
                "load": load.get(tech.pk, 0),
                "conflicts": _double_bookings(tech_visits),
            }
        )
    return {
        "day": day,
        "week": week,
        "start": start,
        "end": end,
        "days": [day + dt.timedelta(days=i) for i in range(7 if week else 1)],
        "unassigned": unassigned,
        "unassigned_count": unassigned_qs.count(),
        "today": visits,
        "lanes": lanes,
    }


def _double_bookings(visits: list[dict[str, Any]]) -> set[int]:
    """Ids of visits that overlap another of the same technician."""
    clash: set[int] = set()
    latest_end = None
    latest_id = None
    for v in sorted(visits, key=lambda v: v["planned_start"]):
        if latest_end is not None and v["planned_start"] < latest_end:
            clash.update({v["id"], latest_id})
        if latest_end is None or v["planned_end"] > latest_end:
            latest_end, latest_id = v["planned_end"], v["id"]
    return clash


@dataclass
class Suggestion:
    technician: User
    score: float
    eligible: bool
    reasons: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    distance_km: float | None = None
    # the distance is between district or city centroids, not exact points
    distance_approximate: bool = False
    out_of_reach: bool = False
    load: int = 0
    skills_matched: int = 0
    # the facts behind the score; put into words only for the suggestions shown
    certified: bool | None = None
    from_last_job: bool = False
    busy_with: list[str] = field(default_factory=list)
    outside_hours: bool = False
    absent: bool = False

    @property
    def distance_text(self) -> str:
        """“about 12.3 km”; whole km from 100 km on (“about 1071 km”)."""
        if self.distance_km is None:
            return ""
        km = f"{self.distance_km:.0f}" if self.distance_km >= 100 else f"{self.distance_km:.1f}"
        if self.distance_approximate:
            return _("about %(km)s km") % {"km": km}
        return _("%(km)s km") % {"km": km}


def _explain(s: Suggestion, order: WorkOrder, required: int, day: dt.date) -> None:
    if order.required_certificate:
        label = CertificateType(order.required_certificate).label
        if s.certified:
            s.reasons.append(_("valid %(cert)s certificate") % {"cert": label})
        else:
            s.reasons.append(
                _("no valid %(cert)s certificate on %(day)s")
                % {"cert": label, "day": day.isoformat()}
            )
    if required:
        s.reasons.append(
            _("%(n)s of %(total)s skills") % {"n": s.skills_matched, "total": required}
        )
    if s.distance_km is not None:
        source = _("last job") if s.from_last_job else _("service center")
        s.reasons.append(_("%(km).1f km from %(source)s") % {"km": s.distance_km, "source": source})
    else:
        s.reasons.append(_("distance unknown"))
    if s.out_of_reach:
        s.conflicts.append(_("more than %(km)s km away") % {"km": int(REACH_KM)})
    s.reasons.append(_("%(n)s open orders") % {"n": s.load})
    if s.busy_with:
        s.conflicts.append(
            _("double booking with %(numbers)s") % {"numbers": ", ".join(s.busy_with)}
        )
    if s.outside_hours:
        s.conflicts.append(_("outside working hours"))
    if s.absent:
        s.conflicts.append(_("absent"))
    if not s.conflicts:
        s.reasons.append(_("free in this window"))


def suggest_technicians(
    *,
    order: WorkOrder,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    limit: int = 5,
) -> list[Suggestion]:
    """Technicians ranked for ``order`` in the window ``start``–``end`` (default: the agreed
    repair time, two hours), eligible ones first, each with the reasons for its place.

    Score (0–100): skills 40 × share of the required skills held; distance 30 × (1 − km/50)
    from the last job before the window that day, else from the service center; load
    20 × (1 − open orders / the busiest technician's); 10 when the window is free and inside
    working time, −30 on any conflict. A required certificate not valid on the visit day makes
    a technician ineligible (listed last); one farther than ``REACH_KM`` is listed after all
    within reach. Without a point for the order or the technician the distance counts 10."""
    start = start or order.repair_at or order.inspection_at or timezone.now()
    end = end or start + dt.timedelta(hours=2)
    day = timezone.localtime(start).date()
    techs = technicians()
    ids = [t.pk for t in techs]
    required = list(order.required_skills or [])
    skills: dict[int, int] = defaultdict(int)
    if required:
        for uid in TechnicianSkill.objects.filter(
            user_id__in=ids, skill__code__in=required
        ).values_list("user_id", flat=True):
            skills[uid] += 1
    certified: set[int] = set()
    if order.required_certificate:
        certified = set(
            Certificate.objects.filter(
                user_id__in=ids,
                cert_type=order.required_certificate,
                issued_on__lte=day,
                expires_on__gte=day,
            ).values_list("user_id", flat=True)
        )
    day_start, day_end = day_bounds(day)
    last_job: dict[int, tuple[Any, Any, str]] = {}
    busy: dict[int, list[str]] = defaultdict(list)
    for uid, v_start, v_end, number, lat, lng, precision in (
        Visit.objects.filter(
            technician_id__in=ids,
            cancelled=False,
            planned_start__lt=max(end, day_end),
            planned_end__gt=day_start,
        )
        .exclude(work_order=order)
        .values_list(
            "technician_id",
            "planned_start",
            "planned_end",
            "work_order__number",
            "work_order__latitude",
            "work_order__longitude",
            "work_order__geo_precision",
        )
        .order_by("planned_start")
    ):
        if v_start < end and v_end > start:
            busy[uid].append(number)
        if v_end <= start and lat is not None:
            last_job[uid] = (lat, lng, precision)
    load = open_load()
    max_load = max(load.values(), default=0) or 1
    calendars = integrations.calendars_for(techs)
    absent = integrations.absent_users(ids, start, end)
    results: list[Suggestion] = []
    for tech in techs:
        s = Suggestion(technician=tech, score=0.0, eligible=True, load=load.get(tech.pk, 0))
        if order.required_certificate:
            s.certified = tech.pk in certified
            s.eligible = s.certified
        if required:
            s.skills_matched = skills.get(tech.pk, 0)
            s.score += 40 * s.skills_matched / len(required)
        else:
            s.score += 40
        origin = last_job.get(tech.pk)
        s.from_last_job = origin is not None
        if origin is None and tech.service_center_id:
            center = tech.service_center
            origin = (center.latitude, center.longitude, center.geo_precision)
        if origin is not None:
            s.distance_km = distance_km(order.latitude, order.longitude, origin[0], origin[1])
        if s.distance_km is not None:
            s.score += 30 * (1 - min(s.distance_km, 50.0) / 50.0)
            s.distance_approximate = bool(
                {order.geo_precision, origin[2]} & COARSE_PRECISIONS  # type: ignore[index]
            )
            s.out_of_reach = s.distance_km > REACH_KM
        else:
            s.score += 10
        s.score += 20 * (1 - s.load / max_load)
        s.busy_with = busy.get(tech.pk, [])
        s.outside_hours = not integrations.window_in_working_time(
            tech, start, end, calendars[tech.pk]
        )
        s.absent = tech.pk in absent
        s.score += -30 if (s.busy_with or s.outside_hours or s.absent) else 10
        s.score = round(s.score, 1)
        results.append(s)
    results.sort(key=lambda s: (not s.eligible, s.out_of_reach, -s.score, s.technician.pk))
    shown = results[:limit]
    for s in shown:
        _explain(s, order, len(required), day)
    return shown
