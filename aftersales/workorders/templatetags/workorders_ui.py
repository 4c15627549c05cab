"""Template helpers of the work-order screens, and the panels shown on the case page and in
the customer portal."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import timezone

register = template.Library()


@register.simple_tag
def lane_cells(lane: dict[str, Any], days: list[dt.date]) -> str:
    """One lane's table cells, one per day, each listing that day's visits.

    Built here rather than in template loops: a week of 200 lanes holds thousands of visits,
    and the board must answer within 100 ms (docs/performance.md)."""
    from django.urls import reverse
    from django.utils.html import format_html
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext as _

    prefix = reverse("workorders:order_detail", args=["0"])[:-2]
    clash_title = _("double booking")
    tz = timezone.get_current_timezone()
    by_day: dict[dt.date, list[str]] = {d: [] for d in days}
    for v in lane["visits"]:
        cell = by_day.get(v["day"])
        if cell is None:
            continue
        clash = v["id"] in lane["conflicts"]
        cell.append(
            format_html(
                '<a class="wo-visit d-block{}" href="{}{}/">{}–{} {}{}</a>',
                " wo-clash" if clash else "",
                prefix,
                v["number"],
                v["planned_start"].astimezone(tz).strftime("%H:%M"),
                v["planned_end"].astimezone(tz).strftime("%H:%M"),
                v["number"],
                format_html(' <i class="bi bi-exclamation-triangle" title="{}"></i>', clash_title)
                if clash
                else "",
            )
        )
    return mark_safe("".join(f"<td>{''.join(by_day[d])}</td>" for d in days))


def case_panel_context(user: Any, case: Any) -> dict[str, Any]:
    """The case page's work-orders panel, with the action that opens one."""
    from aftersales.workorders.selectors import workorder_list
    from aftersales.workorders.services import SOURCE_CASE_TYPES

    can_view = user.has_perm("workorders.view_workorder")
    orders = (
        list(workorder_list(user=user).filter(case=case).select_related("technician"))
        if can_view
        else []
    )
    return {
        "case": case,
        "orders": orders,
        "can_view": can_view,
        "can_create": user.has_perm("workorders.add_workorder")
        and case.case_type in SOURCE_CASE_TYPES
        and case.status not in ("closed", "cancelled"),
    }


@register.inclusion_tag("workorders/partials/_portal_orders.html", takes_context=True)
def portal_work_orders(context: dict[str, Any], case: Any) -> dict[str, Any]:
    """The customer's view of the repair visits for their request: status and report."""
    from aftersales.workorders.report import report_visible
    from aftersales.workorders.selectors import workorder_list

    user = context["request"].user
    orders = list(
        workorder_list(user=user).filter(case=case).select_related("technician").order_by("id")
    )
    rows = []
    for order in orders:
        visit = order.visits.filter(cancelled=False).order_by("-planned_start").first()
        rows.append({"order": order, "visit": visit, "report": report_visible(user, order)})
    return {"rows": rows}


@register.simple_tag
def evaluation_levels() -> list[tuple[int, str]]:
    from aftersales.workorders.choices import Satisfaction

    return [(v, str(label)) for v, label in Satisfaction.choices]
