"""Shared set-up for the report tests: a report at a chosen state."""

from findings.choices import ReportState
from findings.models import InspectionReport


def report_at(world, state=ReportState.DRAFT, side="g1"):
    """The report of group 1's (or 2's) inspection, put at `state` without going through the review."""
    inspection = getattr(world, side).inspection
    report, _ = InspectionReport.objects.get_or_create(
        inspection=inspection,
        defaults={
            "created_by": world.users[f"group{side[1]}_leader"],
            "problems": f"{getattr(world, side).marker}正文",
        },
    )
    fields = {"state": state}
    if state == ReportState.FINAL:
        fields.update(decision="同意", decision_date=world.today)
    InspectionReport.objects.filter(pk=report.pk).update(**fields)
    report.refresh_from_db()
    return report
