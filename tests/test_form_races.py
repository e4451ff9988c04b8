"""Two submissions at the same instant, on PostgreSQL (SQLite serialises writers itself): a double click on a create
form makes one row, and two editors saving one draft at once do not both win."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from findings.choices import Source
from findings.models import Finding
from tests.edit_forms import rendered_form

pytestmark = pytest.mark.django_db(transaction=True)


def _at_once(posts):
    """Run the posts in threads released together; their responses in order."""
    barrier, responses = threading.Barrier(len(posts)), [None] * len(posts)

    def run(i, post):
        try:
            barrier.wait()
            responses[i] = post()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, p)) for i, p in enumerate(posts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return responses


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("the race is between database transactions; SQLite runs one writer at a time")


def test_a_double_click_on_a_create_form_makes_one_finding(world, postgres_only):
    member = world.users["group1_member"]
    url = reverse("findings:finding_create")
    first, second = _client(member), _client(member)
    data = rendered_form(first.get(url).content.decode(), "")
    data.update(
        inspection=world.g1.inspection.pk,
        category=world.category.pk,
        title="同时提交两次",
        description="双击",
        source=Source.INTERVIEW,
    )

    responses = _at_once([lambda: first.post(url, data), lambda: second.post(url, data)])

    assert [r.status_code for r in responses] == [302, 302]
    assert responses[0]["Location"] == responses[1]["Location"]
    assert Finding.objects.filter(title="同时提交两次").count() == 1


def test_two_editors_saving_one_draft_at_once_do_not_both_win(world, postgres_only):
    member, leader = world.users["group1_member"], world.users["group1_leader"]
    url = reverse("findings:finding_edit", args=[world.g1.draft.pk])
    tabs = [_client(member), _client(leader)]
    forms = [rendered_form(tab.get(url).content.decode(), "") for tab in tabs]

    responses = _at_once(
        [
            lambda: tabs[0].post(url, {**forms[0], "title": "组员的标题"}),
            lambda: tabs[1].post(url, {**forms[1], "title": "组长的标题"}),
        ]
    )

    codes = sorted(r.status_code for r in responses)
    assert codes == [200, 302]
    loser = next(r for r in responses if r.status_code == 200)
    assert "保存前，他人已修改了这条记录" in loser.content.decode()
    winner_title = "组员的标题" if responses[0].status_code == 302 else "组长的标题"
    assert Finding.objects.get(pk=world.g1.draft.pk).title == winner_title
