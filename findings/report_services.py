"""Writes for the 巡察报告 and the 综合报告. Each is one transaction, checks report_workflow, records its actor."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rounds.choices import Stage
from rounds.models import Inspection, Round
from xuncha.history import stamp

from . import report_workflow as wf
from .choices import ReportState, RoundReportState
from .models import CommonProblem, FindingCategory, InspectionReport, InspectionReportStep, RoundReport
from .report_selectors import report_facts

# A report is written once the group has been in the unit (了解 onwards); before that the inspection can
# still be withdrawn (rounds.services.inspection_unassign), which a report would block.
DRAFTING_FROM = Stage.UNDERSTANDING
REPORT_FIELDS = ("overview", "problems", "clues_text", "suggestions")
ROUND_FIELDS = ("summary", "suggestions")


def _text(value) -> str:
    # A browser sends a textarea's lines as CRLF: stored as LF, so saving unchanged changes nothing.
    return (value or "").replace("\r\n", "\n").strip()


def _require(roles, allowed, message):
    if not roles & allowed:
        raise PermissionDenied(message)


def _check_seen(expected, actual, label):
    # The page the user acted on showed `expected`; someone else may have moved the report since.
    if expected is not None and expected != actual:
        raise ValidationError(_("报告已被他人处理，当前状态为“%(state)s”，请刷新后再操作。") % {"state": label})


def draft_sections(*, user, inspection: Inspection) -> dict:
    """The generated draft: the inspection's work, its reported findings by category, its clues."""
    facts = report_facts(user=user, inspection=inspection)
    counters = "，".join(f"{label}{value}" for label, value in facts["counters"])
    overview = _(
        "根据县委统一部署，%(round)s%(group)s于%(entry)s至%(end)s对%(unit)s开展了%(kind)s。巡察期间，%(counters)s。"
    ) % {
        "round": inspection.round,
        "group": inspection.group.name,
        "entry": inspection.entry_date or "—",
        "end": inspection.onsite_end_date or "—",
        "unit": inspection.unit.name,
        "kind": inspection.get_kind_display(),
        "counters": counters,
    }
    lines = [
        _("巡察共发现问题%(count)s个，其中涉及关键少数问题%(key)s个。")
        % {"count": facts["findings"], "key": facts["key_minority"]}
    ]
    for category in facts["categories"]:
        lines.append(
            _("%(numeral)s、%(name)s（%(count)s个）")
            % {"numeral": category["numeral"], "name": category["name"], "count": category["count"]}
        )
        for i, finding in enumerate(category["findings"], start=1):
            lines.append(f"{i}. {finding.title}：{finding.description}")
    clues = ""
    if facts["clues"] is not None:
        parts = "，".join(
            _("移交%(body)s%(count)s条") % {"body": b["body"], "count": b["count"]} for b in facts["clues"]["by_body"]
        )
        clues = _("巡察期间发现问题线索%(count)s条") % {"count": facts["clues"]["total"]}
        clues += f"，{parts}。" if parts else "。"
    return {"overview": overview, "problems": "\n".join(lines), "clues_text": clues}


@transaction.atomic
def report_create(*, actor, inspection: Inspection) -> InspectionReport:
    """The group's 组长/副组长 start the report; its sections are drafted from the reported findings."""
    _require(wf.roles_on(actor, inspection), wf.EDITORS, _("只有本组组长、副组长可以起草巡察报告。"))
    if inspection.stage < DRAFTING_FROM:
        raise ValidationError(_("巡察任务进入“%(stage)s”阶段后才能起草巡察报告。") % {"stage": DRAFTING_FROM.label})
    # Lock the inspection so that two leaders pressing at once make one report.
    Inspection.objects.select_for_update().filter(pk=inspection.pk).first()
    existing = InspectionReport.objects.filter(inspection=inspection).first()
    if existing is not None:
        return existing
    report = InspectionReport(
        inspection=inspection, created_by=actor, **draft_sections(user=actor, inspection=inspection)
    )
    stamp(report, actor=actor, reason=_("起草巡察报告"))
    report.full_clean()
    report.save()
    return report


def _locked(report: InspectionReport) -> InspectionReport:
    # Lock the report row only: the inspection and its group stay free for the group's other work.
    return (
        InspectionReport.objects.select_for_update(of=("self",))
        .select_related("inspection__group", "inspection__unit", "inspection__round")
        .get(pk=report.pk)
    )


@transaction.atomic
def report_update(*, actor, report: InspectionReport, expected_state: str | None = None, **fields) -> InspectionReport:
    """The group's leaders edit the text of a draft (or a sent-back) report."""
    locked = _locked(report)
    roles = wf.roles_on(actor, locked.inspection)
    _require(roles, wf.EDITORS, _("只有本组组长、副组长可以修改巡察报告。"))
    _check_seen(expected_state, locked.state, locked.get_state_display())
    if not wf.can_edit(roles, locked.state):
        raise ValidationError(
            _("报告处于“%(state)s”状态，只有草稿（含被退回的）可以修改。") % {"state": locked.get_state_display()}
        )
    changed = {n: _text(fields[n]) for n in REPORT_FIELDS if n in fields}
    changed = {n: v for n, v in changed.items() if getattr(locked, n) != v}
    if not changed:
        return locked  # saving the form unchanged writes nothing, not even a history row
    for name, value in changed.items():
        setattr(locked, name, value)
    stamp(locked, actor=actor, reason=_("修改巡察报告"))
    locked.full_clean()
    locked.save()
    return locked


@transaction.atomic
def report_regenerate(*, actor, report: InspectionReport, expected_state: str | None = None) -> InspectionReport:
    """Draft the generated sections again from the findings as they are now (意见建议 is kept)."""
    locked = _locked(report)
    return report_update(
        actor=actor,
        report=locked,
        expected_state=expected_state,
        **draft_sections(user=actor, inspection=locked.inspection),
    )


@transaction.atomic
def report_transition(
    *,
    actor,
    report: InspectionReport,
    to_state: str,
    meeting_date: date,
    comment: str = "",
    expected_state: str | None = None,
) -> InspectionReport:
    """One step of the review (report_workflow.TRANSITIONS), dated and signed in an InspectionReportStep."""
    locked = _locked(report)
    roles = wf.roles_on(actor, locked.inspection)
    _require(roles, wf.ALL_ROLES, _("您无权处理该巡察报告。"))
    from_state = locked.state
    _check_seen(expected_state, from_state, locked.get_state_display())
    rule = wf.rule_for(from_state, to_state)
    if rule is None:
        raise ValidationError(
            _("巡察报告不能从“%(from)s”变为“%(to)s”。")
            % {"from": ReportState(from_state).label, "to": ReportState(to_state).label}
        )
    _require(roles, rule.by, _("您无权对该巡察报告执行“%(action)s”。") % {"action": rule.label})
    comment = (comment or "").strip()
    if rule.needs_comment and not comment:
        message = _("请填写书记专题会的意见。") if rule.records_decision else _("退回须填写意见，说明理由。")
        raise ValidationError({"comment": message})
    if meeting_date is None:
        raise ValidationError({"meeting_date": _("请填写会议日期。")})
    if meeting_date > timezone.localdate():
        raise ValidationError({"meeting_date": _("会议日期不能晚于今天。")})
    if rule.records_decision:
        locked.decision, locked.decision_date = comment, meeting_date
    locked.state = to_state
    stamp(locked, actor=actor, reason=f"{rule.label}：{comment}" if comment else str(rule.label))
    locked.full_clean()
    locked.save()
    InspectionReportStep.objects.create(
        report=locked, from_state=from_state, to_state=to_state, actor=actor, meeting_date=meeting_date, comment=comment
    )
    return locked


# --- The round's 综合报告 -----------------------------------------------------------------------
def _round_report(*, actor, round_: Round) -> RoundReport:
    """The round's report, made on the office's first write to it, and locked."""
    _require(wf.overseer_roles(actor), wf.ROUND_EDITORS, _("只有巡察办可以撰写综合报告。"))
    report, created = RoundReport.objects.get_or_create(round=round_)
    if created:
        # get_or_create saved it without an author: the history row gets one now.
        stamp(report, actor=actor, reason=_("起草综合报告"))
        report.save()
    return RoundReport.objects.select_for_update().get(pk=report.pk)


def _editable_round_report(*, actor, round_: Round) -> RoundReport:
    report = _round_report(actor=actor, round_=round_)
    if not wf.round_can_edit(frozenset(wf.overseer_roles(actor)), report.state):
        raise ValidationError(_("综合报告已报领导小组，不能再修改；如需修改，请领导小组退回。"))
    return report


@transaction.atomic
def round_report_update(*, actor, round_: Round, **fields) -> RoundReport:
    """The office writes the 综合报告's text."""
    report = _editable_round_report(actor=actor, round_=round_)
    changed = {n: _text(fields[n]) for n in ROUND_FIELDS if n in fields}
    changed = {n: v for n, v in changed.items() if getattr(report, n) != v}
    if not changed:
        return report
    for name, value in changed.items():
        setattr(report, name, value)
    stamp(report, actor=actor, reason=_("修改综合报告"))
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def round_report_mark_common(*, actor, round_: Round, category: FindingCategory, note: str = "") -> CommonProblem:
    """The office marks a category as a 普遍性问题 across the round's units (again: changes the note)."""
    report = _editable_round_report(actor=actor, round_=round_)
    problem = CommonProblem.objects.filter(report=report, category=category).first() or CommonProblem(
        report=report, category=category, marked_by=actor
    )
    problem.note = (note or "").strip()
    stamp(problem, actor=actor, reason=_("标记普遍性问题"))
    problem.full_clean()
    problem.save()
    return problem


@transaction.atomic
def round_report_unmark_common(*, actor, round_: Round, category: FindingCategory) -> None:
    report = _editable_round_report(actor=actor, round_=round_)
    for problem in CommonProblem.objects.filter(report=report, category=category):
        stamp(problem, actor=actor, reason=_("取消普遍性问题"))
        problem.delete()


@transaction.atomic
def round_report_transition(
    *, actor, round_: Round, to_state: str, comment: str = "", expected_state: str | None = None
) -> RoundReport:
    """Submit (office), approve or send back (leadership), with who and when on the report."""
    roles = frozenset(wf.overseer_roles(actor))
    _require(roles, {wf.OFFICE, wf.LEADERSHIP}, _("您无权处理综合报告。"))
    report = RoundReport.objects.select_for_update().filter(round=round_).first()
    from_state = report.state if report else RoundReportState.DRAFT
    _check_seen(expected_state, from_state, RoundReportState(from_state).label)
    rule = wf.round_rule_for(from_state, to_state)
    if rule is None:
        raise ValidationError(
            _("综合报告不能从“%(from)s”变为“%(to)s”。")
            % {"from": RoundReportState(from_state).label, "to": RoundReportState(to_state).label}
        )
    _require(roles, rule.by, _("您无权对综合报告执行“%(action)s”。") % {"action": rule.label})
    comment = (comment or "").strip()
    if rule.needs_comment and not comment:
        raise ValidationError({"comment": _("退回须填写意见，说明理由。")})
    report = report or _round_report(actor=actor, round_=round_)
    now = timezone.now()
    if to_state == RoundReportState.SUBMITTED:
        report.submitted_by, report.submitted_at = actor, now
    elif to_state == RoundReportState.APPROVED:
        report.approved_by, report.approved_at = actor, now
    report.state = to_state
    stamp(report, actor=actor, reason=f"{rule.label}：{comment}" if comment else str(rule.label))
    report.full_clean()
    report.save()
    return report
