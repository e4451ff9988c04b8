"""The report cards that the inspection page and the round page include (one line each in their templates)."""

from django import template

from findings import report_selectors as sel
from findings import report_workflow as wf
from findings.choices import REPORT_STATE_COLOURS, ROUND_REPORT_STATE_COLOURS, RoundReportState
from findings.models import InspectionReport
from findings.report_services import DRAFTING_FROM

register = template.Library()


@register.filter
def report_colour(state) -> str:
    return REPORT_STATE_COLOURS.get(state, "secondary")


@register.filter
def round_report_colour(state) -> str:
    return ROUND_REPORT_STATE_COLOURS.get(state, "secondary")


@register.inclusion_tag("findings/reports/inspection_card.html", takes_context=True)
def inspection_report_card(context, inspection):
    """The inspection's report for whoever may read it: nothing at all for members and liaisons."""
    user = context["request"].user
    roles = wf.roles_on(user, inspection)
    report = InspectionReport.objects.visible_to(user).filter(inspection=inspection).first()
    return {
        "shown": bool(roles),
        "inspection": inspection,
        "report": report,
        "can_create": report is None and bool(roles & wf.EDITORS) and inspection.stage >= DRAFTING_FROM,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("findings/reports/round_card.html", takes_context=True)
def round_report_card(context, round_):
    """On the round's page (office and leadership): each inspection's report state, and the 综合报告."""
    report = sel.round_report_of(round_)
    return {
        "round": round_,
        "report": report,
        "state": RoundReportState(report.state) if report else RoundReportState.DRAFT,
        "inspections": sel.round_inspections(round_),
    }
