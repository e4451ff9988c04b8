"""巡察报告 and 综合报告 pages and Word documents: what they say, who reads them, and that downloads are logged."""

import io
import zipfile

import pytest
from django.urls import reverse

from findings.choices import ReportState, ReviewState, RoundReportState
from findings.models import CommonProblem, Finding, InspectionReport, RoundReport
from tests.report_support import report_at
from xuncha.models import ExportLog


def docx_text(response) -> str:
    content = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read("word/document.xml").decode()


def page(response) -> str:
    return response.content.decode()


def _reported(world, side, title, *, key_minority=False, category=None):
    last = Finding.objects.filter(inspection=side.inspection).order_by("-seq").first().seq
    return Finding.objects.create(
        inspection=side.inspection,
        seq=last + 1,
        category=category or world.category,
        title=title,
        description="详情",
        source="interview",
        key_minority=key_minority,
        review_state=ReviewState.REPORTED,
        author=world.users["group1_member"],
    )


@pytest.mark.django_db
def test_leader_drafts_the_report_from_reported_findings_by_category(world, login):
    _reported(world, world.g1, "甲组关键少数问题：一把手末位表态", key_minority=True)
    client = login(world.users["group1_leader"])
    detail = page(client.get(reverse("rounds:inspection_detail", args=[world.g1.inspection.pk])))
    assert "根据已报告的问题底稿起草巡察报告" in detail
    response = client.post(reverse("findings:report_create", args=[world.g1.inspection.pk]), follow=True)
    report = InspectionReport.objects.get(inspection=world.g1.inspection)
    assert response.redirect_chain[-1][0] == reverse("findings:report_detail", args=[report.pk])
    assert f"一、{world.category}（2个）" in report.problems
    assert "其中涉及关键少数问题1个" in report.problems
    assert "甲组机密问题：三重一大决策不规范" in report.problems
    assert "草稿：公务接待超标准" not in report.problems  # a draft finding is not in the report
    assert "发现问题线索1条" in report.clues_text and "县纪委监委" in report.clues_text
    assert "个别谈话人次0" in report.overview
    body = page(response)
    assert 'data-testid="key-minority-total">1<' in body and 'data-testid="clue-count">1<' in body
    assert report.history.first().history_user == world.users["group1_leader"]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["group1_member", "group2_leader", "office", "leadership", "liaison"])
def test_only_the_groups_leaders_draft_its_report(world, login, persona):
    response = login(world.users[persona]).post(reverse("findings:report_create", args=[world.g1.inspection.pk]))
    assert response.status_code == 404
    assert not InspectionReport.objects.exists()


@pytest.mark.django_db
def test_members_see_no_report_card_on_their_inspection(world, login):
    report_at(world)
    detail = page(
        login(world.users["group1_member"]).get(reverse("rounds:inspection_detail", args=[world.g1.inspection.pk]))
    )
    assert 'id="inspection-report"' not in detail


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_report_form_saved_unchanged_changes_nothing(world, login, language):
    report = report_at(world)
    client = login(world.users["group1_leader"])
    url = reverse("findings:report_edit", args=[report.pk])
    form = client.get(url, HTTP_ACCEPT_LANGUAGE=language).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    history = report.history.count()
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.history.count() == history
    data["suggestions"] = "建议一\r\n建议二"
    client.post(url, data, HTTP_ACCEPT_LANGUAGE=language)
    report.refresh_from_db()
    assert report.suggestions == "建议一\n建议二" and report.history.count() == history + 1


@pytest.mark.django_db
def test_a_report_under_review_cannot_be_edited(world, login):
    report = report_at(world, ReportState.GROUP_MEETING)
    client = login(world.users["group1_leader"])
    response = client.post(reverse("findings:report_edit", args=[report.pk]), {"problems": "改了"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.problems != "改了"


@pytest.mark.django_db
def test_the_review_runs_from_the_page_with_dated_signed_steps(world, login):
    report = report_at(world)
    url = reverse("findings:report_transition", args=[report.pk])
    moves = [
        ("group1_leader", ReportState.DRAFT, ReportState.GROUP_MEETING, ""),
        ("group1_leader", ReportState.GROUP_MEETING, ReportState.OFFICE_CONSULT, "组务会讨论通过"),
        ("office", ReportState.OFFICE_CONSULT, ReportState.LEADERSHIP_REVIEW, ""),
        ("leadership", ReportState.LEADERSHIP_REVIEW, ReportState.SECRETARY_MEETING, ""),
        ("leadership", ReportState.SECRETARY_MEETING, ReportState.FINAL, "同意"),
    ]
    for persona, seen, to, comment in moves:
        client = login(world.users[persona])
        detail = page(client.get(reverse("findings:report_detail", args=[report.pk])))
        assert f'value="{to}"' in detail  # the button is there for the one who acts
        response = client.post(
            url, {"to_state": to, "expected_state": seen, "meeting_date": world.today.isoformat(), "comment": comment}
        )
        assert response.status_code == 302, page(response)
    report.refresh_from_db()
    assert report.state == ReportState.FINAL and report.decision == "同意"
    steps = list(report.steps.values_list("actor__username", "to_state"))
    assert steps == [(p, t) for p, _, t, _ in moves]
    detail = page(login(world.users["leadership"]).get(reverse("findings:report_detail", args=[report.pk])))
    assert "赵组长" in detail and "会议日期" in detail


@pytest.mark.django_db
def test_sending_back_without_a_comment_shows_the_error_and_keeps_the_state(world, login):
    report = report_at(world, ReportState.OFFICE_CONSULT)
    response = login(world.users["office"]).post(
        reverse("findings:report_transition", args=[report.pk]),
        {"to_state": "draft", "expected_state": "office_consult", "meeting_date": world.today.isoformat()},
    )
    assert response.status_code == 200 and "退回须填写意见" in page(response)
    report.refresh_from_db()
    assert report.state == ReportState.OFFICE_CONSULT


# --- Word ---------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_report_word_has_the_groups_content_and_never_the_other_groups(world, login):
    # Group 2 has a finding in the same category: a query that forgot the inspection would bring it in.
    _reported(world, world.g2, "乙组独有标记：违规发放津补贴")
    _reported(world, world.g1, "甲组关键少数问题", key_minority=True)
    client = login(world.users["group1_leader"])
    client.post(reverse("findings:report_create", args=[world.g1.inspection.pk]))
    report = InspectionReport.objects.get(inspection=world.g1.inspection)
    response = client.get(reverse("findings:report_word", args=[report.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    text = docx_text(response)
    assert "甲组机密问题：三重一大决策不规范" in text and "甲组关键少数问题" in text
    assert "乙组" not in text
    assert "县财政局党组" in text
    log = ExportLog.objects.get(kind="inspection_report")
    assert (log.user, log.confidential, log.action, log.row_count) == (
        world.users["group1_leader"],
        True,
        "document",
        2,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["group1_member", "group2_leader", "group2_member", "liaison", "jiwei", "nobody"])
def test_report_pages_and_word_are_404_outside_the_groups_leaders_and_overseers(world, login, persona):
    report = report_at(world)
    client = login(world.users[persona])
    for name in ("report_detail", "report_word", "report_edit"):
        assert client.get(reverse(f"findings:{name}", args=[report.pk])).status_code == 404, name
    assert not ExportLog.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["office", "leadership", "group1_leader"])
def test_report_word_for_its_readers(world, login, persona):
    report = report_at(world)
    response = login(world.users[persona]).get(reverse("findings:report_word", args=[report.pk]))
    assert response.status_code == 200 and "甲组机密正文" in docx_text(response)


# --- The round's 综合报告 -----------------------------------------------------------------------
@pytest.mark.django_db
def test_round_report_counts_and_common_problems_and_approval(world, login):
    _reported(world, world.g1, "甲组关键少数问题", key_minority=True)
    office = login(world.users["office"])
    url = reverse("findings:round_report", args=[world.round.pk])
    body = page(office.get(url))
    assert 'data-testid="round-findings">3<' in body and 'data-testid="round-key-minority">1<' in body
    assert "县纪委监委" in body and "县委组织部" in body and "县直部门单位党组(党委)" in body
    response = office.post(
        reverse("findings:round_report_common", args=[world.round.pk]),
        {"category": world.category.pk, "note": "各单位普遍存在"},
    )
    assert response.status_code == 302
    problem = CommonProblem.objects.get()
    assert (problem.category, problem.note, problem.marked_by) == (
        world.category,
        "各单位普遍存在",
        world.users["office"],
    )
    body = page(office.get(url))
    units = body.split("涉及单位：")[1].split("<")[0]  # the units where the common problem was found
    assert sorted(units.split("、")) == sorted(["县财政局党组", "县教育局党组"])
    office.post(
        reverse("findings:round_report_edit", args=[world.round.pk]), {"summary": "本轮总体情况", "suggestions": ""}
    )
    word = docx_text(office.get(reverse("findings:round_report_word", args=[world.round.pk])))
    assert "本轮总体情况" in word and "各单位普遍存在" in word and "县教育局党组" in word
    assert ExportLog.objects.filter(kind="round_report", confidential=True).count() == 1
    assert (
        office.post(
            reverse("findings:round_report_transition", args=[world.round.pk]),
            {"to_state": "submitted", "expected_state": "draft"},
        ).status_code
        == 302
    )
    leadership = login(world.users["leadership"])
    assert (
        leadership.post(
            reverse("findings:round_report_transition", args=[world.round.pk]),
            {"to_state": "approved", "expected_state": "submitted"},
        ).status_code
        == 302
    )
    report = RoundReport.objects.get()
    assert report.state == RoundReportState.APPROVED and report.approved_by == world.users["leadership"]
    assert "李书记" in page(leadership.get(url))


@pytest.mark.django_db
def test_leadership_cannot_write_the_round_report(world, login):
    client = login(world.users["leadership"])
    assert (
        client.post(
            reverse("findings:round_report_edit", args=[world.round.pk]), {"summary": "x", "suggestions": ""}
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("findings:round_report_common", args=[world.round.pk]), {"category": world.category.pk}
        ).status_code
        == 404
    )
    assert not RoundReport.objects.exists() and not CommonProblem.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_round_report_form_saved_unchanged_changes_nothing(world, login, language):
    RoundReport.objects.create(round=world.round, summary="总体\n情况", suggestions="建议")
    client = login(world.users["office"])
    form = client.get(reverse("findings:round_report", args=[world.round.pk]), HTTP_ACCEPT_LANGUAGE=language).context[
        "form"
    ]
    data = {name: (form[name].value() or "").replace("\n", "\r\n") for name in form.fields}
    report = RoundReport.objects.get()
    history = report.history.count()
    assert client.post(reverse("findings:round_report_edit", args=[world.round.pk]), data).status_code == 302
    report.refresh_from_db()
    assert (report.summary, report.history.count()) == ("总体\n情况", history)


@pytest.mark.django_db
def test_a_submitted_round_report_is_read_only_for_the_office(world, login):
    RoundReport.objects.create(
        round=world.round, state=RoundReportState.SUBMITTED, summary="已报送", submitted_by=world.users["office"]
    )
    client = login(world.users["office"])
    body = page(client.get(reverse("findings:round_report", args=[world.round.pk])))
    assert "标记为普遍性问题" not in body
    response = client.post(
        reverse("findings:round_report_edit", args=[world.round.pk]), {"summary": "改", "suggestions": ""}
    )
    assert "不能再修改" in page(response)
    assert RoundReport.objects.get().summary == "已报送"


@pytest.mark.django_db
def test_round_page_links_every_inspection_its_report_and_the_round_report(world, login):
    report = report_at(world, ReportState.LEADERSHIP_REVIEW)
    body = page(login(world.users["leadership"]).get(reverse("rounds:round_detail", args=[world.round.pk])))
    assert reverse("findings:round_report", args=[world.round.pk]) in body
    assert reverse("findings:report_detail", args=[report.pk]) in body and "领导小组审议" in body
    assert reverse("rounds:inspection_detail", args=[world.g2.inspection.pk]) in body


@pytest.mark.django_db
def test_leadership_landing_card_links_to_the_reports(world, login):
    body = page(login(world.users["leadership"]).get(reverse("home")))
    assert reverse("findings:report_list") in body
    report = report_at(world)
    listing = page(login(world.users["leadership"]).get(reverse("findings:report_list")))
    assert reverse("findings:report_detail", args=[report.pk]) in listing
    assert reverse("findings:round_report", args=[world.round.pk]) in listing


# --- The database keeps the invariants ---------------------------------------------------------
@pytest.mark.django_db
def test_database_refuses_a_final_report_without_decision_and_an_unsigned_approval(world):
    from django.db import IntegrityError, transaction

    report = report_at(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        InspectionReport.objects.filter(pk=report.pk).update(state=ReportState.FINAL)
    with pytest.raises(IntegrityError), transaction.atomic():
        InspectionReport.objects.filter(pk=report.pk).update(state="published")
    with pytest.raises(IntegrityError), transaction.atomic():
        RoundReport.objects.create(round=world.round, state=RoundReportState.APPROVED)
    with pytest.raises(IntegrityError), transaction.atomic():
        type(world.g1.group).objects.filter(pk=world.g1.group.pk).update(review_exception_reason="")
    marked = RoundReport.objects.create(round=world.round)
    CommonProblem.objects.create(report=marked, category=world.category, marked_by=world.users["office"])
    with pytest.raises(IntegrityError), transaction.atomic():
        CommonProblem.objects.create(report=marked, category=world.category, marked_by=world.users["office"])


@pytest.mark.django_db
def test_round_pages_query_count_does_not_grow_with_the_inspections(world, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from rounds.models import Inspection

    client = login(world.users["leadership"])
    urls = [
        reverse("findings:round_report", args=[world.round.pk]),
        reverse("rounds:round_detail", args=[world.round.pk]),
    ]

    def count():
        with CaptureQueriesContext(connection) as ctx:
            for url in urls:
                assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for unit in (world.units.township, world.units.village, world.units.outside):
        inspection = Inspection.objects.create(round=world.round, group=world.g2.group, unit=unit, kind="regular")
        InspectionReport.objects.create(inspection=inspection, created_by=world.users["group2_leader"])
    assert count() == before


@pytest.mark.django_db
def test_report_page_in_english(world, login):
    report = report_at(world, ReportState.SECRETARY_MEETING)
    body = page(
        login(world.users["leadership"]).get(
            reverse("findings:report_detail", args=[report.pk]), HTTP_ACCEPT_LANGUAGE="en"
        )
    )
    assert "Review steps" in body and "Decided by the secretary&#x27;s special meeting: final" in body
    assert "审议记录" not in body


@pytest.mark.django_db
def test_no_report_before_the_group_has_been_in_the_unit(world, login):
    from rounds.choices import Stage
    from rounds.models import Inspection

    inspection = Inspection.objects.create(
        round=world.round, group=world.g1.group, unit=world.units.township, kind="regular", stage=Stage.STATIONED
    )
    client = login(world.users["group1_leader"])
    assert "起草巡察报告" not in page(client.get(reverse("rounds:inspection_detail", args=[inspection.pk])))
    response = client.post(reverse("findings:report_create", args=[inspection.pk]), follow=True)
    assert "阶段后才能起草巡察报告" in page(response)
    assert not InspectionReport.objects.filter(inspection=inspection).exists()
