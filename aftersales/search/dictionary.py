"""The user dictionary: words administrators add (in the admin) so the segmenter keeps them
whole. Each process loads them into rjieba on first use and looks for new ones every few
minutes; the process that saves a word applies it at once."""

from __future__ import annotations

import threading
import time

from .tokenizer import add_words

RECHECK_SECONDS = 300
_state = {"checked": 0.0, "count": -1}
_lock = threading.Lock()


def ensure_loaded(*, force: bool = False) -> None:
    """Feed the dictionary's words to the segmenter if not done in the last few minutes."""
    now = time.monotonic()
    if not force and now - _state["checked"] < RECHECK_SECONDS:
        return
    with _lock:
        if not force and now - _state["checked"] < RECHECK_SECONDS:
            return
        from .models import SearchWord

        _state["checked"] = now
        words = list(SearchWord.objects.values_list("word", flat=True))
        if len(words) != _state["count"]:
            add_words(words)
            _state["count"] = len(words)


def word_added(word: str) -> None:
    """Apply a word saved in this process at once."""
    add_words([word])
