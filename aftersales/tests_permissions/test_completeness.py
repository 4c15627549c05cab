"""Every API operation and every page has a row in the permission matrix, and every row still
names something that exists."""

from __future__ import annotations

from .enumerate import api_operations, url_patterns
from .matrix import API_ROWS, HTML_ROWS


def _keys(rows) -> list[str]:
    keys = [row.key for row in rows]
    doubled = sorted({k for k in keys if keys.count(k) > 1})
    assert not doubled, f"rows given twice: {doubled}"
    return keys


def test_every_api_operation_has_a_row():
    covered = set(_keys(API_ROWS))
    pending = [op for op in api_operations() if op not in covered]
    assert not pending, "API operations without a row in the permission matrix:\n" + "\n".join(
        pending
    )


def test_every_url_pattern_has_a_row():
    covered = set(_keys(HTML_ROWS))
    pending = [name for name in url_patterns() if name not in covered]
    assert not pending, "URL patterns without a row in the permission matrix:\n" + "\n".join(
        pending
    )


def test_no_row_names_an_operation_or_page_that_is_gone():
    known = set(api_operations()) | set(url_patterns())
    stale = sorted(row.key for row in (*API_ROWS, *HTML_ROWS) if row.key not in known)
    assert not stale, "rows for operations or pages that no longer exist:\n" + "\n".join(stale)
