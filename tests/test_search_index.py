"""Search reads the bigram index on PostgreSQL and finds exactly what `icontains` finds, on every database."""

import pytest
from django.db import connection

from rectification.models import RectificationTask
from rectification.selectors import task_list, task_search
from xuncha.search import bigram_query, contains

WORDS = ["台", "台账", "整改台账", "ab", "AB", "B", "o'c", "a\\b", "50%", "_", "不存在的词"]


def test_a_query_asks_for_its_grams():
    assert bigram_query("台账") == "'台账'"
    assert bigram_query("整改台账") == "'整改' & '改台' & '台账'"
    assert bigram_query("台") == "'台':*"
    assert bigram_query("o'C") == "'o''' & '''c'"
    assert bigram_query("a\\b") == "'a\\\\' & '\\\\b'"


@pytest.mark.parametrize("word", WORDS)
def test_the_index_condition_finds_what_icontains_finds(world, word):
    task = world.g1.task
    for i, measure in enumerate(["整改台账要求", "台", "xAbY", "o'clock", "a\\b", "完成50%", "x_y", "账台"]):
        RectificationTask.objects.filter(pk=task.pk).update(measure=measure)
        expected = set(RectificationTask.objects.filter(measure__icontains=word).values_list("pk", flat=True))
        found = set(RectificationTask.objects.filter(contains("measure", word)).values_list("pk", flat=True))
        assert found == expected, (i, measure, word)


def test_the_ledger_search_is_a_union_of_indexed_arms(world):
    leadership = world.users["leadership"]
    sql = str(task_search(task_list(user=leadership), "整改").query)
    assert "UNION" in sql
    if connection.vendor == "postgresql":
        assert "xuncha_bigrams" in sql
    assert world.g1.task in task_search(task_list(user=leadership), "整改措施")
    assert world.g1.task in task_search(task_list(user=leadership), world.g1.task.responsible_unit.name)
    assert world.g1.task in task_search(task_list(user=leadership), world.g1.finding.number)
    assert world.g1.task not in task_search(task_list(user=world.users["group2_leader"]), "整改措施")
