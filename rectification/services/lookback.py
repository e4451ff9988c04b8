"""回头看: checking an earlier inspection's fed-back findings item by item, with evidence."""

from datetime import date as Date
from pathlib import PurePath

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from findings.evidence import validate_evidence
from findings.models import Finding
from rounds.choices import InspectionKind
from rounds.models import Inspection
from rounds.services import refuse_if_archived
from xuncha.history import stamp
from xuncha.roles import PERM_MANAGE

from ..choices import REOPENING_RESULTS, LookbackResult, TaskStatus, TermType
from ..models import LookbackCheck, RectificationTask
from .tasks import check_new_due_date, task_create, task_transition, task_update


@transaction.atomic
def lookback_check_record(
    *,
    actor,
    inspection: Inspection,
    finding: Finding,
    result: str,
    note: str,
    evidence=None,
    new_due_date: Date | None = None,
) -> LookbackCheck:
    """Record how one fed-back finding of the earlier inspection stands; 未到位 or 应付整改 sends it back to
    rectification: its task is reopened (or, having none, one is created) with the new due date."""
    if not actor.has_perm(PERM_MANAGE):
        raise PermissionDenied
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    refuse_if_archived(inspection.pk)
    if inspection.kind != InspectionKind.LOOKBACK or inspection.follows_id is None:
        raise ValidationError(_("只有关联了原巡察任务的回头看任务才能逐项核查。"))
    if finding.inspection_id != inspection.follows_id or finding.feedback_id is None:
        raise ValidationError(_("只能核查原巡察任务已反馈的问题。"))
    if LookbackCheck.objects.filter(inspection=inspection, finding=finding).exists():
        raise ValidationError(_("该问题已核查。"))
    if result not in LookbackResult.values:
        raise ValidationError({"result": _("请选择核查结论。")})
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("请写明核查情况。")})
    reopens = result in REOPENING_RESULTS
    if reopens:
        check_new_due_date(new_due_date)
    else:
        new_due_date = None
    if evidence is not None:
        validate_evidence(evidence)
    task = _send_back(actor=actor, finding=finding, due_date=new_due_date, note=note) if reopens else None
    if task is None:
        task = RectificationTask.objects.filter(finding=finding).order_by("-due_date", "-pk").first()
    check = LookbackCheck(
        inspection=inspection,
        finding=finding,
        task=task,
        result=result,
        note=note,
        new_due_date=new_due_date,
        checked_by=actor,
    )
    if evidence is not None:
        check.evidence_name = PurePath(evidence.name).name[:200]
        check.evidence.save(evidence.name, evidence, save=False)
    stamp(check, actor=actor, reason=_("回头看核查：%(result)s") % {"result": LookbackResult(result).label})
    check.full_clean()
    check.save()
    return check


def _send_back(*, actor, finding: Finding, due_date: Date, note: str) -> RectificationTask:
    """Reopen the finding's latest task with a new due date, or create one when it never had a task."""
    comment = _("回头看核查未到位：") + note
    task = RectificationTask.objects.filter(finding=finding).order_by("-due_date", "-pk").first()
    if task is None:
        return task_create(
            actor=actor,
            finding=finding,
            reopened_by_check=True,
            measure=note,
            responsible_unit=finding.inspection.unit,
            term_type=TermType.DEADLINE,
            due_date=due_date,
        )
    if task.status == TaskStatus.CLOSED:
        task = task_transition(actor=actor, task=task, to_status=TaskStatus.IN_PROGRESS, comment=comment)
    elif task.status == TaskStatus.SUBMITTED:
        task = task_transition(actor=actor, task=task, to_status=TaskStatus.IN_PROGRESS, comment=comment)
    return task_update(actor=actor, task=task, due_date=due_date)
