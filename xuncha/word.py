"""Word documents from .docx templates the office can edit (docxtpl: Jinja tags inside Word).

Templates are looked up first in settings.WORD_TEMPLATE_DIR (the office's own versions, kept
outside the code), then in xuncha/word_templates/ (the defaults, built by `manage.py
make_word_templates`). See xuncha/word_templates/README.md for the fields each template gets."""

import io
from pathlib import Path

from django.conf import settings
from django.http import FileResponse
from django.utils import timezone
from docxtpl import DocxTemplate

from xuncha.exports.log import log_export
from xuncha.models import ExportAction

DEFAULT_DIR = Path(__file__).resolve().parent / "word_templates"

TEMPLATES = {
    "feedback_letter": "反馈意见.docx",
    "finding_sheet": "问题底稿.docx",
    "rectification_notice": "整改通知书.docx",
    "inspection_report": "巡察报告.docx",
    "round_report": "综合报告.docx",
    "upper_report": "配合上级巡视办理情况报告.docx",
}


def template_path(name: str) -> Path:
    filename = TEMPLATES[name]
    custom = getattr(settings, "WORD_TEMPLATE_DIR", "")
    if custom and (Path(custom) / filename).is_file():
        return Path(custom) / filename
    return DEFAULT_DIR / filename


def render_docx(name: str, context: dict) -> bytes:
    doc = DocxTemplate(template_path(name))
    doc.render(context, autoescape=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def docx_response(content: bytes, filename: str) -> FileResponse:
    # Confidential documents: no browser or proxy keeps a copy.
    response = FileResponse(
        io.BytesIO(content),
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Cache-Control"] = "private, no-store"
    return response


def date_text(value) -> str:
    """A date as a document writes it (2024年3月5日); a moment with its local time; None as nothing."""
    if value is None:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value)
        return f"{value:%Y-%m-%d %H:%M}"
    return f"{value.year}年{value.month}月{value.day}日"


def document_response(request, *, name, kind, context, filename, obj, rows) -> FileResponse:
    """Render the template `name`, log the download as a confidential document of `obj`, and send it."""
    content = render_docx(name, context)
    log_export(
        user=request.user,
        kind=kind,
        filename=filename,
        action=ExportAction.DOCUMENT,
        confidential=True,
        object_repr=str(obj),
        filters={"id": obj.pk},
        row_count=rows,
    )
    return docx_response(content, filename)
