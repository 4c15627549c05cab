"""Turning text into search tokens, the same way for what is indexed and what is asked.

No Django here: the module takes strings and gives strings, so it can be tested and timed alone.

- **Chinese** is segmented with rjieba in search mode for the index (海尔空调不制冷 → 海尔, 空调,
  不, 制冷) and in precise mode for queries; every precise-mode word is also a search-mode word,
  so a query word is always among the indexed ones. Words administrators add to the user
  dictionary (product names, part names) are fed to ``rjieba.add_word``.
- **English** is NFKC-normalised and case-folded; each word is indexed as written and by a
  light stem (plural, -ing, -ed), queries use the stem and match by prefix.
- **Codes** (product models, serials, part codes, case numbers) are split into letter and digit
  runs and indexed as every suffix join: KFR-35GW/BP → kfr35gwbp, 35gwbp, gwbp, bp, so that a
  prefix query finds any run of the code that starts at a boundary: kfr35, 35GW, KFR-35GW.
- **Phones** are indexed as every substring of 4 or more digits of the national number, plus
  the E.164 digits; a query made only of digit groups (``138 1234 5678``) is joined first.
"""

from __future__ import annotations

import html
import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import rjieba

# Runs of ASCII letters/digits, possibly joined by separators: KFR-35GW/BP, SC-2026-000123.
_CODE = re.compile(r"[0-9a-z]+(?:[-_./·][0-9a-z]+)*")
_PARTS = re.compile(r"[a-z]+|[0-9]+")
_WORDISH = re.compile(r"[^\W_]", re.UNICODE)
_NOT_TOKEN = re.compile(r"[\W_]+", re.UNICODE)
_DIGIT_QUERY = re.compile(r"^\+?[\d\s\-()]+$")
MAX_CODE_PARTS = 8
MAX_TOKEN = 40
MAX_QUERY_TERMS = 8
MIN_PHONE_DIGITS = 4

# Particles that carry no meaning on their own; dropped from index and queries alike.
_STOP = "的 了 吗 呢 啊 吧 呀 是 在 和 与 及 或 也 就 都 而 着 过 把 被 让 给"
_STOP_EN = "the a an of to and or is are"
STOPWORDS = frozenset([*_STOP.split(" "), *_STOP_EN.split(" ")])

_lock = threading.Lock()
_added: set[str] = set()


def add_words(words: Iterable[str]) -> int:
    """Teach the segmenter words of the user dictionary; returns how many were new.

    rjieba has no ``load_userdict``: each word is added with ``add_word``. A high frequency
    makes the segmenter keep the word whole in precise mode."""
    new = 0
    with _lock:
        for raw in words:
            word = normalize(raw).strip()
            if not word or word in _added:
                continue
            rjieba.add_word(word, 100_000, None)
            _added.add(word)
            new += 1
    return new


def normalize(text: str) -> str:
    """Full-width to half-width and case-folded: ＫＦＲ－３５ＧＷ → kfr-35gw."""
    return unicodedata.normalize("NFKC", text or "").casefold()


def stem(word: str) -> str:
    """A light English stemmer (S-stemmer plus -ing/-ed): leaks, leaking, leaked → leak;
    batteries → battery. Only letters; anything under four letters is kept as it is."""
    if len(word) < 4 or not word.isalpha() or not word.isascii():
        return word
    if word.endswith("ies") and not word.endswith(("eies", "aies")):
        return word[:-3] + "y"
    if word.endswith("sses") or word.endswith(("ches", "shes", "xes", "zes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            if len(base) > 3 and base[-1] == base[-2] and base[-1] not in "lsz":
                base = base[:-1]  # running → run, stopped → stop
            return base
    return word


def _code_tokens(run: str) -> list[str]:
    parts = _PARTS.findall(run)[:MAX_CODE_PARTS]
    out = []
    for i in range(len(parts)):
        joined = "".join(parts[i:])[:MAX_TOKEN]
        out.append(joined)
        if joined[0] == "0" and joined.isdigit() and joined.strip("0"):
            out.append(joined.lstrip("0"))  # SC-2026-000123 is found by 123
    if len(parts) == 1 and parts[0].isalpha():
        stemmed = stem(parts[0])
        if stemmed != parts[0]:
            out.append(stemmed)
    return out


def _chinese_tokens(segment: str, *, search_mode: bool) -> list[str]:
    words = rjieba.cut_for_search(segment) if search_mode else rjieba.cut(segment)
    out = []
    for word in words:
        word = _NOT_TOKEN.sub("", word)
        if word and word not in STOPWORDS:
            out.append(word[:MAX_TOKEN])
    return out


def _segments(text: str) -> Iterable[tuple[bool, str]]:
    """(is_code, piece) in order: ASCII code runs and the text between them."""
    pos = 0
    for match in _CODE.finditer(text):
        if match.start() > pos:
            yield False, text[pos : match.start()]
        yield True, match.group()
        pos = match.end()
    if pos < len(text):
        yield False, text[pos:]


def index_tokens(*texts: str) -> list[str]:
    """The tokens under which ``texts`` are found, duplicates removed, order kept."""
    seen: dict[str, None] = {}
    for text in texts:
        if not text:
            continue
        for is_code, piece in _segments(normalize(text)):
            if is_code:
                tokens = _code_tokens(piece)
            elif _WORDISH.search(piece):
                tokens = _chinese_tokens(piece, search_mode=True)
            else:
                continue
            for token in tokens:
                if token not in STOPWORDS:
                    seen.setdefault(token, None)
    return list(seen)


def phone_tokens(national: str, e164: str = "") -> list[str]:
    """Every substring of 4+ digits of the national number (13812345678 → 1381, 3812, …,
    13812345678: 36 tokens), and the E.164 digits (8613812345678)."""
    digits = re.sub(r"\D", "", national or "")
    seen: dict[str, None] = {}
    for length in range(len(digits), MIN_PHONE_DIGITS - 1, -1):
        for start in range(len(digits) - length + 1):
            seen.setdefault(digits[start : start + length], None)
    full = re.sub(r"\D", "", e164 or "")
    if full:
        seen.setdefault(full, None)
    return list(seen)


@dataclass(frozen=True)
class Term:
    """One word of a query: ``text`` is matched by prefix, or as a whole word when ``whole``;
    ``digits`` terms are also matched against phone numbers (as a whole token)."""

    text: str
    digits: bool = False
    whole: bool = False


def phone_query_digits(query: str) -> str | None:
    """The digits of a query made only of digit groups (``138 1234 5678``, ``+86 138-1234-5678``),
    joined, without the country code; ``None`` for any other query."""
    text = normalize(query).strip()
    if not text or not _DIGIT_QUERY.match(text):
        return None
    digits = re.sub(r"\D", "", text)
    if text.startswith("+86") or (digits.startswith("86") and len(digits) > 11):
        digits = digits[2:]
    elif digits.startswith("0086") and len(digits) > 13:
        digits = digits[4:]
    return digits or None


def query_terms(query: str) -> list[Term]:
    """The terms of a query, tokenised like the index (at most eight; empty when nothing in
    it can be searched)."""
    digits = phone_query_digits(query)
    if digits is not None:
        return [Term(digits, digits=True)]
    terms: dict[str, Term] = {}
    chinese: set[str] = set()
    for is_code, piece in _segments(normalize(query)):
        if is_code:
            parts = _PARTS.findall(piece)
            joined = "".join(parts)[:MAX_TOKEN]
            if len(parts) == 1 and joined.isalpha():
                joined = stem(joined)
            if joined and joined not in STOPWORDS:
                terms.setdefault(joined, Term(joined, digits=joined.isdigit()))
        elif _WORDISH.search(piece):
            for word in _chinese_tokens(piece, search_mode=False):
                terms.setdefault(word, Term(word))
                chinese.add(word)
    found = list(terms.values())[:MAX_QUERY_TERMS]
    # A Chinese word followed by another term is complete (the segmenter found where it ends;
    # every precise-mode word is also indexed), so it is matched whole: expanding a common
    # one-character word like 不 by prefix would read the postings of every word it starts.
    # The last term may still be being typed and keeps its prefix match.
    return [
        Term(t.text, digits=t.digits, whole=True)
        if i < len(found) - 1 and t.text in chinese and not t.text.isascii()
        else t
        for i, t in enumerate(found)
    ]


# --- highlighting ------------------------------------------------------------------------------

_SEP = r"[-_./·\s]?"


def _term_pattern(term: Term) -> str:
    if term.text.isascii():
        # kfr35 also marks "KFR-35"; 12345678 also marks "1234 5678".
        return _SEP.join(re.escape(ch) for ch in term.text)
    return re.escape(term.text)


def highlight_pattern(terms: list[Term]) -> re.Pattern[str] | None:
    if not terms:
        return None
    alternatives = sorted((_term_pattern(t) for t in terms), key=len, reverse=True)
    return re.compile("|".join(alternatives), re.IGNORECASE)


def highlight_html(text: str, pattern: re.Pattern[str] | None, *, width: int = 0) -> str:
    """``text`` HTML-escaped, matches wrapped in ``<mark>``. With ``width``, a window of about
    that many characters around the first match (or the start), with ellipses."""
    text = text or ""
    match = pattern.search(text) if pattern is not None else None
    if width and len(text) > width:
        start = 0
        if match is not None and match.start() > width // 3:
            start = match.start() - width // 3
        end = start + width
        text = ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
    if pattern is None:
        return html.escape(text)
    spans: list[list[int]] = []
    for found in pattern.finditer(text):
        if found.end() == found.start():
            continue
        if spans and spans[-1][1] == found.start():
            spans[-1][1] = found.end()  # 冷凝 + 管 → one mark
        else:
            spans.append([found.start(), found.end()])
    out, pos = [], 0
    for start, end in spans:
        out.append(html.escape(text[pos:start]))
        out.append("<mark>" + html.escape(text[start:end]) + "</mark>")
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out)
