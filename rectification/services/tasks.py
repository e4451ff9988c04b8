from pathlib import PurePath

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from findings.choices import ReviewState
from findings.evidence import validate_evidence  # one rule for evidence files, wherever they are uploaded
from findings.models import Finding
from rounds.services import refuse_if_archived
from xuncha.concurrency import require_state, require_version
from xuncha.history import stamp
from xuncha.roles import PERM_MANAGE

from .. import workflow
from ..choices import ReminderState, TaskStatus
from ..models import ProgressEvidence, ProgressReport, RectificationTask, Reminder, TaskEvent
from ..workflow import roles_on, rule_for

TASK_FIELDS = ["measure", "goal", "responsible_leader", "responsible_unit", "handler", "term_type", "due_date"]
# Changing any of these restarts the reminder ladder (who is reminded, and when).
LADDER_FIELDS = ["due_date", "responsible_leader_id", "responsible_unit_id", "handler_id"]


def _require_office(actor):
    if not actor.has_perm(PERM_MANAGE):
        raise PermissionDenied


def finding_accepts_tasks(finding: Finding) -> bool:
    """Fed back, or 立行立改 once reported: such a finding goes to rectification before the feedback."""
    return finding.feedback_id is not None or (finding.immediate and finding.review_state == ReviewState.REPORTED)


def check_new_due_date(due_date) -> None:
    """A task sent back to rectification by a check needs a due date still ahead (today at the earliest)."""
    if due_date is None:
        raise ValidationError({"due_date": _("整改任务将重新打开，请确定新的整改时限。")})
    if due_date < timezone.localdate():
        raise ValidationError({"due_date": _("新的整改时限不能早于今天。")})


@transaction.atomic
def task_create(*, actor, finding: Finding, reopened_by_check: bool = False, **fields) -> RectificationTask:
    """Add one task (整改任务) to a fed-back finding, or to a reported 立行立改 finding before feedback."""
    _require_office(actor)
    if not reopened_by_check:  # a 回头看 that finds the problem unsolved sends it back even after the archive
        refuse_if_archived(finding.inspection_id)
    if not finding_accepts_tasks(finding):
        raise ValidationError(_("该问题尚未反馈：只有已反馈的问题，或已报告的立行立改问题，才能分解整改任务。"))
    return new_task(actor=actor, reason=_("分解整改任务"), fields=fields, finding=finding)


def new_task(*, actor, reason: str, fields: dict, **origin) -> RectificationTask:
    """Save a task from the task form's fields and its one origin (`finding=` or `upper_request=`), with history."""
    unknown = set(fields) - set(TASK_FIELDS)
    if unknown:
        raise TypeError(f"unknown task fields: {sorted(unknown)}")
    task = RectificationTask(**origin, **fields)
    stamp(task, actor=actor, reason=reason)
    task.full_clean()
    task.save()
    return task


@transaction.atomic
def task_update(*, actor, task: RectificationTask, version: str | None = None, **fields) -> RectificationTask:
    """Edit a task; a new due date or owner cancels its pending reminders so the ladder restarts from the new values."""
    _require_office(actor)
    task = RectificationTask.objects.select_for_update().get(pk=task.pk)
    require_version(expected=version, instance=task)
    if task.status == TaskStatus.CLOSED:
        raise ValidationError(_("已销号的任务不能修改。"))
    # An archived inspection's tasks were all closed when it was archived (rounds.services.inspection_archive);
    # only one reopened by a later check (spot check, 回头看) takes writes again, as live rectification.
    before = {f: getattr(task, f) for f in LADDER_FIELDS}
    for name, value in fields.items():
        if name not in TASK_FIELDS:
            raise TypeError(f"unknown task field: {name}")
        setattr(task, name, value)
    stamp(task, actor=actor, reason=_("修改整改任务"))
    task.full_clean()
    task.save()
    if any(getattr(task, f) != before[f] for f in LADDER_FIELDS):
        # Rows already being sent finish; the ones not yet sent would go out on stale values.
        Reminder.objects.filter(task=task, state=ReminderState.PENDING).update(state=ReminderState.CANCELLED)
    return task


@transaction.atomic
def task_transition(
    *,
    actor,
    task: RectificationTask,
    to_status: str,
    comment: str = "",
    expected_status: str | None = None,
    report: ProgressReport | None = None,
) -> RectificationTask:
    """The only way a task's status changes: checked against workflow.TRANSITIONS and the actor's role. The moves
    a progress report makes (开始整改, 申请销号) need that report, just saved by progress_report_add."""
    # Lock first so that two clicks (or a liaison and the office at once) cannot both move from the same status.
    task = RectificationTask.objects.select_for_update().get(pk=task.pk)
    from_status = task.status
    # 退回 and 重新打开 both lead to 整改中: only the status the page showed tells which one was meant.
    _require_status(task, expected_status)
    rule = rule_for(from_status, to_status)
    if rule is None:
        raise ValidationError(
            _("任务当前为“%(from)s”，不能变更为“%(to)s”。")
            % {
                "from": TaskStatus(from_status).label,
                "to": TaskStatus(to_status).label if to_status in TaskStatus.values else to_status,
            }
        )
    if not rule.by & roles_on(actor, task):
        raise PermissionDenied
    if rule.by_report and (
        report is None
        or report.task_id != task.pk
        or (to_status == TaskStatus.SUBMITTED and not task.reports.filter(evidence__isnull=False).exists())
    ):
        # 申请销号 goes with a progress report and its evidence, never as a bare status change.
        raise ValidationError(_("请通过“报送进展”填写完成情况并附佐证材料后申请销号。"))
    comment = (comment or "").strip()
    if rule.needs_comment and not comment:
        raise ValidationError({"comment": _("请填写理由。")})
    task.status = to_status
    if to_status == TaskStatus.CLOSED:
        task.closed_at = timezone.now()
    elif from_status == TaskStatus.CLOSED:
        task.closed_at = None
    if to_status == TaskStatus.SUBMITTED:
        task.progress = 100
    stamp(task, actor=actor, reason=f"{rule.label}{'：' + comment if comment else ''}")
    task.full_clean()
    task.save()
    TaskEvent.objects.create(task=task, from_status=from_status, to_status=to_status, actor=actor, comment=comment)
    return task


def _require_status(task: RectificationTask, expected_status: str | None):
    require_state(
        expected=expected_status,
        current=task.status,
        message=_("该任务已被他人处理，当前状态为“%(status)s”，请刷新页面后再操作。")
        % {"status": TaskStatus(task.status).label},
    )


@transaction.atomic
def progress_report_add(
    *,
    actor,
    task: RectificationTask,
    text: str,
    progress: int,
    files=(),
    submit: bool = False,
    expected_status: str | None = None,
) -> ProgressReport:
    """Append a progress report (never edited) with evidence; 100% or 申请销号 sends the task for verification."""
    task = RectificationTask.objects.select_for_update().get(pk=task.pk)
    _require_status(task, expected_status)
    roles = roles_on(actor, task)
    if not roles & workflow.REPORTERS:
        raise PermissionDenied
    if not workflow.can_report(roles, task.status):
        raise ValidationError(_("任务当前为“%(status)s”，不能报送进展。") % {"status": TaskStatus(task.status).label})
    if progress < task.progress:
        raise ValidationError({"progress": _("进度不能低于上次报送的 %(p)d%%。") % {"p": task.progress}})
    for f in files:
        validate_evidence(f)
    submit = submit or progress == 100
    if submit and not files and not task.reports.filter(evidence__isnull=False).exists():
        raise ValidationError({"files": _("申请销号须附佐证材料。")})
    report = ProgressReport(task=task, text=text, progress=progress, author=actor)
    stamp(report, actor=actor, reason=_("报送整改进展"))
    report.full_clean()
    report.save()
    for f in files:
        evidence = ProgressEvidence(report=report, original_name=PurePath(f.name).name[:200], size=f.size)
        evidence.file.save(f.name, f, save=False)
        stamp(evidence, actor=actor, reason=_("上传佐证材料"))
        evidence.save()
    if task.status == TaskStatus.NOT_STARTED:
        task = task_transition(
            actor=actor, task=task, to_status=TaskStatus.IN_PROGRESS, comment=_("报送首次进展"), report=report
        )
    if submit:
        task = task_transition(actor=actor, task=task, to_status=TaskStatus.SUBMITTED, comment=text, report=report)
    elif task.progress != progress:
        task.progress = progress
        stamp(task, actor=actor, reason=_("报送整改进展"))
        task.save(update_fields=["progress"])
    return report
