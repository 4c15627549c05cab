"""The search index: one row per searchable object, and the words administrators teach it.

``SearchEntry`` holds the pre-segmented tokens of a case, customer or asset (see
:mod:`aftersales.search.tokenizer`) and the few fields needed to apply the same permissions as
the lists without joining the domain tables (customer, team, assignee, case type). The
full-text index over the tokens is database-specific and created in the migration: an FTS5
table kept in step by triggers on SQLite, a generated ``tsvector`` column with a GIN index on
PostgreSQL. Rows are written by :mod:`aftersales.search.indexing`, called from the write
services, never by signals.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryKind(models.TextChoices):
    CASE = "case", _("Cases")
    CUSTOMER = "customer", _("Customers")
    ASSET = "asset", _("Products")


class SearchEntry(models.Model):
    """One searchable object. ``tokens`` is what everyone who may see the object searches;
    ``note_tokens`` (internal notes) only staff; ``phone_tokens`` (digit fragments of phone
    numbers) only roles that may search by part of a number."""

    kind = models.CharField(max_length=12, choices=EntryKind.choices)
    object_id = models.BigIntegerField()
    customer = models.ForeignKey(
        "customers.Customer",
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    team = models.ForeignKey(
        "accounts.Team",
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    case_type = models.CharField(max_length=32, blank=True)
    status = models.CharField(max_length=24, blank=True)
    ref = models.CharField(max_length=60, blank=True)
    title = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True)
    note_body = models.TextField(blank=True)
    tokens = models.TextField(blank=True)
    note_tokens = models.TextField(blank=True)
    phone_tokens = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        db_table = "search_entry"
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.ref or self.object_id}"


class SearchWord(models.Model):
    """A word of the user dictionary: a product name, part name or brand that the segmenter
    must keep whole (变频空调, 压缩机, 统帅). Codes like KFR-35GW need no entry: they are split
    and joined by rule. New words apply to text indexed from then on; run ``search_rebuild``
    to apply them to everything."""

    word = models.CharField(_("word"), max_length=40, unique=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("search dictionary word")
        verbose_name_plural = _("search dictionary words")
        ordering = ["word"]

    def __str__(self) -> str:
        return self.word
