"""The office sets up a round in the browser: two groups, members, units, a stage moved — no admin."""

import pytest

from rounds.choices import Stage
from rounds.models import Inspection, InspectionGroup, Inspector, Round

# No serialized_rollback: world() restores the reference rows a flush removes (and a rollback of serialized
# rows clashes with content types a flush recreated when the browser tests run alone).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def form_group(page, pick, name, unit, members):
    page.fill("#id_name", name)
    page.click("button:has-text('组建巡察组')")
    page.wait_for_selector(f"h1:has-text('{name}')")
    pick("#id_unit", unit)
    page.select_option("#id_kind", label="常规巡察")
    page.click("#assign-form button[type=submit]")
    page.wait_for_selector(f"text=已将{unit}（常规巡察）分配给{name}")
    for person, role in members:
        pick("#id_inspector", person)
        page.select_option("#id_role", label=role)
        page.click("#member-form button[type=submit]")
        page.wait_for_selector(f"text={person} 已加入{name}，任{role}")


def test_office_sets_up_a_round_with_two_groups_and_moves_a_stage(world, page, log_in, pick):
    Inspector.objects.create(name="城关籍干部", home_unit=world.units.township, specialties=["finance"])
    Inspector.objects.create(name="财务骨干", specialties=["finance"])
    page.on("dialog", lambda dialog: dialog.accept())
    log_in("office")

    page.click("#nav-rounds")  # the office's books and plans sit in one menu
    page.click("nav >> text=轮次与巡察组")
    page.click("text=部署巡察轮次")
    assert page.input_value("#id_number") == "2"  # the next number of the current plan
    page.fill("#id_theme", "乡村振兴领域专项巡察")
    page.fill("#id_start_date", f"{world.today.year}-03-01")
    page.fill("#id_end_date", f"{world.today.year}-02-01")
    page.click("button:has-text('保存')")
    assert "结束日期不能早于开始日期" in page.content()
    assert page.input_value("#id_theme") == "乡村振兴领域专项巡察"  # what was typed is kept
    page.fill("#id_end_date", f"{world.today.year}-05-31")
    page.click("button:has-text('保存')")
    page.wait_for_selector("text=乡村振兴领域专项巡察")

    form_group(page, pick, "第一巡察组", "城关镇党委", [("1组组长", "组长")])
    # 回避: a person from 城关镇 is refused with the conflict named, and is not suggested.
    assert "城关籍干部" not in page.inner_text("#suggestions")
    pick("#id_inspector", "城关籍干部")
    page.click("#member-form button[type=submit]")
    page.wait_for_selector("text=城关籍干部 须回避 城关镇党委，不能加入第一巡察组")
    # Suggestions by specialty: one click adds a conflict-free person.
    page.select_option("#id_specialty", label="财务")
    page.click("button:has-text('推荐')")
    page.click("#suggestions li:has-text('财务骨干') >> text=加入为成员")
    page.wait_for_selector("text=财务骨干 已加入第一巡察组，任成员")

    page.click(".breadcrumb >> text=年第2轮巡察")
    form_group(page, pick, "第二巡察组", "县城投集团党委", [("2组组长", "组长"), ("2组成员", "成员")])

    round2 = Round.objects.get(number=2)
    groups = {g.name: {m.inspector.name for m in g.memberships.all()} for g in round2.groups.all()}
    assert groups == {"第一巡察组": {"1组组长", "财务骨干"}, "第二巡察组": {"2组组长", "2组成员"}}

    page.click("#inspections >> text=县城投集团党委")
    page.click("button:has-text('推进到进驻')")
    page.wait_for_selector("text=县城投集团党委 已进入“进驻”阶段")
    assert page.inner_text("#stage") == "进驻"
    assert "阶段：准备 → 进驻" in page.content() and "王办" in page.content()
    inspection = Inspection.objects.get(round=round2, unit=world.units.outside)
    assert inspection.stage == Stage.STATIONED and inspection.entry_date == world.today
    assert InspectionGroup.objects.filter(round=round2).count() == 2
