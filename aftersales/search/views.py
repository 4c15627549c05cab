"""The search screens: the results page (grouped by kind, paged per kind) and the as-you-type
dropdown of the navbar's search box (an htmx partial)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from aftersales.core.errors import InvalidInput

from . import selectors
from .models import EntryKind
from .selectors import ORDER_RECENT, search, search_grouped, searchable_kinds

KIND_LABELS = dict(EntryKind.choices)


def _kinds_or_403(request: HttpRequest) -> list[str]:
    kinds = searchable_kinds(request.user)
    if not kinds:
        raise PermissionDenied
    return kinds


def _base_template(user) -> str:
    staff = getattr(user, "is_staff_member", False)
    return "base.html" if staff else "portal/base_portal.html"


@login_required
@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    """``/search/?q=`` — the best results of every kind; ``&kind=case`` pages through one."""
    kinds = _kinds_or_403(request)
    text = (request.GET.get("q") or "").strip()[:100]
    kind = request.GET.get("kind") or ""
    if kind and kind not in kinds:
        kind = ""
    groups: list[dict] = []
    error = ""
    next_cursor = None
    if text:
        try:
            if kind:
                page = search(
                    user=request.user,
                    text=text,
                    kind=kind,
                    cursor=request.GET.get("cursor") or None,
                    limit=20,
                )
                groups = [
                    {
                        "kind": kind,
                        "label": KIND_LABELS[kind],
                        "hits": page.hits,
                        "recent": page.order == ORDER_RECENT,
                    }
                ]
                next_cursor = page.next_cursor
            else:
                pages = search_grouped(user=request.user, text=text, per_kind=5)
                groups = [
                    {
                        "kind": k,
                        "label": KIND_LABELS[k],
                        "hits": p.hits,
                        "more": p.next_cursor is not None,
                        "recent": p.order == ORDER_RECENT,
                    }
                    for k, p in pages.items()
                ]
        except InvalidInput as exc:
            error = str(exc.message)
    context = {
        "base_template": _base_template(request.user),
        "q": text,
        "kind": kind,
        "kinds": [(k, KIND_LABELS[k]) for k in kinds],
        "groups": groups,
        "found": any(g["hits"] for g in groups),
        "error": error,
        "next_cursor": next_cursor,
        "rank_bound": selectors.RANK_BOUND,
        "is_later_page": bool(request.GET.get("cursor")),
    }
    return render(request, "search/search.html", context, status=422 if error else 200)


@login_required
@require_GET
def search_suggest(request: HttpRequest) -> HttpResponse:
    """The navbar dropdown: a few results per kind while the user types."""
    _kinds_or_403(request)
    text = (request.GET.get("q") or "").strip()[:100]
    groups: list[dict] = []
    if text:
        try:
            pages = search_grouped(user=request.user, text=text, per_kind=5)
        except InvalidInput:
            pages = {}
        groups = [
            {"kind": k, "label": KIND_LABELS[k], "hits": p.hits} for k, p in pages.items() if p.hits
        ]
    context = {"q": text, "groups": groups, "searched": bool(text)}
    return render(request, "search/partials/_suggest.html", context)
