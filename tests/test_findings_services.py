"""Drafting and editing findings: 序号 per inspection, rights of the group, drafts only."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from findings.choices import ReviewState, Source
from findings.models import Finding
from findings.services import finding_create, finding_update

pytestmark = pytest.mark.django_db


def _fields(world, title="新问题"):
    return {"category": world.category, "title": title, "description": "描述", "source": Source.VISIT}


def test_seq_continues_per_inspection(world):
    member = world.users["group1_member"]
    first = finding_create(actor=member, inspection=world.g1.inspection, **_fields(world))
    second = finding_create(actor=member, inspection=world.g1.inspection, **_fields(world))
    other = finding_create(actor=world.users["group2_member"], inspection=world.g2.inspection, **_fields(world))
    assert (first.seq, second.seq, other.seq) == (3, 4, 3)  # the world already has 1 and 2 in each
    assert first.number.endswith("-003")
    assert first.review_state == ReviewState.DRAFT and first.author == member


@pytest.mark.django_db(transaction=True)
def test_concurrent_drafts_never_share_a_seq(world):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers itself; the row lock is exercised on PostgreSQL")
    users = [world.users["group1_member"], world.users["group1_leader"]] * 4
    errors, barrier = [], threading.Barrier(len(users))

    def draft(user):
        try:
            barrier.wait()
            finding_create(actor=user, inspection=world.g1.inspection, **_fields(world, f"并发{user.pk}"))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=draft, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    seqs = sorted(Finding.objects.filter(inspection=world.g1.inspection).values_list("seq", flat=True))
    assert seqs == list(range(1, 3 + len(users)))


@pytest.mark.parametrize("persona", ["office", "leadership", "group2_member", "group2_leader", "jiwei", "liaison"])
def test_only_the_groups_members_draft_for_its_inspections(world, persona):
    with pytest.raises(PermissionDenied):
        finding_create(actor=world.users[persona], inspection=world.g1.inspection, **_fields(world))
    assert Finding.objects.filter(inspection=world.g1.inspection).count() == 2


def test_the_group_edits_a_draft(world):
    finding = finding_update(actor=world.users["group1_leader"], finding=world.g1.draft, title="改后的标题")
    assert finding.title == "改后的标题"


@pytest.mark.parametrize("state", [ReviewState.DEPUTY_REVIEW, ReviewState.LEADER_SIGN, ReviewState.REPORTED])
def test_a_finding_under_review_is_not_edited(world, state):
    Finding.objects.filter(pk=world.g1.draft.pk).update(review_state=state)
    with pytest.raises(ValidationError) as exc:
        finding_update(actor=world.users["group1_member"], finding=world.g1.draft, title="偷改")
    assert "只有草稿" in str(exc.value)
    assert Finding.objects.get(pk=world.g1.draft.pk).title != "偷改"


def test_another_group_cannot_edit(world):
    with pytest.raises(PermissionDenied):
        finding_update(actor=world.users["group2_leader"], finding=world.g1.draft, title="偷改")
