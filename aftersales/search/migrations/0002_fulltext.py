"""The full-text index over the pre-segmented tokens, one per database.

SQLite: an FTS5 table with ``search_entry`` as external content, kept in step by triggers
(insert, delete, update of the token columns), ranked with bm25. PostgreSQL: a generated
``tsvector`` column (tokens weighted A, internal-note tokens B, phone fragments C, read as
lexemes without a parser, because they are already segmented; each gets position 1, since
weights live on positions) with a GIN index, ranked with ts_rank.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        tokens, note_tokens, phone_tokens,
        content='search_entry', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0', prefix='2 3 4'
    )""",
    """CREATE TRIGGER search_entry_ai AFTER INSERT ON search_entry BEGIN
        INSERT INTO search_fts(rowid, tokens, note_tokens, phone_tokens)
        VALUES (new.id, new.tokens, new.note_tokens, new.phone_tokens);
    END""",
    """CREATE TRIGGER search_entry_ad AFTER DELETE ON search_entry BEGIN
        INSERT INTO search_fts(search_fts, rowid, tokens, note_tokens, phone_tokens)
        VALUES ('delete', old.id, old.tokens, old.note_tokens, old.phone_tokens);
    END""",
    """CREATE TRIGGER search_entry_au AFTER UPDATE OF tokens, note_tokens, phone_tokens
    ON search_entry BEGIN
        INSERT INTO search_fts(search_fts, rowid, tokens, note_tokens, phone_tokens)
        VALUES ('delete', old.id, old.tokens, old.note_tokens, old.phone_tokens);
        INSERT INTO search_fts(rowid, tokens, note_tokens, phone_tokens)
        VALUES (new.id, new.tokens, new.note_tokens, new.phone_tokens);
    END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_entry_au",
    "DROP TRIGGER IF EXISTS search_entry_ad",
    "DROP TRIGGER IF EXISTS search_entry_ai",
    "DROP TABLE IF EXISTS search_fts",
]
POSTGRES_FORWARD = [
    r"""ALTER TABLE search_entry ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
        setweight(regexp_replace(tokens, '(\S+)', '\1:1', 'g')::tsvector, 'A')
        || setweight(regexp_replace(note_tokens, '(\S+)', '\1:1', 'g')::tsvector, 'B')
        || setweight(regexp_replace(phone_tokens, '(\S+)', '\1:1', 'g')::tsvector, 'C')
    ) STORED""",
    "CREATE INDEX search_entry_tsv_idx ON search_entry USING gin (tsv)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_entry_tsv_idx",
    "ALTER TABLE search_entry DROP COLUMN IF EXISTS tsv",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
