"""Searching the index, restricted exactly like the lists (style rule 5).

A query is tokenised like the index (:func:`tokenizer.query_terms`); every term must match, by
prefix. Who sees what:

- cases: the customer history of :mod:`aftersales.cases.selectors` (agents and complaint
  officers every case, dispatchers and supervisors all, technicians their own jobs, customers
  their own cases), applied to the entry's customer, team, assignee and type columns; internal
  notes are searched for staff, and only in their working scope: another team's case read
  from the customer history is found by its public text, never by its notes
  (docs/adr/0006-customer-history-at-the-desk.md);
- customers: :func:`aftersales.customers.selectors.customer_visible_q` (staff only);
- assets: the rule of :func:`aftersales.customers.selectors.asset_list`;
- phone numbers: by any 4+ digits only for roles that may reveal numbers (and written to the
  access log unless the role sees numbers anyway); other staff find a customer by the whole
  number only; customers never search phones.

Results are ranked (bm25 on SQLite, ts_rank on PostgreSQL), highlighted, and paged by an
opaque cursor. Only the newest ``RANK_BOUND`` visible matches are ever ranked: a query with more
matches (a very common word) is answered newest first and paged by a keyset cursor.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from aftersales.accounts.models import User
from aftersales.cases.selectors import (
    case_registered_ids,
    case_visible_q,
    reads_customer_history,
)
from aftersales.core.errors import InvalidInput
from aftersales.customers.models import Customer
from aftersales.customers.phones import mask_phone, national_digits, normalize_phone
from aftersales.customers.selectors import (
    _own_job_customers,
    customer_visible_q,
    may_search_phone_digits,
    sees_full_personal_data,
)

from . import dictionary
from .models import EntryKind, SearchEntry
from .tokenizer import Term, highlight_html, highlight_pattern, query_terms

MAX_OFFSET = 1000
MAX_QUERY_CHARS = 100
# bm25 weights of tokens, note_tokens, phone_tokens (SQLite); ts_rank weights D, C, B, A.
SQLITE_WEIGHTS = "10.0, 4.0, 6.0"
POSTGRES_WEIGHTS = "'{0.1, 0.6, 0.4, 1.0}'"
# At most this many matches are ranked; a query with more is answered newest first.
RANK_BOUND = 1000
ORDER_RANK = "rank"
ORDER_RECENT = "recent"


@dataclass
class Hit:
    """One result, ready to show: ``title`` and ``snippet`` are escaped HTML with the matched
    words in ``<mark>``."""

    kind: str
    object_id: int
    ref: str
    title: SafeString
    snippet: SafeString
    url: str
    rank: float
    status: str = ""
    case_type: str = ""
    customer_id: int | None = None
    in_note: bool = False


@dataclass
class SearchPage:
    hits: list[Hit]
    next_cursor: str | None
    terms: list[Term] = field(default_factory=list)
    # "rank": best first; "recent": more than RANK_BOUND matches, newest first
    order: str = "rank"


# --- who may search what -------------------------------------------------------------------------


def searchable_kinds(user: User) -> list[str]:
    """The kinds of object ``user`` may find: staff what their lists show, customers their own
    cases and products."""
    if not user.is_authenticated or not user.is_active:
        return []
    if not getattr(user, "is_staff_member", False):
        return [EntryKind.CASE, EntryKind.ASSET] if getattr(user, "is_customer", False) else []
    kinds = []
    if user.has_perm("cases.view_case"):
        kinds.append(EntryKind.CASE)
    if user.has_perm("customers.view_customer") or user.has_perm("cases.view_case"):
        kinds.append(EntryKind.CUSTOMER)
    if user.has_perm("customers.view_asset") or user.has_perm("cases.view_case"):
        kinds.append(EntryKind.ASSET)
    return kinds


def _asset_visible_q(user: User) -> Q | None:
    if user.is_superuser or user.has_perm("customers.view_asset"):
        return None
    if user.has_perm("cases.view_case"):
        return Q(customer_id__in=_own_job_customers(user))
    return Q(customer__user=user)


def _customer_entry_q(user: User) -> Q | None:
    cond = customer_visible_q(user)
    if cond is None:
        return None
    return Q(customer_id__in=Customer.objects.filter(cond).values("pk"))


def _case_work_entry_q(user: User) -> Q | None:
    """The working scope of :func:`case_visible_q` on the index's columns (``None``: all)."""
    return case_visible_q(user, registered=Q(object_id__in=case_registered_ids(user)))


def _case_entry_q(user: User) -> Q | None:
    """The cases ``user`` may find: the customer history (``None``: every case)."""
    if reads_customer_history(user):
        return None
    return _case_work_entry_q(user)


def visible_entries_q(user: User, kinds: list[str]) -> Q:
    """The entries ``user`` may find, kind by kind, as one condition."""
    rules = {
        EntryKind.CASE: _case_entry_q,
        EntryKind.CUSTOMER: _customer_entry_q,
        EntryKind.ASSET: _asset_visible_q,
    }
    cond = Q(pk__in=[])
    for kind in kinds:
        rule = rules[kind](user)
        cond |= Q(kind=kind) if rule is None else Q(kind=kind) & rule
    return cond


# --- the match expression, per database ----------------------------------------------------------


@dataclass
class _Columns:
    text: list[str]  # token columns searched by prefix
    phone: str | None  # "fragment" | "whole" | None


def _columns_for(user: User) -> _Columns:
    staff = getattr(user, "is_staff_member", False)
    text = ["tokens", "note_tokens"] if staff else ["tokens"]
    if not staff:
        return _Columns(text, None)
    return _Columns(text, "fragment" if may_search_phone_digits(user) else "whole")


def _whole_phone(digits: str) -> str | None:
    try:
        e164 = normalize_phone(digits)
    except InvalidInput:
        return None
    return national_digits(e164)


def _phone_token(term: Term, cols: _Columns) -> str | None:
    """The phone token a digits term may match for this role, if any."""
    if not term.digits or cols.phone is None or len(term.text) < 4:
        return None
    if cols.phone == "fragment":
        return term.text
    return _whole_phone(term.text)


def _fts5_match(terms: list[Term], cols: _Columns) -> str:
    """FTS5 query: every term, by prefix, in the allowed columns; digits also whole in the
    phone column. Tokens hold only letters and digits, so quoting is plain."""
    colspec = "{" + " ".join(cols.text) + "}"
    parts = []
    for term in terms:
        clause = f'{colspec} : "{term.text}"' + ("" if term.whole else " *")
        phone = _phone_token(term, cols)
        if phone:
            clause = f'({clause} OR {{phone_tokens}} : "{phone}")'
        parts.append(clause)
    return " AND ".join(parts)


def _tsquery(terms: list[Term], cols: _Columns) -> str:
    """PostgreSQL tsquery: weights A (tokens), B (notes), C (phones) stand for the columns."""
    weights = "A" + ("B" if "note_tokens" in cols.text else "")
    parts = []
    for term in terms:
        clause = f"'{term.text}':{'' if term.whole else '*'}{weights}"
        phone = _phone_token(term, cols)
        if phone:
            clause = f"({clause} | '{phone}':C)"
        parts.append(clause)
    return " & ".join(parts)


def _matching(qs: QuerySet, terms: list[Term], cols: _Columns) -> QuerySet:
    """``qs`` narrowed to the entries matching ``terms``, with a ``rank`` (higher is better)."""
    if connection.vendor == "postgresql":
        tsq = _tsquery(terms, cols)
        return qs.extra(
            where=["search_entry.tsv @@ %s::tsquery"],
            params=[tsq],
            select={"rank": f"ts_rank({POSTGRES_WEIGHTS}, search_entry.tsv, %s::tsquery)"},
            select_params=[tsq],
        )
    return qs.extra(
        tables=["search_fts"],
        where=["search_fts.rowid = search_entry.id", "search_fts MATCH %s"],
        params=[_fts5_match(terms, cols)],
        select={"rank": f"-bm25(search_fts, {SQLITE_WEIGHTS})"},
    )


def _match_q(terms: list[Term], cols: _Columns) -> Q:
    """The match as a condition on the entry's id that names no outer table, so it survives
    being used inside a subquery (the queue's text filter)."""
    if connection.vendor == "postgresql":
        sql = "SELECT id FROM search_entry WHERE tsv @@ %s::tsquery"
        return Q(id__in=RawSQL(sql, [_tsquery(terms, cols)]))
    sql = "SELECT rowid FROM search_fts WHERE search_fts MATCH %s"
    return Q(id__in=RawSQL(sql, [_fts5_match(terms, cols)]))


def _notes_beyond_work(user: User, cols: _Columns) -> Q | None:
    """For a reader of the customer history who also searches notes: the entries whose notes
    they may search (everything but the cases outside their working scope), or ``None`` when
    they may search the notes of every entry they find."""
    if "note_tokens" not in cols.text or not reads_customer_history(user):
        return None
    work = _case_work_entry_q(user)
    if work is None:
        return None
    return ~Q(kind=EntryKind.CASE) | work


def _public_columns(cols: _Columns) -> _Columns:
    return _Columns([c for c in cols.text if c != "note_tokens"], cols.phone)


def _notes_guard(user: User, terms: list[Term], cols: _Columns, *, nested: bool = False):
    """The condition that keeps a case outside the working scope from matching on its internal
    notes: it must match on its public text alone. ``nested``: the query is used as a
    subquery (tables renamed), so the public match is an id list rather than a test of the
    row itself."""
    notes_ok = _notes_beyond_work(user, cols)
    if notes_ok is None:
        return None
    public = _public_columns(cols)
    if nested:
        return notes_ok | _match_q(terms, public)
    if connection.vendor == "postgresql":
        row_match = RawSQL(
            "search_entry.tsv @@ %s::tsquery", [_tsquery(terms, public)], BooleanField()
        )
    else:
        # FTS5 answers "this rowid and this match" from the index without a scan
        row_match = RawSQL(
            "EXISTS (SELECT 1 FROM search_fts AS pub WHERE pub.rowid = search_entry.id "
            "AND pub.search_fts MATCH %s)",
            [_fts5_match(terms, public)],
            BooleanField(),
        )
    return notes_ok | Q(row_match)


def _guarded(qs: QuerySet, user: User, terms: list[Term], cols: _Columns, **kw) -> QuerySet:
    guard = _notes_guard(user, terms, cols, **kw)
    return qs if guard is None else qs.filter(guard)


def _log_phone_search(user: User, terms: list[Term], cols: _Columns) -> None:
    if cols.phone != "fragment" or sees_full_personal_data(user):
        return
    for term in terms:
        if term.digits and len(term.text) >= 4:
            from aftersales.customers.services import personal_data_search_record

            personal_data_search_record(actor=user, digits=term.text)
            return


# --- cursors -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecentAfter:
    """A newest-first page's position: the results after (older than) this entry id."""

    last_id: int


def encode_cursor(offset: int) -> str:
    raw = json.dumps({"o": offset}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def encode_recent_cursor(last_id: int) -> str:
    raw = json.dumps({"r": last_id}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int | RecentAfter:
    """An offset into ranked results, or the position in a newest-first answer."""
    if not cursor:
        return 0
    invalid = InvalidInput(_("The page cursor is not valid."), code="invalid_cursor")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
        if not isinstance(data, dict):
            raise invalid
        if "r" in data:
            last_id = data["r"]
            if not isinstance(last_id, int) or isinstance(last_id, bool) or last_id < 1:
                raise invalid
            return RecentAfter(last_id)
        offset = data["o"]
    except (binascii.Error, ValueError, TypeError, KeyError, UnicodeDecodeError) as exc:
        raise invalid from exc
    if not isinstance(offset, int) or isinstance(offset, bool) or not 0 <= offset <= MAX_OFFSET:
        raise invalid
    return offset


# --- the search ----------------------------------------------------------------------------------


def parse_query(text: str) -> list[Term]:
    """The query's terms, or :class:`InvalidInput` (422) when nothing in it can be searched."""
    text = (text or "").strip()[:MAX_QUERY_CHARS]
    dictionary.ensure_loaded()
    terms = query_terms(text)
    if not terms:
        raise InvalidInput(
            _("Type a word, a number or at least 4 digits of a phone number."),
            code="query_not_searchable",
        )
    return terms


def entry_matches(
    *, user: User, terms: list[Term], kinds: list[str] | None = None
) -> QuerySet[SearchEntry]:
    """The entries ``user`` may see that match ``terms``, annotated with ``rank``, unordered.
    Used by the search page and API and, as a subquery, by the queue's text filter."""
    allowed = searchable_kinds(user)
    kinds = [k for k in (kinds or allowed) if k in allowed]
    cols = _columns_for(user)
    qs = _guarded(SearchEntry.objects.filter(visible_entries_q(user, kinds)), user, terms, cols)
    return _matching(qs, terms, cols)


def case_ids_matching(*, user: User, text: str) -> QuerySet | None:
    """Ids of the cases matching ``text`` for ``user`` (a subquery), or ``None`` when the text
    has nothing searchable."""
    dictionary.ensure_loaded()
    terms = query_terms((text or "").strip()[:MAX_QUERY_CHARS])
    if not terms:
        return None
    kinds = [EntryKind.CASE] if EntryKind.CASE in searchable_kinds(user) else []
    cols = _columns_for(user)
    qs = _guarded(
        SearchEntry.objects.filter(visible_entries_q(user, kinds)), user, terms, cols, nested=True
    )
    return qs.filter(_match_q(terms, cols)).values("object_id")


def _visible_matches(
    user: User,
    terms: list[Term],
    kind: str | None,
    *,
    cols: _Columns | None = None,
    guard: bool = True,
) -> QuerySet[SearchEntry]:
    """The visible matching entries as one index-friendly statement: the match and the
    permission filter in the same WHERE, no rank yet. ``cols`` and ``guard`` (the notes guard)
    are for :func:`_newest_candidates`, which splits a guarded search in two."""
    allowed = searchable_kinds(user)
    kinds = [k for k in ([kind] if kind else allowed) if k in allowed]
    cols = cols or _columns_for(user)
    qs = SearchEntry.objects.filter(visible_entries_q(user, kinds))
    if guard:
        qs = _guarded(qs, user, terms, cols)
    if connection.vendor == "postgresql":
        return qs.extra(where=["search_entry.tsv @@ %s::tsquery"], params=[_tsquery(terms, cols)])
    return qs.extra(
        tables=["search_fts"],
        where=["search_fts.rowid = search_entry.id", "search_fts MATCH %s"],
        params=[_fts5_match(terms, cols)],
    )


def _newest_candidates(
    user: User, terms: list[Term], kind: str | None, bound: int
) -> list[tuple[int, float]]:
    """``(id, rank)`` of the newest ``bound + 1`` visible matches, newest first. The newest are
    taken first (GIN or FTS5 match, permission filter, ``ORDER BY id DESC LIMIT``) and only
    those are ranked, so a word found in a fifth of all cases costs what ``bound`` rows cost.

    A reader of the customer history whose notes search stops at the working scope gets two
    such bounded statements instead of a per-row guard: the public text of everything they may
    find, and public text and notes of what they may search the notes of; the newest of both."""
    cols = _columns_for(user)
    notes_ok = _notes_beyond_work(user, cols)
    if notes_ok is None:
        return _newest_of(_visible_matches(user, terms, kind), terms, cols, bound)
    public = _public_columns(cols)
    everything = _visible_matches(user, terms, kind, cols=public, guard=False)
    with_notes = _visible_matches(user, terms, kind, cols=cols, guard=False).filter(notes_ok)
    ranks = dict(_newest_of(everything, terms, public, bound))
    ranks.update(_newest_of(with_notes, terms, cols, bound))  # notes count in the rank
    return sorted(ranks.items(), key=lambda c: -c[0])[: bound + 1]


def _newest_of(
    qs: QuerySet[SearchEntry], terms: list[Term], cols: _Columns, bound: int
) -> list[tuple[int, float]]:
    if connection.vendor == "postgresql":
        try:
            inner_sql, inner_params = (
                qs.order_by("-id").values_list("id", flat=True)[: bound + 1].query.sql_with_params()
            )
        except EmptyResultSet:  # nothing the user may search
            return []
        sql = (
            f"SELECT e.id, ts_rank({POSTGRES_WEIGHTS}, e.tsv, %s::tsquery) FROM search_entry e "
            f"WHERE e.id IN ({inner_sql}) ORDER BY e.id DESC"
        )
        with connection.cursor() as cur:
            cur.execute(sql, [_tsquery(terms, cols), *inner_params])
            return [(row[0], float(row[1])) for row in cur.fetchall()]
    # FTS5 hands out matches in rowid order, so ``rowid DESC LIMIT`` stops early, and bm25 is
    # computed only for the rows returned.
    rows = qs.extra(
        select={"rank": f"-bm25(search_fts, {SQLITE_WEIGHTS})"},
        order_by=["-search_fts.rowid"],
    ).values_list("id", "rank")[: bound + 1]
    return [(pk, float(rank or 0.0)) for pk, rank in rows]


def search(
    *,
    user: User,
    text: str,
    kind: str | None = None,
    cursor: str | None = None,
    limit: int = 20,
    log: bool = True,
) -> SearchPage:
    """One page of highlighted results (all kinds mixed, or one ``kind``).

    Up to :data:`RANK_BOUND` visible matches are ranked (best first, then newest) and paged by
    offset. A query with more matches than that — a very common word like 空调 — is answered
    newest first instead (``SearchPage.order == "recent"``) and paged by the last id seen, so
    its cost does not grow with the number of matches."""
    terms = parse_query(text)
    position = decode_cursor(cursor)
    cols = _columns_for(user)
    if isinstance(position, RecentAfter):
        # later pages of a newest-first answer: a keyset page, no ranking
        ids_ranks = [
            (pk, 0.0)
            for pk in _visible_matches(user, terms, kind)
            .filter(id__lt=position.last_id)
            .order_by("-id")
            .values_list("id", flat=True)[: limit + 1]
        ]
        order, offset = ORDER_RECENT, 0
    else:
        offset = position
        candidates = _newest_candidates(user, terms, kind, RANK_BOUND)
        if len(candidates) <= RANK_BOUND:
            order = ORDER_RANK
            candidates.sort(key=lambda c: (-c[1], -c[0]))
            ids_ranks = candidates[offset : offset + limit + 1]
        else:
            # newest first (an offset from an earlier ranked page counts from the newest)
            order = ORDER_RECENT
            if offset + limit + 1 > len(candidates):
                newest = _visible_matches(user, terms, kind).order_by("-id")
                candidates = [
                    (pk, 0.0) for pk in newest.values_list("id", flat=True)[: offset + limit + 1]
                ]
            ids_ranks = candidates[offset : offset + limit + 1]
    if log and offset == 0 and not isinstance(position, RecentAfter):
        _log_phone_search(user, terms, cols)
    more = len(ids_ranks) > limit
    ids_ranks = ids_ranks[:limit]
    entries_qs = SearchEntry.objects.all()
    notes_ok = _notes_beyond_work(user, cols)
    if notes_ok is not None:
        entries_qs = entries_qs.annotate(
            notes_ok=ExpressionWrapper(notes_ok, output_field=BooleanField())
        )
    entries = entries_qs.only(
        "kind",
        "object_id",
        "customer_id",
        "case_type",
        "status",
        "ref",
        "title",
        "body",
        "note_body",
    ).in_bulk([pk for pk, _rank in ids_ranks])
    pattern = highlight_pattern(terms)
    hits = []
    for pk, rank in ids_ranks:
        entry = entries.get(pk)
        if entry is not None:
            entry.rank = rank
            hits.append(_hit(user, entry, pattern))
    next_cursor = None
    if more and order == ORDER_RECENT:
        next_cursor = encode_recent_cursor(ids_ranks[-1][0])
    elif more and offset + limit <= MAX_OFFSET:
        next_cursor = encode_cursor(offset + limit)
    return SearchPage(hits=hits, next_cursor=next_cursor, terms=terms, order=order)


def search_grouped(*, user: User, text: str, per_kind: int = 5) -> dict[str, SearchPage]:
    """The best few results of each kind the user may search (the navbar dropdown and the
    first page of the results page). The phone-fragment search is logged once."""
    pages = {}
    for i, kind in enumerate(searchable_kinds(user)):
        pages[kind] = search(user=user, text=text, kind=kind, limit=per_kind, log=i == 0)
    return pages


# --- presenting ----------------------------------------------------------------------------------


def _case_url(user: User, number: str) -> str:
    if getattr(user, "is_staff_member", False):
        return reverse("cases:case_detail", args=[number])
    return reverse("portal:case_detail", args=[number])


def _terms_found(pattern: re.Pattern[str], text: str) -> int:
    return len({m.group().casefold() for m in pattern.finditer(text or "")})


def _hit(user: User, entry: SearchEntry, pattern: re.Pattern[str] | None) -> Hit:
    staff = getattr(user, "is_staff_member", False)
    snippet_source, in_note = entry.body, False
    if (
        staff
        and getattr(entry, "notes_ok", True)
        and entry.note_body
        and pattern is not None
        and _terms_found(pattern, entry.note_body)
        > _terms_found(pattern, f"{entry.title}\n{entry.body}")
    ):
        snippet_source, in_note = entry.note_body, True
    ref = entry.ref
    if entry.kind == EntryKind.CASE:
        url = _case_url(user, entry.ref)
        title = escape(entry.ref) + " " + highlight_html(entry.title, pattern)
    elif entry.kind == EntryKind.CUSTOMER:
        url = reverse("customers:customer_detail", args=[entry.object_id])
        if not sees_full_personal_data(user):
            ref = mask_phone(entry.ref)
        title = highlight_html(entry.title, pattern)
    else:
        if staff:
            url = reverse("customers:customer_detail", args=[entry.customer_id])
        else:
            url = reverse("portal:case_list")
        title = highlight_html(entry.title, pattern)
    return Hit(
        kind=entry.kind,
        object_id=entry.object_id,
        ref=ref,
        title=mark_safe(title),  # built from escaped pieces
        snippet=mark_safe(highlight_html(snippet_source, pattern, width=120)),
        url=url,
        rank=float(getattr(entry, "rank", 0.0) or 0.0),
        status=entry.status,
        case_type=entry.case_type,
        customer_id=entry.customer_id,
        in_note=in_note,
    )


def customer_lookup(*, user: User, text: str, limit: int = 10) -> list[Customer]:
    """Hotline intake: the customers matching a name, company or phone digits, best first,
    with their contacts. Fewer than 4 digits, or nothing searchable, finds nobody."""
    text = (text or "").strip()[:MAX_QUERY_CHARS]
    if EntryKind.CUSTOMER not in searchable_kinds(user):
        return []
    dictionary.ensure_loaded()
    terms = query_terms(text)
    if not terms or (len(terms) == 1 and terms[0].digits and len(terms[0].text) < 4):
        return []
    ids = list(
        entry_matches(user=user, terms=terms, kinds=[EntryKind.CUSTOMER])
        .order_by("-rank", "-id")
        .values_list("object_id", flat=True)[:limit]
    )
    _log_phone_search(user, terms, _columns_for(user))
    found = Customer.objects.prefetch_related("contacts").in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]
