"""立卷归档: an archived inspection as one zip — its 底稿, feedback and notices (Word), its tasks with their
progress, every evidence file, and an index (索引.xlsx) of what the zip holds."""

import io
import shutil
import zipfile
from collections import defaultdict
from pathlib import PurePath

from django.utils import timezone
from openpyxl import Workbook

from .models import Inspection

INDEX = "索引.xlsx"
CHUNK = 1024 * 1024


def _safe(name: str) -> str:
    """A file name that cannot climb out of its folder in the zip."""
    return PurePath(name.replace("\\", "/")).name.replace("..", "_") or "file"


def _sheet(workbook, title, header, rows):
    sheet = workbook.create_sheet(title)
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    return sheet


def build_archive(inspection: Inspection, out) -> int:
    """Write the archive of one inspection (all of it: only office and leadership download it) into the binary
    file `out`; returns how many files it holds. Evidence is copied file by file, never all held in memory."""
    from findings.models import Evidence, Finding
    from rectification.models import Feedback, ProgressEvidence, ProgressReport, RectificationTask
    from xuncha.exports.word_views import (
        feedback_letter_context,
        finding_sheet_context,
        rectification_notice_context,
    )
    from xuncha.word import render_docx

    findings = list(
        Finding.objects.filter(inspection=inspection)
        .select_related("inspection__round", "inspection__group", "inspection__unit", "category__parent", "author")
        .order_by("seq")
    )
    feedback = (
        Feedback.objects.filter(inspection=inspection)
        .select_related("inspection__round", "inspection__group", "inspection__unit")
        .first()
    )
    tasks = list(
        RectificationTask.objects.filter(finding__inspection=inspection)
        .select_related("finding", "responsible_unit", "responsible_leader", "handler")
        .order_by("finding__seq", "due_date", "pk")
    )
    reports = list(
        ProgressReport.objects.filter(task__in=[t.pk for t in tasks]).select_related("author").order_by("task_id", "pk")
    )
    progress_files = list(
        ProgressEvidence.objects.filter(report__in=[r.pk for r in reports]).select_related("report").order_by("pk")
    )
    finding_files = list(Evidence.objects.filter(finding__in=[f.pk for f in findings]).order_by("finding_id", "pk"))
    numbers = {f.pk: f.number for f in findings}
    index = []  # (path, what, about)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:

        def put(path, content, what, about):
            archive.writestr(path, content)
            index.append((path, what, about))

        def put_file(path, field, what, about):
            with field.open("rb") as source, archive.open(path, "w") as target:
                shutil.copyfileobj(source, target, CHUNK)
            index.append((path, what, about))

        for finding in findings:
            put(
                f"问题底稿/问题底稿_{finding.number}.docx",
                render_docx("finding_sheet", finding_sheet_context(finding)),
                "问题底稿",
                f"{finding.number} {finding.title}",
            )
        for evidence in finding_files:
            put_file(
                f"问题佐证材料/{numbers[evidence.finding_id]}/{evidence.pk}_{_safe(evidence.original_name)}",
                evidence.file,
                "问题佐证材料",
                numbers[evidence.finding_id],
            )
        if feedback is not None:
            fed_back = [f for f in sorted(findings, key=lambda f: (f.category.code, f.seq)) if f.feedback_id]
            put(
                f"反馈意见_{inspection.unit.name}.docx",
                render_docx("feedback_letter", feedback_letter_context(feedback, fed_back)),
                "反馈意见",
                f"{feedback.date:%Y-%m-%d}",
            )
        by_unit = defaultdict(list)
        for task in tasks:
            by_unit[task.responsible_unit].append(task)
        today = timezone.localdate()
        for unit, unit_tasks in by_unit.items():
            put(
                f"整改通知书/整改通知书_{_safe(unit.name)}.docx",
                render_docx("rectification_notice", rectification_notice_context(unit, unit_tasks, today)),
                "整改通知书",
                unit.name,
            )
        for evidence in progress_files:
            put_file(
                f"整改佐证材料/任务{evidence.report.task_id}/{evidence.pk}_{_safe(evidence.original_name)}",
                evidence.file,
                "整改佐证材料",
                f"任务{evidence.report.task_id}",
            )
        put("整改任务.xlsx", _tasks_workbook(tasks, reports), "整改任务及进展", str(len(tasks)))
        put(INDEX, _index_workbook(inspection, index), "索引", "")
    return len(index)


def _name(user):
    return (user.get_full_name() or user.username) if user else ""


def _tasks_workbook(tasks, reports) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    _sheet(
        workbook,
        "整改任务",
        [
            "任务编号",
            "问题编号",
            "问题标题",
            "整改措施",
            "责任部门",
            "责任领导",
            "整改时限",
            "状态",
            "进度(%)",
            "销号日期",
        ],
        [
            [
                t.pk,
                t.finding.number,
                t.finding.title,
                t.measure,
                t.responsible_unit.name,
                _name(t.responsible_leader),
                t.due_date,
                t.get_status_display(),
                t.progress,
                timezone.localtime(t.closed_at).strftime("%Y-%m-%d") if t.closed_at else "",
            ]
            for t in tasks
        ],
    )
    _sheet(
        workbook,
        "整改进展",
        ["任务编号", "报告时间", "报告人", "进度(%)", "进展情况"],
        [
            [
                r.task_id,
                timezone.localtime(r.created_at).strftime("%Y-%m-%d %H:%M"),
                _name(r.author),
                r.progress,
                r.text,
            ]
            for r in reports
        ],
    )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _index_workbook(inspection, index) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "索引"
    sheet.append(["巡察任务", str(inspection)])
    sheet.append(["轮次", str(inspection.round)])
    sheet.append(["归档时间", timezone.localtime(inspection.archived_at).strftime("%Y-%m-%d %H:%M")])
    sheet.append([])
    sheet.append(["序号", "文件", "类别", "说明"])
    for i, (path, what, about) in enumerate(index, start=1):
        sheet.append([i, path, what, about])
    sheet.append([len(index) + 1, INDEX, "索引", ""])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
