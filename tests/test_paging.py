"""Lists of millions of rows: a far page holds the right rows, and an overseer's row count waits for a change."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rectification.choices import TermType
from rectification.models import Notification, RectificationTask
from rectification.selectors import task_list

pytestmark = pytest.mark.django_db


def _task(world, i, **extra):
    return RectificationTask(
        finding=world.g1.finding,
        measure=f"分页措施{i:03d}",
        responsible_unit=world.units.finance,
        term_type=TermType.DEADLINE,
        due_date=world.today,  # one due date for all: the order then rests on the id alone
        **extra,
    )


def test_a_far_page_holds_the_rows_that_slicing_the_list_gives(world, login):
    for i in range(120):
        _task(world, i).save()
    office = world.users["office"]
    client = login(office)
    expected = list(task_list(user=office).values_list("pk", flat=True))
    for number, rows in ((2, expected[50:100]), (3, expected[100:])):
        page = client.get(reverse("rectification:task_list"), {"page": number}).context["page"]
        assert [task.pk for task in page] == rows
        assert page[0].responsible_unit.name == world.units.finance.name  # the rows come with their joins


def test_a_short_last_page_is_still_asked_for_as_a_full_page(world, login):
    """The page's LIMIT is the page size, never cut to the rows left: a small LIMIT makes PostgreSQL walk
    the ordering's index for rows it expects early (units not covered: 29 ms for 4 rows, 4 ms so)."""
    client = login(world.users["office"])
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("rectification:task_list")).context["page"]
    assert 0 < len(page) < 50
    rows = [q["sql"] for q in queries if 'FROM "rectification_rectificationtask"' in q["sql"] and "LIMIT" in q["sql"]]
    assert rows and all(sql.endswith("LIMIT 50") for sql in rows), rows


def test_an_overseers_count_is_kept_until_a_write_commits(world, login, django_capture_on_commit_callbacks):
    client = login(world.users["office"])
    url = reverse("rectification:task_list")
    before = client.get(url).context["page"].paginator.count
    RectificationTask.objects.bulk_create(
        [_task(world, 1, round=world.g1.finding.inspection.round)]
    )  # no post_save: nothing says so
    assert client.get(url).context["page"].paginator.count == before
    with django_capture_on_commit_callbacks(execute=True):
        _task(world, 2).save()
    assert client.get(url).context["page"].paginator.count == before + 2


def test_a_group_user_s_cached_count_follows_each_committed_write(world, login, django_capture_on_commit_callbacks):
    # Every reader's list count is cached per scope and data version (xuncha/paging.py); a committed save bumps it.
    client = login(world.users["group1_leader"])
    url = reverse("rectification:task_list")
    before = client.get(url).context["page"].paginator.count
    with django_capture_on_commit_callbacks(execute=True):
        _task(world, 1).save()
    assert client.get(url).context["page"].paginator.count == before + 1


def test_the_pager_keeps_the_list_s_filters_and_changes_only_the_page(world, login):
    for i in range(120):
        _task(world, i).save()
    client = login(world.users["office"])
    page = client.get(reverse("rectification:task_list"), {"q": "分页措施", "page": 2}).content.decode()
    assert "第 2 / 3 页" in page
    for number in (1, 3):
        assert f'href="?q=%E5%88%86%E9%A1%B5%E6%8E%AA%E6%96%BD&amp;page={number}"' in page


def test_the_inbox_s_unread_filter_survives_paging(world, login):
    user = world.users["liaison"]
    Notification.objects.bulk_create([Notification(recipient=user, title=f"提醒{i}") for i in range(60)])
    page = login(user).get(reverse("rectification:inbox"), {"unread": "1"}).content.decode()
    assert 'href="?unread=1&amp;page=2"' in page


@pytest.mark.parametrize(("per", "rows"), [("20", 20), ("100", 100), ("50", 50), ("7", 50), ("many", 50), ("", 50)])
def test_a_reader_chooses_20_50_or_100_rows_a_page_and_nothing_else(world, login, per, rows):
    for i in range(120):
        _task(world, i).save()
    client = login(world.users["office"])
    page = client.get(reverse("rectification:task_list"), {"q": "分页措施", "per": per}).context["page"]
    assert len(page) == rows and page.paginator.count == 120


def test_the_page_size_links_keep_the_filters_and_start_again_at_page_one(world, login):
    for i in range(60):
        _task(world, i).save()
    client = login(world.users["office"])
    page = client.get(reverse("rectification:task_list"), {"q": "分页措施", "page": 2}).content.decode()
    q = "q=%E5%88%86%E9%A1%B5%E6%8E%AA%E6%96%BD"
    assert f'href="?{q}&amp;per=20"' in page and f'href="?{q}&amp;per=100"' in page
    assert '<strong aria-current="true">50</strong>' in page
    assert (
        f'href="?{q}&amp;per=20&amp;page=3"'
        in client.get(reverse("rectification:task_list"), {"q": "分页措施", "per": 20, "page": 2}).content.decode()
    )


FILTERED_LISTS = [
    "rectification:task_list",
    "rectification:reminder_list",
    "findings:finding_list",
    "findings:clue_list",
    "rounds:unit_list",
    "rounds:round_list",
    "dashboard:tasks",
    "exports:export_log",
]


def _filter_form(client, url, params) -> str:
    page = client.get(reverse(url), params).content.decode()
    form = page[page.index('<form method="get"') :]
    return form[: form.index("</form>")]


@pytest.mark.parametrize("url", FILTERED_LISTS)
def test_a_new_filter_keeps_the_page_size_the_reader_chose(world, login, url):
    client = login(world.users["office"])
    assert '<input type="hidden" name="per" value="100">' in _filter_form(client, url, {"per": "100"})
    assert 'name="per"' not in client.get(reverse(url)).content.decode()


@pytest.mark.parametrize("url", FILTERED_LISTS)
@pytest.mark.parametrize("asked", ["999", "many"])
def test_a_new_filter_drops_a_page_size_the_pager_refuses(world, login, url, asked):
    client = login(world.users["office"])
    assert 'name="per"' not in _filter_form(client, url, {"per": asked})


@pytest.mark.parametrize("asked", ["0", "-1"])
def test_a_page_before_the_first_is_the_first(world, login, asked):
    for i in range(60):
        _task(world, i).save()
    page = login(world.users["office"]).get(reverse("rectification:task_list"), {"q": "分页措施", "page": asked})
    assert page.context["page"].number == 1
