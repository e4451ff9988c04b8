"""Bigram GIN indexes for search (xuncha/search.py). PostgreSQL only: on SQLite, nothing to do."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION xuncha_bigrams(t text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT array_to_tsvector(ARRAY(
    SELECT substr(lower(t), i, 2) FROM generate_series(1, char_length(t) - 1) AS i
    UNION
    SELECT right(lower(t), 1) WHERE char_length(t) > 0
  ))
$$
"""

INDEXED = [
    ("rectification_rectificationtask", "measure", "task_measure_bigrams"),
    ("findings_finding", "title", "finding_title_bigrams"),
    ("findings_finding", "description", "finding_description_bigrams"),
    ("findings_clue", "summary", "clue_summary_bigrams"),
    ("rounds_partyunit", "name", "unit_name_bigrams"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    for table, column, name in INDEXED:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (xuncha_bigrams({column}))")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _table, _column, name in INDEXED:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute("DROP FUNCTION IF EXISTS xuncha_bigrams(text)")


class Migration(migrations.Migration):
    dependencies = [
        ("rectification", "0012_task_open_first_index"),
        ("findings", "0006_petition_register"),
        ("rounds", "0007_group_review_exception"),
    ]

    operations = [migrations.RunPython(create, drop)]
