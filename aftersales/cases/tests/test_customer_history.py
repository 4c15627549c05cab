"""Who registered a case keeps it, and the desk reads a customer's whole history
(docs/adr/0006-customer-history-at-the-desk.md).

Team A's agent takes the calls. Bob's repair request is held by team B, with an internal note
and an internal photo beside its public reply and public photo; a routing rule sends every
washing-machine leak to team B.
"""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from aftersales.accounts.roles import Role
from aftersales.accounts.services import apikey_create
from aftersales.cases import selectors
from aftersales.cases.models import Case
from aftersales.cases.services import attachment_add, case_note, case_reply
from aftersales.conftest import make_case, make_user
from aftersales.core.testing import image_bytes

pytestmark = pytest.mark.django_db

PNG = image_bytes("PNG")


def _png(name: str = "p.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


@pytest.fixture
def leak_rule(users, org):
    from aftersales.routing.services import rule_create

    return rule_create(
        actor=users["administrator"], name="洗衣机漏水", keywords="洗衣机 漏水", team=org["team_b"]
    )


@pytest.fixture
def held_by_b(users, customers, org):
    """Bob's case in team B: a public reply and photo, an internal note and photo."""
    agent_b = make_user("agent_b2", Role.AGENT, teams=[org["team_b"]])
    case = make_case(customers["bob"], team=org["team_b"], title="洗衣机漏水", asset=None)
    case_reply(actor=agent_b, case=case, body="师傅明天上午上门")
    case_note(actor=agent_b, case=case, body="客户情绪激动，考虑赔偿冷凝管")
    public = attachment_add(actor=agent_b, case=case, files=[_png("pub.png")], public=True)[0]
    internal = attachment_add(actor=agent_b, case=case, files=[_png("int.png")], public=False)[0]
    return {"case": Case.objects.get(pk=case.pk), "public": public, "internal": internal}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(client: Client, path: str, body: dict, **headers):
    return client.post(path, data=json.dumps(body), content_type="application/json", **headers)


# --- the rule, as selectors ------------------------------------------------------------------


def test_the_two_scopes_per_role(users, customers, cases, held_by_b):
    bob_b = held_by_b["case"]
    agent = users["agent"]
    # the agent's queue (working scope) keeps to team A, the triage pool and their own cases
    assert bob_b not in selectors.case_list(user=agent)
    # the customer history has every case of every customer
    assert set(selectors.case_history_list(user=agent)) == set(Case.objects.all())
    read = selectors.case_read_for(user=agent, number=bob_b.number)
    assert not selectors.in_working_scope(read)
    mine = selectors.case_read_for(user=agent, number=cases["alice_a"].number)
    assert selectors.in_working_scope(mine)
    # the complaint officer takes calls too
    officer = users["complaint_officer"]
    assert bob_b in selectors.case_history_list(user=officer)
    assert bob_b not in selectors.case_list(user=officer)
    # roles outside the desk gain nothing
    for role in ("technician", "parts_keeper"):
        assert bob_b not in selectors.case_history_list(user=users[role])
        assert list(selectors.case_history_list(user=users[role])) == list(
            selectors.case_list(user=users[role])
        )
    assert set(selectors.case_history_list(user=customers["bob"].user)) == {
        cases["bob_b"],
        bob_b,
    }
    assert bob_b not in selectors.case_history_list(user=customers["alice"].user)


def test_the_history_shows_only_the_public_thread(users, held_by_b):
    agent = users["agent"]
    case = selectors.case_read_for(user=agent, number=held_by_b["case"].number)
    timeline = selectors.case_timeline(user=agent, case=case)
    assert timeline and all(e.is_public for e in timeline)
    assert "师傅明天上午上门" in [e.body for e in timeline]
    files = list(selectors.attachment_list(user=agent, case=case))
    assert files == [held_by_b["public"]]
    # the team that holds it sees everything
    supervisor_view = selectors.case_read_for(user=users["supervisor"], number=case.number)
    bodies = [
        e.body for e in selectors.case_timeline(user=users["supervisor"], case=supervisor_view)
    ]
    assert "客户情绪激动，考虑赔偿冷凝管" in bodies


# --- item 1: whoever registered a case keeps it ----------------------------------------------


def test_intake_routed_to_another_team_lands_on_a_case_the_agent_can_answer(
    users, customers, org, leak_rule
):
    client = _client(users["agent"])
    alice = customers["alice"]
    response = client.post(
        reverse("cases:intake"),
        {
            "step": "case",
            "customer": alice.pk,
            "case_type": "repair_request",
            "channel": "hotline",
            "severity": "general",
            "title": "洗衣机漏水",
            "description": "洗衣机底部漏水",
            "extra-fault_symptom": "漏水",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get(customer=alice, title="洗衣机漏水")
    assert case.team == org["team_b"]  # the rule moved it
    assert response["Location"] == reverse("cases:case_detail", args=[case.number])
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="reply-form"' in html and 'data-testid="history-only"' not in html
    reply = client.post(reverse("cases:case_reply", args=[case.number]), {"body": "已登记"})
    assert reply.status_code == 302
    assert case.events.filter(body="已登记", is_public=True).exists()
    moved = client.post(
        reverse("cases:case_transition", args=[case.number]),
        {"to_status": "accepted", "version": Case.objects.get(pk=case.pk).version},
    )
    assert moved.status_code == 302
    assert Case.objects.get(pk=case.pk).status == "accepted"
    # the agent's queue holds it too: it is in their working scope
    queue = client.get(reverse("cases:queue")).content.decode()
    assert f'data-number="{case.number}"' in queue
    # another agent of team A, who did not register it, reads it only from the history
    other = make_user("agent_a2", Role.AGENT, teams=[org["team_a"]])
    html = _client(other).get(reverse("cases:case_detail", args=[case.number])).content.decode()
    assert 'data-testid="history-only"' in html and 'data-testid="reply-form"' not in html


def test_agent_api_key_creates_a_complaint_and_keeps_it(users, customers, org):
    from aftersales.routing.services import rule_create

    rule_create(actor=users["administrator"], name="投诉", keywords="迟到", team=org["team_b"])
    _, secret = apikey_create(actor=None, name="小程序", role=Role.AGENT)
    key = {"HTTP_X_API_KEY": secret}
    client = Client()
    created = _post(
        client,
        "/api/v1/cases",
        {"customer_id": customers["alice"].pk, "case_type": "complaint", "title": "维修人员迟到"},
        **key,
    )
    assert created.status_code == 201, created.content
    number = created.json()["number"]
    assert created.json()["team"] == "field"  # routed away from the key
    got = client.get(f"/api/v1/cases/{number}", **key)
    assert got.status_code == 200 and got.json()["number"] == number
    reply = _post(client, f"/api/v1/cases/{number}/replies", {"body": "已收到您的投诉"}, **key)
    assert reply.status_code == 201
    steps = client.get(f"/api/v1/cases/{number}/transitions", **key).json()
    assert steps["steps"], steps
    to = steps["steps"][0]
    payload = {"to_status": to["to_status"], "version": steps["version"]}
    if to["reason_required"]:
        payload["reason"] = "核实中"
    moved = _post(client, f"/api/v1/cases/{number}/transitions", payload, **key)
    assert moved.status_code == 200, moved.content
    assert moved.json()["status"] == to["to_status"]
    timeline = client.get(f"/api/v1/cases/{number}/timeline", **key).json()
    assert "已收到您的投诉" in [e["body"] for e in timeline]
    # another agent key, which did not create it, reads it and may not change it
    _, other = apikey_create(actor=None, name="商城", role=Role.AGENT)
    assert client.get(f"/api/v1/cases/{number}", HTTP_X_API_KEY=other).status_code == 200
    refused = _post(client, f"/api/v1/cases/{number}/replies", {"body": "x"}, HTTP_X_API_KEY=other)
    assert refused.status_code == 403


# --- item 2: the customer's whole history ------------------------------------------------------


def test_customer_page_shows_every_case_with_its_team(users, customers, cases, held_by_b):
    client = _client(users["agent"])
    bob = customers["bob"]
    html = client.get(reverse("customers:customer_detail", args=[bob.pk])).content.decode()
    for case in (cases["bob_b"], held_by_b["case"]):
        assert f'data-number="{case.number}"' in html
    assert "上门维修组" in html  # team B's name in the team column


def test_intake_lookup_and_repeat_warning_show_other_teams_cases(users, customers, held_by_b):
    client = _client(users["agent"])
    number = held_by_b["case"].number
    html = client.get(reverse("cases:intake_lookup"), {"q": "4321"}).content.decode()
    assert number in html and "上门维修组" in html
    bob = customers["bob"]
    html = client.get(reverse("cases:intake_related"), {"customer": bob.pk}).content.decode()
    assert f'data-number="{number}"' in html and 'data-testid="related-hidden"' not in html


def test_case_page_of_another_team_is_read_only_and_public(users, held_by_b):
    client = _client(users["agent"])
    number = held_by_b["case"].number
    response = client.get(reverse("cases:case_detail", args=[number]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="history-only"' in html and "上门维修组" in html
    assert "师傅明天上午上门" in html
    assert "客户情绪激动" not in html  # the internal note
    for form in ("reply-form", "note-form", "upload-form", "assign-form", "transitions"):
        assert f'data-testid="{form}"' not in html
    assert 'data-testid="case-work-orders-slot"' not in html
    for name, data in (
        ("cases:case_reply", {"body": "x"}),
        ("cases:case_note", {"body": "x"}),
        ("cases:case_transition", {"to_status": "accepted", "version": 1}),
        ("cases:case_assign", {"team": "hotline", "version": 1}),
        ("cases:case_edit", {"title": "x", "version": 1}),
        ("cases:attachment_upload", {"files": _png()}),
    ):
        assert client.post(reverse(name, args=[number]), data).status_code == 403, name
    download = reverse("cases:attachment_download", args=[held_by_b["public"].pk])
    assert client.get(download).status_code == 200
    hidden = reverse("cases:attachment_download", args=[held_by_b["internal"].pk])
    assert client.get(hidden).status_code == 404


def test_technician_and_parts_keeper_gain_nothing(users, held_by_b):
    number = held_by_b["case"].number
    technician = _client(users["technician"])
    assert technician.get(reverse("cases:case_detail", args=[number])).status_code == 404
    assert technician.get(f"/api/v1/cases/{number}").status_code == 404
    download = reverse("cases:attachment_download", args=[held_by_b["public"].pk])
    assert technician.get(download).status_code == 404
    keeper = _client(users["parts_keeper"])
    assert keeper.get(reverse("cases:case_detail", args=[number])).status_code == 403
    assert keeper.get(f"/api/v1/cases/{number}").status_code == 403


def test_api_reads_the_history_and_refuses_changes(users, customers, cases, held_by_b):
    client = _client(users["agent"])
    number = held_by_b["case"].number
    got = client.get(f"/api/v1/cases/{number}")
    assert got.status_code == 200 and got.json()["team"] == "field"
    timeline = client.get(f"/api/v1/cases/{number}/timeline").json()
    assert all(e["is_public"] for e in timeline)
    assert "客户情绪激动，考虑赔偿冷凝管" not in [e["body"] for e in timeline]
    files = client.get(f"/api/v1/cases/{number}/attachments").json()
    assert [f["id"] for f in files] == [held_by_b["public"].pk]
    assert client.get(f"/api/v1/cases/{number}/transitions").json()["steps"] == []
    for path, body in (
        ("replies", {"body": "x"}),
        ("notes", {"body": "x"}),
        ("transitions", {"to_status": "cancelled", "reason": "x", "version": 1}),
        ("assignment", {"team": "hotline", "version": 1}),
    ):
        assert _post(client, f"/api/v1/cases/{number}/{path}", body).status_code == 403, path
    patch = client.patch(
        f"/api/v1/cases/{number}",
        data=json.dumps({"version": 1, "priority": "high"}),
        content_type="application/json",
    )
    assert patch.status_code == 403
    # the list: the working scope, and one customer's whole history when asked for
    listed = [c["number"] for c in client.get("/api/v1/cases?state=all").json()["items"]]
    assert number not in listed
    bob = customers["bob"].pk
    history = client.get(f"/api/v1/cases?customer={bob}&state=all").json()
    assert {c["number"] for c in history["items"]} == {number, cases["bob_b"].number}
    assert history["count"] == 2


def test_queue_keeps_to_the_working_scope_unless_one_customer_is_asked_for(
    users, customers, held_by_b
):
    client = _client(users["agent"])
    number = held_by_b["case"].number
    assert number not in client.get(reverse("cases:queue")).content.decode()
    bob = customers["bob"].pk
    html = client.get(reverse("cases:queue"), {"customer": bob}).content.decode()
    assert f'data-number="{number}"' in html


def test_search_finds_other_teams_cases_by_public_text_never_by_notes(
    users, customers, cases, held_by_b
):
    from aftersales.search.selectors import case_ids_matching, search

    agent = users["agent"]
    number = held_by_b["case"].number
    assert number in [h.ref for h in search(user=agent, text="漏水", kind="case").hits]
    # words only in team B's internal note find nothing for team A's agent
    assert search(user=agent, text="冷凝管", kind="case").hits == []
    assert search(user=agent, text="赔偿", kind="case").hits == []
    assert not case_ids_matching(user=agent, text="冷凝管").exists()
    # ... but the supervisor, and team A's notes for team A's agent, are found
    assert number in [h.ref for h in search(user=users["supervisor"], text="冷凝管").hits]
    case_note(actor=agent, case=cases["alice_a"], body="冷凝管堵塞")
    found = search(user=agent, text="冷凝管", kind="case").hits
    assert [h.ref for h in found] == [cases["alice_a"].number] and found[0].in_note
    assert list(case_ids_matching(user=agent, text="冷凝管")) == [
        {"object_id": cases["alice_a"].pk}
    ]
    # a match in public text of another team's case never shows its note as the snippet
    case_note(actor=users["supervisor"], case=held_by_b["case"], body="漏水 漏水 漏水 内部")
    hit = next(h for h in search(user=agent, text="漏水", kind="case").hits if h.ref == number)
    assert not hit.in_note and "内部" not in hit.snippet
    # the technician still finds only their own jobs
    assert search(user=users["technician"], text="漏水", kind="case").hits == []
    # the search page and API agree
    client = _client(agent)
    api = client.get("/api/v1/search", {"q": "漏水", "kind": "case"}).json()
    assert number in json.dumps(api, ensure_ascii=False)
    notes = client.get("/api/v1/search", {"q": "冷凝管"}).json()
    assert number not in json.dumps(notes, ensure_ascii=False)
