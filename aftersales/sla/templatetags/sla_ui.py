"""Display helpers for service levels: a case's clocks, time left or overdue, durations."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from aftersales.sla import selectors
from aftersales.sla.choices import ClockState, PauseReason, TargetKind

register = template.Library()

STATE_CLASSES = {
    ClockState.RUNNING: "text-bg-primary",
    ClockState.PAUSED: "text-bg-secondary",
    ClockState.MET: "text-bg-success",
    ClockState.BREACHED: "text-bg-danger",
    ClockState.CANCELLED: "text-bg-light border",
}
WARN_SECONDS = 4 * 3600  # "due soon" below four hours


def span_words(seconds: int | float | None) -> str:
    """``93784`` → ``1 d 2 h``; ``2700`` → ``45 min``: the two largest units."""
    if seconds is None:
        return ""
    seconds = abs(int(seconds))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return _("%(d)s d %(h)s h") % {"d": days, "h": hours}
    if hours:
        return _("%(h)s h %(m)s min") % {"h": hours, "m": minutes}
    return _("%(m)s min") % {"m": minutes}


@register.filter
def span(seconds: int | float | None) -> str:
    return span_words(seconds)


@register.filter
def clock_state_class(state: str) -> str:
    return STATE_CLASSES.get(state, "text-bg-light")


@register.filter
def clock_state_label(state: str) -> Any:
    try:
        return ClockState(state).label
    except ValueError:
        return state


@register.filter
def target_label(kind: str) -> Any:
    try:
        return TargetKind(kind).label
    except ValueError:
        return kind


_DURATION = re.compile(r"^\s*(\d+)\s*(wm|wh|wd|m|h|d)\s*$")


@register.filter
def duration_words(code: str) -> str:
    """A policy's duration code in words: ``24h`` → 24 小时 / 24 hours, ``4wh`` → 4 个工作小时 /
    4 working hours, ``1wd`` → 1 个工作日 / 1 working day; anything else as written."""
    found = _DURATION.match(code or "")
    if found is None:
        return code or ""
    n, unit = int(found[1]), found[2]
    words = {
        "m": ngettext("%(n)s minute", "%(n)s minutes", n),
        "h": ngettext("%(n)s hour", "%(n)s hours", n),
        "d": ngettext("%(n)s day", "%(n)s days", n),
        "wm": ngettext("%(n)s working minute", "%(n)s working minutes", n),
        "wh": ngettext("%(n)s working hour", "%(n)s working hours", n),
        "wd": ngettext("%(n)s working day", "%(n)s working days", n),
    }[unit]
    return words % {"n": n}


@register.filter
def level_words(level: Any) -> str:
    """When an escalation level fires, in words: at 75 % of the allowed time, or 4 working
    hours past due."""
    if level.trigger == "share":
        return _("at %(share)s %% of the allowed time") % {"share": level.share_percent}
    return _("%(span)s past due") % {"span": duration_words(level.past_due)}


@register.filter
def sla_filter_words(value: str) -> str:
    """The queue's service-level filter (``met``, ``breached:first_response``) in words."""
    state, _sep, kind = (value or "").partition(":")
    words = str(clock_state_label(state))
    return f"{words} · {target_label(kind)}" if kind else words


@register.filter
def milestone_label(code: str) -> str:
    """A milestone by the name people gave it: the target that ends on it, or a known one."""
    return selectors.milestone_name(code)


@register.filter
def pause_label(reason: str) -> Any:
    try:
        return PauseReason(reason).label
    except ValueError:
        return reason


@register.filter
def iso_local(value: str | None) -> str:
    """An ISO instant stored in an event, as local ``YYYY-MM-DD HH:MM``."""
    if not value:
        return ""
    try:
        moment = dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return str(value)
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


@register.simple_tag(takes_context=True)
def case_clock_rows(context: dict, case: Any) -> list[dict[str, Any]]:
    """The case's clocks with what is left of each, for the staff who may see them."""
    user = context.get("user")
    if user is None or not selectors.can_see_clocks(user):
        return []
    now = timezone.now()
    rows = []
    for clock in selectors.case_clocks(user=user, case=case):
        left = selectors.clock_remaining(clock, now)
        rows.append(
            {
                "clock": clock,
                "left": left,
                "soon": bool(left and not left.overdue and left.seconds < WARN_SECONDS),
            }
        )
    return rows


@register.inclusion_tag("sla/partials/_due_cell.html")
def due_cell(case: Any) -> dict[str, Any]:
    """The queue's "due" column: time left until the nearest due time, or overdue."""
    due = getattr(case, "sla_due", None)
    if due is None:
        return {"due": None}
    seconds = int((due - timezone.now()).total_seconds())
    return {
        "due": due,
        "seconds": seconds,
        "overdue": seconds < 0,
        "soon": 0 <= seconds < WARN_SECONDS,
    }
