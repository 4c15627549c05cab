"""The tokenizer alone: what Chinese, codes, English and phone numbers turn into."""

from __future__ import annotations

from aftersales.search.tokenizer import (
    Term,
    add_words,
    highlight_html,
    highlight_pattern,
    index_tokens,
    phone_query_digits,
    phone_tokens,
    query_terms,
    stem,
)


def matches(query: str, *texts: str) -> bool:
    """Every query term is a prefix of some indexed token (what FTS5 / tsquery :* do)."""
    tokens = index_tokens(*texts)
    return all(any(tok.startswith(t.text) for tok in tokens) for t in query_terms(query))


def test_chinese_words_are_segmented_in_search_mode():
    assert index_tokens("海尔空调不制冷") == ["海尔", "空调", "不", "制冷"]
    assert matches("空调", "海尔空调不制冷")
    assert matches("空调", "空调漏水")


def test_lou_shui_does_not_find_shui_lou_le():
    # 水漏了 is cut into 水漏 + 了 (了 is a stop word): 漏水 is not among its words.
    assert index_tokens("水漏了") == ["水漏"]
    assert not matches("漏水", "水漏了")
    assert matches("漏水", "空调漏水")


def test_product_model_codes_are_found_by_their_parts():
    text = "海尔 KFR-35GW 空调"
    for query in ("KFR-35GW", "kfr35", "35GW", "kfr-35gw", "ＫＦＲ－３５ＧＷ", "KFR 35GW"):
        assert matches(query, text), query
    assert not matches("5GW", text)
    assert "kfr35gw" in index_tokens(text)


def test_case_numbers_are_found_whole_and_by_their_digits():
    for query in ("SC-2026-000123", "000123", "123", "2026000123"):
        assert matches(query, "SC-2026-000123"), query


def test_phone_fragments():
    tokens = phone_tokens("13812345678", "+8613812345678")
    assert "12345678" in tokens and "1234" in tokens and "13812345678" in tokens
    assert "8613812345678" in tokens
    assert all(len(t) >= 4 for t in tokens)
    assert len(tokens) == 36 + 1


def test_digit_group_queries_are_joined():
    assert query_terms("138 1234 5678") == [Term("13812345678", digits=True)]
    assert query_terms("1234 5678") == [Term("12345678", digits=True)]
    assert phone_query_digits("+86 138-1234-5678") == "13812345678"
    assert phone_query_digits("0086 13812345678") == "13812345678"
    assert phone_query_digits("空调 1234") is None


def test_english_is_case_folded_and_stemmed():
    assert stem("leaking") == "leak"
    assert stem("leaks") == "leak"
    assert stem("batteries") == "battery"
    assert stem("running") == "run"
    assert matches("Leaking", "the compressor leaks oil")
    assert matches("BATTERIES", "battery drains")
    assert matches("compr", "Compressor noise")  # as-you-type prefix


def test_nothing_searchable_gives_no_terms():
    assert query_terms("的了吗") == []
    assert query_terms("  --  ") == []


def test_user_dictionary_keeps_words_whole():
    assert "变频冷媒阀" not in index_tokens("变频冷媒阀故障")
    add_words(["变频冷媒阀"])
    assert "变频冷媒阀" in index_tokens("变频冷媒阀故障")
    assert [t.text for t in query_terms("变频冷媒阀")] == ["变频冷媒阀"]


def test_highlight_escapes_html_and_marks_matches():
    pattern = highlight_pattern(query_terms("kfr35 空调"))
    html = highlight_html("<b>海尔空调</b> KFR-35GW", pattern)
    assert html == "&lt;b&gt;海尔<mark>空调</mark>&lt;/b&gt; <mark>KFR-35</mark>GW"
    assert highlight_html("<script>", None) == "&lt;script&gt;"
    snippet = highlight_html("前" * 200 + "空调" + "后" * 200, pattern, width=60)
    assert snippet.startswith("…") and snippet.endswith("…") and "<mark>空调</mark>" in snippet
