import re
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from rounds.models import Milestone, PlanUnit
from xuncha.history import history_entries, stamp

pytestmark = pytest.mark.django_db


def test_history_shows_who_changed_which_field_from_what_to_what(world):
    inspection = world.g1.inspection
    stamp(inspection, actor=world.users["office"], reason="更新工作量")
    inspection.interviews = 42
    inspection.save()
    latest = history_entries(inspection)[0]
    assert latest.who == "王办"
    assert latest.kind == "修改"
    assert latest.reason == "更新工作量"
    assert [(c.field, c.old, c.new) for c in latest.changes] == [("个别谈话人次", "0", "42")]


def test_history_shows_choice_labels_and_related_names(world):
    task = world.g1.task
    stamp(task, actor=world.users["office"])
    task.responsible_unit = world.units.education
    task.save()
    change = history_entries(task)[0].changes[0]
    assert (change.field, change.old, change.new) == ("责任部门", "县财政局党组", "县教育局党组")


def test_a_changed_time_reads_in_local_time_to_the_minute(world):
    inspection = world.g1.inspection
    stamp(inspection, actor=world.users["office"])
    inspection.stage_changed_at = datetime(2026, 3, 1, 1, 30, 15, 123456, tzinfo=UTC)
    inspection.save()
    [change] = history_entries(inspection)[0].changes
    assert change.new == "2026-03-01 09:30"  # Asia/Shanghai, no seconds, no microseconds


def test_the_plan_history_shows_scope_and_milestone_changes(world, login):
    plan, office = world.plan, world.users["office"]
    entry = plan.scope.get(unit=world.units.township)
    stamp(entry, actor=office, reason="调整计划年度")
    entry.planned_year += 1
    entry.save()
    milestone = plan.milestones.get()
    stamp(milestone, actor=office)
    milestone.delete()
    scope = PlanUnit(plan=plan, unit=world.units.outside, planned_year=world.today.year)
    stamp(scope, actor=office, reason="纳入规划范围")
    scope.save()
    reasons = [
        e.reason
        for e in history_entries(
            plan,
            related=[
                ("规划范围", PlanUnit.history.filter(plan_id=plan.pk)),
                ("年度目标", Milestone.history.filter(plan_id=plan.pk)),
            ],
        )
    ]
    assert any(r.startswith("规划范围：县城投集团党委") and r.endswith("纳入规划范围") for r in reasons)
    assert any(r.startswith("年度目标：") for r in reasons)
    page = login(office).get(reverse("rounds:plan_detail", args=[plan.pk])).content.decode()
    assert "规划范围：城关镇党委" in page and "计划年度" in page
    assert "年度目标：" in page and "删除" in page


def test_the_inspection_history_shows_its_feedback(world, login):
    feedback = world.g1.feedback
    stamp(feedback, actor=world.users["office"], reason="调整整改报告期限")
    feedback.report_due += timedelta(days=10)
    feedback.save()
    page = login(world.users["office"]).get(reverse("rounds:inspection_detail", args=[world.g1.inspection.pk]))
    html = page.content.decode()
    assert "巡察反馈：" in html and "调整整改报告期限" in html and "整改报告报送期限" in html


def test_history_pages_show_times_in_local_time_to_the_minute(world, login):
    html = login(world.users["office"]).get(reverse("rounds:plan_detail", args=[world.plan.pk])).content.decode()
    assert not re.search(r"\d{2}:\d{2}:\d{2}\.\d+", html) and "+00:00" not in html
