"""The review table (三审), rule by rule: every allowed and every refused transition, by role."""

import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from findings.choices import ReviewState as S
from findings.models import Finding, FindingReview
from findings.services import finding_transition
from rounds.services import membership_remove
from tests.findings_support import add_deputy
from xuncha.history import history_entries

pytestmark = pytest.mark.django_db

# Written out independently of findings/workflow.py: deleting a rule there must fail a test here.
ALLOWED = {
    (S.DRAFT, S.DEPUTY_REVIEW): {"member", "deputy", "leader"},
    # Group 1 has a deputy here: the 复核 is the deputy's, so that 审签 is another person's (三审 is three people;
    # a group without a deputy is in tests/test_three_reviews.py).
    (S.DEPUTY_REVIEW, S.LEADER_SIGN): {"deputy"},
    (S.DEPUTY_REVIEW, S.DRAFT): {"deputy", "leader"},
    (S.LEADER_SIGN, S.REPORTED): {"leader"},
    (S.LEADER_SIGN, S.DRAFT): {"leader"},
}
ACTORS = ["member", "deputy", "leader", "office", "leadership", "other_leader", "other_member", "jiwei", "liaison"]
PAIRS = [(a, b) for a, b in itertools.product(S.values, S.values) if a != b]


def _actor(world, deputy, name):
    return {
        "member": world.users["group1_member"],
        "deputy": deputy,
        "leader": world.users["group1_leader"],
        "office": world.users["office"],
        "leadership": world.users["leadership"],
        "other_leader": world.users["group2_leader"],
        "other_member": world.users["group2_member"],
        "jiwei": world.users["jiwei"],
        "liaison": world.users["liaison"],
    }[name]


@pytest.mark.parametrize("actor_name", ACTORS)
def test_every_transition_is_allowed_or_refused_as_the_table_says(world, actor_name):
    deputy = add_deputy(world)
    actor = _actor(world, deputy, actor_name)
    finding = world.g1.draft
    for from_state, to_state in PAIRS:
        Finding.objects.filter(pk=finding.pk).update(review_state=from_state)
        reviews_before = FindingReview.objects.count()
        allowed = actor_name in ALLOWED.get((from_state, to_state), set())
        if allowed:
            result = finding_transition(actor=actor, finding=finding, to_state=to_state, comment="意见")
            assert result.review_state == to_state
            review = FindingReview.objects.latest("pk")
            assert (review.from_state, review.to_state, review.actor, review.comment) == (
                from_state,
                to_state,
                actor,
                "意见",
            )
        else:
            with pytest.raises((PermissionDenied, ValidationError)):
                finding_transition(actor=actor, finding=finding, to_state=to_state, comment="意见")
            assert Finding.objects.get(pk=finding.pk).review_state == from_state, (actor_name, from_state, to_state)
            assert FindingReview.objects.count() == reviews_before


def test_sending_back_needs_a_comment(world):
    finding = world.g1.draft
    Finding.objects.filter(pk=finding.pk).update(review_state=S.LEADER_SIGN)
    with pytest.raises(ValidationError) as exc:
        finding_transition(actor=world.users["group1_leader"], finding=finding, to_state=S.DRAFT, comment="  ")
    assert "须填写意见" in str(exc.value)
    assert Finding.objects.get(pk=finding.pk).review_state == S.LEADER_SIGN


def test_forward_steps_take_an_optional_comment(world):
    finding = finding_transition(actor=world.users["group1_member"], finding=world.g1.draft, to_state=S.DEPUTY_REVIEW)
    assert finding.review_state == S.DEPUTY_REVIEW
    assert finding.reviews.get().comment == ""


def test_group_without_deputy_the_leader_reviews_and_signs(world):
    leader, member = world.users["group1_leader"], world.users["group1_member"]
    finding = world.g1.draft
    finding_transition(actor=member, finding=finding, to_state=S.DEPUTY_REVIEW, comment="请复核")
    finding_transition(actor=leader, finding=finding, to_state=S.LEADER_SIGN, comment="复核属实")
    finding = finding_transition(actor=leader, finding=finding, to_state=S.REPORTED, comment="同意上报")
    assert finding.review_state == S.REPORTED
    trail = [(r.actor.username, r.to_state, r.comment) for r in finding.reviews.all()]
    assert trail == [
        ("group1_member", S.DEPUTY_REVIEW, "请复核"),
        ("group1_leader", S.LEADER_SIGN, "复核属实"),
        ("group1_leader", S.REPORTED, "同意上报"),
    ]


def test_a_deputy_reviews_but_cannot_sign(world):
    deputy = add_deputy(world)
    finding = world.g1.draft
    finding_transition(actor=world.users["group1_member"], finding=finding, to_state=S.DEPUTY_REVIEW)
    finding_transition(actor=deputy, finding=finding, to_state=S.LEADER_SIGN, comment="复核通过")
    with pytest.raises(PermissionDenied):
        finding_transition(actor=deputy, finding=finding, to_state=S.REPORTED)


def test_a_deputy_of_another_group_has_no_say(world):
    deputy2 = add_deputy(world, n=2)
    finding = world.g1.draft
    Finding.objects.filter(pk=finding.pk).update(review_state=S.DEPUTY_REVIEW)
    with pytest.raises(PermissionDenied):
        finding_transition(actor=deputy2, finding=finding, to_state=S.LEADER_SIGN)


def test_a_reported_finding_is_final(world):
    for to_state in (S.DRAFT, S.DEPUTY_REVIEW, S.LEADER_SIGN):
        with pytest.raises(ValidationError):
            finding_transition(
                actor=world.users["group1_leader"], finding=world.g1.finding, to_state=to_state, comment="x"
            )


def test_a_stale_page_does_not_act_on_a_state_it_did_not_show(world):
    finding = world.g1.draft
    Finding.objects.filter(pk=finding.pk).update(review_state=S.LEADER_SIGN)
    with pytest.raises(ValidationError) as exc:
        finding_transition(
            actor=world.users["group1_leader"],
            finding=finding,
            to_state=S.DRAFT,
            comment="退回",
            expected_state=S.DEPUTY_REVIEW,
        )
    assert "已被他人处理" in str(exc.value)


def test_leaving_the_group_takes_the_review_right_with_it(world):
    finding = world.g1.draft
    Finding.objects.filter(pk=finding.pk).update(review_state=S.LEADER_SIGN)
    leader = world.users["group1_leader"]
    membership_remove(actor=world.users["office"], membership=world.g1.group.memberships.get(inspector__user=leader))
    leader = type(leader).objects.get(pk=leader.pk)
    with pytest.raises(PermissionDenied):
        finding_transition(actor=leader, finding=finding, to_state=S.REPORTED)


def test_lead_permission_without_the_membership_role_is_not_enough(world):
    """The guardian perm and the membership row must agree: a stray perm does not make a leader."""
    from guardian.shortcuts import assign_perm

    member = world.users["group1_member"]
    assign_perm("rounds.lead_group", member, world.g1.group)
    Finding.objects.filter(pk=world.g1.draft.pk).update(review_state=S.DEPUTY_REVIEW)
    with pytest.raises(PermissionDenied):
        finding_transition(actor=type(member).objects.get(pk=member.pk), finding=world.g1.draft, to_state=S.LEADER_SIGN)


def test_each_step_is_in_the_history_with_actor_and_reason(world):
    finding = world.g1.draft
    finding_transition(actor=world.users["group1_member"], finding=finding, to_state=S.DEPUTY_REVIEW, comment="请复核")
    finding_transition(actor=world.users["group1_leader"], finding=finding, to_state=S.LEADER_SIGN, comment="属实")
    finding_transition(actor=world.users["group1_leader"], finding=finding, to_state=S.DRAFT, comment="证据不足")
    latest = history_entries(finding)[0]
    assert latest.who == "赵组长"
    assert latest.reason == "退回修改：证据不足"
    assert ("审核状态", "组长审签", "草稿") in [(c.field, c.old, c.new) for c in latest.changes]
