import pytest

from tests.matrix import PERSONAS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANDING = {
    "office": "巡察办工作人员",
    "leadership": "县委/领导小组",
    "group1_leader": "巡察组组长/副组长",
    "group1_member": "巡察组成员",
    "group2_leader": "巡察组组长/副组长",
    "group2_member": "巡察组成员",
    "liaison": "被巡察单位联络员",
    "jiwei": "纪委监委/组织部对接人",
    "unit_head": "责任单位负责人",
    "zuzhibu": "纪委监委/组织部日常监督",
    "nobody": "尚未分配角色",
}


def test_each_persona_logs_in_and_lands_on_their_page(world, page, log_in):
    for persona in PERSONAS:
        log_in(persona)
        assert page.url.endswith("/"), page.url
        assert LANDING[persona] in page.content(), persona
        page.click("text=退出")
        page.wait_for_url("**/accounts/login/")


def test_wrong_password_says_so_and_keeps_the_username(world, page, log_in):
    log_in("office", password="wrong")
    assert "请输入一个正确的" in page.content() or "正确的用户名和密码" in page.content()
    assert page.input_value("#id_username") == "office"
