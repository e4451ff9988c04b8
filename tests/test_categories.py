"""The office keeps the finding category tree in the app: add, rename, reorder, deactivate — a used category is
never deleted — and every change is in the history with who made it."""

import pytest
from django.urls import reverse

from findings.forms import FindingForm
from findings.models import FindingCategory
from rounds.models import Inspection

pytestmark = pytest.mark.django_db


def test_office_adds_a_subcategory_that_drafters_can_choose(world, login):
    parent = FindingCategory.objects.get(code="03")
    client = login(world.users["office"])
    response = client.post(reverse("findings:category_list"), {"name": "违反财经纪律", "parent": parent.pk})
    assert response.status_code == 302
    added = FindingCategory.objects.get(name="违反财经纪律")
    assert added.parent == parent and added.code.startswith("03") and added.is_active
    assert added.history.get().history_user == world.users["office"]
    choices = str(FindingForm(inspections=Inspection.objects.all())["category"])
    assert "违反财经纪律" in choices


def test_rename_and_reorder_change_what_the_pickers_show(world, login):
    first, second = FindingCategory.objects.filter(parent__code="01").order_by("order")[:2]
    client = login(world.users["office"])
    client.post(reverse("findings:category_rename", args=[second.pk]), {"name": "新的名称"})
    client.post(reverse("findings:category_up", args=[second.pk]))
    rendered = str(FindingForm(inspections=Inspection.objects.all())["category"])
    assert rendered.index("新的名称") < rendered.index(first.name)
    second.refresh_from_db()
    assert second.name == "新的名称"
    reasons = set(second.history.values_list("history_change_reason", flat=True))
    assert {"修改问题类别名称", "调整问题类别顺序"} <= reasons


def test_a_used_category_is_deactivated_not_deleted(world, login):
    used = world.category
    client = login(world.users["office"])
    page = client.get(reverse("findings:category_list")).content.decode()
    assert "data-confirm" in page
    client.post(reverse("findings:category_delete", args=[used.pk]))
    assert FindingCategory.objects.filter(pk=used.pk).exists()
    client.post(reverse("findings:category_deactivate", args=[used.pk]))
    used.refresh_from_db()
    world.g1.finding.refresh_from_db()
    assert not used.is_active and world.g1.finding.category == used  # the finding keeps it
    assert used.name not in str(FindingForm(inspections=Inspection.objects.all())["category"])
    client.post(reverse("findings:category_reactivate", args=[used.pk]))
    used.refresh_from_db()
    assert used.is_active


def test_an_unused_category_can_be_deleted(world, login):
    client = login(world.users["office"])
    client.post(reverse("findings:category_list"), {"name": "临时类别"})
    temp = FindingCategory.objects.get(name="临时类别")
    client.post(reverse("findings:category_delete", args=[temp.pk]))
    assert not FindingCategory.objects.filter(pk=temp.pk).exists()
    assert FindingCategory.history.filter(id=temp.pk, history_type="-").get().history_user == world.users["office"]


def test_no_subcategory_under_a_category_findings_were_filed_under(world, login):
    client = login(world.users["office"])
    client.post(reverse("findings:category_list"), {"name": "子类", "parent": world.category.pk})
    assert not FindingCategory.objects.filter(name="子类").exists()


def test_deactivating_a_top_category_takes_its_children_out_of_the_pickers(world, login):
    top = FindingCategory.objects.get(code="02")
    login(world.users["office"]).post(reverse("findings:category_deactivate", args=[top.pk]))
    assert not FindingCategory.objects.filter(parent=top, is_active=True).exists()


@pytest.mark.parametrize("persona", ["leadership", "group1_leader", "nobody"])
def test_no_one_else_changes_the_tree(world, login, persona):
    client = login(world.users[persona])
    client.post(reverse("findings:category_list"), {"name": "越权类别"})
    client.post(reverse("findings:category_rename", args=[world.category.pk]), {"name": "越权改名"})
    client.post(reverse("findings:category_deactivate", args=[world.category.pk]))
    world.category.refresh_from_db()
    assert not FindingCategory.objects.filter(name="越权类别").exists()
    assert world.category.name != "越权改名" and world.category.is_active


@pytest.mark.parametrize("name", ["", "长" * 101])
def test_a_bad_name_is_refused_with_a_message(world, login, name):
    before = world.category.name
    response = login(world.users["office"]).post(
        reverse("findings:category_rename", args=[world.category.pk]), {"name": name}, follow=True
    )
    assert response.status_code == 200 and "类别名称：" in response.content.decode()
    world.category.refresh_from_db()
    assert world.category.name == before


def test_a_name_with_a_nul_byte_is_a_bad_request_and_changes_nothing(world, login):
    before = world.category.name
    response = login(world.users["office"]).post(
        reverse("findings:category_rename", args=[world.category.pk]), {"name": "坏\x00名"}
    )
    assert response.status_code == 400  # xuncha.middleware: no NUL byte reaches a form
    world.category.refresh_from_db()
    assert world.category.name == before
