"""The bounded search path: a word with more visible matches than ``RANK_BOUND`` is answered
newest first, restricted like every search, and paged by a keyset cursor that stays stable
while new cases arrive."""

from __future__ import annotations

import pytest
from django.test import Client

from aftersales.conftest import make_case
from aftersales.core.errors import InvalidInput
from aftersales.search import selectors
from aftersales.search.selectors import ORDER_RANK, ORDER_RECENT, search
from aftersales.search.tokenizer import query_terms

pytestmark = pytest.mark.django_db

BOUND = 4


@pytest.fixture
def signed_in(users, customers):
    def _client(who: str) -> Client:
        client = Client()
        client.force_login(customers[who].user if who in customers else users[who])
        return client

    return _client


@pytest.fixture
def many(users, customers, org, monkeypatch):
    """Twelve 空调 cases, interleaved: alice's in team A, bob's in team B, so the newest
    matches overall are not all visible to Alice (the agent reads both, the customer history)."""
    monkeypatch.setattr(selectors, "RANK_BOUND", BOUND)
    made = {"a": [], "b": []}
    for i in range(6):
        made["a"].append(
            make_case(
                customers["alice"], team=org["team_a"], title=f"空调异响 {i}", asset=None
            ).number
        )
        made["b"].append(
            make_case(
                customers["bob"], team=org["team_b"], title=f"空调不启动 {i}", asset=None
            ).number
        )
    # one rare word, under the bound: ranked as before
    made["rare"] = make_case(
        customers["alice"],
        team=org["team_a"],
        title="四通阀换向失灵",
        description="四通阀",
        asset=None,
    ).number
    return made


def walk(user, text, *, limit):
    """Every page of a case search: the refs page by page and the orders reported."""
    pages, orders, cursor = [], [], None
    while True:
        page = search(user=user, text=text, kind="case", cursor=cursor, limit=limit)
        pages.append([hit.ref for hit in page.hits])
        orders.append(page.order)
        cursor = page.next_cursor
        if cursor is None:
            return pages, orders


def test_common_word_over_the_bound_is_newest_first_permitted_and_pages(users, customers, many):
    pages, orders = walk(customers["alice"].user, "空调", limit=4)
    newest_first = list(reversed(many["a"]))
    assert set(orders) == {ORDER_RECENT}
    assert pages == [newest_first[:4], newest_first[4:]]
    # bob's cases are newer than most of alice's, and never shown to alice
    assert not {ref for page in pages for ref in page} & set(many["b"])
    # the agent reads the customer history: both, newest first
    pages, orders = walk(users["agent"], "空调", limit=5)
    expected = [n for pair in zip(many["a"], many["b"], strict=True) for n in pair][::-1]
    assert [ref for page in pages for ref in page] == expected


def test_supervisor_sees_every_match_newest_first(users, many):
    pages, orders = walk(users["supervisor"], "空调", limit=5)
    flat = [ref for page in pages for ref in page]
    expected = [n for pair in zip(many["a"], many["b"], strict=True) for n in pair][::-1]
    assert flat == expected and len(set(flat)) == len(flat) == 12
    assert set(orders) == {ORDER_RECENT}


def test_customer_gets_only_own_cases_on_the_bounded_path(users, customers, many):
    pages, orders = walk(customers["alice"].user, "空调", limit=4)
    assert [ref for page in pages for ref in page] == list(reversed(many["a"]))
    assert set(orders) == {ORDER_RECENT}


def test_keyset_pages_stay_stable_when_new_cases_arrive(users, customers, org, many):
    agent = customers["alice"].user  # a restricted reader: only her own cases
    first = search(user=agent, text="空调", kind="case", limit=3)
    newer = make_case(
        customers["alice"], team=org["team_a"], title="空调漏水 新", asset=None
    ).number
    second = search(user=agent, text="空调", kind="case", cursor=first.next_cursor, limit=3)
    assert [h.ref for h in first.hits] + [h.ref for h in second.hits] == list(reversed(many["a"]))
    assert newer not in {h.ref for h in second.hits}
    assert second.next_cursor is None


def test_under_the_bound_results_are_ranked(users, many):
    page = search(user=users["agent"], text="四通阀", kind="case")
    assert page.order == ORDER_RANK
    assert [h.ref for h in page.hits] == [many["rare"]]
    assert page.hits[0].rank > 0


def test_at_the_bound_exactly_results_are_still_ranked(users, customers, org, monkeypatch):
    monkeypatch.setattr(selectors, "RANK_BOUND", 2)
    weak = make_case(
        customers["alice"], team=org["team_a"], title="电控板", description="", asset=None
    )
    strong = make_case(
        customers["alice"],
        team=org["team_a"],
        title="电控板 电控板",
        description="电控板烧坏",
        asset=None,
    )
    page = search(user=users["agent"], text="电控板", kind="case")
    assert page.order == ORDER_RANK
    assert {h.ref for h in page.hits} == {weak.number, strong.number}


def test_a_bad_recent_cursor_is_refused(users, many):
    for bad in (selectors.encode_recent_cursor(0), "eyJyIjoiYSJ9"):  # {"r": 0}, {"r": "a"}
        with pytest.raises(InvalidInput):
            search(user=users["agent"], text="空调", kind="case", cursor=bad)


def test_api_pages_the_common_word_with_the_recent_cursor(signed_in, many):
    client = signed_in("alice")  # a restricted reader: only her own cases
    seen = []
    cursor = ""
    for _ in range(5):
        body = client.get(
            "/api/v1/search", {"q": "空调", "kind": "case", "limit": 4, "cursor": cursor}
        ).json()
        assert body["order"] == "recent"
        seen += [item["ref"] for item in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert seen == list(reversed(many["a"]))


def test_chinese_words_before_the_last_match_whole():
    terms = query_terms("压缩机不制冷")
    assert [(t.text, t.whole) for t in terms] == [("压缩机", True), ("不", True), ("制冷", False)]
    # the last word may still be typed: 空调 漏 still finds 空调漏水 by prefix
    assert not query_terms("空调 漏")[-1].whole


def test_whole_words_still_find_their_cases(users, customers, org):
    case = make_case(
        customers["alice"], team=org["team_a"], title="压缩机不制冷", description="", asset=None
    )
    got = {h.ref for h in search(user=users["agent"], text="压缩机不制冷", kind="case").hits}
    assert case.number in got
    got = {h.ref for h in search(user=users["agent"], text="压缩机 制", kind="case").hits}
    assert case.number in got


def test_results_page_says_when_results_are_newest_first(signed_in, many):
    client = signed_in("agent")
    html = client.get("/search/", {"q": "空调", "kind": "case"}).content.decode()
    assert 'data-testid="search-recent"' in html
    html = client.get("/search/", {"q": "四通阀", "kind": "case"}).content.decode()
    assert 'data-testid="search-recent"' not in html and many["rare"] in html
