"""Clues: recorded and transferred by the group's leader, answered by the receiving body's liaison."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from findings.choices import ClueStatus, Disposition, Outcome, ReceivingBody
from findings.models import Clue, default_clue_feedback_due
from findings.services import clue_create, clue_record_disposition, clue_transfer, clue_update
from tests.findings_support import add_deputy

pytestmark = pytest.mark.django_db

PEOPLE = [{"name": "李某", "post": "副局长", "rank": "副科级"}]


def _new_clue(world, actor=None, **kwargs):
    fields = {"summary": "某副局长插手工程", "receiving_body": ReceivingBody.DISCIPLINE, "finding": None}
    fields.update(kwargs)
    return clue_create(
        actor=actor or world.users["group1_leader"], inspection=world.g1.inspection, people=PEOPLE, **fields
    )


def test_leader_records_a_clue_with_the_people_involved(world):
    clue = _new_clue(world, finding=world.g1.finding)
    assert clue.status == ClueStatus.DRAFT
    assert list(clue.people.values_list("name", "post", "rank")) == [("李某", "副局长", "副科级")]
    assert clue.history.first().history_user == world.users["group1_leader"]


def test_a_deputy_may_record_clues_too(world):
    assert _new_clue(world, actor=add_deputy(world)).pk


@pytest.mark.parametrize("persona", ["group1_member", "group2_leader", "office", "leadership", "jiwei"])
def test_others_cannot_record_a_clue_for_group1(world, persona):
    with pytest.raises(PermissionDenied):
        _new_clue(world, actor=world.users[persona])


def test_a_clue_needs_someone_involved(world):
    with pytest.raises(ValidationError):
        clue_create(
            actor=world.users["group1_leader"],
            inspection=world.g1.inspection,
            people=[],
            summary="x",
            receiving_body=ReceivingBody.DISCIPLINE,
        )
    assert Clue.objects.count() == 2


def test_the_related_finding_must_be_of_the_same_inspection(world):
    with pytest.raises(ValidationError) as exc:
        _new_clue(world, finding=world.g2.finding)
    assert "同一巡察任务" in str(exc.value)


def test_other_body_needs_its_name(world):
    with pytest.raises(ValidationError):
        _new_clue(world, receiving_body=ReceivingBody.OTHER, receiving_body_other="")
    clue = _new_clue(world, receiving_body=ReceivingBody.OTHER, receiving_body_other="县审计局")
    assert clue.receiving_body_label == "县审计局"


def test_people_are_added_changed_and_removed_on_edit(world):
    clue = _new_clue(world)
    person = clue.people.get()
    clue_update(
        actor=world.users["group1_leader"],
        clue=clue,
        summary="改后摘要",
        receiving_body=ReceivingBody.DISCIPLINE,
        people=[{"id": person, "name": "李某某", "post": "局长", "rank": "", "DELETE": False}, {"name": "王某"}],
    )
    assert sorted(clue.people.values_list("name", flat=True)) == ["李某某", "王某"]
    assert Clue.objects.get(pk=clue.pk).summary == "改后摘要"


def test_transfer_defaults_the_feedback_due_date_to_three_months(world):
    clue = _new_clue(world)
    day = world.today - timedelta(days=3)
    clue = clue_transfer(
        actor=world.users["group1_leader"],
        clue=clue,
        receiving_body=ReceivingBody.DISCIPLINE,
        letter_number="县巡〔2025〕5号",
        transfer_date=day,
    )
    assert clue.status == ClueStatus.TRANSFERRED
    assert clue.feedback_due_date == day + timedelta(days=90) == default_clue_feedback_due(day)
    assert not clue.is_overdue


def test_the_default_follows_the_setting(world, settings):
    settings.XUNCHA_CLUE_FEEDBACK_DAYS = 30
    clue = clue_transfer(
        actor=world.users["group1_leader"],
        clue=_new_clue(world),
        receiving_body=ReceivingBody.DISCIPLINE,
        letter_number="函1",
        transfer_date=world.today,
    )
    assert clue.feedback_due_date == world.today + timedelta(days=30)


def test_a_clue_is_transferred_once_and_then_frozen(world):
    leader = world.users["group1_leader"]
    with pytest.raises(ValidationError):
        clue_transfer(
            actor=leader, clue=world.g1.clue, receiving_body="discipline", letter_number="x", transfer_date=world.today
        )
    with pytest.raises(ValidationError):
        clue_update(actor=leader, clue=world.g1.clue, summary="改", receiving_body="discipline", people=PEOPLE)


def test_transfer_needs_a_letter_number_and_no_future_date(world):
    clue = _new_clue(world)
    leader = world.users["group1_leader"]
    with pytest.raises(ValidationError):
        clue_transfer(
            actor=leader, clue=clue, receiving_body="discipline", letter_number=" ", transfer_date=world.today
        )
    with pytest.raises(ValidationError):
        clue_transfer(
            actor=leader,
            clue=clue,
            receiving_body="discipline",
            letter_number="函",
            transfer_date=world.today + timedelta(days=1),
        )
    assert Clue.objects.get(pk=clue.pk).status == ClueStatus.DRAFT


def test_a_member_cannot_transfer(world):
    with pytest.raises(PermissionDenied):
        clue_transfer(
            actor=world.users["group1_member"],
            clue=_new_clue(world),
            receiving_body="discipline",
            letter_number="函",
            transfer_date=world.today,
        )


def test_late_and_unanswered_is_flagged_until_answered(world, login):
    clue = world.g1.clue
    Clue.objects.filter(pk=clue.pk).update(
        transfer_date=world.today - timedelta(days=100), feedback_due_date=world.today - timedelta(days=10)
    )
    clue.refresh_from_db()
    assert clue.is_overdue
    assert list(Clue.objects.overdue(world.today)) == [clue]
    page = login(world.users["group1_leader"]).get(reverse("findings:clue_detail", args=[clue.pk])).content.decode()
    assert "逾期未反馈" in page
    listing = login(world.users["office"]).get(reverse("findings:clue_list") + "?overdue=on").content.decode()
    assert (
        "逾期未反馈" in listing and world.g1.clue.summary[:20] in listing and world.g2.clue.summary[:20] not in listing
    )
    clue = clue_record_disposition(
        actor=world.users["jiwei"],
        clue=clue,
        disposition=Disposition.VERIFY,
        outcome=Outcome.CASE,
        answered_date=world.today,
    )
    assert not clue.is_overdue and not Clue.objects.overdue(world.today).exists()


def test_due_today_is_not_yet_late(world):
    Clue.objects.filter(pk=world.g1.clue.pk).update(feedback_due_date=world.today)
    world.g1.clue.refresh_from_db()
    assert not world.g1.clue.is_overdue


def test_jiwei_records_disposition_then_the_answer(world):
    jiwei = world.users["jiwei"]
    clue = clue_record_disposition(actor=jiwei, clue=world.g1.clue, disposition=Disposition.TALK)
    assert (clue.status, clue.disposition) == (ClueStatus.TRANSFERRED, Disposition.TALK)
    clue = clue_record_disposition(
        actor=jiwei,
        clue=clue,
        disposition=Disposition.TALK,
        outcome=Outcome.CRITICISM,
        outcome_detail="谈话提醒",
        answered_date=world.today,
    )
    assert (clue.status, clue.outcome, clue.answered_date) == (ClueStatus.ANSWERED, Outcome.CRITICISM, world.today)
    assert clue.history.first().history_user == jiwei
    with pytest.raises(ValidationError):  # an answer is not taken back
        clue_record_disposition(actor=jiwei, clue=clue, disposition=Disposition.TALK)


def test_an_answer_needs_an_outcome_and_a_sensible_date(world):
    jiwei = world.users["jiwei"]
    with pytest.raises(ValidationError):
        clue_record_disposition(actor=jiwei, clue=world.g1.clue, disposition="verify", answered_date=world.today)
    with pytest.raises(ValidationError):
        clue_record_disposition(
            actor=jiwei,
            clue=world.g1.clue,
            disposition="verify",
            outcome="case",
            answered_date=world.g1.clue.transfer_date - timedelta(days=1),
        )
    assert Clue.objects.get(pk=world.g1.clue.pk).status == ClueStatus.TRANSFERRED


@pytest.mark.parametrize("persona", ["group1_leader", "office", "leadership", "group1_member"])
def test_only_the_receiving_bodys_liaison_records_disposition(world, persona):
    with pytest.raises(PermissionDenied):
        clue_record_disposition(actor=world.users[persona], clue=world.g1.clue, disposition="verify")


def test_jiwei_cannot_touch_a_clue_sent_elsewhere_or_not_yet_sent(world):
    with pytest.raises(PermissionDenied):
        clue_record_disposition(actor=world.users["jiwei"], clue=world.g2.clue, disposition="verify")
    with pytest.raises(PermissionDenied):
        clue_record_disposition(actor=world.users["jiwei"], clue=_new_clue(world), disposition="verify")
