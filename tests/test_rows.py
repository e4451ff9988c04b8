"""The list rows' filters (xuncha/templatetags/rows.py) show exactly what the Django built-ins they
replace show."""

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template
from django.urls import set_script_prefix
from django.utils import translation

from rectification.choices import TaskStatus
from rectification.models import RectificationTask


def render(source: str, **context) -> str:
    return Template("{% load rows %}" + source).render(Context(context))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("status", [*TaskStatus.values, "no-such-status"])
def test_label_equals_get_display(status, language):
    task = RectificationTask(status=status)
    with translation.override(language):
        assert render('{{ task|label:"status" }}', task=task) == str(task.get_status_display())


@pytest.mark.parametrize(
    "viewname", ["rectification:task_detail", "findings:clue_detail", "rounds:unit_detail", "rounds:scope_remove"]
)
@pytest.mark.parametrize("prefix", ["/", "/xuncha/"])
def test_pk_url_equals_url_tag(viewname, prefix):
    task = RectificationTask(pk=2070)
    set_script_prefix(prefix)
    try:
        for pk in (1, 2070, 2147483646):
            task.pk = pk
            expected = render("{% url viewname task.pk %}", viewname=viewname, task=task)
            assert render("{{ task|pk_url:viewname }}", viewname=viewname, task=task) == expected
            assert render("{{ pk|pk_url:viewname }}", viewname=viewname, pk=pk) == expected
            assert expected.startswith(prefix) and str(pk) in expected
    finally:
        set_script_prefix("/")


TEXTS = ["", "短", "落实全面从严治党主体责任不到位", "a" * 30, "a" * 31, "整改措施" * 20, "<b>&</b>"]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("length", [0, 1, 3, 4, 10, 30])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_clip_equals_truncatechars(text, length, language):
    with translation.override(language):
        clipped = render("{{ text|clip:n }}", text=text, n=length)
        assert clipped == render("{{ text|truncatechars:n }}", text=text, n=length)


MOMENTS = [
    date(2026, 1, 5),
    datetime(2026, 11, 25, 16, 30, tzinfo=UTC),  # 00:30 the next day in Asia/Shanghai
    datetime(2026, 12, 31, 23, 59, tzinfo=UTC),
    None,
]


@pytest.mark.parametrize("value", MOMENTS)
def test_ymd_equals_date_filter_in_local_time(value):
    assert render("{{ v|ymd }}", v=value) == render('{{ v|date:"Y-m-d" }}', v=value)
    if isinstance(value, datetime):
        assert render("{{ v|ymd_hm }}", v=value) == render('{{ v|date:"Y-m-d H:i" }}', v=value)


def test_a_datetime_is_shown_in_the_county_s_time():
    assert render("{{ v|ymd_hm }}", v=MOMENTS[1]) == "2026-11-26 00:30"
