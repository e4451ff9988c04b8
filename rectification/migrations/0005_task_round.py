"""Each task carries its finding's round (see RectificationTask.round): added, filled in, then required."""

import django.db.models.deletion
from django.db import migrations, models

FILL = {
    # One join for the whole table on PostgreSQL (2M rows at province scale); a correlated subquery elsewhere.
    "postgresql": """
        UPDATE {table} AS t SET round_id = i.round_id
        FROM findings_finding f JOIN rounds_inspection i ON i.id = f.inspection_id
        WHERE f.id = t.finding_id AND t.round_id IS NULL
    """,
    "default": """
        UPDATE {table} SET round_id = (
            SELECT i.round_id FROM findings_finding f JOIN rounds_inspection i ON i.id = f.inspection_id
            WHERE f.id = {table}.finding_id
        ) WHERE round_id IS NULL
    """,
}


def fill_rounds(apps, schema_editor):
    sql = FILL.get(schema_editor.connection.vendor, FILL["default"])
    for table in ("rectification_rectificationtask", "rectification_historicalrectificationtask"):
        schema_editor.execute(sql.format(table=table))


class Migration(migrations.Migration):
    dependencies = [
        ("findings", "0003_seed_categories"),
        ("rectification", "0004_reminder_claim_lease"),
        ("rounds", "0003_dashboard_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalrectificationtask",
            name="round",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="rounds.round",
                verbose_name="轮次",
            ),
        ),
        migrations.AddField(
            model_name="rectificationtask",
            name="round",
            field=models.ForeignKey(
                blank=True,
                null=True,
                editable=False,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="rounds.round",
                verbose_name="轮次",
            ),
        ),
        migrations.RunPython(fill_rounds, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="rectificationtask",
            name="round",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="rounds.round",
                verbose_name="轮次",
            ),
        ),
        migrations.AddIndex(
            model_name="rectificationtask",
            index=models.Index(fields=["round", "due_date", "id"], name="task_round_due_date_id"),
        ),
    ]
