"""工作台: each role's landing page counts what waits for that person, each count opening the list of exactly those
items, at a query count pinned per persona."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from findings.choices import ReviewState
from findings.models import Clue, Finding
from rectification.choices import TaskStatus
from rectification.models import RectificationTask, UnitDocument
from xuncha.dataversion import VERSION_KEY


@pytest.fixture
def busy(world):
    """Something waiting for everyone: a task due soon and one overdue at 县财政局 (group 1, the liaison's unit),
    one awaiting 销号 (group 2), findings to review and sign, a late clue, a document late and one still owed."""
    today = world.today
    RectificationTask.objects.filter(pk=world.g1.task.pk).update(due_date=today + timedelta(days=5))
    RectificationTask.objects.create(
        finding=world.g1.finding,
        measure="逾期的整改措施",
        responsible_unit=world.units.finance,
        term_type="deadline",
        due_date=today - timedelta(days=3),
    )
    RectificationTask.objects.filter(pk=world.g2.task.pk).update(status=TaskStatus.SUBMITTED)
    Finding.objects.filter(pk=world.g1.draft.pk).update(review_state=ReviewState.DEPUTY_REVIEW)
    Finding.objects.create(
        inspection=world.g1.inspection,
        seq=3,
        category=world.category,
        title="待审签的问题",
        description="情况",
        source="interview",
        review_state=ReviewState.LEADER_SIGN,
        author=world.users["group1_member"],
    )
    Clue.objects.filter(pk=world.g2.clue.pk).update(feedback_due_date=today - timedelta(days=1))
    first = UnitDocument.objects.filter(feedback=world.g1.feedback).order_by("kind").first()
    UnitDocument.objects.filter(pk=first.pk).update(due_date=today - timedelta(days=2))
    cache.delete(VERSION_KEY)  # a fresh data version: nothing cached (a Redis shared with the broker stays)
    return world


def _todos(client):
    return {t.key: t for t in client.get(reverse("home")).context["todos"]}


def _shown(client, url) -> int:
    """How many items the list behind a to-do shows (a document list row is a feedback: count its documents)."""
    response = client.get(url)
    assert response.status_code == 200
    page = response.context["page"]
    if "timeliness=" in url:
        wanted = url.split("timeliness=")[1]
        return sum(1 for feedback in page for doc in feedback.docs if doc.timeliness_value == wanted)
    return page.paginator.count


EXPECTED = {
    "office": {"tasks_submitted": 1, "tasks_overdue": 1, "documents_missing": 1, "clues_overdue": 1},
    "group1_leader": {"findings_deputy": 1, "findings_sign": 1, "clues_draft": 0, "clues_overdue": 0},
    "group1_member": {"findings_draft": 0},
    "group2_member": {"findings_draft": 1},
    "liaison": {"tasks_due_soon": 1, "tasks_overdue": 1, "documents_not_due": 2, "documents_missing": 1},
    "unit_head": {"tasks_due_soon": 1, "tasks_overdue": 1},
    "jiwei": {"clues_transferred": 1, "clues_overdue": 0},
    "zuzhibu": {"tasks_overdue": 0},
    "leadership": {},
    "nobody": {},
}


@pytest.mark.parametrize("persona", EXPECTED)
def test_each_persona_sees_its_counts_and_each_opens_exactly_those_items(busy, login, persona):
    client = login(busy.users[persona])
    todos = _todos(client)
    assert {key: t.count for key, t in todos.items()} == EXPECTED[persona]
    for todo in todos.values():
        assert _shown(client, todo.url) == todo.count, todo.key


def test_group_isolation_holds_in_the_counts(busy, login):
    # Group 2's leader counts none of group 1's findings in review.
    todos = _todos(login(busy.users["group2_leader"]))
    assert todos["findings_deputy"].count == 0 and todos["findings_sign"].count == 0


def test_leadership_sees_headline_figures_and_the_dashboard(busy, login):
    client = login(busy.users["leadership"])
    response = client.get(reverse("home"))
    figures = {h.title: h.value for h in response.context["headlines"]}
    assert figures["整改任务"] == "3" and figures["逾期整改任务"] == "1" and figures["线索逾期未反馈"] == "1"
    assert figures["整改完成率（已销号）"] == "0.0%"
    assert reverse("dashboard:index") in response.content.decode()
    for headline in response.context["headlines"]:
        assert client.get(headline.url).status_code == 200


def test_imports_and_exports_i_started_are_listed(busy, login):
    from xuncha.models import ExportJob

    job = ExportJob.objects.create(user=busy.users["office"], kind="ledger", path="/rectification/tasks/")
    ExportJob.objects.create(user=busy.users["leadership"], kind="ledger", path="/rectification/tasks/")
    jobs = login(busy.users["office"]).get(reverse("home")).context["jobs"]
    assert [j[5] for j in jobs] == [reverse("exports:export_job", args=[job.pk])]


# Queries for the landing page, per persona, nothing cached: the session, the user and their roles (5-6), whether
# the county is set up (office), the to-do counts (one conditional aggregate per table the roles read, through its
# visible_to door), the upper-level requests they own, the jobs they started, the header's unread badge.
QUERIES = {  # with the session query; who the user is, permissions and the badge are one statement
    "office": 10,
    "leadership": 7,
    "group1_leader": 7,
    "group1_member": 6,
    "liaison": 7,
    "unit_head": 6,
    "jiwei": 6,
    "zuzhibu": 7,
}
# Office and leadership count whole tables: their counts are kept per data version, so a second visit skips them.
CACHED = {"office": 6, "leadership": 4}


@pytest.mark.parametrize("persona", QUERIES)
def test_the_landing_page_s_query_count_is_pinned(busy, login, persona):
    client = login(busy.users[persona])
    client.get(reverse("home"))
    cache.delete(VERSION_KEY)  # a new data version: the counts are not cached
    # The session is one of them, unless Redis holds it (cached_db): then one query fewer.
    session = 0 if settings.SESSION_ENGINE == "xuncha.sessions" else 1
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    sqls = "\n".join(q["sql"][:150] for q in queries.captured_queries)
    assert len(queries) + 1 - session == QUERIES[persona], sqls
    if persona in CACHED:
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("home"))
        assert len(queries) + 1 - session == CACHED[persona]


def test_a_write_refreshes_the_office_s_cached_counts(busy, login, django_capture_on_commit_callbacks):
    client = login(busy.users["office"])
    assert _todos(client)["tasks_submitted"].count == 1
    task = RectificationTask.objects.get(pk=busy.g2.task.pk)
    task.status = TaskStatus.IN_PROGRESS  # sent back (退回)
    with django_capture_on_commit_callbacks(execute=True):
        task.save()  # a save through the ORM starts a new data version, once committed
    assert _todos(client)["tasks_submitted"].count == 0
