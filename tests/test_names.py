"""Names show in Chinese order everywhere (姓名, "张三" — never Django's "三 张"), through one function."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from rectification.exports import _person
from xuncha.people import account_label, full_name

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "first, last, shown",
    [("三", "张", "张三"), ("张三", "", "张三"), ("", "欧阳", "欧阳"), ("John", "Smith", "John Smith"), ("", "", "zs")],
)
def test_full_name_is_family_name_first_for_chinese_names(first, last, shown):
    assert full_name(User(username="zs", first_name=first, last_name=last)) == shown


def test_a_picker_tells_two_people_of_one_name_apart():
    assert account_label(User(username="zs2", first_name="三", last_name="张")) == "张三（zs2）"
    assert account_label(User(username="zs2")) == "zs2"


def test_pages_and_ledgers_show_the_name_in_chinese_order(world, login):
    member = world.users["group1_member"]
    User.objects.filter(pk=member.pk).update(first_name="组员", last_name="钱")
    member.refresh_from_db()
    page = login(member).get(reverse("findings:finding_list")).content.decode()
    assert "钱组员" in page and "组员 钱" not in page  # the user menu and the author column
    assert _person(member) == "钱组员"
