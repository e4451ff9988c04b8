"""Word documents: each starts from the model's visible_to door (404 outside it) and is logged."""

from itertools import groupby

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_GET

from findings.choices import ReviewState
from findings.models import Finding
from rectification.models import Feedback, RectificationTask
from xuncha.params import parse_id
from xuncha.people import full_name
from xuncha.word import date_text, document_response

NUMERALS = "一二三四五六七八九十"


def _numeral(i):
    return NUMERALS[i] if i < len(NUMERALS) else str(i + 1)


def feedback_letter_context(feedback, findings) -> dict:
    """反馈意见's fields: the fed-back findings (in category order) grouped by category."""
    inspection = feedback.inspection
    categories = []
    for index, (category, items) in enumerate(groupby(findings, key=lambda f: f.category)):
        categories.append(
            {
                "numeral": _numeral(index),
                "name": str(category),
                "findings": [
                    {"index": i, "title": f.title, "number": f.number, "description": f.description}
                    for i, f in enumerate(items, start=1)
                ],
            }
        )
    return {
        "round": str(inspection.round),
        "group": inspection.group.name,
        "unit": inspection.unit.name,
        "kind": inspection.get_kind_display(),
        "entry_date": date_text(inspection.entry_date) or "—",
        "onsite_end_date": date_text(inspection.onsite_end_date) or "—",
        "plan_due": date_text(feedback.plan_due),
        "report_due": date_text(feedback.report_due),
        "date": date_text(feedback.date),
        "categories": categories,
    }


@require_GET
@login_required
def feedback_letter(request, inspection_id):
    """反馈意见: the fed-back findings of one inspection, grouped by category."""
    feedback = get_object_or_404(
        Feedback.objects.visible_to(request.user).select_related(
            "inspection__round", "inspection__group", "inspection__unit"
        ),
        inspection_id=inspection_id,
    )
    findings = (
        Finding.objects.visible_to(request.user)
        .filter(feedback=feedback)
        .select_related("category__parent")
        .order_by("category__code", "seq")
    )
    context = feedback_letter_context(feedback, findings)
    inspection = feedback.inspection
    categories = context["categories"]
    rows = sum(len(c["findings"]) for c in categories)
    filename = f"反馈意见_{inspection.unit.name}_{feedback.date:%Y%m%d}.docx"
    return document_response(
        request,
        name="feedback_letter",
        kind="feedback_letter",
        context=context,
        filename=filename,
        obj=inspection,
        rows=rows,
    )


def finding_sheet_context(finding) -> dict:
    """问题底稿's fields, with who signed each review step."""
    reviews = list(finding.reviews.select_related("actor"))
    signer = {}
    for r in reviews:
        # Who signed each step: the deputy moves it on from 副组长复核, the leader from 组长审签.
        signer[r.from_state] = full_name(r.actor)
    return {
        "number": finding.number,
        "state": finding.get_review_state_display(),
        "round": str(finding.inspection.round),
        "group": finding.inspection.group.name,
        "unit": finding.inspection.unit.name,
        "category": str(finding.category),
        "source": finding.get_source_display(),
        "key_minority": "是" if finding.key_minority else "否",
        "immediate": "是" if finding.immediate else "否",
        "author": full_name(finding.author),
        "created": date_text(finding.created_at),
        "title": finding.title,
        "description": finding.description,
        "evidence": "、".join(finding.evidence.values_list("original_name", flat=True)),
        "reviews": [
            {
                "step": f"{r.get_from_state_display()} → {r.get_to_state_display()}",
                "who": full_name(r.actor),
                "at": date_text(r.at),
                "comment": r.comment or "—",
            }
            for r in reviews
        ],
        "deputy": signer.get(ReviewState.DEPUTY_REVIEW, ""),
        "leader": signer.get(ReviewState.LEADER_SIGN, ""),
        "printed": date_text(timezone.now()),
    }


@require_GET
@login_required
def finding_sheet(request, pk):
    """问题底稿 with its review signatures. A working paper of the group: not for unit liaisons."""
    from findings.selectors import with_working_papers

    findings = with_working_papers(request.user)
    finding = get_object_or_404(
        findings.select_related(
            "inspection__round", "inspection__group", "inspection__unit", "category__parent", "author"
        ),
        pk=pk,
    )
    context = finding_sheet_context(finding)
    filename = f"问题底稿_{finding.number}.docx"
    return document_response(
        request,
        name="finding_sheet",
        kind="finding_sheet",
        context=context,
        filename=filename,
        obj=finding,
        rows=1,
    )


def rectification_notice_context(unit, tasks, today) -> dict:
    """整改通知书's fields: one unit's tasks."""
    overdue = sum(1 for t in tasks if t.is_overdue(today))
    return {
        "unit": unit.name,
        "count": len(tasks),
        "overdue": overdue,
        "tasks": [
            {
                "index": i,
                "source": t.get_source_display(),
                "number": t.finding.number if t.finding_id else "",
                "title": t.problem_title,
                "measure": t.measure,
                "due": f"{t.due_date:%Y-%m-%d}",
                "leader": full_name(t.responsible_leader),
                "status": t.get_status_display(),
            }
            for i, t in enumerate(tasks, start=1)
        ],
        "issuer": getattr(settings, "XUNCHA_OFFICE_NAME", "县委巡察工作领导小组办公室"),
        "date": date_text(today),
    }


@require_GET
@login_required
def rectification_notice(request, unit_id):
    """整改通知书: the tasks one unit is responsible for that the user may see (?round= narrows)."""
    tasks = (
        RectificationTask.objects.visible_to(request.user)
        .filter(responsible_unit_id=unit_id)
        .select_related("finding", "upper_request", "responsible_unit", "responsible_leader")
        .order_by("due_date", "pk")
    )
    round_id = parse_id(request.GET.get("round"))
    if round_id is not None:
        tasks = tasks.filter(round_id=round_id)
    tasks = list(tasks)
    if not tasks:
        # No visible task for this unit: say nothing about whether it has any.
        get_object_or_404(RectificationTask.objects.none())
    unit = tasks[0].responsible_unit
    today = timezone.localdate()
    context = rectification_notice_context(unit, tasks, today)
    filename = f"整改通知书_{unit.name}_{today:%Y%m%d}.docx"
    return document_response(
        request,
        name="rectification_notice",
        kind="rectification_notice",
        context=context,
        filename=filename,
        obj=unit,
        rows=len(tasks),
    )
