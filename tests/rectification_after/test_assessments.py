"""整改评估: a weighted score over the configured indicators, a grade by the configured thresholds; a poor grade
proposes 回头看 and a 约谈 is recorded; outcomes (制度, 资金) and 问责 per task or per unit."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from rectification.choices import AccountabilityForm, Grade, ProposalStatus
from rectification.models import (
    Accountability,
    Assessment,
    AssessmentIndicator,
    GradeBand,
    LookbackProposal,
    RectificationOutcome,
)
from rectification.services.assessments import (
    accountability_record,
    assessment_record,
    grade_for,
    lookback_decide,
    official_add,
    outcome_record,
    weighted_score,
)


def _scores(**by_name):
    return {i.pk: Decimal(by_name.get(i.name, 0)) for i in AssessmentIndicator.objects.filter(is_active=True)}


ALL_80 = {"整改责任落实": 80, "问题整改质量": 80, "建章立制": 80, "成果运用": 80, "群众满意度": 80}


def test_default_indicators_and_thresholds_are_seeded(world):
    assert list(AssessmentIndicator.objects.values_list("name", "weight")) == [
        ("整改责任落实", 25),
        ("问题整改质量", 30),
        ("建章立制", 15),
        ("成果运用", 15),
        ("群众满意度", 15),
    ]
    assert dict(GradeBand.objects.values_list("grade", "min_score")) == {
        "excellent": Decimal("90"),
        "pass": Decimal("75"),
        "basic": Decimal("60"),
        "fail": Decimal("0"),
    }


def test_score_is_the_weighted_average_and_grade_follows_thresholds(world):
    # 25×100 + 30×90 + 15×80 + 15×70 + 15×60 = 8350 → 83.5 → 合格 (75 ≤ 83.5 < 90)
    scores = _scores(整改责任落实=100, 问题整改质量=90, 建章立制=80, 成果运用=70, 群众满意度=60)
    a = assessment_record(
        actor=world.users["office"],
        inspection=world.g1.inspection,
        assessed_on=world.today,
        scores=scores,
        evidence="查阅台账",
    )
    assert (a.score, a.grade) == (Decimal("83.5"), Grade.PASS)
    assert list(a.scores.values_list("indicator__name", "weight", "score"))[0] == ("整改责任落实", 25, Decimal("100"))
    assert not LookbackProposal.objects.filter(assessment=a).exists()


def test_thresholds_are_configurable(world):
    GradeBand.objects.filter(grade=Grade.EXCELLENT).update(min_score=Decimal("80"))
    assert grade_for(Decimal("83.5")) == Grade.EXCELLENT
    assert grade_for(Decimal("59.9")) == Grade.FAIL
    assert weighted_score([(1, 50), (3, 100)]) == Decimal("87.5")


def test_a_fail_grade_proposes_lookback_and_records_the_talk(world):
    scores = _scores(整改责任落实=40, 问题整改质量=50, 建章立制=50, 成果运用=50, 群众满意度=50)
    a = assessment_record(
        actor=world.users["office"],
        inspection=world.g1.inspection,
        assessed_on=world.today,
        scores=scores,
        talk={"person": "赵局长", "post": "局长", "date": world.today},
    )
    assert a.grade == Grade.FAIL
    proposal = LookbackProposal.objects.get(assessment=a)
    assert (proposal.status, proposal.unit) == (ProposalStatus.PROPOSED, world.units.finance)
    talk = Accountability.objects.get(assessment=a)
    assert (talk.person, talk.form, talk.inspection) == ("赵局长", AccountabilityForm.TALK, world.g1.inspection)
    with pytest.raises(ValidationError):
        lookback_decide(actor=world.users["office"], proposal=proposal, status=ProposalStatus.DISMISSED)
    lookback_decide(actor=world.users["office"], proposal=proposal, status=ProposalStatus.ACCEPTED, note="列入下轮")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED and proposal.decided_by == world.users["office"]


def test_a_basic_grade_also_proposes_lookback(world):
    a = assessment_record(
        actor=world.users["office"],
        inspection=world.g1.inspection,
        assessed_on=world.today,
        scores=_scores(**dict.fromkeys(ALL_80, 65)),
    )
    assert a.grade == Grade.BASIC and LookbackProposal.objects.filter(assessment=a).exists()


def test_every_active_indicator_must_be_scored_and_only_once_per_inspection(world):
    scores = _scores(**ALL_80)
    scores.pop(next(iter(scores)))
    with pytest.raises(ValidationError):
        assessment_record(
            actor=world.users["office"], inspection=world.g1.inspection, assessed_on=world.today, scores=scores
        )
    assessment_record(
        actor=world.users["office"], inspection=world.g1.inspection, assessed_on=world.today, scores=_scores(**ALL_80)
    )
    with pytest.raises(ValidationError):
        assessment_record(
            actor=world.users["office"],
            inspection=world.g1.inspection,
            assessed_on=world.today,
            scores=_scores(**ALL_80),
        )


def test_only_the_office_assesses(world):
    with pytest.raises(PermissionDenied):
        assessment_record(
            actor=world.users["leadership"],
            inspection=world.g1.inspection,
            assessed_on=world.today,
            scores=_scores(**ALL_80),
        )


def test_the_database_refuses_a_score_over_100(world):
    a = assessment_record(
        actor=world.users["office"], inspection=world.g1.inspection, assessed_on=world.today, scores=_scores(**ALL_80)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.filter(pk=a.pk).update(score=Decimal("100.5"))


def test_outcomes_and_accountability_per_task_or_per_unit(world):
    office = world.users["office"]
    outcome_record(actor=office, inspection=world.g1.inspection, task=world.g1.task, rules_count=2)
    outcome_record(actor=office, inspection=world.g1.inspection, funds_recovered=Decimal("12.50"))
    with pytest.raises(ValidationError):  # a task of another inspection
        outcome_record(actor=office, inspection=world.g1.inspection, task=world.g2.task, rules_count=1)
    with pytest.raises(ValidationError):  # nothing to record
        outcome_record(actor=office, inspection=world.g1.inspection)
    head = official_add(actor=office, inspection=world.g1.inspection, name="赵局长", post="局长", role="head")
    row = accountability_record(
        actor=office,
        inspection=world.g1.inspection,
        person="",
        official=head,
        form=AccountabilityForm.ADMONISH,
        date=world.today,
    )
    assert (row.person, row.post) == ("赵局长", "局长")
    assert RectificationOutcome.objects.filter(inspection=world.g1.inspection).count() == 2


# --- pages --------------------------------------------------------------------------------------


def test_office_records_an_assessment_through_the_page(world, client):
    client.force_login(world.users["office"])
    url = reverse("rectification:assessment_create", args=[world.g1.inspection.pk])
    form = client.get(url).content.decode()
    assert "整改责任落实" in form and "群众满意度" in form
    data = {"assessed_on": world.today.isoformat(), "evidence": "实地查看"}
    data |= {f"score_{pk}": "50" for pk in _scores()}
    data |= {"talk_person": "赵局长", "talk_post": "局长", "talk_date": world.today.isoformat()}
    response = client.post(url, data)
    a = Assessment.objects.get(inspection=world.g1.inspection)
    assert response.status_code == 302 and a.grade == Grade.FAIL
    page = client.get(reverse("rectification:assessment_detail", args=[a.pk])).content.decode()
    assert 'id="lookback-proposal"' in page and "纳入回头看" in page and "赵局长" in page
    client.post(reverse("rectification:proposal_decide", args=[a.lookback_proposal.pk]), {"status": "accepted"})
    assert LookbackProposal.objects.get(pk=a.lookback_proposal.pk).status == ProposalStatus.ACCEPTED


def test_settings_round_trip_unchanged_and_change_a_threshold(world, client):
    client.force_login(world.users["office"])
    url = reverse("rectification:assessment_settings")
    before = (list(AssessmentIndicator.objects.values()), list(GradeBand.objects.values()))
    for language in ("zh-hans", "en"):
        client.cookies["django_language"] = language
        page = client.get(url)
        data = _form_data(page)
        assert client.post(url, data).status_code == 302
        assert (list(AssessmentIndicator.objects.values()), list(GradeBand.objects.values())) == before
    data = _form_data(client.get(url))
    data["band-excellent"] = "85"
    client.post(url, data)
    assert GradeBand.objects.get(grade="excellent").min_score == Decimal("85")
    data["band-basic"] = "95"  # above 合格: refused
    assert client.post(url, data).status_code == 200
    assert GradeBand.objects.get(grade="basic").min_score == Decimal("60")


def _form_data(response):
    """What a browser would post back from the page unchanged (inputs' values, checked boxes)."""
    import re

    html = response.content.decode()
    data = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or name[1] == "csrfmiddlewaretoken":
            continue
        kind = re.search(r'type="([^"]+)"', tag)
        if kind and kind[1] == "checkbox":
            if "checked" in tag:
                data[name[1]] = "on"
            continue
        value = re.search(r'value="([^"]*)"', tag)
        data[name[1]] = value[1] if value else ""
    return data


def test_outcome_page_records_and_lists(world, client):
    client.force_login(world.users["office"])
    base = reverse("rectification:inspection_outcomes", args=[world.g1.inspection.pk])
    client.post(base + "official/", {"name": "赵局长", "post": "局长", "role": "head"})
    client.post(base + "outcome/", {"rules_count": "3", "funds_recovered": "8.5"})
    client.post(base + "accountability/", {"person": "钱科长", "form": "circulate", "date": world.today.isoformat()})
    page = client.get(base).content.decode()
    assert "赵局长" in page and "8.50" in page and "钱科长" in page and "通报" in page
    bad = client.post(base + "accountability/", {"form": "talk", "date": world.today.isoformat()})
    assert bad.status_code == 400 and "请填写被问责人" in bad.content.decode()
