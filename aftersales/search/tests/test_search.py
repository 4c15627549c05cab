"""Search over the index as the write services keep it: the Chinese must-show list, phones,
product models, permissions, and the index staying current."""

from __future__ import annotations

import pytest

from aftersales.cases.services import case_assign, case_note, case_reply, case_update
from aftersales.conftest import make_case, make_user
from aftersales.core.errors import InvalidInput
from aftersales.core.models import AuditLog
from aftersales.search.indexing import search_index_rebuild
from aftersales.search.models import SearchEntry
from aftersales.search.selectors import search

pytestmark = pytest.mark.django_db


def found(user, text, kind=None) -> set[str]:
    return {hit.ref for hit in search(user=user, text=text, kind=kind, limit=50).hits}


def numbers(user, text) -> set[str]:
    return found(user, text, kind="case")


@pytest.fixture
def world(users, customers, org):
    alice, bob = customers["alice"], customers["bob"]
    team_a = org["team_a"]
    made = {
        "haier": make_case(alice, team=team_a, title="海尔空调不制冷", description="开机后不制冷"),
        "leak": make_case(alice, team=team_a, title="空调漏水", description="室内机滴水"),
        # Without a product: the asset's model name (海尔空调) would match 空调.
        "shui": make_case(
            alice, team=team_a, title="水漏了", description="厨房地面有水", asset=None
        ),
        "bob": make_case(
            bob, team=org["team_b"], title="洗衣机漏水", description="滚筒漏水", asset=None
        ),
    }
    return {k: v.number for k, v in made.items()}


def test_kongtiao_finds_both_air_conditioner_cases(users, world):
    got = numbers(users["supervisor"], "空调")
    assert {world["haier"], world["leak"]} <= got
    assert world["shui"] not in got


def test_loushui_does_not_find_shuilou(users, world):
    got = numbers(users["supervisor"], "漏水")
    assert world["leak"] in got and world["bob"] in got
    assert world["shui"] not in got


def test_product_model_found_by_code_and_parts(users, customers, world):
    # Alice's cases carry her asset of model KFR-35GW (conftest); her asset entry too.
    for query in ("KFR-35GW", "kfr35", "35GW"):
        assert world["haier"] in numbers(users["supervisor"], query), query
        assert "SN-A-0001" in found(users["supervisor"], query, kind="asset"), query


def test_phone_found_by_fragments_and_groups(users, customers):
    supervisor = users["supervisor"]
    for query in ("1234 5678", "138 1234 5678", "13812345678", "+86 138-1234-5678", "5678"):
        hits = search(user=supervisor, text=query, kind="customer").hits
        assert customers["alice"].pk in {h.object_id for h in hits}, query


def test_phone_fragments_only_for_roles_that_may_reveal_and_logged(users, customers):
    agent = users["agent"]  # may reveal numbers, sees them masked: fragment search is logged
    before = AuditLog.objects.filter(action="personal_data.search").count()
    hits = search(user=agent, text="1234 5678", kind="customer").hits
    assert [h.object_id for h in hits] == [customers["alice"].pk]
    assert hits[0].ref == "138****5678"  # the number stays masked in the result
    assert AuditLog.objects.filter(action="personal_data.search").count() == before + 1
    # The auditor sees customers but may not reveal numbers: whole numbers only.
    auditor = users["auditor"]
    assert search(user=auditor, text="1234 5678", kind="customer").hits == []
    whole = search(user=auditor, text="138 1234 5678", kind="customer").hits
    assert [h.object_id for h in whole] == [customers["alice"].pk]


def test_permissions_team_technician_and_customers(users, customers, org, world):
    # agents read every customer's history (docs/adr/0006-customer-history-at-the-desk.md)
    assert numbers(users["agent"], "漏水") == {world["leak"], world["bob"]}
    assert numbers(users["agent_b"], "漏水") == {world["leak"], world["bob"]}
    assert numbers(users["technician"], "漏水") == set()  # no jobs yet
    alice_user = customers["alice"].user
    bob_user = customers["bob"].user
    assert numbers(alice_user, "漏水") == {world["leak"]}
    assert numbers(bob_user, "漏水") == {world["bob"]}
    assert found(bob_user, "KFR-35GW", kind="asset") == {"SN-B-0001"}
    # Customers never search the customer base, technicians only their jobs' customers.
    assert search(user=alice_user, text="李四", kind="customer").hits == []
    assert search(user=users["technician"], text="李四", kind="customer").hits == []
    case = customers["bob"].cases.get(number=world["bob"])
    case_assign(
        actor=users["dispatcher"], case=case, team=org["team_a"], assignee=users["technician"]
    )
    assert numbers(users["technician"], "漏水") == {world["bob"]}
    assert [h.object_id for h in search(user=users["technician"], text="李四").hits] == [
        customers["bob"].pk
    ]


def test_internal_notes_are_staff_only(users, customers, world):
    case = customers["alice"].cases.get(number=world["leak"])
    case_note(actor=users["agent"], case=case, body="怀疑冷凝管堵塞，客户脾气急")
    case_reply(actor=users["agent"], case=case, body="师傅明天上门检查排水管")
    alice_user = customers["alice"].user
    assert numbers(users["agent"], "冷凝管") == {world["leak"]}
    hit = search(user=users["agent"], text="冷凝管", kind="case").hits[0]
    assert hit.in_note and "<mark>冷凝管</mark>" in hit.snippet
    assert numbers(alice_user, "冷凝管") == set()
    assert numbers(alice_user, "排水管") == {world["leak"]}
    assert numbers(customers["bob"].user, "排水管") == set()


def test_index_follows_updates_and_replies(users, customers, world):
    case = customers["alice"].cases.get(number=world["shui"])
    assert numbers(users["agent"], "热水器") == set()
    case = case_update(
        actor=users["agent"],
        case=case,
        expected_version=case.version,
        changes={"title": "热水器漏水"},
    )
    assert numbers(users["agent"], "热水器") == {world["shui"]}
    assert world["shui"] not in numbers(users["agent"], "水漏")
    case_reply(actor=customers["alice"].user, case=case, body="阀门 leaking badly")
    assert numbers(users["agent"], "leaks") == {world["shui"]}


def test_rebuild_gives_the_same_index(users, customers, world):
    case = customers["alice"].cases.get(number=world["leak"])
    case_note(actor=users["agent"], case=case, body="内部备注")
    fields = ["kind", "object_id", "customer_id", "team_id", "assignee_id", "case_type"]
    fields += ["status", "ref", "title", "body", "note_body", "tokens", "note_tokens"]
    fields += ["phone_tokens"]

    def snapshot():
        return sorted(SearchEntry.objects.values_list(*fields))

    before = snapshot()
    SearchEntry.objects.filter(kind="case").update(tokens="", title="")
    counts = search_index_rebuild(batch_size=2)
    assert snapshot() == before
    assert counts == {"customer": 2, "asset": 2, "case": 4}
    assert numbers(users["supervisor"], "空调") >= {world["haier"], world["leak"]}
    search_index_rebuild(batch_size=3, online=True)
    assert snapshot() == before
    SearchEntry.objects.all().delete()
    assert search_index_rebuild(batch_size=2, workers=2) == counts  # tokenised in 2 processes
    assert snapshot() == before


def test_ranking_prefers_title_matches_and_results_are_paged(users, customers, org):
    alice = customers["alice"]
    for i in range(5):
        make_case(alice, team=org["team_a"], title=f"冰箱异响 {i}", description="压缩机")
    best = make_case(alice, team=org["team_a"], title="压缩机 压缩机 损坏", description="压缩机")
    page = search(user=users["supervisor"], text="压缩机", kind="case", limit=4)
    assert page.hits[0].ref == best.number
    assert page.next_cursor
    rest = search(user=users["supervisor"], text="压缩机", kind="case", cursor=page.next_cursor)
    assert len(page.hits) + len(rest.hits) == 6 and rest.next_cursor is None
    refs = [h.ref for h in page.hits + rest.hits]
    assert len(set(refs)) == 6


def test_query_without_searchable_words_is_refused(users):
    with pytest.raises(InvalidInput) as exc:
        search(user=users["agent"], text=" 的 ")
    assert exc.value.code == "query_not_searchable"
    with pytest.raises(InvalidInput):
        search(user=users["agent"], text="空调", cursor="not-a-cursor")


def test_inactive_or_roleless_users_find_nothing(users, world):
    nobody = make_user("nobody", "parts_keeper")
    assert search(user=nobody, text="空调").hits == []
