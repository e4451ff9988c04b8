"""People pickers offer only people who make sense for the field: 经办人 and 责任领导 of a task (and the upper
register's 承办人) are the staff of the chosen unit, shown with unit and post; anyone else posted is a form error."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from accounts.models import Profile
from rectification.forms import TaskForm
from rectification.upper_forms import RequestForm

pytestmark = pytest.mark.django_db


def _task_data(world, unit, **people):
    return {
        "measure": "建立台账",
        "goal": "规范",
        "responsible_unit": unit.pk,
        "term_type": "deadline",
        "due_date": (world.today + timedelta(days=30)).isoformat(),
        **{k: v.pk for k, v in people.items()},
    }


@pytest.fixture
def deputy(world):
    user = User.objects.create_user("deputy", first_name="张三")
    Profile.objects.create(user=user, unit=world.units.finance, post="副局长")
    return user


def test_the_pickers_offer_only_the_units_staff(world, deputy):
    form = TaskForm(initial={"responsible_unit": world.units.finance.pk})
    for name in ("handler", "responsible_leader"):
        offered = set(form.fields[name].queryset)
        assert offered == {deputy, world.users["liaison"], world.users["unit_head"]}
    assert world.users["group2_leader"] not in form.fields["handler"].queryset


def test_a_person_is_shown_with_unit_and_post(world, deputy):
    field = TaskForm(initial={"responsible_unit": world.units.finance.pk}).fields["handler"]
    labels = {field.label_from_instance(u) for u in field.queryset}
    assert labels == {
        "张三 · 县财政局党组 · 副局长",
        "吴联络 · 县财政局党组 · 联络员",
        "陈局长 · 县财政局党组 · 主要负责人",
    }


def test_no_unit_offers_nobody(world, deputy):
    assert not TaskForm().fields["handler"].queryset.exists()


def test_a_posted_outsider_is_a_form_error(world, deputy):
    form = TaskForm(_task_data(world, world.units.finance, handler=world.users["group2_leader"]))
    assert not form.is_valid() and "handler" in form.errors
    form = TaskForm(_task_data(world, world.units.finance, handler=deputy, responsible_leader=world.users["unit_head"]))
    assert form.is_valid(), form.errors


def test_the_rule_follows_the_posted_unit(world, deputy):
    # 张三 works at 县财政局党组: chosen for 县教育局党组's task, the form refuses him.
    form = TaskForm(_task_data(world, world.units.education, handler=deputy))
    assert not form.is_valid() and "handler" in form.errors


def test_an_older_tasks_person_stays_while_the_unit_does(world):
    task = world.g1.task  # its 责任领导 is the office's 王办, named before the rule
    data = _task_data(world, task.responsible_unit, responsible_leader=world.users["office"])
    assert TaskForm(data, instance=task).is_valid()
    data = _task_data(world, world.units.education, responsible_leader=world.users["office"])
    assert "responsible_leader" in TaskForm(data, instance=task).errors


def test_the_lookup_follows_the_unit_it_is_sent(world, login, deputy):
    client = login(world.users["office"])
    url = reverse("rectification:lookup_people")

    def values(**params):
        return {row["value"] for row in client.get(url, params).json()}

    finance = {deputy.pk, world.users["liaison"].pk, world.users["unit_head"].pk}
    assert values(unit=world.units.finance.pk) == finance
    assert values(unit=world.units.education.pk) == set()
    assert values() == set() and values(unit="x") == set()


def test_the_task_page_tells_the_picker_which_field_to_follow(world, login):
    page = login(world.users["office"]).get(reverse("rectification:task_edit", args=[world.g1.task.pk]))
    assert page.content.decode().count('data-lookup-follows="responsible_unit"') == 2


def test_the_upper_requests_owner_is_one_of_the_owning_units_people(world, deputy):
    data = {
        "kind": "documents",
        "title": "报送材料",
        "requested_date": world.today.isoformat(),
        "owner_unit": world.units.finance.pk,
        "due_date": (world.today + timedelta(days=5)).isoformat(),
    }
    assert RequestForm({**data, "owner": deputy.pk}).is_valid()
    assert "owner" in RequestForm({**data, "owner": world.users["group1_leader"].pk}).errors
