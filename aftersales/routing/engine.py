"""Which rule a case matches, and why (R1.4).

Pure functions over a :class:`CaseSample` — the few facts of a case the rules look at — so the
same code routes a new case, tests a draft rule against a sample, and explains its answer.
Chinese keywords are matched on words segmented by rjieba (search mode, so 空调 is found in
中央空调), not on substrings: 水 alone does not match 水平.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

import rjieba

_SPLIT = re.compile(r"[\s,，、;；]+")


def split_keywords(text: str) -> list[str]:
    """``"空调 漏水，滴水"`` → ``["空调", "漏水", "滴水"]`` (deduplicated, order kept)."""
    seen: dict[str, None] = {}
    for word in _SPLIT.split(text or ""):
        word = word.strip().lower()
        if word:
            seen.setdefault(word, None)
    return list(seen)


def segment_words(text: str) -> frozenset[str]:
    """The words of ``text`` for keyword matching: rjieba's search-mode cut, lower-cased."""
    if not text:
        return frozenset()
    return frozenset(
        w.strip().lower()
        for w in rjieba.cut_for_search(text)
        if w.strip() and not _SPLIT.fullmatch(w)
    )


def keyword_found(keyword: str, words: frozenset[str]) -> bool:
    """A keyword is found when it is one of the words, or when every word it segments into is."""
    if keyword in words:
        return True
    parts = [p for p in segment_words(keyword)]
    longest = [p for p in parts if not any(p != q and p in q for q in parts)]
    return bool(longest) and all(p in words for p in longest)


@dataclass(frozen=True)
class CaseSample:
    """What the rules look at: type, category, product line, the customer's region and words."""

    case_type: str = ""
    category_id: int | None = None
    product_line: str = ""
    region_parts: tuple[str, ...] = ()
    words: frozenset[str] = frozenset()
    # not rule conditions: what the SLA policy preview of a dry run needs
    channel: str = "hotline"
    customer_tier: str = "standard"

    @classmethod
    def build(
        cls,
        *,
        case_type: str = "",
        category_id: int | None = None,
        product_line: str = "",
        region_parts: Iterable[str] = (),
        title: str = "",
        description: str = "",
        channel: str = "hotline",
        customer_tier: str = "standard",
    ) -> CaseSample:
        return cls(
            case_type=case_type or "",
            category_id=category_id,
            product_line=(product_line or "").strip(),
            region_parts=tuple(p.strip() for p in region_parts if p and p.strip()),
            words=segment_words(f"{title or ''}\n{description or ''}"),
            channel=channel or "hotline",
            customer_tier=customer_tier or "standard",
        )


@dataclass
class Match:
    """The outcome of checking one rule: whether it matched and the conditions that decided."""

    matched: bool
    reasons: list[dict[str, str]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.matched


def _region_matches(region: str, parts: tuple[str, ...]) -> bool:
    region = region.strip()
    for part in parts:
        if region == part or region in part or (len(part) >= 2 and part in region):
            return True
    return False


def rule_match(rule, sample: CaseSample) -> Match:
    """Check every condition the rule sets; the rule matches when all of them hold."""
    reasons: list[dict[str, str]] = []
    if rule.case_type:
        if sample.case_type != rule.case_type:
            return Match(False, [{"condition": "case_type", "value": rule.case_type}])
        reasons.append({"condition": "case_type", "value": rule.case_type})
    if rule.category_id:
        if sample.category_id != rule.category_id:
            return Match(False, [{"condition": "category", "value": str(rule.category_id)}])
        reasons.append({"condition": "category", "value": str(rule.category_id)})
    if rule.product_line:
        if sample.product_line.casefold() != rule.product_line.strip().casefold():
            return Match(False, [{"condition": "product_line", "value": rule.product_line}])
        reasons.append({"condition": "product_line", "value": rule.product_line})
    if rule.region:
        if not _region_matches(rule.region, sample.region_parts):
            return Match(False, [{"condition": "region", "value": rule.region}])
        reasons.append({"condition": "region", "value": rule.region})
    keywords = split_keywords(rule.keywords)
    if keywords:
        found = [k for k in keywords if keyword_found(k, sample.words)]
        ok = len(found) == len(keywords) if rule.keyword_mode == "all" else bool(found)
        if not ok:
            return Match(False, [{"condition": "keywords", "value": " ".join(keywords)}])
        reasons.append({"condition": "keywords", "value": " ".join(found)})
    return Match(True, reasons)


class _Rule(Protocol):
    is_active: bool


R = TypeVar("R", bound=_Rule)


def first_match(rules: Iterable[R], sample: CaseSample) -> tuple[R | None, Match | None]:
    """The first active rule, in order, that matches the sample."""
    for rule in rules:
        if not rule.is_active:
            continue
        result = rule_match(rule, sample)
        if result.matched:
            return rule, result
    return None, None
