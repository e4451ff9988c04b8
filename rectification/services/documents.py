"""The unit's documents after the feedback: opened with the feedback, submitted by the unit, reviewed by the office."""

from pathlib import PurePath

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from findings.evidence import validate_evidence
from xuncha.history import stamp

from ..choices import DocumentKind, DocumentStatus, ReminderState
from ..document_workflow import roles_on, rule_for
from ..models import DocumentEvent, DocumentFile, DocumentSubmission, Feedback, Reminder, UnitDocument

# Which of the feedback's due dates each document takes (the head's report goes with the 整改报告).
DUE_FIELD = {DocumentKind.PLAN: "plan_due", DocumentKind.REPORT: "report_due", DocumentKind.HEAD_REPORT: "report_due"}


def documents_open(*, actor, feedback: Feedback) -> list[UnitDocument]:
    """Open the documents a feedback makes the unit owe (idempotent: an existing one is left as it is)."""
    docs = []
    inspection = feedback.inspection
    for kind, field in DUE_FIELD.items():
        doc = UnitDocument.objects.filter(feedback=feedback, kind=kind).first()
        if doc is None:
            doc = UnitDocument(
                feedback=feedback,
                inspection=inspection,
                unit_id=inspection.unit_id,
                kind=kind,
                due_date=getattr(feedback, field),
            )
            stamp(doc, actor=actor, reason=_("反馈后待报送"))
            doc.full_clean()
            doc.save()
        docs.append(doc)
    return docs


def _locked(document: UnitDocument, expected_status: str | None) -> UnitDocument:
    # Lock first so that two clicks (or the liaison and the office at once) cannot both move from one status;
    # the status the page showed comes back in the POST, so a decision taken on a stale page is refused.
    document = UnitDocument.objects.select_for_update().get(pk=document.pk)
    if expected_status is not None and document.status != expected_status:
        raise ValidationError(
            _("该文书的状态已变为“%(status)s”，请刷新页面后再操作。") % {"status": document.get_status_display()}
        )
    return document


def _move(*, actor, document: UnitDocument, to_status: str, comment: str) -> UnitDocument:
    from_status = document.status
    rule = rule_for(from_status, to_status)
    if rule is None:
        raise ValidationError(
            _("文书当前为“%(from)s”，不能变更为“%(to)s”。")
            % {"from": DocumentStatus(from_status).label, "to": DocumentStatus(to_status).label}
        )
    if not rule.by & roles_on(actor, document):
        raise PermissionDenied
    comment = (comment or "").strip()
    if rule.needs_comment and not comment:
        raise ValidationError({"comment": _("退回须写明理由。")})
    document.status = to_status
    document.accepted_at = timezone.now() if to_status == DocumentStatus.ACCEPTED else None
    if to_status == DocumentStatus.SUBMITTED and document.first_submitted_on is None:
        document.first_submitted_on = timezone.localdate()
    stamp(document, actor=actor, reason=f"{rule.label}{'：' + comment if comment else ''}")
    document.full_clean()
    document.save()
    DocumentEvent.objects.create(
        document=document, from_status=from_status, to_status=to_status, actor=actor, comment=comment
    )
    return document


@transaction.atomic
def document_submit(
    *, actor, document: UnitDocument, text: str, files=(), expected_status: str | None = None
) -> DocumentSubmission:
    """Submit (or resubmit after 退回) a document with its attachments; at least one file is required."""
    document = _locked(document, expected_status)
    if rule_for(document.status, DocumentStatus.SUBMITTED) is None:
        raise ValidationError(_("文书当前为“%(status)s”，不能报送。") % {"status": document.get_status_display()})
    if not rule_for(document.status, DocumentStatus.SUBMITTED).by & roles_on(actor, document):
        raise PermissionDenied
    for f in files:
        validate_evidence(f)
    if not files:
        raise ValidationError({"files": _("请上传文书文件。")})
    submission = DocumentSubmission(document=document, text=(text or "").strip(), author=actor)
    stamp(submission, actor=actor, reason=_("报送整改文书"))
    submission.full_clean()
    submission.save()
    for f in files:
        stored = DocumentFile(submission=submission, original_name=PurePath(f.name).name[:200], size=f.size)
        stored.file.save(f.name, f, save=False)
        stamp(stored, actor=actor, reason=_("上传文书附件"))
        stored.save()
    _move(actor=actor, document=document, to_status=DocumentStatus.SUBMITTED, comment=submission.text)
    # Nothing is owed while the office reviews it: rungs not yet sent would nag about a document already in.
    Reminder.objects.filter(document=document, state=ReminderState.PENDING).update(state=ReminderState.CANCELLED)
    return submission


@transaction.atomic
def document_review(
    *, actor, document: UnitDocument, to_status: str, comment: str = "", expected_status: str | None = None
) -> UnitDocument:
    """The office accepts a submitted document, or sends it back (退回) with a comment."""
    document = _locked(document, expected_status)
    if to_status not in (DocumentStatus.ACCEPTED, DocumentStatus.RETURNED):
        raise ValidationError(_("无效的审核操作。"))
    return _move(actor=actor, document=document, to_status=to_status, comment=comment)
