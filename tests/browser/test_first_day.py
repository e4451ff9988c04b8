"""A county's first real day, in the browser and without Django admin: on an empty database the office account made
by `create_office_user` logs in, follows 初始化向导, imports units and people from .xlsx, gives every role, draws up
the plan and opens the first round with a group."""

import io
import os

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from findings.choices import ReceivingBody
from findings.models import BodyLiaison
from rounds.models import GroupMembership, Inspection, Inspector, PartyUnit, Plan, Round, UnitLiaison
from tests.world import ensure_reference_data
from xuncha.roles import Role, roles_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
OFFICE_PW = "Office-2026-first"
PW = "Xuncha-2026-good"


def workbook(headers, *rows) -> dict:
    wb = openpyxl.Workbook()
    wb.active.append(headers)
    for row in rows:
        wb.active.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return {"name": "导入.xlsx", "mimeType": "application/octet-stream", "buffer": out.getvalue()}


UNITS = workbook(
    ["名称", "类别", "上级乡镇", "在册"],
    ["城关镇党委", "乡镇党委", "", "是"],
    ["东风村党支部", "村(社区)党组织", "城关镇党委", "是"],
    ["县财政局党组", "县直部门单位党组(党委)", "", "是"],
    ["县教育局党组", "县直部门单位党组(党委)", "", "是"],
)
PEOPLE = workbook(
    ["姓名", "工作单位", "职级", "专业特长", "组长库", "回避单位"],
    ["赵刚", "县教育局党组", "一级主任科员", "财务、审计", "是", ""],
    ["钱芳", "城关镇党委", "四级主任科员", "组织", "否", ""],
)


def step(page, title):
    """The wizard's button on the row of `title`."""
    page.goto("/setup/")
    page.click(f"#setup-steps li:has-text('{title}') a")


def import_file(page, title, content):
    step(page, title)
    page.set_input_files("input[name=file]", content)
    page.click("button:has-text('上传并校验')")
    page.wait_for_selector("#import-progress[data-status=done]")


def open_account(page, pick, username, name, unit=None):
    page.click("#nav-settings")
    page.click("nav >> text=账号与权限")
    page.click("text=开通账号")
    page.fill("#id_username", username)
    page.fill("#id_name", name)
    if unit:
        pick("#id_unit", unit)
    page.fill("#id_password", PW)
    page.click("button:has-text('保存')")
    page.wait_for_selector(f"text=已开通账号“{username}”")


def grant(page, pick, role, unit=None, body=None):
    page.select_option("#id_role", label=role)
    if unit:
        pick("#id_unit", unit)
    if body:
        page.select_option("#id_body", label=body)
    page.click("#grant-form button[type=submit]")
    page.wait_for_selector("text=已授予")


def test_a_county_starts_from_an_empty_database_without_admin(page, log_in, pick, monkeypatch):
    ensure_reference_data()  # what the migrations make: role groups and the category tree, nothing else
    assert not PartyUnit.objects.exists() and not User.objects.exists()
    monkeypatch.setenv("XUNCHA_OFFICE_PASSWORD", OFFICE_PW)
    call_command("create_office_user", "--username", "banshi", "--name", "王五", stdout=open(os.devnull, "w"))
    page.on("dialog", lambda dialog: dialog.accept())

    log_in("banshi", OFFICE_PW)
    assert "初始化向导" in page.inner_text("#setup-wizard")
    assert "下一步" in page.inner_text("#setup-steps li:has-text('县名与届次')")

    # 1. County and term.
    page.click("#setup-steps li:has-text('县名与届次') a")
    page.fill("#id_county_name", "清河县")
    page.fill("#id_term_label", "第十五届")
    page.fill("#id_term_start_year", "2026")
    page.fill("#id_term_end_year", "2030")
    page.click("button:has-text('保存')")
    page.wait_for_selector("text=已保存县情设置")
    assert "下一步" in page.inner_text("#setup-steps li:has-text('巡察对象')")

    # 2–3. Units and people from .xlsx.
    import_file(page, "巡察对象", UNITS)
    import_file(page, "巡察人才库", PEOPLE)
    page.goto("/setup/")
    assert "4 个单位" in page.inner_text("#setup-steps") and "2 名干部" in page.inner_text("#setup-steps")

    # 4. Accounts and every role: leadership, a unit liaison, a unit head, a 纪委 liaison.
    open_account(page, pick, "lingdao", "李书记")
    grant(page, pick, "县委/领导小组")
    open_account(page, pick, "lianluo", "孙联络", unit="县财政局党组")
    grant(page, pick, "单位联络员", unit="县财政局党组")
    open_account(page, pick, "juzhang", "周局长", unit="县财政局党组")
    grant(page, pick, "责任单位负责人", unit="县财政局党组")
    open_account(page, pick, "jiwei", "吴纪委")
    grant(page, pick, "纪委监委/组织部对接人", body="县纪委监委")
    # A pool person gets an account in one step from their own page.
    page.click("#nav-rounds")  # the office's books and plans sit in one menu
    page.click("nav >> text=人才库")
    page.click("text=赵刚")
    page.click("text=开通或关联账号")
    page.fill("#id_username", "zhaogang")
    page.fill("#id_password", PW)
    page.click("button:has-text('开通账号')")
    page.wait_for_selector("text=已为赵刚开通账号“zhaogang”")

    # 5. The plan: its form starts from the county's term; scope and a milestone.
    step(page, "五年巡察规划")
    assert page.input_value("#id_name") == "清河县第十五届县委巡察工作规划"
    page.click("button:has-text('保存')")
    page.click("summary:has-text('批量纳入巡察范围')")
    page.select_option("#id_kind", label="县直部门单位党组(党委)")
    page.fill("#id_planned_year", "2026")
    page.click("button:has-text('纳入范围')")
    page.wait_for_selector("td:has-text('县财政局党组')")
    page.fill("#id_year", "2026")
    page.fill("#id_target_rate", "40")
    page.click("button:has-text('设定目标')")
    page.wait_for_load_state()

    # 6. The first round and its group, with a unit and a leader.
    step(page, "首轮巡察与巡察组")
    page.fill("#id_theme", "")
    page.click("button:has-text('保存')")
    page.fill("#id_name", "第一巡察组")
    page.click("button:has-text('组建巡察组')")
    page.wait_for_selector("h1:has-text('第一巡察组')")
    pick("#id_unit", "县财政局党组")
    page.select_option("#assign-form #id_kind", label="常规巡察")
    page.click("#assign-form button[type=submit]")
    page.wait_for_selector("text=已将县财政局党组（常规巡察）分配给第一巡察组")
    pick("#id_inspector", "赵刚")
    page.select_option("#id_role", label="组长")
    page.click("#member-form button[type=submit]")
    page.wait_for_selector("text=赵刚 已加入第一巡察组，任组长")

    # Done: the checklist leaves the landing page.
    page.goto("/")
    assert page.locator("#setup-wizard").count() == 0

    assert Role.LEADERSHIP in roles_of(User.objects.get(username="lingdao"))
    assert UnitLiaison.objects.get(user__username="lianluo").unit.name == "县财政局党组"
    assert PartyUnit.objects.get(name="县财政局党组").head.username == "juzhang"
    assert BodyLiaison.objects.get(user__username="jiwei").body == ReceivingBody.DISCIPLINE
    leader = Inspector.objects.get(name="赵刚")
    assert leader.user.username == "zhaogang"
    assert GroupMembership.objects.get(inspector=leader).group.name == "第一巡察组"
    assert Plan.objects.get().scope.count() == 2 and Round.objects.get().number == 1
    assert Inspection.objects.get().unit.name == "县财政局党组"

    # The liaison's first login: their own password first, then their unit's tasks.
    page.click("button:has-text('退出')")
    log_in("lianluo", PW)
    assert "请先修改为只有您本人知道的密码" in page.content()
    page.fill("#id_old_password", PW)
    page.fill("#id_new_password1", "Lianluo-own-2026")
    page.fill("#id_new_password2", "Lianluo-own-2026")
    page.click("button:has-text('修改密码')")
    page.wait_for_selector("text=本单位整改任务")
