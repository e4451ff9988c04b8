"""The inspection page is the hub: every part of the inspection's work, as the reader may see it, linking on."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from findings.choices import ClueStatus, ReceivingBody, ReviewState, Source
from findings.models import Clue, Finding
from rectification.choices import TaskStatus, TermType
from rectification.models import RectificationTask
from rounds.choices import Stage
from rounds.models import Inspection
from rounds.services import inspection_advance


def _page(client, user, inspection):
    client.force_login(user)
    response = client.get(reverse("rounds:inspection_detail", args=[inspection.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _section(html, name):
    """The HTML of one section of the page (<section id=name> … </section>), or '' when it is absent."""
    match = re.search(rf'<section[^>]*id="{name}".*?</section>', html, re.S)
    return match[0] if match else ""


def test_each_section_links_to_its_objects(world, client):
    g1 = world.g1
    html = _page(client, world.users["office"], g1.inspection)
    findings = _section(html, "findings")
    assert reverse("findings:finding_detail", args=[g1.finding.pk]) in findings
    assert reverse("findings:finding_detail", args=[g1.draft.pk]) in findings
    assert reverse("exports:finding_sheet", args=[g1.finding.pk]) in findings
    assert "已报告" in findings and "草稿" in findings  # review states
    assert reverse("findings:clue_detail", args=[g1.clue.pk]) in _section(html, "clues")
    feedback = _section(html, "feedback")
    assert reverse("exports:feedback_letter", args=[g1.inspection.pk]) in feedback
    notice = reverse("exports:rectification_notice", args=[g1.inspection.unit_id])
    assert f"{notice}?round={g1.inspection.round_id}" in feedback
    tasks = _section(html, "tasks")
    assert reverse("rectification:task_detail", args=[g1.task.pk]) in tasks
    assert "已销号 0 / 1" in tasks
    documents = _section(html, "documents")
    assert reverse("exports:feedback_letter", args=[g1.inspection.pk]) in documents and notice in documents
    assert 'id="history"' in html
    assert "乙组机密" not in html


def test_links_on_the_hub_open_for_the_reader(world, client):
    """Every link the hub gives a group leader opens (no link to a page they would get 404 on)."""
    html = _page(client, world.users["group1_leader"], world.g1.inspection)
    links = set(re.findall(r'href="(/[^"#]+)"', html))
    wanted = [
        p for p in links if any(k in p for k in ("/findings/", "/clues/", "/rectification/tasks/", "/ledgers/word/"))
    ]
    assert len(wanted) >= 6
    for link in wanted:
        assert client.get(link.replace("&amp;", "&")).status_code == 200, link


def test_members_never_see_clues(world, client):
    html = _page(client, world.users["group1_member"], world.g1.inspection)
    assert _section(html, "clues") == ""
    assert world.g1.clue.summary not in html
    assert reverse("findings:clue_detail", args=[world.g1.clue.pk]) not in html
    # …but their group's findings and tasks, yes.
    assert reverse("findings:finding_detail", args=[world.g1.finding.pk]) in html
    assert reverse("rectification:task_detail", args=[world.g1.task.pk]) in html


def test_the_leader_and_overseers_see_the_clues(world, client):
    for persona in ("group1_leader", "leadership"):
        html = _page(client, world.users[persona], world.g1.inspection)
        assert reverse("findings:clue_detail", args=[world.g1.clue.pk]) in _section(html, "clues"), persona


def test_other_groups_and_liaisons_get_404(world, client):
    for persona in ("group2_leader", "group2_member", "liaison", "jiwei", "nobody"):
        client.force_login(world.users[persona])
        assert client.get(reverse("rounds:inspection_detail", args=[world.g1.inspection.pk])).status_code == 404


def test_counts_only_what_the_reader_may_see(world, client):
    """A clue the group leader may not see (another group's) is neither listed nor counted."""
    html = _page(client, world.users["group1_leader"], world.g1.inspection)
    assert re.search(r'href="#clues">[^<]*<span class="badge[^"]*">1</span>', html)
    html = _page(client, world.users["group1_member"], world.g1.inspection)
    assert 'href="#clues"' not in html


def test_timeline_shows_each_move_with_its_date_and_who(world, client):
    inspection = Inspection.objects.create(
        round=world.round, group=world.g1.group, unit=world.units.township, kind="regular"
    )
    inspection_advance(actor=world.users["office"], inspection=inspection, to_stage=Stage.STATIONED)
    inspection_advance(actor=world.users["group1_leader"], inspection=inspection, to_stage=Stage.UNDERSTANDING)
    html = _page(client, world.users["leadership"], inspection)
    timeline = re.search(r'<ol[^>]*id="timeline".*?</ol>', html, re.S)[0]
    stationed = re.search(r'data-stage="1".*?</li>', timeline, re.S)[0]
    understanding = re.search(r'data-stage="2".*?</li>', timeline, re.S)[0]
    assert world.today.isoformat() in stationed and "王办" in stationed
    assert "赵组长" in understanding
    reporting = re.search(r'data-stage="3".*?</li>', timeline, re.S)[0]
    assert "<time>" not in reporting  # not reached: no date


def _grow(world, n=3):
    """More of everything on group 1's inspection: findings, tasks, clues and history rows."""
    g1 = world.g1
    for i in range(n):
        finding = Finding.objects.create(
            inspection=g1.inspection,
            seq=10 + i,
            category=world.category,
            title=f"追加问题{i}",
            description="…",
            source=Source.VISIT,
            review_state=ReviewState.REPORTED,
            author=world.users["group1_member"],
            feedback=g1.feedback,
        )
        RectificationTask.objects.create(
            finding=finding,
            measure=f"追加措施{i}",
            responsible_unit=world.units.finance if i % 2 else world.units.township,
            term_type=TermType.DEADLINE,
            due_date=world.today + timedelta(days=i - 1),
            status=TaskStatus.CLOSED if i == 0 else TaskStatus.IN_PROGRESS,
            closed_at=None if i else timezone.now(),
        )
        Clue.objects.create(
            inspection=g1.inspection,
            finding=finding,
            summary=f"追加线索{i}",
            receiving_body=ReceivingBody.DISCIPLINE,
            status=ClueStatus.DRAFT,
            created_by=world.users["group1_leader"],
        )
    inspection_advance(actor=world.users["office"], inspection=g1.inspection, to_stage=Stage.RECTIFICATION)


def _count(client, inspection):
    url = reverse("rounds:inspection_detail", args=[inspection.pk])
    client.get(url)  # warm per-process caches (content types, permissions)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# Queries per page: the same whatever the inspection holds, and within this budget (a per-process permission
# cache warmed by an earlier test can save one).
EXPECTED_QUERIES = {"office": 21, "leadership": 23, "group1_leader": 31, "group1_member": 26}


@pytest.mark.parametrize("persona", list(EXPECTED_QUERIES))
def test_query_count_is_constant_per_persona(world, client, persona):
    client.force_login(world.users[persona])
    before = _count(client, world.g1.inspection)
    _grow(world)
    after = _count(client, world.g1.inspection)
    assert before == after <= EXPECTED_QUERIES[persona]


def test_the_hub_speaks_english(world, client):
    client.force_login(world.users["office"])
    url = reverse("rounds:inspection_detail", args=[world.g1.inspection.pk])
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for words in ("On this page", "Documents", "Feedback opinion", "Rectification notice", "0 / 1 closed"):
        assert words in html, words


def test_a_stage_reached_outside_the_workflow_shows_the_date_the_inspection_records(world, client):
    """Group 1's inspection was entered at 反馈 (as an import would): 进驻, 报告 and 反馈 show its own dates."""
    html = _page(client, world.users["office"], world.g1.inspection)
    timeline = re.search(r'<ol[^>]*id="timeline".*?</ol>', html, re.S)[0]
    for stage, day in [(1, world.g1.inspection.entry_date), (3, world.g1.inspection.onsite_end_date)]:
        assert day.isoformat() in re.search(rf'data-stage="{stage}".*?</li>', timeline, re.S)[0], stage
    feedback = re.search(r'data-stage="4".*?</li>', timeline, re.S)[0]
    assert world.g1.inspection.feedback_date.isoformat() in feedback
