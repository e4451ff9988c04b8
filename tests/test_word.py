"""Word documents: open with python-docx, hold the expected text and never another group's."""

import pytest
from django.urls import reverse

from findings.choices import ReviewState
from findings.models import Finding, FindingCategory, FindingReview
from tests.exports_helpers import docx_text
from xuncha.models import ExportLog

pytestmark = pytest.mark.django_db


def _get(login, world, persona, name, *args, **params):
    return login(world.users[persona]).get(reverse(f"exports:{name}", args=args), params)


def test_feedback_letter_lists_fed_back_findings_by_category(world, login):
    other = FindingCategory.objects.filter(parent__isnull=False).exclude(pk=world.category.pk).order_by("code").first()
    Finding.objects.create(
        inspection=world.g1.inspection,
        seq=3,
        category=other,
        title="甲组机密：第二类问题",
        description="细节",
        source="visit",
        review_state=ReviewState.REPORTED,
        author=world.users["group1_member"],
        feedback=world.g1.feedback,
    )
    text = docx_text(_get(login, world, "group1_leader", "feedback_letter", world.g1.inspection.pk))
    assert "第一巡察组关于巡察县财政局党组的反馈意见" in text
    assert f"一、{world.category}" in text and f"二、{other}" in text
    assert world.g1.finding.title in text and "甲组机密：第二类问题" in text
    assert world.g1.draft.title not in text  # a draft was never fed back
    assert "乙组机密" not in text
    log = ExportLog.objects.get()
    assert (log.kind, log.action, log.row_count, log.confidential) == ("feedback_letter", "document", 2, True)


def test_liaison_reads_the_feedback_letter_of_their_unit_only(world, login):
    assert "甲组机密" in docx_text(_get(login, world, "liaison", "feedback_letter", world.g1.inspection.pk))
    assert _get(login, world, "liaison", "feedback_letter", world.g2.inspection.pk).status_code == 404


@pytest.mark.parametrize("persona", ["group1_leader", "group1_member", "jiwei", "nobody"])
def test_feedback_letter_of_another_group_is_404(world, login, persona):
    assert _get(login, world, persona, "feedback_letter", world.g2.inspection.pk).status_code == 404


def test_finding_sheet_carries_the_review_signatures(world, login):
    finding = world.g1.draft
    deputy, leader = world.users["group1_leader"], world.users["office"]
    FindingReview.objects.create(
        finding=finding, from_state="draft", to_state="deputy_review", actor=world.users["group1_member"]
    )
    FindingReview.objects.create(
        finding=finding, from_state="deputy_review", to_state="leader_sign", actor=deputy, comment="属实"
    )
    FindingReview.objects.create(finding=finding, from_state="leader_sign", to_state="reported", actor=leader)
    text = docx_text(_get(login, world, "group1_member", "finding_sheet", finding.pk))
    assert "问题底稿" in text and finding.number in text and finding.title in text
    assert "副组长复核 → 组长审签" in text and "属实" in text
    assert "复核人（签字）：赵组长" in text and "组长审签（签字）：王办" in text
    assert "乙组机密" not in text


@pytest.mark.parametrize("persona", ["group2_leader", "group2_member", "liaison", "jiwei", "nobody"])
def test_finding_sheet_is_404_outside_the_group(world, login, persona):
    # The liaison sees the fed-back finding in lists, but the working paper stays with the group.
    assert _get(login, world, persona, "finding_sheet", world.g1.finding.pk).status_code == 404


def test_rectification_notice_lists_the_units_tasks(world, login):
    text = docx_text(_get(login, world, "liaison", "rectification_notice", world.units.finance.pk))
    assert "整改通知书" in text and "县财政局党组" in text
    assert world.g1.task.measure in text and world.g1.finding.number in text
    assert "乙组机密" not in text
    assert ExportLog.objects.get().kind == "rectification_notice"


def test_rectification_notice_for_a_unit_without_visible_tasks_is_404(world, login):
    assert _get(login, world, "liaison", "rectification_notice", world.units.education.pk).status_code == 404
    assert _get(login, world, "group1_leader", "rectification_notice", world.units.education.pk).status_code == 404
    assert _get(login, world, "office", "rectification_notice", world.units.outside.pk).status_code == 404
    assert not ExportLog.objects.exists()


def test_office_templates_replace_the_defaults(world, login, settings, tmp_path):
    from docx import Document

    doc = Document()
    doc.add_paragraph("本县定制模板：{{ unit }}共{{ count }}项")
    doc.save(tmp_path / "整改通知书.docx")
    settings.WORD_TEMPLATE_DIR = str(tmp_path)
    text = docx_text(_get(login, world, "office", "rectification_notice", world.units.finance.pk))
    assert "本县定制模板：县财政局党组共1项" in text
