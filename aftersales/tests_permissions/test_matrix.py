"""The permission matrix, exercised: every row as every actor, and as the actors it names
against another customer's or another team's object."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from .conftest import PNG
from .matrix import ACTORS, API_ROWS, HTML_ROWS, UPLOAD, Form, Row

pytestmark = pytest.mark.django_db

# Which version a ``"version"`` field of a payload carries, by the path it is sent to.
_VERSIONS = (
    ("/workorders/", "wo_version"),
    ("/purchasing/orders/", "po_version"),
    ("/routing/rules/", "rule_version"),
    ("/cases/", "version"),
)
_PLACEHOLDER = re.compile(r"^\{(\w+)\}$")


def fill(value: Any, ids: dict[str, Any], path: str = "") -> Any:
    """Put the world's ids into a path or payload template."""
    if isinstance(value, str):
        whole = _PLACEHOLDER.match(value)
        if whole and whole[1] in ids:
            return ids[whole[1]]
        return value.format(**ids)
    if isinstance(value, list):
        return [fill(v, ids, path) for v in value]
    if isinstance(value, dict):
        out = {k: fill(v, ids, path) for k, v in value.items()}
        if "version" in out:
            out["version"] = next((ids[key] for part, key in _VERSIONS if part in path), 1)
        return out
    return value


def _upload(path: str) -> dict[str, Any]:
    photo = SimpleUploadedFile("photo.png", PNG, content_type="image/png")
    if "/attachments" in path:
        return {"files": photo}
    if path.startswith("/api/"):
        return {"file": photo, "kind": "before", "signer_name": "张三丰", "amount_seen": "0"}
    return {"file": photo}


def send(world: dict, row: Row, actor: str, side: str = "mine") -> int:
    """The status ``actor`` gets for ``row``; whatever the request writes is rolled back, and
    the client's cookies are put back (a logout or a language switch must not leak)."""
    ids = world[side]
    client = world["clients"][actor]
    path = fill(row.path, ids)
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        if row.payload == UPLOAD:
            response = client.post(path, data=_upload(path))
        elif row.payload is None:
            response = getattr(client, row.method)(path)
        elif path.startswith("/api/") and row.method != "get" and not isinstance(row.payload, Form):
            payload = fill(row.payload, ids, path)
            response = getattr(client, row.method)(
                path, data=json.dumps(payload), content_type="application/json"
            )
        else:
            response = getattr(client, row.method)(path, data=fill(row.payload, ids, path))
        transaction.set_rollback(True)
    client.cookies = cookies
    return response.status_code


def _check(world: dict, row: Row) -> None:
    got = {actor: send(world, row, actor) for actor in ACTORS}
    observed = " ".join(str(got[a]) for a in ACTORS)
    assert row.expect != "?", f"{row.key}: no expectation yet; observed {observed!r}"
    want = row.wants()
    wrong = {a: f"{got[a]} (want {want[a]})" for a in ACTORS if got[a] != want[a]}
    assert not wrong, f"{row.key} {row.path}: {wrong}; observed {observed!r}"
    for actor, code in sorted(row.other.items()):
        status = send(world, row, actor, side="other")
        assert status == code, f"{row.key} as {actor} on another's object: {status}, want {code}"


@pytest.mark.parametrize("row", API_ROWS, ids=[row.key for row in API_ROWS])
def test_api(world, row):
    _check(world, row)


@pytest.mark.parametrize("row", HTML_ROWS, ids=[row.key for row in HTML_ROWS])
def test_page(world, row):
    _check(world, row)
