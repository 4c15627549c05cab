"""SLA compliance (R2.4, R12.1): met ÷ finished targets, breaches and the average time to the
first response, by team, agent, case type or period.

Formulas, per group of cases (cases counted by when they were created, in local time):

* finished = SLA clocks that ended met + clocks that breached (running, paused and cancelled
  clocks are not finished and not counted);
* compliance = met ÷ finished (empty when nothing finished);
* breached = clocks in state breached;
* average first response = mean of (first public staff reply − case created) over the cases
  that have a first response.

Everything is computed with two aggregate queries grouped in the database — never a loop over
cases in Python — so the report costs the same for ten cases or a million.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db.models import (
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
)
from django.db.models.functions import TruncDay, TruncMonth, TruncWeek
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftersales.accounts.models import Team, User
from aftersales.cases.choices import CaseType
from aftersales.cases.models import Case

GROUPS = {
    "team": gettext_lazy("Team"),
    "agent": gettext_lazy("Agent"),
    "case_type": gettext_lazy("Case type"),
    "period": gettext_lazy("Period"),
}
PERIODS = {"day": gettext_lazy("Day"), "week": gettext_lazy("Week"), "month": gettext_lazy("Month")}
_TRUNC = {"day": TruncDay, "week": TruncWeek, "month": TruncMonth}


def _clock_model():
    from aftersales.sla.models import SlaClock

    return SlaClock


@dataclass
class SlaReportFilter:
    """What the report covers: cases created from ``date_from`` to ``date_to`` (local dates,
    inclusive), optionally one team, one type and one target kind; grouped by ``group``."""

    date_from: dt.date
    date_to: dt.date
    group: str = "team"
    period: str = "week"
    team: Team | None = None
    case_type: str = ""
    kind: str = ""

    def created_range(self) -> tuple[dt.datetime, dt.datetime]:
        tz = timezone.get_current_timezone()
        start = dt.datetime.combine(self.date_from, dt.time.min, tzinfo=tz)
        end = dt.datetime.combine(self.date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        return start, end


@dataclass
class SlaRow:
    key: Any
    label: str
    met: int = 0
    breached: int = 0
    avg_first_response: dt.timedelta | None = None
    responded: int = 0
    query: dict[str, str] = field(default_factory=dict)

    @property
    def finished(self) -> int:
        return self.met + self.breached

    @property
    def compliance(self) -> float | None:
        """Met ÷ finished, as a percentage rounded to one decimal; ``None`` when none finished."""
        if not self.finished:
            return None
        return round(100 * self.met / self.finished, 1)

    @property
    def avg_first_response_hours(self) -> float | None:
        if self.avg_first_response is None:
            return None
        return round(self.avg_first_response.total_seconds() / 3600, 2)


@dataclass
class SlaReport:
    filters: SlaReportFilter
    rows: list[SlaRow]
    total: SlaRow


def _cases(user: User, f: SlaReportFilter) -> QuerySet[Case]:
    from aftersales.cases.selectors import case_list

    start, end = f.created_range()
    qs = case_list(user=user).filter(created_at__gte=start, created_at__lt=end)
    if f.team is not None:
        qs = qs.filter(team=f.team)
    if f.case_type:
        qs = qs.filter(case_type=f.case_type)
    return qs


def _group_expr(f: SlaReportFilter, prefix: str = ""):
    """The grouping column (or expression) for cases (``prefix=""``) or clocks (``"case__"``)."""
    if f.group == "team":
        return F(f"{prefix}team")
    if f.group == "agent":
        return F(f"{prefix}assignee")
    if f.group == "case_type":
        return F(f"{prefix}case_type")
    return _TRUNC[f.period](f"{prefix}created_at", tzinfo=timezone.get_current_timezone())


def _as_key(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def sla_compliance(*, user: User, filters: SlaReportFilter) -> SlaReport:
    """The report rows for the cases ``user`` may see, grouped as ``filters`` say."""
    SlaClock = _clock_model()
    cases = _cases(user, filters)
    clocks = SlaClock.objects.filter(case__in=cases.values("pk"), state__in=["met", "breached"])
    if filters.kind:
        clocks = clocks.filter(kind=filters.kind)
    counted = (
        clocks.annotate(g=_group_expr(filters, "case__"))
        .values("g")
        .annotate(
            met=Count("pk", filter=Q(state="met")),
            breached=Count("pk", filter=Q(state="breached")),
        )
        .order_by()
    )
    wait = ExpressionWrapper(F("first_response_at") - F("created_at"), output_field=DurationField())
    responses = (
        cases.filter(first_response_at__isnull=False)
        .annotate(g=_group_expr(filters))
        .values("g")
        .annotate(avg=Avg(wait), n=Count("pk"))
        .order_by()
    )
    rows: dict[Any, SlaRow] = {}
    for item in counted:
        key = _as_key(item["g"])
        row = rows.setdefault(key, SlaRow(key=key, label=""))
        row.met += item["met"]
        row.breached += item["breached"]
    for item in responses:
        key = _as_key(item["g"])
        row = rows.setdefault(key, SlaRow(key=key, label=""))
        row.avg_first_response = _duration(item["avg"])
        row.responded = item["n"]
    ordered = _label_rows(filters, rows)
    total = _total(user, filters, cases, clocks, wait)
    return SlaReport(filters=filters, rows=ordered, total=total)


def _duration(value: Any) -> dt.timedelta | None:
    """Avg of a duration: a timedelta on PostgreSQL, microseconds on SQLite."""
    if value is None:
        return None
    if isinstance(value, dt.timedelta):
        return value
    return dt.timedelta(microseconds=float(value))


def _total(user, filters, cases, clocks, wait) -> SlaRow:
    sums = clocks.aggregate(
        met=Count("pk", filter=Q(state="met")), breached=Count("pk", filter=Q(state="breached"))
    )
    avg = cases.filter(first_response_at__isnull=False).aggregate(avg=Avg(wait), n=Count("pk"))
    return SlaRow(
        key=None,
        label=_("All"),
        met=sums["met"],
        breached=sums["breached"],
        avg_first_response=_duration(avg["avg"]),
        responded=avg["n"],
        query=_drill(filters, None),
    )


def _label_rows(filters: SlaReportFilter, rows: dict[Any, SlaRow]) -> list[SlaRow]:
    if filters.group == "team":
        names = dict(Team.objects.filter(pk__in=[k for k in rows if k]).values_list("pk", "name"))
        codes = dict(Team.objects.filter(pk__in=[k for k in rows if k]).values_list("pk", "code"))
        for key, row in rows.items():
            row.label = names.get(key) or _("No team")
            # the queue cannot select "no team": that row has no drill-down
            row.query = _drill(filters, codes[key]) if key in codes else {}
        return sorted(rows.values(), key=lambda r: (r.key is None, r.label))
    if filters.group == "agent":
        people = {u.pk: u for u in User.objects.filter(pk__in=[k for k in rows if k])}
        for key, row in rows.items():
            person = people.get(key)
            row.label = str(person) if person else _("Unassigned")
            row.query = _drill(filters, person.username if person else "none")
        return sorted(rows.values(), key=lambda r: (r.key is None, r.label))
    if filters.group == "case_type":
        for key, row in rows.items():
            row.label = str(CaseType(key).label) if key in CaseType.values else str(key)
            row.query = _drill(filters, key)
        return sorted(rows.values(), key=lambda r: r.label)
    for key, row in rows.items():
        row.label = _period_label(filters.period, key)
        row.query = _drill(filters, key)
    return sorted(rows.values(), key=lambda r: r.key)


def _period_label(period: str, day: dt.date) -> str:
    if period == "month":
        return day.strftime("%Y-%m")
    if period == "week":
        iso = day.isocalendar()
        return f"{iso[0]}-W{iso[1]:02d}"
    return day.isoformat()


def _period_end(period: str, day: dt.date) -> dt.date:
    if period == "day":
        return day
    if period == "week":
        return day + dt.timedelta(days=6)
    nxt = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return nxt - dt.timedelta(days=1)


def _drill(filters: SlaReportFilter, key: Any) -> dict[str, str]:
    """Queue filter parameters for the cases behind a row (``key=None``: the total)."""
    start, end = filters.date_from, filters.date_to
    params: dict[str, str] = {"state": "all"}
    if filters.team is not None:
        params["team"] = filters.team.code
    if filters.case_type:
        params["case_type"] = filters.case_type
    if key is not None:
        if filters.group == "team":
            params["team"] = key
        elif filters.group == "agent":
            params["assignee"] = key
        elif filters.group == "case_type":
            params["case_type"] = key
        else:
            start = max(start, key)
            end = min(end, _period_end(filters.period, key))
    params["created"] = f"{start.isoformat()}..{end.isoformat()}"
    return params


def drill_url(query: dict[str, str], outcome: str, kind: str = "") -> str:
    """The case queue filtered to the cases behind a number (``outcome``: met or breached);
    empty when the row's cases cannot be selected in the queue."""
    if not query:
        return ""
    params = dict(query)
    params["sla"] = f"{outcome}:{kind}" if kind else outcome
    return f"{reverse('cases:queue')}?{urlencode(params)}"


def chart_data(report: SlaReport) -> dict[str, Any]:
    """What the ECharts chart draws: met and breached bars and the compliance line."""
    return {
        "labels": [r.label for r in report.rows],
        "met": [r.met for r in report.rows],
        "breached": [r.breached for r in report.rows],
        "compliance": [r.compliance for r in report.rows],
        "avg_first_response_hours": [r.avg_first_response_hours for r in report.rows],
        "series_names": {
            "met": _("Met"),
            "breached": _("Breached"),
            "compliance": _("Compliance %"),
        },
        "total": {
            "met": report.total.met,
            "breached": report.total.breached,
            "finished": report.total.finished,
            "compliance": report.total.compliance,
            "avg_first_response_hours": report.total.avg_first_response_hours,
        },
    }
