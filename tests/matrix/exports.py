"""Exports, Word documents, imports and the export log: every URL × every persona."""

from django.core.files.base import ContentFile
from django.urls import reverse

from . import EVERYONE, GROUP1, GROUP2, OVERSEERS, Case

GROUPS = GROUP1 | GROUP2
LEADERS = frozenset({"group1_leader", "group2_leader"})


def _export(kind):
    return lambda w: reverse(f"exports:{kind}")


def _job(w):
    from xuncha.models import ImportJob

    job = ImportJob.objects.filter(original_name="matrix.xlsx").first()
    if job is None:
        job = ImportJob(kind="units", original_name="matrix.xlsx", created_by=w.users["office"], status="done")
        job.file.save("matrix.xlsx", ContentFile(b"x"), save=False)
        job.save()
    return reverse("exports:import_job", args=[job.pk])


def _export_job(suffix=""):
    """The office's own finished background export: its page, download and retry are the office's alone."""

    def url(w):
        from xuncha.models import ExportJob

        job = ExportJob.objects.filter(kind="matrix").first()
        if job is None:
            job = ExportJob(kind="matrix", user=w.users["office"], path="/", status="done", filename="m.xlsx")
            job.file.save("m.xlsx", ContentFile(b"x"), save=False)
            job.save()
        return reverse("exports:export_job", args=[job.pk]) + suffix

    return url


CASES = [
    Case("exports_index", lambda w: reverse("exports:index"), EVERYONE - {"nobody"}),
    Case("export_units", _export("units"), OVERSEERS),
    Case("export_people", _export("people"), OVERSEERS),
    Case("export_rounds", _export("rounds"), OVERSEERS | GROUPS),
    Case("export_inspections", _export("inspections"), OVERSEERS | GROUPS),
    Case("export_findings", _export("findings"), OVERSEERS | GROUPS | {"liaison"}),
    Case("export_clues", _export("clues"), OVERSEERS | LEADERS | {"jiwei"}),
    Case("export_petitions", _export("petitions"), OVERSEERS | GROUPS),
    Case("export_ledger", _export("ledger"), OVERSEERS | GROUPS | {"liaison", "unit_head", "zuzhibu"}),
    Case("export_tasks", _export("tasks"), OVERSEERS | GROUPS | {"liaison", "unit_head", "zuzhibu"}),
    Case("export_reminders", _export("reminders"), EVERYONE - {"nobody"}),
    Case("export_log", lambda w: reverse("exports:export_log"), frozenset({"office"})),
    Case(
        "word_feedback_group1",
        lambda w: reverse("exports:feedback_letter", args=[w.g1.inspection.pk]),
        OVERSEERS | GROUP1 | {"liaison"},
    ),
    Case(
        "word_feedback_group2",
        lambda w: reverse("exports:feedback_letter", args=[w.g2.inspection.pk]),
        OVERSEERS | GROUP2 | {"zuzhibu"},
    ),
    Case("word_finding_group1", lambda w: reverse("exports:finding_sheet", args=[w.g1.finding.pk]), OVERSEERS | GROUP1),
    Case("word_finding_group2", lambda w: reverse("exports:finding_sheet", args=[w.g2.draft.pk]), OVERSEERS | GROUP2),
    Case(
        "word_notice_finance",
        lambda w: reverse("exports:rectification_notice", args=[w.units.finance.pk]),
        # The notice lists the unit's tasks: its head reads it like the tasks themselves.
        OVERSEERS | GROUP1 | {"liaison", "unit_head"},
    ),
    Case(
        "word_notice_education",
        lambda w: reverse("exports:rectification_notice", args=[w.units.education.pk]),
        OVERSEERS | GROUP2 | {"zuzhibu"},
    ),
    Case("import_units", lambda w: reverse("exports:import_start", args=["units"]), frozenset({"office"})),
    Case("import_people", lambda w: reverse("exports:import_start", args=["people"]), frozenset({"office"})),
    Case("import_template", lambda w: reverse("exports:import_template", args=["units"]), frozenset({"office"})),
    Case("import_job", _job, frozenset({"office"})),
    Case("export_job", _export_job(), frozenset({"office"})),
    Case("export_job_download", _export_job("download/"), frozenset({"office"})),
    Case(
        "export_job_retry",
        _export_job("retry/"),
        frozenset({"office"}),
        method="post",
        data=lambda w: {},
        ok_status=302,
    ),
    Case(
        "import_job_retry",
        lambda w: _job(w) + "retry/",
        frozenset({"office"}),
        method="post",
        data=lambda w: {},
        ok_status=302,
    ),
]
