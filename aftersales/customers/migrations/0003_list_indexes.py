"""Indexes for the customer list's name search (PostgreSQL).

The list and the API match the start of a name or company case-insensitively, which Django
writes as ``UPPER(name) LIKE UPPER('王%')``. A b-tree serves such a prefix only with the
pattern operator class (the database's collation is rarely "C"), and Django's ``Meta.indexes``
cannot give one to an expression on every database, so these are created here for PostgreSQL
only. SQLite scans the customers (its ``LIKE`` ignores case and cannot use a plain index).
"""

from django.db import migrations

INDEXES = {
    "customer_name_prefix_idx": 'UPPER("name") text_pattern_ops',
    "customer_company_prefix_idx": 'UPPER("company_name") text_pattern_ops',
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "customers_customer" ({expression})'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("customers", "0002_versions")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
