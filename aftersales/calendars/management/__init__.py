"""Management commands of the calendars app."""

from __future__ import annotations

import os


def shell_language() -> str:
    """The language of the administrator's shell (LC_ALL, LC_MESSAGES, LANG): Chinese for a
    ``zh_*`` locale, English otherwise — a terminal in the C locale reads English best."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return "zh-hans" if value.lower().startswith("zh") else "en"
    return "en"
