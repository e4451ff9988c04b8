"""巡察报告 and 综合报告: every URL × every persona. A report is read by office, leadership and its group's
leaders; members, liaisons and other groups get 404. State-changing cases put the report back in the state
they need before each attempt, and carry a snapshot for tests/test_findings_refused_writes.py."""

from django.urls import reverse

from findings.choices import ReportState, RoundReportState
from findings.models import CommonProblem, InspectionReport, RoundReport
from tests.report_support import report_at

from . import OVERSEERS, Case

READERS_G1 = OVERSEERS | {"group1_leader"}
READERS_G2 = OVERSEERS | {"group2_leader"}


def _report_url(name, side="g1", state=ReportState.DRAFT):
    return lambda w: reverse(f"findings:{name}", args=[report_at(w, state, side).pk])


def _report_state(w):
    return InspectionReport.objects.get(inspection=w.g1.inspection).state


def _fresh_report(w):
    InspectionReport.objects.filter(inspection=w.g1.inspection).delete()
    return reverse("findings:report_create", args=[w.g1.inspection.pk])


def _move(to_state, seen):
    return lambda w: {
        "to_state": to_state,
        "expected_state": seen,
        "meeting_date": w.today.isoformat(),
        "comment": "意见",
    }


def _round_report_at(state):
    def url(w):
        report, _ = RoundReport.objects.get_or_create(round=w.round)
        RoundReport.objects.filter(pk=report.pk).update(state=state)
        return reverse("findings:round_report_transition", args=[w.round.pk])

    return url


def _round_state(w):
    return RoundReport.objects.filter(round=w.round).values_list("state", flat=True).first()


def _round(name):
    return lambda w: reverse(f"findings:{name}", args=[w.round.pk])


CASES = [
    Case("report_list", lambda w: reverse("findings:report_list"), OVERSEERS | {"group1_leader", "group2_leader"}),
    Case("report_detail_g1", _report_url("report_detail"), READERS_G1),
    Case("report_detail_g2", _report_url("report_detail", "g2"), READERS_G2),
    Case("report_word_g1", _report_url("report_word"), READERS_G1),
    Case("report_word_g2", _report_url("report_word", "g2"), READERS_G2),
    Case("report_edit_form_g1", _report_url("report_edit"), {"group1_leader"}),
    Case(
        "report_edit_post_g1",
        _report_url("report_edit"),
        {"group1_leader"},
        method="post",
        data=lambda w: {"overview": "甲组机密改过的基本情况", "problems": "", "clues_text": "", "suggestions": ""},
        ok_status=302,
        extra={"snapshot": lambda w: InspectionReport.objects.get(inspection=w.g1.inspection).overview},
    ),
    Case(
        "report_create_g1",
        _fresh_report,
        {"group1_leader"},
        method="post",
        ok_status=302,
        extra={"snapshot": lambda w: InspectionReport.objects.filter(inspection=w.g1.inspection).count()},
    ),
    Case(
        "report_to_group_meeting_g1",
        _report_url("report_transition"),
        {"group1_leader"},
        method="post",
        data=_move(ReportState.GROUP_MEETING, ReportState.DRAFT),
        ok_status=302,
        extra={"snapshot": _report_state},
    ),
    Case(
        "report_office_consult_g1",
        _report_url("report_transition", state=ReportState.OFFICE_CONSULT),
        {"office"},
        method="post",
        data=_move(ReportState.LEADERSHIP_REVIEW, ReportState.OFFICE_CONSULT),
        ok_status=302,
        extra={"snapshot": _report_state},
    ),
    Case(
        "report_secretary_meeting_g1",
        _report_url("report_transition", state=ReportState.SECRETARY_MEETING),
        {"leadership"},
        method="post",
        data=_move(ReportState.FINAL, ReportState.SECRETARY_MEETING),
        ok_status=302,
        extra={"snapshot": _report_state},
    ),
    Case("round_report", _round("round_report"), OVERSEERS),
    Case("round_report_word", _round("round_report_word"), OVERSEERS),
    Case(
        "round_report_edit",
        _round("round_report_edit"),
        {"office"},
        method="post",
        data=lambda w: {"summary": "本轮总体情况（新）", "suggestions": ""},
        ok_status=302,
        extra={
            "snapshot": lambda w: RoundReport.objects.filter(round=w.round).values_list("summary", flat=True).first()
        },
    ),
    Case(
        "round_report_common",
        _round("round_report_common"),
        {"office"},
        method="post",
        data=lambda w: {"category": w.category.pk, "note": "普遍存在"},
        ok_status=302,
        extra={"snapshot": lambda w: CommonProblem.objects.count()},
    ),
    Case(
        "round_report_submit",
        _round_report_at(RoundReportState.DRAFT),
        {"office"},
        method="post",
        data=lambda w: {"to_state": RoundReportState.SUBMITTED, "expected_state": RoundReportState.DRAFT},
        ok_status=302,
        extra={"snapshot": _round_state},
    ),
    # 三审 exception (组长兼复核) for a group without a deputy: the office's, recorded with a reason.
    Case(
        "group_review_exception_g1",
        lambda w: reverse("rounds:group_review_exception", args=[w.g1.group.pk]),
        {"office"},
        method="post",
        data=lambda w: {"reason": "撤销：已配备副组长"},
        ok_status=302,
        extra={"snapshot": lambda w: type(w.g1.group).objects.get(pk=w.g1.group.pk).review_exception},
    ),
    Case(
        "round_report_approve",
        _round_report_at(RoundReportState.SUBMITTED),
        {"leadership"},
        method="post",
        data=lambda w: {"to_state": RoundReportState.APPROVED, "expected_state": RoundReportState.SUBMITTED},
        ok_status=302,
        extra={"snapshot": _round_state},
    ),
]
