"""Writes for 配合上级巡视/巡察: visits and their requests. One transaction each, with the actor recorded."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from findings.evidence import validate_evidence
from findings.services import _short_name
from xuncha.history import stamp
from xuncha.roles import PERM_MANAGE

from .. import upper_workflow as uw
from ..choices import ReminderState, RequestKind, RequestStatus
from ..models import RectificationTask, Reminder
from ..upper_models import UpperRequest, UpperRequestAttachment, UpperRequestEvent, UpperVisit

VISIT_FIELDS = ("level", "team", "target", "start_date", "end_date", "liaison_office", "contacts", "feedback")
REQUEST_FIELDS = ("kind", "title", "detail", "requested_date", "owner_unit", "owner", "due_date")


def _office(actor):
    if not actor.has_perm(PERM_MANAGE):
        raise PermissionDenied(_("只有巡察办可以登记上级巡视（巡察）及交办事项。"))


def _assign(obj, fields, names):
    changed = False
    for name in names:
        if name in fields:
            value, field = fields[name], obj._meta.get_field(name)
            if value is None and not field.null:
                value = ""
            if field.is_relation:  # compare ids: an unsaved row has no related object to read
                current, new = getattr(obj, field.attname), value.pk if value is not None else None
            else:
                current, new = getattr(obj, name), value
            if current != new:
                setattr(obj, name, value)
                changed = True
    return changed


@transaction.atomic
def visit_create(*, actor, **fields) -> UpperVisit:
    """The office registers an upper-level visit."""
    _office(actor)
    visit = UpperVisit(created_by=actor)
    _assign(visit, fields, VISIT_FIELDS)
    stamp(visit, actor=actor, reason=_("登记上级巡视（巡察）"))
    visit.full_clean()
    visit.save()
    return visit


@transaction.atomic
def visit_update(*, actor, visit: UpperVisit, **fields) -> UpperVisit:
    _office(actor)
    locked = UpperVisit.objects.select_for_update().get(pk=visit.pk)
    if not _assign(locked, fields, VISIT_FIELDS):
        return locked  # saved unchanged: no history row
    stamp(locked, actor=actor, reason=_("修改上级巡视（巡察）"))
    locked.full_clean()
    locked.save()
    return locked


def _cancel_pending_rungs(request: UpperRequest) -> None:
    # A new deadline or owner restarts the ladder: the rungs not yet sent no longer apply.
    Reminder.objects.filter(request=request, state=ReminderState.PENDING).update(state=ReminderState.CANCELLED)


@transaction.atomic
def request_create(*, actor, visit: UpperVisit, **fields) -> UpperRequest:
    """The office assigns a request (交办) to a county unit and person, with a deadline."""
    _office(actor)
    request = UpperRequest(visit=visit, created_by=actor, status=RequestStatus.TODO)
    _assign(request, fields, REQUEST_FIELDS)
    stamp(request, actor=actor, reason=_("交办"))
    request.full_clean()
    request.save()
    UpperRequestEvent.objects.create(request=request, from_status="", to_status=RequestStatus.TODO, actor=actor)
    return request


@transaction.atomic
def request_update(*, actor, request: UpperRequest, **fields) -> UpperRequest:
    """The office corrects a request; a changed deadline or owner cancels the pending reminder rungs."""
    _office(actor)
    locked = UpperRequest.objects.select_for_update().get(pk=request.pk)
    before = (locked.due_date, locked.owner_id)
    if not _assign(locked, fields, REQUEST_FIELDS):
        return locked
    stamp(locked, actor=actor, reason=_("修改交办事项"))
    locked.full_clean()
    locked.save()
    if (locked.due_date, locked.owner_id) != before:
        _cancel_pending_rungs(locked)
    return locked


@transaction.atomic
def request_transition(
    *,
    actor,
    request: UpperRequest,
    to_status: str,
    expected_status: str | None = None,
    reply: str = "",
    comment: str = "",
    on: date | None = None,
) -> UpperRequest:
    """Move a request through upper_workflow.TRANSITIONS, with an event row."""
    # The row lock makes the owner and the office queue: the second sees the status the first left.
    locked = UpperRequest.objects.select_for_update().get(pk=request.pk)
    roles = uw.roles_on(actor, locked)
    if not roles:
        raise PermissionDenied(_("您无权办理该交办事项。"))
    from_status = locked.status
    if expected_status and expected_status != from_status:
        raise ValidationError(
            _("该事项已被他人办理，当前状态为“%(s)s”，请刷新后再操作。") % {"s": locked.get_status_display()}
        )
    rule = uw.rule_for(from_status, to_status)
    if rule is None:
        raise ValidationError(
            _("交办事项不能从“%(from)s”变为“%(to)s”。")
            % {"from": RequestStatus(from_status).label, "to": RequestStatus(to_status).label}
        )
    if not roles & rule.by:
        raise PermissionDenied(_("您无权对该事项执行“%(action)s”。") % {"action": rule.label})
    comment = (comment or "").strip()
    if rule.needs_reply:
        reply = (reply or "").strip()
        if not reply:
            raise ValidationError({"reply": _("报送须填写办理情况。")})
        on = on or timezone.localdate()
        if on > timezone.localdate():
            raise ValidationError({"on": _("日期不能晚于今天。")})
        locked.reply, locked.submitted_date = reply, on
    if rule.needs_comment and not comment:
        raise ValidationError({"comment": _("“%(action)s”须说明理由。") % {"action": rule.label}})
    locked.status = to_status
    stamp(locked, actor=actor, reason=f"{rule.label}：{comment}" if comment else str(rule.label))
    locked.full_clean()
    locked.save()
    UpperRequestEvent.objects.create(
        request=locked, from_status=from_status, to_status=to_status, actor=actor, comment=comment or reply
    )
    return locked


def request_accepts_tasks(request: UpperRequest) -> bool:
    """Only a 问题整改 request hands the county problems to rectify; the other kinds are answered by a reply."""
    return request.kind == RequestKind.RECTIFICATION


@transaction.atomic
def upper_task_create(*, actor, request: UpperRequest, **fields) -> RectificationTask:
    """The office turns a 问题整改 request into a rectification task of the county (来源 上级巡视巡察), one of its
    possibly several, in the same 整改台账 and on the same reminder ladder as the county's own tasks."""
    from .tasks import new_task

    _office(actor)
    if not request_accepts_tasks(request):
        raise ValidationError(_("只有“问题整改”类交办事项才能分解整改任务。"))
    return new_task(actor=actor, reason=_("分解上级交办的整改任务"), fields=fields, upper_request=request)


@transaction.atomic
def request_attach(*, actor, request: UpperRequest, files) -> list[UpperRequestAttachment]:
    """Files for the reply, checked like evidence (type, content, size)."""
    locked = UpperRequest.objects.select_for_update().get(pk=request.pk)
    roles = uw.roles_on(actor, locked)
    if not roles:
        raise PermissionDenied(_("您无权办理该交办事项。"))
    if not uw.can_attach(roles, locked.status):
        raise ValidationError(_("该事项已报送，不能再添加附件。"))
    if not files:
        raise ValidationError({"files": _("请选择要上传的文件。")})
    saved = []
    for upload in files:
        validate_evidence(upload)
        attachment = UpperRequestAttachment(
            request=locked, file=upload, original_name=_short_name(upload.name), size=upload.size, uploaded_by=actor
        )
        stamp(attachment, actor=actor, reason=_("上传办理附件"))
        attachment.save()
        saved.append(attachment)
    return saved
