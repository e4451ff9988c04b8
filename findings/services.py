"""Writes for findings, their review and evidence, and clues. Each is one transaction and records its actor."""

from datetime import date
from pathlib import PurePath

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from rounds.models import Inspection
from rounds.services import has_deputy, leader_may_review, refuse_if_archived
from xuncha.concurrency import require_state, require_version
from xuncha.history import stamp

from . import workflow
from .choices import ClueStatus, ReceivingBody, ReviewState
from .evidence import validate_evidence
from .models import Clue, CluePerson, Evidence, Finding, FindingReview, default_clue_feedback_due

FINDING_FIELDS = ("category", "title", "description", "source", "key_minority", "immediate")
CLUE_FIELDS = ("summary", "receiving_body", "receiving_body_other", "finding")


def _require(roles, allowed, message):
    if not roles & allowed:
        raise PermissionDenied(message)


def _short_name(name: str, limit: int = 200) -> str:
    """Keep the original name for the download, trimmed to the column but never losing its extension."""
    name = PurePath(name).name
    if len(name) <= limit:
        return name
    suffix = PurePath(name).suffix[:20]
    return name[: limit - len(suffix)] + suffix


def _add_evidence(*, actor, finding: Finding, files) -> list[Evidence]:
    saved = []
    for upload in files:
        validate_evidence(upload)
        evidence = Evidence(
            finding=finding,
            file=upload,
            original_name=_short_name(upload.name),
            size=upload.size,
            uploaded_by=actor,
        )
        stamp(evidence, actor=actor, reason=_("上传佐证材料"))
        evidence.save()
        saved.append(evidence)
    return saved


@transaction.atomic
def finding_create(*, actor, inspection: Inspection, files=(), **fields) -> Finding:
    """A group member drafts a finding for one of their group's inspections; it gets the next 序号."""
    _require(workflow.group_roles(actor, inspection.group), {workflow.MEMBER}, _("只有本组成员可以起草问题底稿。"))
    refuse_if_archived(inspection.pk)
    # Lock the inspection so that two members saving at once never take the same 序号.
    Inspection.objects.select_for_update().filter(pk=inspection.pk).first()
    last = Finding.objects.filter(inspection=inspection).aggregate(last=Max("seq"))["last"] or 0
    finding = Finding(inspection=inspection, seq=last + 1, author=actor, review_state=ReviewState.DRAFT)
    for name in FINDING_FIELDS:
        if name in fields:
            setattr(finding, name, fields[name])
    stamp(finding, actor=actor, reason=_("起草问题底稿"))
    finding.full_clean()
    finding.save()
    _add_evidence(actor=actor, finding=finding, files=files)
    return finding


def _locked_editable(*, actor, finding: Finding, version: str | None = None) -> Finding:
    locked = Finding.objects.select_for_update().select_related("inspection__group").get(pk=finding.pk)
    require_version(expected=version, instance=locked)
    roles = workflow.group_roles(actor, locked.inspection.group)
    _require(roles, {workflow.MEMBER}, _("只有本组成员可以修改问题底稿。"))
    refuse_if_archived(locked.inspection_id)
    if not workflow.can_edit(roles, locked.review_state):
        raise ValidationError(
            _("该底稿处于“%(state)s”状态，只有草稿（含被退回的）可以修改。")
            % {"state": locked.get_review_state_display()}
        )
    return locked


@transaction.atomic
def finding_update(*, actor, finding: Finding, files=(), version: str | None = None, **fields) -> Finding:
    """The group edits a draft (or a sent-back one); `version` is what the form was opened on (a newer save wins no
    silent race: the second writer is told)."""
    locked = _locked_editable(actor=actor, finding=finding, version=version)
    for name in FINDING_FIELDS:
        if name in fields:
            setattr(locked, name, fields[name])
    stamp(locked, actor=actor, reason=_("修改问题底稿"))
    locked.full_clean()
    locked.save()
    _add_evidence(actor=actor, finding=locked, files=files)
    return locked


@transaction.atomic
def evidence_add(*, actor, finding: Finding, files) -> list[Evidence]:
    """Attach evidence to a draft of the actor's group."""
    locked = _locked_editable(actor=actor, finding=finding)
    if not files:
        raise ValidationError({"files": _("请选择要上传的文件。")})
    return _add_evidence(actor=actor, finding=locked, files=files)


def _check_three_people(*, actor, finding: Finding, roles, move) -> None:
    """三审 is three people: the deputy's 复核 and the leader's 审签 are never the same person, unless the
    office has allowed a group without a deputy to have its leader do both (rounds.services)."""
    group = finding.inspection.group
    if leader_may_review(group):
        return
    if move == (ReviewState.DEPUTY_REVIEW, ReviewState.LEADER_SIGN) and workflow.DEPUTY not in roles:
        if has_deputy(group):
            raise ValidationError(_("三审须由三人完成：本组的复核由副组长进行，组长负责审签。"))
        raise ValidationError(_("三审须由三人完成：本组没有副组长，组长兼复核须经巡察办准许（在巡察组页面登记例外）。"))
    if move == (ReviewState.LEADER_SIGN, ReviewState.REPORTED):
        reviewed = (
            FindingReview.objects.filter(
                finding=finding, from_state=ReviewState.DEPUTY_REVIEW, to_state=ReviewState.LEADER_SIGN
            )
            .order_by("-at", "-pk")
            .values_list("actor_id", flat=True)
            .first()
        )
        if reviewed == actor.pk:
            raise ValidationError(_("三审须由三人完成：您已复核该底稿，审签须由另一人进行。"))


@transaction.atomic
def finding_transition(
    *, actor, finding: Finding, to_state: str, comment: str = "", expected_state: str | None = None
) -> Finding:
    """Move a finding one step through the review table (workflow.TRANSITIONS), with a review record."""
    # The row lock makes concurrent reviewers queue: the second sees the state the first left.
    locked = Finding.objects.select_for_update().select_related("inspection__group").get(pk=finding.pk)
    roles = workflow.group_roles(actor, locked.inspection.group)
    _require(roles, {workflow.MEMBER}, _("只有本组成员可以处理本组问题底稿。"))
    refuse_if_archived(locked.inspection_id)
    from_state = locked.review_state
    if expected_state is not None and expected_state != from_state:
        raise ValidationError(
            _("该底稿已被他人处理，当前状态为“%(state)s”，请刷新后再操作。")
            % {"state": locked.get_review_state_display()}
        )
    rule = workflow.rule_for(from_state, to_state)
    if rule is None:
        raise ValidationError(
            _("问题底稿不能从“%(from)s”变为“%(to)s”。")
            % {"from": ReviewState(from_state).label, "to": ReviewState(to_state).label}
        )
    _require(roles, rule.by, _("您无权对本组问题底稿执行“%(action)s”。") % {"action": rule.label})
    comment = (comment or "").strip()
    if rule.needs_comment and not comment:
        raise ValidationError({"comment": _("“%(action)s”须填写意见，说明理由。") % {"action": rule.label}})
    _check_three_people(actor=actor, finding=locked, roles=roles, move=(from_state, to_state))
    locked.review_state = to_state
    stamp(locked, actor=actor, reason=f"{rule.label}：{comment}" if comment else str(rule.label))
    locked.full_clean()
    locked.save()
    FindingReview.objects.create(finding=locked, from_state=from_state, to_state=to_state, actor=actor, comment=comment)
    return locked


# --- Clues ----------------------------------------------------------------------------------
def _clean_clue_fields(clue: Clue, inspection: Inspection):
    if clue.finding_id and clue.finding.inspection_id != inspection.pk:
        raise ValidationError({"finding": _("关联问题必须属于同一巡察任务。")})
    if clue.receiving_body == ReceivingBody.OTHER and not clue.receiving_body_other.strip():
        raise ValidationError({"receiving_body_other": _("移交其他部门时，请填写部门名称。")})
    if clue.receiving_body != ReceivingBody.OTHER:
        clue.receiving_body_other = ""


def _or_blank(name, value):
    return "" if value is None and name != "finding" else value


def _sync_people(*, actor, clue: Clue, people: list[dict]):
    """Apply the rows of the people formset: add, change, remove; at least one person remains."""
    rows = [row for row in people if row and not row.get("DELETE")]
    if not rows:
        raise ValidationError(_("请至少登记一名涉及人员。"))
    existing = {p.pk: p for p in clue.people.all()}
    for row in people:
        if not row:
            continue
        instance = row.get("id")
        person = existing.get(instance.pk) if instance is not None else None
        if row.get("DELETE"):
            if person is not None:
                stamp(person, actor=actor, reason=_("删除涉及人员"))
                person.delete()
            continue
        person = person or CluePerson(clue=clue)
        person.name, person.post, person.rank = row["name"], row.get("post", ""), row.get("rank", "")
        stamp(person, actor=actor, reason=_("登记涉及人员"))
        person.full_clean()
        person.save()


@transaction.atomic
def clue_create(*, actor, inspection: Inspection, people: list[dict], **fields) -> Clue:
    """The group's leader records a clue with the people it involves (待移交)."""
    _require(
        workflow.group_roles(actor, inspection.group),
        workflow.CLUE_KEEPERS,
        _("只有本组组长、副组长可以登记问题线索。"),
    )
    refuse_if_archived(inspection.pk)
    clue = Clue(inspection=inspection, created_by=actor, status=ClueStatus.DRAFT)
    for name in CLUE_FIELDS:
        if name in fields:
            setattr(clue, name, _or_blank(name, fields[name]))
    _clean_clue_fields(clue, inspection)
    stamp(clue, actor=actor, reason=_("登记问题线索"))
    clue.full_clean()
    clue.save()
    _sync_people(actor=actor, clue=clue, people=people)
    return clue


def _locked_clue(clue: Clue, *, expected_status: str | None = None, version: str | None = None) -> Clue:
    locked = Clue.objects.select_for_update().select_related("inspection__group").get(pk=clue.pk)
    refuse_if_archived(locked.inspection_id)
    require_state(
        expected=expected_status,
        current=locked.status,
        message=_("该线索已被他人处理，当前状态为“%(status)s”，请刷新页面后再操作。")
        % {"status": locked.get_status_display()},
    )
    require_version(expected=version, instance=locked)
    return locked


@transaction.atomic
def clue_update(*, actor, clue: Clue, people: list[dict], version: str | None = None, **fields) -> Clue:
    """Change a clue before it is transferred."""
    locked = _locked_clue(clue, version=version)
    roles = workflow.clue_roles(actor, locked)
    _require(roles, workflow.CLUE_KEEPERS, _("只有本组组长、副组长可以修改问题线索。"))
    if not workflow.clue_can_edit(roles, locked.status):
        raise ValidationError(_("线索已移交，不能再修改。"))
    for name in CLUE_FIELDS:
        if name in fields:
            setattr(locked, name, _or_blank(name, fields[name]))
    _clean_clue_fields(locked, locked.inspection)
    stamp(locked, actor=actor, reason=_("修改问题线索"))
    locked.full_clean()
    locked.save()
    _sync_people(actor=actor, clue=locked, people=people)
    return locked


@transaction.atomic
def clue_transfer(
    *,
    actor,
    clue: Clue,
    receiving_body: str,
    letter_number: str,
    transfer_date: date,
    receiving_body_other: str = "",
    feedback_due_date: date | None = None,
    expected_status: str | None = None,
) -> Clue:
    """Hand the clue over (移交); the body's answer is due XUNCHA_CLUE_FEEDBACK_DAYS later unless set."""
    locked = _locked_clue(clue, expected_status=expected_status)
    roles = workflow.clue_roles(actor, locked)
    _require(roles, workflow.CLUE_KEEPERS, _("只有本组组长、副组长可以移交问题线索。"))
    if not workflow.clue_can_transfer(roles, locked.status):
        raise ValidationError(_("该线索已于 %(date)s 移交，不能重复移交。") % {"date": locked.transfer_date})
    letter_number = (letter_number or "").strip()
    if not letter_number:
        raise ValidationError({"letter_number": _("请填写移交函号。")})
    if transfer_date > timezone.localdate():
        raise ValidationError({"transfer_date": _("移交日期不能晚于今天。")})
    due = feedback_due_date or default_clue_feedback_due(transfer_date)
    if due < transfer_date:
        raise ValidationError({"feedback_due_date": _("反馈期限不能早于移交日期。")})
    locked.receiving_body = receiving_body
    locked.receiving_body_other = receiving_body_other or ""
    _clean_clue_fields(locked, locked.inspection)
    locked.letter_number = letter_number
    locked.transfer_date = transfer_date
    locked.feedback_due_date = due
    locked.status = ClueStatus.TRANSFERRED
    stamp(locked, actor=actor, reason=_("移交问题线索（%(letter)s）") % {"letter": letter_number})
    locked.full_clean()
    locked.save()
    return locked


@transaction.atomic
def clue_record_disposition(
    *,
    actor,
    clue: Clue,
    disposition: str,
    outcome: str = "",
    outcome_detail: str = "",
    answered_date: date | None = None,
    expected_status: str | None = None,
    version: str | None = None,
) -> Clue:
    """The receiving body's liaison records how the clue is handled; an answered date makes it 已反馈."""
    locked = _locked_clue(clue, expected_status=expected_status, version=version)
    roles = workflow.clue_roles(actor, locked)
    _require(roles, {workflow.RECEIVING_BODY}, _("只有接收单位的对接人可以登记线索处置情况。"))
    if not disposition:
        raise ValidationError({"disposition": _("请选择处置方式。")})
    to_status = ClueStatus.ANSWERED if answered_date else ClueStatus.TRANSFERRED
    if not workflow.clue_may(roles, locked.status, to_status):
        raise ValidationError({"answered_date": _("该线索已反馈，反馈日期不能清空。")})
    if answered_date:
        if not outcome:
            raise ValidationError({"outcome": _("反馈办理结果时，请选择处理结果。")})
        if answered_date < locked.transfer_date:
            raise ValidationError(
                {"answered_date": _("反馈日期不能早于移交日期 %(date)s。") % {"date": locked.transfer_date}}
            )
        if answered_date > timezone.localdate():
            raise ValidationError({"answered_date": _("反馈日期不能晚于今天。")})
    locked.disposition = disposition
    locked.outcome = outcome or ""
    locked.outcome_detail = outcome_detail or ""
    locked.answered_date = answered_date
    locked.status = to_status
    stamp(locked, actor=actor, reason=_("登记线索处置情况"))
    locked.full_clean()
    locked.save()
    return locked
