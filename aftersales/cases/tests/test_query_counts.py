"""Lists and pages run a fixed number of queries, however many rows they show (no N+1).

Each test measures a page or endpoint with a few rows, then with ten times as many (with
customers, teams, assignees, products, events and attachments varying between the rows), and
asserts the same, known number of statements both times.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aftersales.cases.models import Case
from aftersales.cases.services import case_note, case_reply, case_transition
from aftersales.conftest import make_case
from aftersales.core.pagination import encode_cursor
from aftersales.core.testing import image_bytes
from aftersales.customers.models import Asset

pytestmark = pytest.mark.django_db

PNG = image_bytes("PNG")


def queries(client, url: str, **headers) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **headers)
    assert response.status_code == 200, response.content[:500]
    return len(ctx.captured_queries)


def add_cases(n: int, customers, org, users) -> None:
    agents = [None, users["agent"], users["technician"]]
    for i in range(n):
        customer = customers["alice" if i % 2 else "bob"]
        make_case(
            customer,
            team=org["team_a"] if i % 3 else None,
            assignee=agents[i % 3],
            priority=["low", "normal", "high", "urgent"][i % 4],
            title=f"空调不制冷 第 {i} 单",
            asset=customer.assets.first() if i % 4 else None,
        )


def grow_timeline(case: Case, agent, n: int) -> Case:
    for i in range(n):
        case_reply(
            actor=agent,
            case=case,
            body=f"回复 {i}",
            files=[SimpleUploadedFile(f"p{i}.png", PNG, content_type="image/png")],
        )
        case_note(actor=agent, case=case, body=f"备注 {i}")
    return Case.objects.get(pk=case.pk)


# The numbers: session, user, the user's groups and permissions (each once per request), the
# user's teams, the page's rows with their joins, the list count, and what the page's frame
# needs (the filter form's choices). The count is one bounded COUNT on SQLite; PostgreSQL
# asks the planner first (one EXPLAIN) and counts only small lists.
COUNT = 2 if connection.vendor == "postgresql" else 1
QUEUE = 10 + COUNT
# the edit form (its categories) is fetched when its panel opens; the user's teams are read once
# (the related cases come from the customer history, which needs no teams)
CASE_PAGE = 14
API_LIST = 7 + COUNT
API_LIST_LATER_PAGE = 7
API_DETAIL = 7
API_TIMELINE = 9


@pytest.mark.parametrize(
    ("params", "extra"),
    [
        ({}, 0),
        ({"sort": "priority"}, 0),
        ({"sort": "activity", "state": "all"}, 0),
        ({"team": "hotline", "status": "new"}, 1),  # the team by its code
        ({"assignee": "me"}, 0),
        ({"q": "空调"}, 0),  # the search index, restricted to the teams read once per request
    ],
    ids=["default", "priority", "activity", "team-status", "mine", "text"],
)
def test_queue_queries_do_not_grow(client, users, customers, org, params, extra):
    client.force_login(users["agent"])
    url = reverse("cases:queue") + "?" + "&".join(f"{k}={v}" for k, v in params.items())
    add_cases(3, customers, org, users)
    few = queries(client, url)
    add_cases(30, customers, org, users)
    many = queries(client, url)
    assert few == many == QUEUE + extra


def test_queue_later_page_and_htmx_partial(client, users, customers, org):
    client.force_login(users["agent"])
    add_cases(33, customers, org, users)
    visible = Case.objects.filter(team=org["team_a"]) | Case.objects.filter(team__isnull=True)
    cursor = encode_cursor([visible.order_by("-id")[9].pk])
    url = reverse("cases:queue") + f"?cursor={cursor}&limit=10"
    assert queries(client, url) == QUEUE
    add_cases(30, customers, org, users)
    assert queries(client, url) == QUEUE
    htmx = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "queue-results"}
    assert queries(client, url, **htmx) <= QUEUE


def test_case_page_queries_do_not_grow_with_the_timeline(client, users, customers, org):
    agent = users["agent"]
    client.force_login(agent)
    case = make_case(customers["alice"], team=org["team_a"], assignee=agent)
    add_cases(3, customers, org, users)  # related cases of the same customer
    url = reverse("cases:case_detail", args=[case.number])
    case = grow_timeline(case, agent, 1)
    few = queries(client, url)
    case = grow_timeline(case, agent, 10)
    case_transition(actor=agent, case=case, to_status="accepted")
    add_cases(10, customers, org, users)
    many = queries(client, url)
    assert few == many == CASE_PAGE


def test_api_list_queries_do_not_grow(client, users, customers, org):
    client.force_login(users["agent"])
    url = "/api/v1/cases?state=all&limit=100"
    add_cases(3, customers, org, users)
    few = queries(client, url)
    add_cases(30, customers, org, users)
    many = queries(client, url)
    assert few == many == API_LIST
    body = client.get(url).json()
    assert body["count"] == len(body["items"]) == 33
    assert body["count_estimated"] is False


def test_api_later_page_has_no_count_query(client, users, customers, org):
    client.force_login(users["agent"])
    add_cases(33, customers, org, users)
    first = client.get("/api/v1/cases?state=all&limit=10").json()
    url = f"/api/v1/cases?state=all&limit=10&cursor={first['next_cursor']}"
    assert queries(client, url) == API_LIST_LATER_PAGE
    body = client.get(url).json()
    assert len(body["items"]) == 10 and body["count"] is None


def test_api_detail_and_timeline_queries_do_not_grow(client, users, customers, org):
    agent = users["agent"]
    client.force_login(agent)
    case = make_case(customers["alice"], team=org["team_a"], assignee=agent)
    detail = f"/api/v1/cases/{case.number}"
    timeline = f"{detail}/timeline"
    case = grow_timeline(case, agent, 1)
    few = (queries(client, detail), queries(client, timeline))
    grow_timeline(case, agent, 10)
    many = (queries(client, detail), queries(client, timeline))
    assert few == many == (API_DETAIL, API_TIMELINE)
    events = client.get(timeline).json()
    assert len(events) == 1 + 11 * 2 and sum(len(e["attachments"]) for e in events) == 11


def test_the_rows_above_really_vary(client, users, customers, org):
    """Sanity for the fixtures above: rows really vary in customer, team, assignee, product."""
    add_cases(12, customers, org, users)
    rows = Case.objects.all()
    assert rows.values("customer").distinct().count() == 2
    assert rows.values("assignee").distinct().count() == 3
    assert rows.filter(asset__isnull=False).count() and rows.filter(asset__isnull=True).count()
    assert Asset.objects.count() == 2
