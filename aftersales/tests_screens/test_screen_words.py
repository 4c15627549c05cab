"""Every page of every role in both languages reads as words, not as internal codes.

Each HTML page of the permission matrix is rendered with the test client for every actor the
matrix lets in, in Simplified Chinese and in English, on the matrix's world of records. The
visible text (see :mod:`.words`), and the text of the Excel and PDF documents people download,
must hold no snake_case identifier, no Python value, no stored
choice value in place of its label, and on a Chinese page no untranslated English word; data that
is written the same in every language (names, codes, e-mail addresses) is allowed.
"""

from __future__ import annotations

import copy
import io
import subprocess

import openpyxl
import pytest
from django.apps import apps
from django.conf import settings
from django.db import transaction

from aftersales.tests_permissions.matrix import ACTORS, HTML_ROWS, UPLOAD, Row
from aftersales.tests_permissions.test_matrix import _upload, fill

from .words import findings, visible_text

pytestmark = pytest.mark.django_db

LANGUAGES = ("zh-hans", "en")
_SHOWN = {200, 409, 422}


def _pages() -> list[Row]:
    """The matrix rows that answer someone with a page (or a form with its errors)."""
    return [row for row in HTML_ROWS if any(int(c) in _SHOWN for c in row.expect.split())]


def data_words() -> set[str]:
    """What the world holds that is written the same in every language: people's user and
    display names, customers' names, the codes given to calendars, policies, parts, locations
    and suppliers."""
    from aftersales.accounts.models import User
    from aftersales.customers.models import Customer

    words: set[str] = set()
    for username, name in User.objects.values_list("username", "display_name"):
        words.update({username, name})
    words.update(Customer.objects.values_list("name", flat=True))
    # codes people give their records and read as such
    for label in (
        "calendars.WorkingCalendar",
        "sla.SlaPolicy",
        "parts.Part",
        "parts.Location",
        "purchasing.Supplier",
    ):
        words.update(apps.get_model(label).objects.values_list("code", flat=True))
    return {w for w in words if w}


def render(world: dict, row: Row, actor: str, language: str):
    client = world["clients"][actor]
    ids = world["mine"]
    path = fill(row.path, ids)
    headers = {"HTTP_ACCEPT_LANGUAGE": language}
    cookies = copy.deepcopy(client.cookies)  # a message or sign-out must not reach the next
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with transaction.atomic():
        if row.method == "get":
            response = client.get(path, **headers)
        elif row.payload == UPLOAD:
            response = client.post(path, data=_upload(path), **headers)
        else:
            response = client.post(path, data=fill(row.payload, ids, path), **headers)
        transaction.set_rollback(True)
    client.cookies = cookies
    return response


def readable_text(response) -> list[str] | None:
    """What a person reads in a response: an HTML page's visible text, an Excel workbook's
    sheet names and cells, a PDF's text; ``None`` for anything else (JSON, images)."""
    kind = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if "html" in kind:
        return visible_text(body.decode())
    if "spreadsheetml" in kind:
        book = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
        texts = list(book.sheetnames)
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                texts.extend(str(v) for v in row if isinstance(v, str) and v.strip())
        return texts
    if "pdf" in kind:
        out = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", "-layout", "-", "-"],
            input=body,
            capture_output=True,
            check=True,
        )
        return [line.strip() for line in out.stdout.decode().splitlines() if line.strip()]
    return None


def row_findings(world: dict, row: Row, actors: list[str]) -> list[str]:
    allowed = data_words()
    found: list[str] = []
    for actor in actors:
        for language in LANGUAGES:
            texts = readable_text(render(world, row, actor, language))
            if texts is None:
                continue
            found.extend(f"{actor} {language}: {hit}" for hit in findings(texts, language, allowed))
    return list(dict.fromkeys(found))


@pytest.mark.parametrize("row", _pages(), ids=[row.key for row in _pages()])
def test_page_reads_as_words(world, row):
    actors = [a for a, c in zip(ACTORS, row.expect.split(), strict=True) if int(c) in _SHOWN]
    found = row_findings(world, row, actors)
    assert not found, f"{row.key} {row.path}: {len(found)} findings\n" + "\n".join(found)


# Pages and documents the matrix reaches only as a refusal, not at all or without their
# options: the repair report of the world's signed-off order (page and PDF), its follow-up call
# and the customer's survey, the queue drilled down from the SLA report, and the purchasing
# exports, each for who may read it.
DOCUMENTS = [
    ("workorders:report", "/workorders/{workorder}/report/", ["dispatcher", "supervisor"]),
    ("workorders:report_pdf", "/workorders/{workorder}/report.pdf", ["dispatcher"]),
    ("workorders:followup_record", "/workorders/followups/{followup}/", ["agent"]),
    ("workorders:survey", "/workorders/survey/{survey}/", ["anonymous", "customer"]),
    ("cases:queue sla", "/cases/?sla=met:first_response", ["supervisor"]),
    ("cases:queue breached", "/cases/?sla=breached", ["supervisor"]),
    ("purchasing:order_list xlsx", "/purchasing/?format=xlsx", ["parts_keeper"]),
    ("purchasing:scorecard xlsx", "/purchasing/scorecard/?format=xlsx", ["parts_keeper"]),
    ("purchasing:figures xlsx", "/purchasing/figures/?format=xlsx", ["parts_keeper"]),
]


@pytest.mark.parametrize(("name", "path", "actors"), DOCUMENTS, ids=[d[0] for d in DOCUMENTS])
def test_document_reads_as_words(world, name, path, actors):
    row = Row(name, path, " ".join("200" for _ in ACTORS))
    for actor in actors:
        response = render(world, row, actor, "zh-hans")
        assert response.status_code == 200, f"{name} as {actor}: {response.status_code}"
        assert readable_text(response), f"{name} as {actor}: nothing to read"
    found = row_findings(world, row, actors)
    assert not found, f"{name} {path}: {len(found)} findings\n" + "\n".join(found)
