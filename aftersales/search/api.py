"""API: one search over cases, customers and products (``GET /api/v1/search``).

The same selector as the search page: ranked, highlighted, restricted to what the caller may
see (a customer finds only their own cases and products), paged by an opaque cursor.
"""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from aftersales.accounts.models import User
from aftersales.core.api import ERRORS_READ, Cursor, InputSchema, require

from .selectors import search, searchable_kinds

router = Router(tags=["search"])


class SearchQuery(InputSchema):
    q: str = Field(
        ...,
        min_length=1,
        max_length=100,
        description="Words (Chinese or English), a case number, a product model or serial, "
        "or 4+ digits of a phone number (“138 1234 5678” is read as one number)",
    )
    kind: Literal["case", "customer", "asset"] | None = Field(
        None, description="Only this kind of result; all kinds the caller may see if left out"
    )
    cursor: Cursor = ""
    limit: int = Field(20, ge=1, le=50)


class SearchHitOut(Schema):
    kind: str
    id: int = Field(description="Id of the case, customer or product")
    ref: str = Field(
        description="Case number, product serial/VIN, or the customer's phone (masked unless "
        "the caller may see it whole)"
    )
    title: str = Field(description="HTML: escaped text, matched words in <mark>")
    snippet: str = Field(description="HTML: escaped text, matched words in <mark>")
    url: str
    rank: float = Field(description="Higher is a better match")
    status: str = ""
    case_type: str = ""
    in_note: bool = Field(False, description="The words were found in an internal note")


class SearchPageOut(Schema):
    items: list[SearchHitOut]
    next_cursor: str | None
    order: Literal["rank", "recent"] = Field(
        "rank",
        description="rank: best match first; recent: more matches than are ranked (a very "
        "common word), newest first",
    )


@router.get("/search", response={200: SearchPageOut, **ERRORS_READ}, summary="Search")
def search_endpoint(request: HttpRequest, params: Query[SearchQuery]):
    """Ranked, highlighted results; pass ``next_cursor`` back as ``cursor`` for the next page.
    A query with nothing searchable in it (only punctuation or particles) answers 422."""
    user: User = request.auth
    kinds = searchable_kinds(user)
    require(bool(kinds))
    require(params.kind is None or params.kind in kinds)
    page = search(
        user=user, text=params.q, kind=params.kind, cursor=params.cursor or None, limit=params.limit
    )
    return {
        "items": [
            {
                "kind": hit.kind,
                "id": hit.object_id,
                "ref": hit.ref,
                "title": str(hit.title),
                "snippet": str(hit.snippet),
                "url": hit.url,
                "rank": hit.rank,
                "status": hit.status,
                "case_type": hit.case_type,
                "in_note": hit.in_note,
            }
            for hit in page.hits
        ],
        "next_cursor": page.next_cursor,
        "order": page.order,
    }
