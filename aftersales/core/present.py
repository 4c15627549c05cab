"""Stored values as people read them. A choice is stored as its code (``on_the_way``) and shown
by its label (在途 / On the way); these helpers are the one way code turns one into the other,
and :mod:`aftersales.core.audit_labels` does the same for any stored value under a key."""

from __future__ import annotations

from django.db import models


def label_of(choices: type[models.Choices], value: object) -> str:
    """The label of a stored value in the active language, or the value itself when the
    choices do not know it (a value written before a choice was renamed)."""
    try:
        return str(choices(value).label)
    except ValueError:
        return "" if value is None else str(value)
