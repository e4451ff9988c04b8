"""The 巡察报告 and the 综合报告 as Word documents: the same doors as their pages, logged like every document."""

from django.contrib.auth.decorators import login_required
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from xuncha.people import full_name
from xuncha.word import date_text, document_response

from .. import report_selectors as sel
from ..choices import RoundReportState


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@require_GET
@login_required
def report_word(request, pk):
    report = sel.report_get(user=request.user, pk=pk)
    inspection = report.inspection
    facts = sel.report_facts(user=request.user, inspection=inspection)
    clues = facts["clues"]
    context = {
        "round": str(inspection.round),
        "group": inspection.group.name,
        "unit": inspection.unit.name,
        "kind": inspection.get_kind_display(),
        "entry_date": date_text(inspection.entry_date) or "—",
        "onsite_end_date": date_text(inspection.onsite_end_date) or "—",
        "state": report.get_state_display(),
        "overview": _lines(report.overview),
        "problems": _lines(report.problems),
        "clues_text": _lines(report.clues_text) if clues is not None else [],
        "suggestions": _lines(report.suggestions),
        "categories": [
            {"numeral": c["numeral"], "name": c["name"], "count": c["count"], "key_minority": c["key_minority"]}
            for c in facts["categories"]
        ],
        "findings": facts["findings"],
        "key_minority": facts["key_minority"],
        "clue_count": clues["total"] if clues is not None else "—",
        "counters": [{"label": str(label), "value": value} for label, value in facts["counters"]],
        "steps": [
            {
                "step": f"{s.get_from_state_display()} → {s.get_to_state_display()}",
                "who": full_name(s.actor),
                "date": date_text(s.meeting_date),
                "comment": s.comment or "—",
            }
            for s in sel.report_steps(report)
        ],
        "decision": report.decision,
        "decision_date": date_text(report.decision_date),
        "printed": date_text(timezone.now()),
    }
    filename = f"巡察报告_{inspection.unit.name}_{inspection.group.name}.docx"
    return document_response(
        request,
        name="inspection_report",
        kind="inspection_report",
        context=context,
        filename=filename,
        obj=report,
        rows=facts["findings"],
    )


@require_GET
@login_required
def round_report_word(request, round_id):
    round_ = sel.round_get(user=request.user, pk=round_id)
    report = sel.round_report_of(round_)
    facts = sel.round_facts(round_=round_, report=report)
    context = {
        "round": str(round_),
        "theme": round_.theme,
        "state": report.get_state_display() if report else RoundReportState.DRAFT.label,
        "summary": _lines(report.summary) if report else [],
        "suggestions": _lines(report.suggestions) if report else [],
        "inspections": [
            {
                "index": i,
                "group": x.group.name,
                "unit": x.unit.name,
                "kind": x.get_kind_display(),
                "stage": x.get_stage_display(),
                "report": x.report.get_state_display() if hasattr(x, "report") else _("未起草"),
                "findings": x.reported,
                "key_minority": x.key_minority,
            }
            for i, x in enumerate(sel.round_inspections(round_), start=1)
        ],
        "categories": [
            {"name": r["name"], "count": r["count"], "units": r["units"], "key_minority": r["key_minority"]}
            for r in facts["by_category"]
        ],
        "unit_kinds": [{**r, "kind": str(r["kind"])} for r in facts["by_unit_kind"]],
        "findings": facts["findings"],
        "key_minority": facts["key_minority"],
        "clue_count": facts["clues"],
        "clues": [
            {"body": str(r["body"]), "count": r["count"], "transferred": r["transferred"], "answered": r["answered"]}
            for r in facts["clues_by_body"]
        ],
        "common": [
            {"name": str(c["problem"].category), "note": c["problem"].note, "units": "、".join(c["units"])}
            for c in facts["common"]
        ],
        "approved_by": full_name(report.approved_by) if report else "",
        "approved_at": date_text(report.approved_at) if report else "",
        "printed": date_text(timezone.now()),
    }
    filename = f"综合报告_{round_.year}年第{round_.number}轮.docx"
    return document_response(
        request,
        name="round_report",
        kind="round_report",
        context=context,
        filename=filename,
        obj=report or round_,
        rows=facts["findings"],
    )
