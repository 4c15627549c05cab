"""Odd input and abuse on the case screens: clear refusals, nothing stored, no server error."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from aftersales.cases.services import attachment_add, case_assign, case_reply
from aftersales.core.errors import InvalidInput
from aftersales.core.pagination import encode_cursor
from aftersales.core.testing import image_bytes, pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query",
    [
        {"cursor": encode_cursor(["x"])},
        {"cursor": encode_cursor([2**70])},
        {"cursor": "%%%"},
        {"customer": str(10**30)},
    ],
)
def test_tampered_queue_query_is_a_clear_error(client, users, cases, query):
    client.force_login(users["agent"])
    assert client.get(reverse("cases:queue"), query).status_code == 422


def test_tampered_audit_and_portal_cursors(client, users, customers, cases):
    client.force_login(users["supervisor"])
    audit = client.get(reverse("core:audit_log"), {"cursor": encode_cursor(["x"])})
    assert audit.status_code == 422
    client.force_login(customers["alice"].user)
    # the portal starts again from the newest request rather than failing
    response = client.get(reverse("portal:case_list"), {"after": encode_cursor(["x"])})
    assert response.status_code == 200
    assert cases["alice_a"].number in response.content.decode()


def test_too_many_files_are_refused_and_nothing_stored(users, cases, settings):
    settings.ATTACHMENT_MAX_FILES = 3
    case = cases["alice_a"]
    files = [SimpleUploadedFile(f"p{i}.png", image_bytes()) for i in range(4)]
    with pytest.raises(InvalidInput) as exc:
        attachment_add(actor=users["agent"], case=case, files=files)
    assert exc.value.code == "too_many_files"
    assert case.attachments.count() == 0


def test_cases_go_only_to_people_who_can_see_cases(users, cases):
    with pytest.raises(InvalidInput):
        case_assign(
            actor=users["agent"], case=cases["alice_a"], team=None, assignee=users["parts_keeper"]
        )


def test_downloads_are_sandboxed(client, users, cases):
    att = attachment_add(
        actor=users["agent"],
        case=cases["alice_a"],
        files=[SimpleUploadedFile("report.pdf", pdf_bytes())],
    )[0]
    client.force_login(users["agent"])
    response = client.get(reverse("cases:attachment_download", args=[att.pk]))
    assert response.status_code == 200
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_plain_text_mail_is_not_html_escaped(
    users, customers, cases, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case_reply(actor=users["agent"], case=cases["alice_a"], body="Tom's fix: A & B <2h>")
    body = mail.outbox[-1].body
    assert "Tom's fix: A & B <2h>" in body
    assert "&amp;" not in body and "&#x27;" not in body
