"""The user dictionary: words administrators add (in the admin) so the segmenter keeps them
whole. Each process loads them into rjieba on first use; searches look for new ones every few
minutes (the write path never queries for them again, so it stays one upsert); the process
that saves a word applies it at once."""

from __future__ import annotations

import threading
import time

from .tokenizer import add_words

RECHECK_SECONDS = 300
_state = {"checked": float("-inf"), "count": -1}
_lock = threading.Lock()


def ensure_loaded(*, force: bool = False, refresh: bool = True) -> None:
    """Feed the dictionary's words to the segmenter if not done yet (``refresh``: or not in
    the last few minutes)."""
    now = time.monotonic()
    if not force and _state["count"] >= 0 and not refresh:
        return
    if not force and now - _state["checked"] < RECHECK_SECONDS:
        return
    with _lock:
        if not force and now - _state["checked"] < RECHECK_SECONDS:
            return
        from .models import SearchWord

        _state["checked"] = now
        words = list(SearchWord.objects.values_list("word", flat=True))
        add_words(words)  # words already known are skipped
        _state["count"] = len(words)


def word_added(word: str) -> None:
    """Apply a word saved in this process at once."""
    add_words([word])
