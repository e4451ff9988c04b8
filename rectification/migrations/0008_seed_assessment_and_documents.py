"""Default 整改评估 indicators and grade thresholds (the office edits them), and the documents owed under feedbacks
given before documents were recorded."""

from decimal import Decimal

from django.db import migrations

INDICATORS = [
    ("整改责任落实", 25, 1),
    ("问题整改质量", 30, 2),
    ("建章立制", 15, 3),
    ("成果运用", 15, 4),
    ("群众满意度", 15, 5),
]
BANDS = [("excellent", "90"), ("pass", "75"), ("basic", "60"), ("fail", "0")]
# kind → the feedback's due-date field (the 主要负责人组织落实情况报告 goes with the 整改报告).
DOCUMENT_DUE = {"plan": "plan_due", "report": "report_due", "head_report": "report_due"}


def seed(apps, schema_editor):
    Indicator = apps.get_model("rectification", "AssessmentIndicator")
    Band = apps.get_model("rectification", "GradeBand")
    for name, weight, order in INDICATORS:
        Indicator.objects.get_or_create(name=name, defaults={"weight": weight, "order": order})
    for grade, score in BANDS:
        Band.objects.get_or_create(grade=grade, defaults={"min_score": Decimal(score)})


def open_documents(apps, schema_editor):
    Feedback = apps.get_model("rectification", "Feedback")
    Document = apps.get_model("rectification", "UnitDocument")
    for feedback in Feedback.objects.select_related("inspection").iterator():
        for kind, field in DOCUMENT_DUE.items():
            Document.objects.get_or_create(
                feedback=feedback,
                kind=kind,
                defaults={
                    "inspection_id": feedback.inspection_id,
                    "unit_id": feedback.inspection.unit_id,
                    "due_date": getattr(feedback, field),
                },
            )


class Migration(migrations.Migration):
    dependencies = [("rectification", "0007_unit_documents_assessment_supervision")]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(open_documents, migrations.RunPython.noop),
    ]
