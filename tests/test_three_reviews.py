"""三审 is three people: the deputy's 复核 and the leader's 审签 are done by different people; a group without a
deputy has its leader do both only by the office's recorded exception."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from findings.choices import ReviewState
from findings.models import Finding
from findings.services import finding_transition
from rounds.services import group_set_review_exception
from tests.findings_support import add_deputy

S = ReviewState


def _at(finding, state):
    Finding.objects.filter(pk=finding.pk).update(review_state=state)
    finding.refresh_from_db()
    return finding


def _without_exception(world):
    group = world.g1.group
    group.review_exception, group.review_exception_reason = False, ""
    group.save()


@pytest.mark.django_db
def test_deputy_reviews_and_leader_signs(world):
    deputy = add_deputy(world)
    finding = _at(world.g1.draft, S.DEPUTY_REVIEW)
    finding_transition(actor=deputy, finding=finding, to_state=S.LEADER_SIGN)
    finding = finding_transition(actor=world.users["group1_leader"], finding=finding, to_state=S.REPORTED)
    assert finding.review_state == S.REPORTED


@pytest.mark.django_db
def test_with_a_deputy_the_leader_does_not_do_the_review(world):
    add_deputy(world)
    finding = _at(world.g1.draft, S.DEPUTY_REVIEW)
    with pytest.raises(ValidationError, match="复核由副组长进行"):
        finding_transition(actor=world.users["group1_leader"], finding=finding, to_state=S.LEADER_SIGN)
    finding.refresh_from_db()
    assert finding.review_state == S.DEPUTY_REVIEW


@pytest.mark.django_db
def test_without_a_deputy_or_the_offices_exception_the_leader_cannot_review(world):
    _without_exception(world)
    finding = _at(world.g1.draft, S.DEPUTY_REVIEW)
    with pytest.raises(ValidationError, match="须经巡察办准许"):
        finding_transition(actor=world.users["group1_leader"], finding=finding, to_state=S.LEADER_SIGN)


@pytest.mark.django_db
def test_with_the_offices_exception_the_leader_reviews_and_signs(world):
    _without_exception(world)
    group_set_review_exception(
        actor=world.users["office"], group=world.g1.group, allowed=True, reason="副组长病休，报办主任同意"
    )
    leader = world.users["group1_leader"]
    finding = finding_transition(actor=leader, finding=_at(world.g1.draft, S.DEPUTY_REVIEW), to_state=S.LEADER_SIGN)
    assert finding_transition(actor=leader, finding=finding, to_state=S.REPORTED).review_state == S.REPORTED
    record = world.g1.group.history.first()
    assert record.history_user == world.users["office"] and "副组长病休" in record.history_change_reason


@pytest.mark.django_db
def test_whoever_reviewed_does_not_also_sign(world):
    leader = world.users["group1_leader"]
    finding = finding_transition(actor=leader, finding=_at(world.g1.draft, S.DEPUTY_REVIEW), to_state=S.LEADER_SIGN)
    add_deputy(world)  # a deputy joins: the exception no longer applies, and the leader has already reviewed
    with pytest.raises(ValidationError, match="审签须由另一人进行"):
        finding_transition(actor=leader, finding=finding, to_state=S.REPORTED)
    finding.refresh_from_db()
    assert finding.review_state == S.LEADER_SIGN


@pytest.mark.django_db
def test_the_exception_is_the_offices_needs_a_reason_and_only_for_a_group_without_deputy(world):
    group = world.g1.group
    with pytest.raises(PermissionDenied):
        group_set_review_exception(actor=world.users["leadership"], group=group, allowed=False, reason="x")
    with pytest.raises(ValidationError):
        group_set_review_exception(actor=world.users["office"], group=group, allowed=False, reason=" ")
    add_deputy(world)
    with pytest.raises(ValidationError, match="已配备副组长"):
        group_set_review_exception(actor=world.users["office"], group=group, allowed=True, reason="理由")


@pytest.mark.django_db
def test_office_records_the_exception_on_the_group_page(world, login):
    _without_exception(world)
    client = login(world.users["office"])
    url = reverse("rounds:group_detail", args=[world.g1.group.pk])
    assert "在巡察办准许组长兼复核之前" in client.get(url).content.decode()
    response = client.post(
        reverse("rounds:group_review_exception", args=[world.g1.group.pk]),
        {"allowed": "1", "reason": "本轮人手不足"},
        follow=True,
    )
    assert "巡察办已准许组长兼复核。理由：本轮人手不足" in response.content.decode()
    world.g1.group.refresh_from_db()
    assert world.g1.group.review_exception


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["leadership", "group1_leader", "group2_leader"])
def test_nobody_but_the_office_records_the_exception(world, login, persona):
    _without_exception(world)
    response = login(world.users[persona]).post(
        reverse("rounds:group_review_exception", args=[world.g1.group.pk]), {"allowed": "1", "reason": "自行准许"}
    )
    assert response.status_code == 404
    world.g1.group.refresh_from_db()
    assert not world.g1.group.review_exception
