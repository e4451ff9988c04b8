"""Finding-evidence downloads were logged as kind "evidence", which the log page labels as nothing and its
问题佐证材料 filter ("finding_evidence") never matched; progress evidence now logs as "progress_evidence"."""

from django.db import migrations


def rename(apps, schema_editor):
    apps.get_model("xuncha", "ExportLog").objects.filter(kind="evidence").update(kind="finding_evidence")


def rename_back(apps, schema_editor):
    apps.get_model("xuncha", "ExportLog").objects.filter(kind="finding_evidence").update(kind="evidence")


class Migration(migrations.Migration):
    dependencies = [("xuncha", "0005_export_jobs")]

    operations = [migrations.RunPython(rename, rename_back)]
