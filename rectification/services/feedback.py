from datetime import date as Date
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from findings.choices import ReviewState
from findings.models import Finding
from rounds.choices import Stage
from rounds.models import Inspection
from xuncha.history import stamp
from xuncha.roles import PERM_MANAGE

from ..models import Feedback


def feedback_candidates(inspection: Inspection):
    """Reported findings of this inspection not yet handed over."""
    return Finding.objects.filter(
        inspection=inspection, review_state=ReviewState.REPORTED, feedback__isnull=True
    ).order_by("seq")


@transaction.atomic
def feedback_give(*, actor, inspection: Inspection, date: Date, findings=None) -> Feedback:
    """Record the feedback (反馈) of an inspection and hand over its reported findings; starts the due dates."""
    if not actor.has_perm(PERM_MANAGE):
        raise PermissionDenied
    inspection = Inspection.objects.select_for_update().select_related("round").get(pk=inspection.pk)
    if inspection.stage != Stage.FEEDBACK:
        raise ValidationError(
            _("只有处于“反馈”阶段的巡察任务才能登记反馈，当前阶段为“%(stage)s”。")
            % {"stage": inspection.get_stage_display()}
        )
    if Feedback.objects.filter(inspection=inspection).exists():
        raise ValidationError(_("该巡察任务已登记过反馈。"))
    candidates = feedback_candidates(inspection)
    if findings is None:
        chosen = list(candidates)
    else:
        ids = {f.pk for f in findings}
        chosen = list(candidates.filter(pk__in=ids))
        if len(chosen) != len(ids):
            raise ValidationError(_("只能反馈本巡察任务中已报告且尚未反馈的问题。"))
    if not chosen:
        raise ValidationError(_("没有可反馈的问题：请先完成问题底稿的审签报告。"))
    if inspection.onsite_end_date and date < inspection.onsite_end_date:
        raise ValidationError({"date": _("反馈日期不能早于驻点结束日期（%s）。") % inspection.onsite_end_date})
    round_ = inspection.round
    feedback = Feedback(
        inspection=inspection,
        date=date,
        plan_due=date + timedelta(days=round_.plan_due_days),
        report_due=date + timedelta(days=round_.report_due_days),
        assessment_due=date + timedelta(days=round_.assessment_due_days),
        given_by=actor,
    )
    stamp(feedback, actor=actor, reason=_("登记巡察反馈"))
    feedback.full_clean()
    feedback.save()
    for finding in chosen:
        finding.feedback = feedback
        stamp(finding, actor=actor, reason=_("随反馈移交被巡察单位"))
        finding.save(update_fields=["feedback", "updated_at"])
    if inspection.feedback_date != date:
        inspection.feedback_date = date
        stamp(inspection, actor=actor, reason=_("登记巡察反馈"))
        inspection.full_clean()
        inspection.save(update_fields=["feedback_date"])
    from .documents import documents_open

    documents_open(actor=actor, feedback=feedback)  # 整改方案/整改报告 now owed, and reminded
    return feedback
