"""整改评估, rectification outcomes and 问责: recorded by the office."""

from decimal import ROUND_HALF_UP, Decimal
from pathlib import PurePath

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from findings.evidence import validate_evidence
from rounds.models import Inspection
from xuncha.history import stamp
from xuncha.roles import PERM_MANAGE

from ..choices import POOR_GRADES, AccountabilityForm, Grade, ProposalStatus
from ..models import (
    Accountability,
    Assessment,
    AssessmentFile,
    AssessmentIndicator,
    AssessmentScore,
    Feedback,
    GradeBand,
    LookbackProposal,
    RectificationOutcome,
    RectificationTask,
)


def _require_office(actor):
    if not actor.has_perm(PERM_MANAGE):
        raise PermissionDenied


def weighted_score(pairs) -> Decimal:
    """Σ weight × score ÷ Σ weight over (weight, score) pairs, to one decimal (half up): a score out of 100."""
    pairs = list(pairs)
    total_weight = sum(w for w, _ in pairs)
    if not total_weight:
        return Decimal("0.0")
    raw = sum(Decimal(w) * Decimal(s) for w, s in pairs) / Decimal(total_weight)
    return raw.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def grade_for(score: Decimal) -> str:
    """The highest band whose lowest score the total reaches (GradeBand, configured by the office); else 不合格."""
    band = GradeBand.objects.filter(min_score__lte=score).order_by("-min_score").first()
    return band.grade if band else Grade.FAIL


@transaction.atomic
def assessment_record(
    *,
    actor,
    inspection: Inspection,
    assessed_on,
    scores: dict,
    evidence: str = "",
    files=(),
    talk: dict | None = None,
) -> Assessment:
    """Score a unit's rectification over the active indicators, grade it, and propose 回头看 on a poor grade.

    `scores` maps indicator id → 0–100; `talk` ({person, post, date, note}) records a 约谈 held with the unit."""
    _require_office(actor)
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    feedback = Feedback.objects.filter(inspection=inspection).first()
    if feedback is None:
        raise ValidationError(_("该巡察任务尚未反馈，不能进行整改评估。"))
    if Assessment.objects.filter(inspection=inspection).exists():
        raise ValidationError(_("该巡察任务已进行整改评估。"))
    if assessed_on < feedback.date:
        raise ValidationError({"assessed_on": _("评估日期不能早于反馈日期（%s）。") % feedback.date})
    indicators = list(AssessmentIndicator.objects.filter(is_active=True))
    if not indicators:
        raise ValidationError(_("尚未设置评估指标。"))
    missing = [i.name for i in indicators if scores.get(i.pk) is None]
    if missing:
        raise ValidationError(_("请为以下指标打分：%s。") % "、".join(missing))
    for i in indicators:
        if not Decimal(0) <= Decimal(scores[i.pk]) <= Decimal(100):
            raise ValidationError(_("“%s”的得分须在 0 到 100 之间。") % i.name)
    for f in files:
        validate_evidence(f)
    total = weighted_score((i.weight, scores[i.pk]) for i in indicators)
    assessment = Assessment(
        inspection=inspection,
        unit_id=inspection.unit_id,
        assessed_on=assessed_on,
        score=total,
        grade=grade_for(total),
        evidence=(evidence or "").strip(),
        assessor=actor,
    )
    stamp(assessment, actor=actor, reason=_("整改评估"))
    assessment.full_clean()
    assessment.save()
    for i in indicators:
        row = AssessmentScore(assessment=assessment, indicator=i, weight=i.weight, score=Decimal(scores[i.pk]))
        stamp(row, actor=actor, reason=_("整改评估"))
        row.save()
    for f in files:
        stored = AssessmentFile(assessment=assessment, original_name=PurePath(f.name).name[:200], size=f.size)
        stored.file.save(f.name, f, save=False)
        stored.save()
    if assessment.grade in POOR_GRADES:
        proposal = LookbackProposal(assessment=assessment, unit_id=assessment.unit_id)
        stamp(proposal, actor=actor, reason=_("评估为%s，建议回头看") % assessment.get_grade_display())
        proposal.save()
    if talk and talk.get("person"):
        accountability_record(
            actor=actor,
            inspection=inspection,
            assessment=assessment,
            person=talk["person"],
            post=talk.get("post", ""),
            form=AccountabilityForm.TALK,
            date=talk.get("date") or assessed_on,
            note=talk.get("note", ""),
        )
    return assessment


@transaction.atomic
def lookback_decide(*, actor, proposal: LookbackProposal, status: str, note: str = "") -> LookbackProposal:
    """The office takes the unit into 回头看, or dismisses the proposal with a reason."""
    _require_office(actor)
    proposal = LookbackProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != ProposalStatus.PROPOSED:
        raise ValidationError(_("该建议已处理（%s）。") % proposal.get_status_display())
    if status not in (ProposalStatus.ACCEPTED, ProposalStatus.DISMISSED):
        raise ValidationError(_("无效的处理。"))
    note = (note or "").strip()
    if status == ProposalStatus.DISMISSED and not note:
        raise ValidationError({"note": _("不予回头看须写明理由。")})
    proposal.status, proposal.note = status, note
    proposal.decided_by, proposal.decided_at = actor, timezone.now()
    stamp(proposal, actor=actor, reason=proposal.get_status_display())
    proposal.full_clean()
    proposal.save()
    return proposal


def _task_of(inspection, task):
    # An upper-level visit's task (no finding) belongs to no inspection of the county's.
    if task is not None and (task.finding_id is None or task.finding.inspection_id != inspection.pk):
        raise ValidationError({"task": _("只能选择本巡察任务的整改任务。")})
    return task


@transaction.atomic
def outcome_record(
    *, actor, inspection: Inspection, task: RectificationTask | None = None, rules_count=0, funds_recovered=0, note=""
) -> RectificationOutcome:
    """Record what rectification produced (制度, 资金), for one task or for the unit as a whole."""
    _require_office(actor)
    outcome = RectificationOutcome(
        inspection=inspection,
        task=_task_of(inspection, task),
        rules_count=rules_count or 0,
        funds_recovered=funds_recovered or 0,
        note=note,
        recorded_by=actor,
    )
    if not outcome.rules_count and not outcome.funds_recovered:
        raise ValidationError(_("请填写建立/完善制度数或追回/挽回资金。"))
    stamp(outcome, actor=actor, reason=_("登记整改成果"))
    outcome.full_clean()
    outcome.save()
    return outcome


@transaction.atomic
def accountability_record(
    *,
    actor,
    inspection: Inspection,
    person: str,
    form: str,
    date,
    post: str = "",
    note: str = "",
    task: RectificationTask | None = None,
    assessment: Assessment | None = None,
    official=None,
) -> Accountability:
    """Record a 问责 (who, which form, when); naming an official of the inspection ties it to them (results sheet)."""
    _require_office(actor)
    if official is not None:
        if official.inspection_id != inspection.pk:
            raise ValidationError({"official": _("只能选择本巡察任务登记的领导班子成员。")})
        person = person or official.name
        post = post or official.post
    row = Accountability(
        inspection=inspection,
        task=_task_of(inspection, task),
        assessment=assessment,
        official=official,
        person=(person or "").strip(),
        post=post,
        form=form,
        date=date,
        note=note,
        recorded_by=actor,
    )
    stamp(row, actor=actor, reason=_("登记问责"))
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def official_add(*, actor, inspection: Inspection, name: str, post: str, role: str):
    """Name a leading official of the inspected unit (一把手 or 班子成员) on the inspection."""
    from ..models import InspectionOfficial

    _require_office(actor)
    official = InspectionOfficial(inspection=inspection, name=(name or "").strip(), post=post, role=role)
    stamp(official, actor=actor, reason=_("登记领导班子成员"))
    official.full_clean()
    official.save()
    return official


@transaction.atomic
def supervisor_save(*, actor, user, body: str, all_units: bool, units=(), supervisor=None):
    """Make `user` a supervising liaison of 纪委监委/组织部, or change which units they supervise."""
    from ..models import SupervisingLiaison

    _require_office(actor)
    row = supervisor or SupervisingLiaison(user=user)
    if supervisor is not None:
        row = SupervisingLiaison.objects.select_for_update().get(pk=supervisor.pk)
    row.body, row.all_units = body, all_units
    units = list(units)
    if not all_units and not units:
        raise ValidationError({"units": _("不监督全部单位时，请至少选择一个单位。")})
    stamp(row, actor=actor, reason=_("设置日常监督对接人"))
    row.full_clean()
    row.save()
    row.units.set([] if all_units else units)
    return row
