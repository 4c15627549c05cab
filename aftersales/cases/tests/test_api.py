"""The cases API against a real database: create (idempotent), list with the queue's filter,
edit with versions, transitions, assignment, timeline, files — and that refused requests change
nothing. The permission matrix lives in tests_api/test_api_permissions.py."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from aftersales.accounts.roles import Role
from aftersales.accounts.services import apikey_create
from aftersales.cases.choices import Status
from aftersales.cases.models import Attachment, Case, CaseCategory, CaseEvent
from aftersales.cases.services import case_note, case_reply
from aftersales.conftest import make_case
from aftersales.core.testing import image_bytes, pdf_bytes

pytestmark = pytest.mark.django_db

PNG = image_bytes("PNG")


def _noisy_png() -> bytes:
    """A PNG that does not compress below a few kilobytes."""
    import io
    import random

    from PIL import Image

    rng = random.Random(7)
    img = Image.frombytes("RGB", (64, 64), bytes(rng.randrange(256) for _ in range(64 * 64 * 3)))
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


NOISY_PNG = _noisy_png()


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, path: str, payload: dict, **headers):
    return client.post(path, data=json.dumps(payload), content_type="application/json", **headers)


def patch(client: Client, path: str, payload: dict, **headers):
    return client.patch(path, data=json.dumps(payload), content_type="application/json", **headers)


def case_row(number: str) -> dict:
    """The fields a refused request must leave as they were."""
    case = Case.objects.get(number=number)
    return {
        "version": case.version,
        "status": case.status,
        "priority": case.priority,
        "team": case.team_id,
        "assignee": case.assignee_id,
        "events": case.events.count(),
        "attachments": case.attachments.count(),
    }


# --- create -----------------------------------------------------------------------------------


def test_staff_create_with_references_by_code(users, customers, org):
    CaseCategory.objects.create(code="no-cooling", name="不制冷", case_type="repair_request")
    alice = customers["alice"]
    response = post(
        login(users["agent"]),
        "/api/v1/cases",
        {
            "customer_id": alice.pk,
            "case_type": "repair_request",
            "channel": "hotline",
            "title": "空调不制冷",
            "description": "开机 10 分钟后仍吹热风",
            "priority": "high",
            "severity": "major",
            "category": "no-cooling",
            "asset_id": alice.assets.first().pk,
            "contact_id": alice.contacts.first().pk,
            "team": "hotline",
            "assignee": "agent",
            "extra": {"fault_symptom": "吹热风", "on_site": True},
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"].startswith("SC-")
    assert body["status"] == "new" and body["version"] == 1
    assert body["category"] == "no-cooling" and body["team"] == "hotline"
    assert body["assignee"] == "agent" and body["priority"] == "high"
    assert body["asset"]["serial_number"] == "SN-A-0001"
    assert body["asset"]["in_warranty"] in (True, False)
    assert body["contact"]["phone"] == "138****5678"  # agents see masked numbers
    assert body["extra"]["fault_symptom"] == "吹热风"
    case = Case.objects.get(number=body["number"])
    assert case.created_by == users["agent"] and case.customer == alice


def test_idempotency_key_returns_the_first_case(users, customers):
    client = login(users["agent"])
    payload = {
        "customer_id": customers["bob"].pk,
        "case_type": "consultation",
        "title": "保修期多久",
    }
    first = post(client, "/api/v1/cases", payload, HTTP_IDEMPOTENCY_KEY="order-778-1")
    again = post(client, "/api/v1/cases", payload, HTTP_IDEMPOTENCY_KEY="order-778-1")
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["number"] == again.json()["number"]
    assert Case.objects.filter(customer=customers["bob"], case_type="consultation").count() == 1
    other = post(client, "/api/v1/cases", payload, HTTP_IDEMPOTENCY_KEY="order-778-2")
    assert other.status_code == 201 and other.json()["number"] != first.json()["number"]
    count = Case.objects.count()
    bad_key = post(client, "/api/v1/cases", payload, HTTP_IDEMPOTENCY_KEY="a\x00b")
    assert bad_key.status_code == 422 and Case.objects.count() == count


def test_customer_creates_only_for_themself(users, customers, org):
    alice, bob = customers["alice"], customers["bob"]
    response = post(
        login(alice.user),
        "/api/v1/cases",
        {
            "customer_id": bob.pk,
            "case_type": "repair_request",
            "channel": "hotline",
            "title": "热水器不出热水",
            "priority": "urgent",
            "team": "field",
            "assignee": "agent_b",
        },
    )
    assert response.status_code == 201, response.content
    case = Case.objects.get(number=response.json()["number"])
    assert case.customer == alice
    assert case.channel == "portal"
    assert case.priority == "normal" and case.team is None and case.assignee is None
    assert response.json()["team"] is None and response.json()["assignee"] is None


def test_customer_cannot_use_another_customers_asset(customers):
    before = Case.objects.count()
    response = post(
        login(customers["alice"].user),
        "/api/v1/cases",
        {
            "case_type": "repair_request",
            "title": "洗衣机漏水",
            "asset_id": customers["bob"].assets.first().pk,
        },
    )
    assert response.status_code == 422
    assert response.json()["detail"] == {"field": "asset_id"}
    assert Case.objects.count() == before


def test_api_key_create_defaults_to_the_api_channel(customers):
    _, secret = apikey_create(actor=None, name="商城", role=Role.AGENT)
    response = post(
        Client(),
        "/api/v1/cases",
        {"customer_id": customers["alice"].pk, "case_type": "delivery_issue", "title": "未送达"},
        HTTP_X_API_KEY=secret,
    )
    assert response.status_code == 201, response.content
    assert response.json()["channel"] == "api"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("case_type", "bogus"),
        ("priority", "sky-high"),
        ("severity", "meh"),
        ("channel", "pigeon"),
    ],
)
def test_unknown_enum_is_422_and_creates_nothing(users, customers, field, value):
    payload = {"customer_id": customers["alice"].pk, "case_type": "consultation", "title": "x"}
    payload[field] = value
    before = (Case.objects.count(), CaseEvent.objects.count())
    response = post(login(users["agent"]), "/api/v1/cases", payload)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_input"
    assert any(d["field"] == field for d in body["detail"])
    assert (Case.objects.count(), CaseEvent.objects.count()) == before


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ({"complaint_about": "weather"}, "invalid_input"),  # no type has such details
        ({"fault_symptom": "漏水"}, "invalid_extra"),  # a repair's details on a complaint
    ],
)
def test_invalid_extra_is_refused(users, customers, extra, code):
    before = Case.objects.count()
    response = post(
        login(users["agent"]),
        "/api/v1/cases",
        {
            "customer_id": customers["alice"].pk,
            "case_type": "complaint",
            "title": "态度差",
            "extra": extra,
        },
    )
    assert response.status_code == 422
    assert response.json()["code"] == code
    assert Case.objects.count() == before


def test_extra_of_the_type_is_stored(users, customers):
    response = post(
        login(users["agent"]),
        "/api/v1/cases",
        {
            "customer_id": customers["alice"].pk,
            "case_type": "complaint",
            "title": "态度差",
            "extra": {
                "complaint_about": "staff",
                "demand": "apology",
                "incident_date": "2026-01-05",
            },
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["extra"]["complaint_about"] == "staff"
    assert response.json()["extra"]["incident_date"] == "2026-01-05"


def test_text_the_database_cannot_store_is_422(users, customers):
    before = Case.objects.count()
    response = post(
        login(users["agent"]),
        "/api/v1/cases",
        {"customer_id": customers["alice"].pk, "case_type": "consultation", "title": "a\x00b"},
    )
    assert response.status_code == 422
    assert Case.objects.count() == before


# --- list -------------------------------------------------------------------------------------


def test_list_uses_the_queue_filter_and_visibility(users, customers, cases, org):
    client = login(users["agent"])
    numbers = {c["number"] for c in client.get("/api/v1/cases").json()["items"]}
    # Team A's case and the unrouted pool; never team B's.
    assert numbers == {cases["alice_a"].number, cases["alice_complaint"].number}
    only_team = client.get("/api/v1/cases?team=hotline").json()["items"]
    assert [c["number"] for c in only_team] == [cases["alice_a"].number]
    types = client.get("/api/v1/cases?case_type=complaint&case_type=consultation").json()
    assert [c["number"] for c in types["items"]] == [cases["alice_complaint"].number]
    supervisor = login(users["supervisor"]).get("/api/v1/cases?state=open&sort=oldest").json()
    assert [c["number"] for c in supervisor["items"]] == [c.number for c in cases.values()]
    mine = login(customers["bob"].user).get("/api/v1/cases").json()["items"]
    assert [c["number"] for c in mine] == [cases["bob_b"].number]
    # Staff-side filters are ignored for customers: no probing of team codes or user names.
    probe = login(customers["bob"].user).get("/api/v1/cases?assignee=no-such-user&team=x")
    assert probe.status_code == 200
    assert [c["number"] for c in probe.json()["items"]] == [cases["bob_b"].number]


def test_list_form_errors_are_422_invalid_input(users, cases):
    client = login(users["agent"])
    response = client.get("/api/v1/cases?team=no-such-team", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_input"
    assert body["detail"][0]["field"] == "team"
    assert client.get("/api/v1/cases?status=lost").status_code == 422
    assert client.get("/api/v1/cases?assignee=nobody-here").status_code == 422
    assert client.get("/api/v1/cases?limit=500").status_code == 422
    bad_cursor = client.get("/api/v1/cases?cursor=not-a-cursor")
    assert bad_cursor.status_code == 422 and bad_cursor.json()["code"] == "invalid_cursor"


def test_list_pages_by_cursor_without_repeats(users, customers, org):
    for i in range(7):
        make_case(customers["alice"], team=org["team_a"], title=f"问题 {i}")
    client = login(users["supervisor"])
    seen, cursor, pages = [], "", 0
    while True:
        body = client.get(f"/api/v1/cases?limit=3&sort=priority&cursor={cursor}").json()
        seen += [c["number"] for c in body["items"]]
        pages += 1
        if not body["next_cursor"]:
            break
        cursor = body["next_cursor"]
    assert pages == 3
    assert len(seen) == len(set(seen)) == 7


def test_case_list_query_count_does_not_grow(users, customers, org, django_assert_max_num_queries):
    for i in range(30):
        make_case(
            customers["alice" if i % 2 else "bob"],
            team=org["team_a"],
            assignee=users["agent"],
            title=f"批量 {i}",
        )
    _, secret = apikey_create(actor=None, name="BI", role=Role.SUPERVISOR)
    client = Client()
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/cases?limit=50", HTTP_X_API_KEY=secret)
    assert response.status_code == 200
    assert len(response.json()["items"]) == 30


# --- one case ---------------------------------------------------------------------------------


def test_detail_and_timeline_query_counts(users, customers, cases, django_assert_max_num_queries):
    case = cases["alice_a"]
    agent = users["agent"]
    for i in range(5):
        case_reply(actor=agent, case=case, body=f"回复 {i}")
        case_note(actor=agent, case=case, body=f"备注 {i}")
    client = login(agent)
    client.get("/api/v1/me")  # warm the session
    with django_assert_max_num_queries(10):
        assert client.get(f"/api/v1/cases/{case.number}").status_code == 200
    with django_assert_max_num_queries(10):
        response = client.get(f"/api/v1/cases/{case.number}/timeline")
    assert len(response.json()) == 11


def test_customer_timeline_shows_public_events_only(users, cases, customers):
    case = cases["alice_a"]
    case_note(actor=users["agent"], case=case, body="客户难缠")
    case_reply(actor=users["agent"], case=case, body="明天上门")
    staff = login(users["agent"]).get(f"/api/v1/cases/{case.number}/timeline").json()
    mine = login(customers["alice"].user).get(f"/api/v1/cases/{case.number}/timeline").json()
    assert "internal_note" in {e["kind"] for e in staff}
    assert all(e["is_public"] for e in mine)
    assert "客户难缠" not in json.dumps(mine, ensure_ascii=False)
    assert "明天上门" in json.dumps(mine, ensure_ascii=False)


def test_patch_with_current_version_then_stale_version(users, cases):
    number = cases["alice_a"].number
    client = login(users["agent"])
    ok = patch(client, f"/api/v1/cases/{number}", {"version": 1, "priority": "urgent"})
    assert ok.status_code == 200 and ok.json()["version"] == 2
    assert ok.json()["priority"] == "urgent"
    before = case_row(number)
    stale = patch(client, f"/api/v1/cases/{number}", {"version": 1, "title": "别的标题"})
    assert stale.status_code == 409
    assert stale.json()["code"] == "version_conflict"
    assert case_row(number) == before
    assert Case.objects.get(number=number).title == "空调不制冷"


def test_patch_refuses_unknown_fields_and_values(users, cases):
    number = cases["alice_a"].number
    client = login(users["agent"])
    before = case_row(number)
    for body in (
        {"version": 1, "status": "closed"},
        {"version": 1, "priority": "whenever"},
        {"version": 1, "title": None},
        {"version": 1, "category": "no-such-category"},
        {"priority": "high"},
    ):
        response = patch(client, f"/api/v1/cases/{number}", body)
        assert response.status_code == 422, body
        assert case_row(number) == before


def test_transition_allowed_then_not_allowed(users, cases):
    number = cases["alice_a"].number
    client = login(users["agent"])
    steps = client.get(f"/api/v1/cases/{number}/transitions").json()
    assert {s["to_status"] for s in steps["steps"]} == {"accepted", "in_progress", "cancelled"}
    ok = post(
        client, f"/api/v1/cases/{number}/transitions", {"to_status": "accepted", "version": 1}
    )
    assert ok.status_code == 200 and ok.json()["status"] == "accepted"
    before = case_row(number)
    refused = post(
        client, f"/api/v1/cases/{number}/transitions", {"to_status": "closed", "version": 2}
    )
    assert refused.status_code == 409
    body = refused.json()
    assert body["code"] == "transition_not_allowed"
    assert set(body["detail"]["allowed"]) == {
        "in_progress",
        "waiting_customer",
        "resolved",
        "cancelled",
    }
    assert case_row(number) == before


def test_transition_with_stale_version_or_missing_reason(users, cases):
    number = cases["alice_a"].number
    client = login(users["agent"])
    before = case_row(number)
    stale = post(
        client, f"/api/v1/cases/{number}/transitions", {"to_status": "accepted", "version": 5}
    )
    assert stale.status_code == 409 and stale.json()["code"] == "version_conflict"
    no_reason = post(
        client, f"/api/v1/cases/{number}/transitions", {"to_status": "cancelled", "version": 1}
    )
    assert no_reason.status_code == 422 and no_reason.json()["code"] == "reason_required"
    unknown = post(
        client, f"/api/v1/cases/{number}/transitions", {"to_status": "teleported", "version": 1}
    )
    assert unknown.status_code == 422
    assert case_row(number) == before


def test_customer_sees_and_takes_only_customer_steps(customers, cases):
    number = cases["alice_a"].number
    client = login(customers["alice"].user)
    steps = client.get(f"/api/v1/cases/{number}/transitions").json()["steps"]
    assert [s["to_status"] for s in steps] == ["cancelled"]
    assert steps[0]["reason_required"] is True
    before = case_row(number)
    refused = post(
        client, f"/api/v1/cases/{number}/transitions", {"to_status": "accepted", "version": 1}
    )
    assert refused.status_code == 409 and refused.json()["code"] == "transition_not_allowed"
    assert refused.json()["detail"]["allowed"] == ["cancelled"]
    assert case_row(number) == before


def test_assignment(users, cases, org):
    number = cases["alice_complaint"].number
    client = login(users["agent"])
    ok = post(
        client,
        f"/api/v1/cases/{number}/assignment",
        {"team": "hotline", "assignee": "agent", "version": 1},
    )
    assert ok.status_code == 200, ok.content
    assert ok.json()["team"] == "hotline" and ok.json()["assignee"] == "agent"
    before = case_row(number)
    for body, code in (
        ({"team": "hotline", "assignee": "agent_b", "version": 2}, "assignee_not_in_team"),
        ({"team": "nowhere", "assignee": None, "version": 2}, "unknown_reference"),
        ({"team": "hotline", "assignee": "alice", "version": 2}, "assignee_invalid"),
    ):
        response = post(client, f"/api/v1/cases/{number}/assignment", body)
        assert response.status_code == 422 and response.json()["code"] == code
    stale = post(
        client,
        f"/api/v1/cases/{number}/assignment",
        {"team": None, "assignee": None, "version": 1},
    )
    assert stale.status_code == 409 and stale.json()["code"] == "version_conflict"
    assert case_row(number) == before


def test_routing_away_still_answers_with_the_case(users, cases):
    """An agent who routes a case to another team gets the result, then reads it from the
    customer's history and may no longer change it."""
    number = cases["alice_a"].number
    client = login(users["agent"])
    moved = post(client, f"/api/v1/cases/{number}/assignment", {"team": "field", "version": 1})
    assert moved.status_code == 200 and moved.json()["team"] == "field"
    assert client.get(f"/api/v1/cases/{number}").status_code == 200
    assert post(client, f"/api/v1/cases/{number}/replies", {"body": "x"}).status_code == 403


def test_reply_and_note(users, customers, cases):
    number = cases["alice_a"].number
    reply = post(
        login(customers["alice"].user), f"/api/v1/cases/{number}/replies", {"body": "在家"}
    )
    assert reply.status_code == 201 and reply.json()["kind"] == "customer_reply"
    from aftersales.cases.services import case_assign

    case_assign(
        actor=users["agent"],
        case=cases["alice_a"],
        team=cases["alice_a"].team,
        assignee=users["technician"],
    )
    note = post(login(users["technician"]), f"/api/v1/cases/{number}/notes", {"body": "需换电容"})
    assert note.status_code == 201 and note.json()["is_public"] is False
    empty = post(login(users["agent"]), f"/api/v1/cases/{number}/replies", {"body": ""})
    assert empty.status_code == 422


# --- attachments ------------------------------------------------------------------------------


def test_upload_list_and_download(users, customers, cases):
    number = cases["alice_a"].number
    client = login(customers["alice"].user)
    response = client.post(
        f"/api/v1/cases/{number}/attachments",
        data={
            "files": [
                SimpleUploadedFile("空调.png", PNG, content_type="image/png"),
                SimpleUploadedFile("发票.pdf", pdf_bytes(), content_type="application/pdf"),
            ]
        },
    )
    assert response.status_code == 201, response.content
    files = response.json()
    assert [f["content_type"] for f in files] == ["image/png", "application/pdf"]
    listed = client.get(f"/api/v1/cases/{number}/attachments").json()
    assert [f["id"] for f in listed] == [f["id"] for f in files]
    download = client.get(files[0]["url"])
    assert download.status_code == 200
    assert download["Content-Type"] == "image/png"
    assert b"".join(download.streaming_content) == PNG
    pdf = client.get(files[1]["url"])
    assert pdf["Content-Disposition"].startswith("attachment")


def test_staff_may_keep_a_file_internal(users, customers, cases):
    number = cases["alice_a"].number
    response = login(users["agent"]).post(
        f"/api/v1/cases/{number}/attachments",
        data={"files": SimpleUploadedFile("内部.png", PNG), "is_public": "false"},
    )
    assert response.status_code == 201 and response.json()[0]["is_public"] is False
    mine = login(customers["alice"].user).get(f"/api/v1/cases/{number}/attachments").json()
    assert mine == []


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("big.png", NOISY_PNG, "attachment_too_large"),
        ("photo.pdf", PNG, "attachment_disguised"),
        ("notes.txt", b"hello world, this is text", "attachment_type"),
    ],
)
def test_bad_upload_is_422_and_stores_nothing(users, cases, settings, name, content, code):
    settings.ATTACHMENT_MAX_BYTES = 2000
    number = cases["alice_a"].number
    before = (Attachment.objects.count(), CaseEvent.objects.count())
    response = login(users["agent"]).post(
        f"/api/v1/cases/{number}/attachments",
        data={
            "files": [
                SimpleUploadedFile("ok.png", image_bytes("PNG", size=(4, 4))),
                SimpleUploadedFile(name, content),
            ]
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 422, response.content
    assert response.json()["code"] == code
    assert name in response.json()["message"]
    assert (Attachment.objects.count(), CaseEvent.objects.count()) == before


def test_unreadable_multipart_is_400(users, cases):
    before = Attachment.objects.count()
    response = login(users["agent"]).post(
        f"/api/v1/cases/{cases['alice_a'].number}/attachments",
        data=b"--x\r\n",
        content_type="multipart/form-data",  # no boundary
    )
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"
    assert Attachment.objects.count() == before


def test_upload_without_files_is_422(users, cases):
    response = login(users["agent"]).post(f"/api/v1/cases/{cases['alice_a'].number}/attachments")
    assert response.status_code == 422


def test_messages_follow_the_request_language(users, cases):
    number = cases["alice_a"].number
    client = login(users["agent"])
    for lang in ("en", "zh-hans"):
        response = post(
            client,
            f"/api/v1/cases/{number}/transitions",
            {"to_status": "cancelled", "version": 1},
            HTTP_ACCEPT_LANGUAGE=lang,
        )
        assert response.status_code == 422
        assert response["Content-Language"] == lang
        with translation.override(lang):
            assert response.json()["message"] == translation.gettext(
                "Give a reason for this change."
            )
    assert Case.objects.get(number=number).status == Status.NEW
