"""The results sheet as .xlsx (the project's LedgerWriter) and .docx (python-docx, which docxtpl brings)."""

import io
import tempfile

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from xuncha.exports.engine import Column, LedgerWriter
from xuncha.exports.log import log_export
from xuncha.models import ExportAction
from xuncha.word import docx_response

from .choices import OfficialRole


def unit_columns(categories):
    cols = [
        Column(_("序号"), "inspection.pk", 6, "seq"),
        Column(_("轮次"), lambda r: str(r.inspection.round), 18),
        Column(_("被巡察单位"), "inspection.unit.name", 24),
        Column(_("单位类别"), "inspection.unit.get_kind_display", 16),
        Column(_("反馈问题"), "findings", 9, "int"),
    ]
    cols += [Column(c.name, (lambda pk: lambda r: r.by_category.get(pk, 0))(c.pk), 12, "int") for c in categories]
    cols += [
        Column(_("涉及关键少数"), "key_minority", 10, "int"),
        Column(_("移交线索"), "clues", 9, "int"),
        Column(_("线索处理结果"), lambda r: r.clue_outcomes_text(), 24, "wrap"),
        Column(_("整改任务"), "tasks", 9, "int"),
        Column(_("已销号"), "closed", 9, "int"),
        Column(_("整改完成率(%)"), lambda r: r.rate, 12),
        Column(_("逾期未完成"), "overdue", 10, "int"),
        Column(_("文书按时报送"), lambda r: f"{r.on_time}/{r.documents_due}", 12),
        Column(_("评估等次"), lambda r: r.grade_label(), 10),
        Column(_("评估得分"), "score", 9),
        Column(_("问责"), lambda r: r.accountability_text(), 24, "wrap"),
        Column(_("建立/完善制度(项)"), "rules", 10, "int"),
        Column(_("追回/挽回资金(万元)"), lambda r: float(r.funds), 12),
    ]
    return cols


OFFICIAL_COLUMNS = (
    Column(_("序号"), "official.pk", 6, "seq"),
    Column(_("姓名"), "official.name", 12),
    Column(_("职务"), "official.post", 20),
    Column(_("身份"), "official.get_role_display", 10),
    Column(_("单位"), "unit_row.inspection.unit.name", 24),
    Column(_("轮次"), lambda r: str(r.unit_row.inspection.round), 18),
    Column(_("关键少数问题"), lambda r: "" if r.key_minority is None else r.key_minority, 10),
    Column(_("涉及线索"), "clues", 9, "int"),
    Column(_("线索处理结果"), lambda r: r.clue_outcomes_text(), 24, "wrap"),
    Column(_("受到问责"), lambda r: r.accountability_text(), 28, "wrap"),
    Column(_("单位整改完成率(%)"), lambda r: r.unit_row.rate, 12),
    Column(_("单位评估等次"), lambda r: r.unit_row.grade_label(), 10),
)


def xlsx_response(*, user, units, officials, categories, filters) -> FileResponse:
    title = str(_("巡察结果运用"))
    writer = LedgerWriter(unit_columns(categories), title)
    writer.start_sheet(_("按单位"))
    for row in units:
        writer.row(row)
    writer.columns, writer.getters = OFFICIAL_COLUMNS, [c.getter() for c in OFFICIAL_COLUMNS]
    writer.fmts = [c.fmt for c in OFFICIAL_COLUMNS]
    writer.start_sheet(_("按领导干部"))
    for row in officials:
        writer.row(row)
    out = tempfile.TemporaryFile(suffix=".xlsx")
    writer.save(out)
    filename = f"巡察结果运用-{timezone.localdate():%Y%m%d}.xlsx"
    log_export(user=user, kind="results", filename=filename, filters=filters, row_count=len(units), confidential=True)
    out.seek(0)
    return FileResponse(
        out,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def docx_response_for(*, user, units, officials, filters) -> FileResponse:
    from docx import Document

    doc = Document()
    doc.add_heading(str(_("巡察结果运用情况")), level=1)
    doc.add_paragraph(_("生成日期：%s") % f"{timezone.localdate():%Y-%m-%d}")
    doc.add_heading(str(_("一、被巡察单位")), level=2)
    headers = [
        _("单位"),
        _("轮次"),
        _("反馈问题"),
        _("关键少数"),
        _("移交线索"),
        _("整改完成率(%)"),
        _("逾期"),
        _("文书按时"),
        _("评估等次"),
        _("问责"),
    ]
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = str(text)
    for r in units:
        values = [
            r.unit.name,
            str(r.inspection.round),
            r.findings,
            r.key_minority,
            r.clues,
            "—" if r.rate is None else r.rate,
            r.overdue,
            f"{r.on_time}/{r.documents_due}",
            r.grade_label() or "—",
            r.accountability_text() or "—",
        ]
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = str(value)
    doc.add_heading(str(_("二、领导干部")), level=2)
    headers = [
        _("姓名"),
        _("职务"),
        _("身份"),
        _("单位"),
        _("关键少数问题"),
        _("涉及线索"),
        _("线索处理结果"),
        _("受到问责"),
    ]
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = str(text)
    for o in officials:
        values = [
            o.official.name,
            o.official.post,
            OfficialRole(o.official.role).label,
            o.unit_row.unit.name,
            "—" if o.key_minority is None else o.key_minority,
            o.clues,
            o.clue_outcomes_text() or "—",
            o.accountability_text() or "—",
        ]
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = str(value)
    out = io.BytesIO()
    doc.save(out)
    filename = f"巡察结果运用-{timezone.localdate():%Y%m%d}.docx"
    log_export(
        user=user,
        kind="results",
        filename=filename,
        filters=filters,
        row_count=len(units),
        confidential=True,
        action=ExportAction.DOCUMENT,
    )
    return docx_response(out.getvalue(), filename)
