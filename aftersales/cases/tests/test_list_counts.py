"""The queue and the API list tell how many cases match: exactly for short lists, "about N"
(marked as estimated) for long ones, without counting every row on every page."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from aftersales.conftest import make_case
from aftersales.core import counting

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def add(n: int, customers, org) -> None:
    for i in range(n):
        make_case(customers["alice"], team=org["team_a"], title=f"洗衣机漏水 {i}")


def shown_count(html: str) -> re.Match:
    match = re.search(r'<p[^>]*data-testid="queue-count"([^>]*)>([^<]*)</p>', html)
    assert match is not None, "the queue shows no count"
    return match


def test_queue_shows_the_exact_count_of_a_short_list(client, users, customers, org):
    add(7, customers, org)
    client.force_login(users["agent"])
    html = client.get(reverse("cases:queue"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    match = shown_count(html)
    assert "data-estimated" not in match.group(1)
    assert match.group(2).strip() == "7 cases"
    assert html.count('data-testid="case-row"') == 7


def test_queue_labels_an_estimate_of_a_long_list(client, users, customers, org, monkeypatch):
    add(12, customers, org)
    monkeypatch.setattr(counting, "EXACT_LIMIT", 5)
    client.force_login(users["agent"])
    html = client.get(reverse("cases:queue"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    match = shown_count(html)
    assert 'data-estimated="true"' in match.group(1)
    assert re.fullmatch(r"about [\d,]+ cases", match.group(2).strip())


def test_queue_count_follows_the_filters(client, users, customers, org):
    add(4, customers, org)
    make_case(customers["bob"], team=org["team_a"], case_type="complaint", title="态度差")
    client.force_login(users["agent"])
    html = client.get(
        reverse("cases:queue") + "?case_type=complaint", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert shown_count(html).group(2).strip() == "1 case"


def test_api_list_counts_on_the_first_page_only(client, users, customers, org, monkeypatch):
    add(12, customers, org)
    client.force_login(users["agent"])
    first = client.get("/api/v1/cases?limit=5").json()
    assert (first["count"], first["count_estimated"]) == (12, False)
    later = client.get(f"/api/v1/cases?limit=5&cursor={first['next_cursor']}").json()
    assert later["count"] is None and len(later["items"]) == 5
    monkeypatch.setattr(counting, "EXACT_LIMIT", 5)
    estimated = client.get("/api/v1/cases?limit=5").json()
    assert estimated["count_estimated"] is True and estimated["count"] >= 6
