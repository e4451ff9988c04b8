"""The 经办人 picker offers the responsible unit's people, named with unit and post, and follows the unit."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from accounts.models import Profile

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _offered(page, select):
    page.click(f"{select}-ts-control")
    page.wait_for_selector(f"{select}-ts-dropdown .option")  # the unit's people, once they have loaded
    texts = page.locator(f"{select}-ts-dropdown .option").all_inner_texts()
    page.keyboard.press("Escape")
    return texts


def test_the_handler_picker_follows_the_unit(world, page, log_in, pick):
    teacher = User.objects.create_user("teacher", first_name="李老师")
    Profile.objects.create(user=teacher, unit=world.units.education, post="办公室主任")
    log_in("office")
    page.goto(reverse("rectification:task_edit", args=[world.g1.task.pk]))
    offered = _offered(page, "#id_handler")
    assert "吴联络 · 县财政局党组 · 联络员" in offered
    assert not any("组长" in text or "李老师" in text for text in offered)  # no group leader, no other unit
    pick("#id_handler", "吴联络", "吴联络 · 县财政局党组 · 联络员")
    pick("#id_responsible_unit", "教育", "县教育局党组")
    assert page.locator("#id_handler").input_value() == ""  # the 财政局 person is dropped with the unit
    assert _offered(page, "#id_handler") == ["李老师 · 县教育局党组 · 办公室主任"]
