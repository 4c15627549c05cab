"""The search index follows every change of a case's text or facets through the case hooks
(registered in ``SearchConfig.ready``), inside the change's transaction, so a search never
finds a case as it was before a committed change."""

from __future__ import annotations

from typing import Any

from aftersales.cases import hooks

from .indexing import index_case


def _opened(p: hooks.CaseOpened) -> None:
    index_case(p.case, new=True)  # a new case has no replies to read yet


def _changed(p: Any) -> None:
    index_case(p.case)


def register() -> None:
    hooks.case_opened.register(_opened, name="search", order=hooks.ORDER_SEARCH)
    for hook in (
        hooks.details_changed,
        hooks.status_changed,
        hooks.assigned,
        hooks.replied,
        hooks.noted,
        hooks.rated,
    ):
        hook.register(_changed, name="search", order=hooks.ORDER_SEARCH)
