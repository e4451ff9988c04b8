"""The upper-level journey: the office registers the provincial group's visit and assigns a request, the
reminder sweep tells the owner, who answers; the office confirms."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from rectification import reminders
from rectification.upper_models import UpperRequest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "调阅县财政局2023年度三公经费台账"


def _log_out(page):
    page.click("text=退出")
    page.wait_for_url("**/accounts/login/")


def _choose(page, select, value, label):
    """Set a searchable select's value on the underlying <select> (works with or without its script)."""
    page.evaluate(
        "([s, v, l]) => document.querySelector(s).add(new Option(l, v, true, true))", [select, str(value), label]
    )


def test_request_assigned_reminded_answered_and_confirmed(world, page, log_in):
    # The office registers the visit and assigns a request to the finance bureau's liaison.
    log_in("office")
    page.click("#nav-rounds")  # the office's books and plans sit in one menu
    page.click("nav >> text=配合上级巡视")
    page.click("text=登记上级巡视（巡察）")
    page.select_option("#id_level", "province")
    page.fill("#id_team", "省委第三巡视组")
    page.fill("#id_target", "县委")
    page.fill("#id_start_date", (world.today - timedelta(days=3)).isoformat())
    page.fill("#id_liaison_office", "县委办联络协调组")
    page.click("button:has-text('保存')")
    page.wait_for_url(re.compile(r"/upper/\d+/$"))
    page.click("a:has-text('交办事项')")
    page.select_option("#id_kind", "documents")
    page.fill("#id_title", TITLE)
    page.fill("#id_requested_date", world.today.isoformat())
    _choose(page, "#id_owner_unit", world.units.finance.pk, world.units.finance.name)
    _choose(page, "#id_owner", world.users["liaison"].pk, "吴联络")
    page.fill("#id_due_date", (world.today + timedelta(days=5)).isoformat())
    page.click("button:has-text('保存')")
    page.wait_for_url(re.compile(r"/upper/requests/\d+/$"))
    assert page.inner_text("[data-testid=request-status]") == "待办"
    request_url = page.url
    _log_out(page)

    # The daily sweep reminds the owner (twice run, once told).
    reminders.sweep(world.today)
    reminders.sweep(world.today)

    log_in("liaison")
    assert page.inner_text("[data-unread]") == "1"
    page.click("nav >> text=消息")
    # The day's digest, then its item: the request, under its rung.
    page.locator("li.list-group-item[data-note]").first.locator("button:has-text('查看')").click()
    note = page.locator("li.list-group-item[data-item]", has_text=TITLE[:10])
    assert "到期前10天" in note.inner_text()
    note.locator("a").first.click()
    page.wait_for_url(request_url)
    page.click("button:has-text('开始办理')")
    page.wait_for_selector("[data-testid=request-status]:has-text('办理中')")
    page.fill("textarea[name=reply]", "已提供台账复印件12册，经办人张某。")
    page.click("button:has-text('报送')")
    page.wait_for_selector("[data-testid=request-status]:has-text('已报送')")
    assert page.locator("button:has-text('确认')").count() == 0
    _log_out(page)

    # The office confirms.
    log_in("office")
    page.goto(request_url)
    assert "已提供台账复印件12册" in page.inner_text("[data-testid=request-reply]")
    page.click("button:has-text('确认')")
    page.wait_for_selector("[data-testid=request-status]:has-text('已确认')")
    assert page.locator("[data-testid=request-events] li").count() == 4
    assert UpperRequest.objects.get(title=TITLE).status == "confirmed"

    # Someone else's request answers 404 for the owner of none.
    _log_out(page)
    log_in("jiwei")
    assert page.goto(request_url).status == 404
    assert page.goto(reverse("rectification:upper_visit_list")).status == 404


def test_office_turns_a_rectification_request_into_a_ledger_task(world, page, log_in):
    from tests.upper_support import request_of

    item = request_of(world, kind="rectification", title="县财政局违规发放津贴补贴问题")
    log_in("office")
    page.goto(reverse("rectification:upper_request_detail", args=[item.pk]))
    page.click("[data-testid=request-tasks] >> text=分解整改任务")
    page.wait_for_url(re.compile(r"/upper/requests/\d+/tasks/new/$"))
    page.fill("#id_measure", "清退违规发放的津贴补贴并完善发放制度")
    _choose(page, "#id_responsible_unit", world.units.finance.pk, world.units.finance.name)
    page.fill("#id_due_date", (world.today + timedelta(days=20)).isoformat())
    page.click("button:has-text('保存'):not([name=add_another])")
    page.wait_for_url(re.compile(r"/tasks/\d+/$"))
    assert page.inner_text("[data-testid=task-source]") == "上级巡视巡察"

    # The task page links back to the request, which lists the task with its status.
    page.click("[data-testid=task-request] a")
    page.wait_for_url(re.compile(rf"/upper/requests/{item.pk}/$"))
    row = page.locator("[data-testid=request-tasks] li", has_text="清退违规发放的津贴补贴")
    assert "未开始" in row.inner_text()

    # In the 整改台账, marked by source, and found by the 来源 filter.
    page.goto(reverse("rectification:task_list"))
    line = page.locator("[data-testid=ledger-rows] tr", has_text="清退违规发放的津贴补贴")
    assert "上级巡视巡察" in line.inner_text()
    page.select_option("#id_source", "upper")
    page.click("button:has-text('查询')")
    page.wait_for_url(re.compile(r"source=upper"))
    assert page.locator("[data-testid=ledger-rows] tr").count() == 1
    assert world.g1.task.measure not in page.inner_text("[data-testid=ledger-rows]")
