"""The search screens and the API: results page, navbar dropdown, queue text filter, hotline
intake lookup, /api/v1/search; their permissions and query counts."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from aftersales.cases.services import case_note
from aftersales.conftest import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(users, customers):
    def _client(who: str) -> Client:
        client = Client()
        user = customers[who].user if who in customers else users[who]
        client.force_login(user)
        return client

    return _client


@pytest.fixture
def world(users, customers, org):
    alice, bob = customers["alice"], customers["bob"]
    leak = make_case(alice, team=org["team_a"], title="空调漏水", description="室内机滴水")
    case_note(actor=users["agent"], case=leak, body="冷凝管可能堵塞")
    other = make_case(bob, team=org["team_b"], title="冰箱漏水", description="<b>冷藏室</b>积水")
    return {"leak": leak.number, "other": other.number}


def test_results_page_grouped_and_highlighted(signed_in, world):
    client = signed_in("supervisor")
    response = client.get(reverse("search:search"), {"q": "漏水"})
    assert response.status_code == 200
    html = response.content.decode()
    assert world["leak"] in html and world["other"] in html
    assert 'data-kind="case"' in html and "<mark>漏水</mark>" in html
    assert "&lt;b&gt;冷藏室&lt;/b&gt;" in html  # text is escaped, never rendered as HTML
    assert "<b>冷藏室</b>" not in html


def test_results_page_pages_one_kind(signed_in, customers, org, world):
    for i in range(22):
        make_case(customers["alice"], team=org["team_a"], title=f"漏水 {i}", asset=None)
    client = signed_in("supervisor")
    first = client.get(reverse("search:search"), {"q": "漏水", "kind": "case"})
    html = first.content.decode()
    assert html.count('data-testid="search-result"') == 20
    assert 'data-testid="search-next"' in html
    cursor = first.context["next_cursor"]
    second = client.get(reverse("search:search"), {"q": "漏水", "kind": "case", "cursor": cursor})
    assert second.content.decode().count('data-testid="search-result"') == 4


def test_results_page_explains_a_query_without_words(signed_in, world):
    response = signed_in("agent").get(reverse("search:search"), {"q": "的"})
    assert response.status_code == 422
    assert 'data-testid="search-error"' in response.content.decode()


def test_results_page_respects_teams_and_customers(signed_in, world):
    # the desk reads every customer's history: team B's case too, found by its public text
    agent_html = signed_in("agent").get(reverse("search:search"), {"q": "漏水"}).content.decode()
    assert world["leak"] in agent_html and world["other"] in agent_html
    tech_html = signed_in("technician").get(reverse("search:search"), {"q": "漏水"}).content
    assert world["other"].encode() not in tech_html and world["leak"].encode() not in tech_html
    bob_html = signed_in("bob").get(reverse("search:search"), {"q": "漏水"}).content.decode()
    assert world["other"] in bob_html and world["leak"] not in bob_html
    assert "/portal/cases/" in bob_html
    alice_html = signed_in("alice").get(reverse("search:search"), {"q": "冷凝管"}).content.decode()
    assert world["leak"] not in alice_html
    assert signed_in("parts_keeper").get(reverse("search:search"), {"q": "漏水"}).status_code == 403


def test_dropdown_suggestions(signed_in, world):
    response = signed_in("agent").get(reverse("search:suggest"), {"q": "空调"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="search-suggest-item"' in html and world["leak"] in html
    assert 'data-testid="search-all"' in html
    empty = signed_in("agent").get(reverse("search:suggest"), {"q": ""}).content.decode()
    assert "d-none" in empty


def test_navbar_has_the_search_box_for_staff(signed_in, world):
    html = signed_in("agent").get(reverse("cases:queue")).content.decode()
    assert 'data-testid="global-search"' in html and "js/search.js" in html


def test_queue_text_filter_uses_the_index(signed_in, world):
    client = signed_in("agent")
    html = client.get(reverse("cases:queue"), {"q": "冷凝管"}).content.decode()  # internal note
    assert world["leak"] in html
    html = client.get(reverse("cases:queue"), {"q": "滴水"}).content.decode()  # description
    assert world["leak"] in html
    html = client.get(reverse("cases:queue"), {"q": "冰箱"}).content.decode()  # other team
    assert world["other"] not in html  # the queue keeps to the working scope


def test_api_case_list_text_filter_hides_notes_from_customers(signed_in, world):
    alice = signed_in("alice")
    assert alice.get("/api/v1/cases", {"q": "冷凝管"}).json()["items"] == []
    items = alice.get("/api/v1/cases", {"q": "滴水"}).json()["items"]
    assert [i["number"] for i in items] == [world["leak"]]


def test_intake_lookup_shows_customer_and_open_cases_through_the_index(signed_in, world):
    client = signed_in("agent")
    html = client.get(reverse("cases:intake_lookup"), {"q": "138 1234 5678"}).content.decode()
    assert "张三丰" in html and world["leak"] in html
    html = client.get(reverse("cases:intake_lookup"), {"q": "张三"}).content.decode()
    assert "张三丰" in html
    html = client.get(reverse("cases:intake_lookup"), {"q": "123"}).content.decode()
    assert 'data-testid="lookup-hint"' in html and "张三丰" not in html


def test_api_search(signed_in, world):
    client = signed_in("agent")
    body = client.get("/api/v1/search", {"q": "空调 漏水"}).json()
    # team B's case too (its product is an air conditioner): the customer history
    refs = [i["ref"] for i in body["items"] if i["kind"] == "case"]
    assert sorted(refs) == sorted([world["leak"], world["other"]])
    item = next(i for i in body["items"] if i["ref"] == world["leak"])
    assert "<mark>" in item["title"] and item["url"].endswith(f"/cases/{world['leak']}/")
    assert client.get("/api/v1/search", {"q": "漏水", "cursor": "!!"}).status_code == 422
    assert client.get("/api/v1/search", {"q": "漏水", "cursor": "eyJvIjotNX0"}).status_code == 422
    assert client.get("/api/v1/search", {"q": "漏水", "kind": "nope"}).status_code == 422
    customer = signed_in("bob").get("/api/v1/search", {"q": "漏水"}).json()
    assert {i["ref"] for i in customer["items"]} == {world["other"]}
    assert signed_in("bob").get("/api/v1/search", {"q": "x", "kind": "customer"}).status_code == 403


def test_api_search_pages(signed_in, customers, org):
    for i in range(5):
        make_case(customers["alice"], team=org["team_a"], title=f"热水器 {i}", asset=None)
    client = signed_in("supervisor")
    first = client.get("/api/v1/search", {"q": "热水器", "limit": 3}).json()
    assert len(first["items"]) == 3 and first["next_cursor"]
    rest = client.get("/api/v1/search", {"q": "热水器", "cursor": first["next_cursor"]}).json()
    assert len(rest["items"]) == 2 and rest["next_cursor"] is None


def test_query_counts(signed_in, customers, org, world, django_assert_max_num_queries):
    for i in range(10):
        make_case(customers["alice"], team=org["team_a"], title=f"空调异响 {i}")
    client = signed_in("agent")
    client.get(reverse("search:search"), {"q": "空调"})  # warm the dictionary and caches
    # a search is two statements per kind: the bounded candidates (ids and ranks), the page;
    # for a reader of the customer history the cases' candidates are two statements (public
    # text of every case, notes of their working scope)
    with django_assert_max_num_queries(15):
        assert client.get(reverse("search:search"), {"q": "空调"}).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("search:suggest"), {"q": "空调"}).status_code == 200
    with django_assert_max_num_queries(9):
        assert client.get("/api/v1/search", {"q": "空调"}).status_code == 200


def test_portal_has_a_search_box_over_own_cases(signed_in, world):
    client = signed_in("alice")
    html = client.get(reverse("portal:case_list")).content.decode()
    assert 'data-testid="portal-search"' in html
    page = client.get(reverse("search:search"), {"q": "空调", "kind": "case"})
    html = page.content.decode()
    assert page.status_code == 200 and world["leak"] in html and world["other"] not in html
    assert "portal" in page.templates[0].name or any(
        t.name == "portal/base_portal.html" for t in page.templates
    )


def test_administrators_extend_the_dictionary_in_the_admin(signed_in, users, customers, org):
    from aftersales.core.models import AuditLog
    from aftersales.search.models import SearchWord
    from aftersales.search.tokenizer import query_terms

    admin = signed_in("administrator")
    response = admin.post(
        reverse("admin:search_searchword_add"), {"word": "冷媒回收阀", "note": "配件"}
    )
    assert response.status_code == 302
    assert SearchWord.objects.filter(word="冷媒回收阀").exists()
    assert AuditLog.objects.filter(action="searchword.create").exists()
    assert [t.text for t in query_terms("冷媒回收阀")] == ["冷媒回收阀"]
    case = make_case(customers["alice"], team=org["team_a"], title="冷媒回收阀漏气", asset=None)
    got = signed_in("agent").get("/api/v1/search", {"q": "冷媒回收阀"}).json()["items"]
    assert [i["ref"] for i in got] == [case.number]
    assert signed_in("agent").get(reverse("admin:search_searchword_add")).status_code in (302, 403)


def test_demo_loader_adds_words_and_indexes_bulk_rows(users, customers):
    from aftersales.demo.search_demo import search_demo_load
    from aftersales.search.models import SearchEntry, SearchWord

    SearchEntry.objects.all().delete()  # as after a bulk load that bypassed the services
    search_demo_load()
    assert SearchWord.objects.filter(word="电控板").exists()
    assert SearchEntry.objects.filter(kind="customer").count() == 2
