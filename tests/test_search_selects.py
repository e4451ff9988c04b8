"""Pages with searchable selects: the HTML holds only the chosen option however many rows there are, a chosen filter
still shows and still filters, and a choice outside the user's set is refused with the field's error — its label
never shown — while the rest of what was entered is kept."""

import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from accounts.models import Profile
from rectification.filtersets import TaskFilterSet
from rectification.models import RectificationTask
from rounds.choices import InspectionKind, UnitKind
from rounds.models import Inspection, Inspector, PartyUnit

pytestmark = pytest.mark.django_db
MANY = 60


def options(response, name) -> list[str]:
    """The <option> tags of the select named `name`."""
    html = response.content.decode()
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no select {name}"
    return re.findall(r"<option[^>]*>[^<]*</option>", select.group(1))


def many_units(kind=UnitKind.DEPARTMENT):
    return PartyUnit.objects.bulk_create(PartyUnit(name=f"批量{kind}{i:03d}", kind=kind) for i in range(MANY))


# --- The HTML no longer grows with the data ------------------------------------------------------


def test_the_ledger_no_longer_lists_every_unit_or_round(world, login):
    many_units()
    response = login(world.users["office"]).get(reverse("rectification:task_list"))
    assert options(response, "unit") == ['<option value="" selected>全部责任部门</option>']
    assert options(response, "round") == ['<option value="" selected>全部轮次</option>']
    assert "批量" not in response.content.decode()
    assert 'data-lookup-url="/rectification/lookups/ledger-units/"' in response.content.decode()
    assert "tom-select.complete.min.js" in response.content.decode()


def test_the_findings_and_clues_filters_no_longer_list_every_inspection(world, login):
    for unit in many_units():
        Inspection.objects.create(round=world.round, group=world.g1.group, unit=unit, kind=InspectionKind.REGULAR)
    client = login(world.users["office"])
    for url in (reverse("findings:finding_list"), reverse("findings:clue_list")):
        response = client.get(url)
        assert options(response, "inspection") == ['<option value="" selected>---------</option>'], url
        assert "批量" not in response.content.decode()


def test_a_new_finding_lists_only_the_chosen_inspection(world, login):
    Inspection.objects.create(round=world.round, group=world.g1.group, unit=world.units.outside, kind="regular")
    client = login(world.users["group1_member"])
    url = reverse("findings:finding_create")
    assert options(client.get(url), "inspection") == ['<option value="" selected>---------</option>']
    response = client.get(url, {"inspection": world.g1.inspection.pk})  # 起草 from the inspection's page
    label = f"{world.round} · 第一巡察组 · 县财政局党组（常规巡察）"
    assert options(response, "inspection") == [
        '<option value="">---------</option>',
        f'<option value="{world.g1.inspection.pk}" selected>{label}</option>',
    ]


def test_the_rounds_forms_no_longer_list_every_unit_township_or_person(world, login):
    many_units()
    many_units(UnitKind.TOWNSHIP)
    Inspector.objects.bulk_create(Inspector(name=f"批量干部{i:03d}") for i in range(MANY))
    client = login(world.users["office"])
    pages = {
        reverse("rounds:unit_list"): ["parent"],
        reverse("rounds:unit_create"): ["parent"],
        reverse("rounds:inspector_create"): ["home_unit", "user"],
        reverse("rounds:inspector_detail", args=[Inspector.objects.get(user=world.users["group1_leader"]).pk]): [
            "unit"
        ],
        reverse("rounds:plan_detail", args=[world.plan.pk]): ["parent", "units"],
        reverse("rounds:group_detail", args=[world.g1.group.pk]): ["inspector", "unit"],
    }
    for url, names in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        for name in names:
            assert len(options(response, name)) <= 1, (url, name)  # the empty choice at most


# --- A chosen filter still shows and still filters --------------------------------------------------


def test_a_chosen_unit_shows_as_chosen_and_filters_the_ledger(world, login):
    finance = world.units.finance
    response = login(world.users["office"]).get(reverse("rectification:task_list"), {"unit": finance.pk})
    assert options(response, "unit") == [
        '<option value="">全部责任部门</option>',
        f'<option value="{finance.pk}" selected>县财政局党组</option>',
    ]
    body = response.content.decode()
    assert world.g1.task.measure in body and world.g2.task.measure not in body


def test_a_chosen_inspection_shows_as_chosen_and_filters_the_findings(world, login):
    inspection = world.g1.inspection
    response = login(world.users["office"]).get(reverse("findings:finding_list"), {"inspection": inspection.pk})
    chosen = options(response, "inspection")
    assert len(chosen) == 2 and chosen[1].startswith(f'<option value="{inspection.pk}" selected>')
    body = response.content.decode()
    assert world.g1.finding.title in body and world.g2.finding.title not in body


def test_a_chosen_township_shows_as_chosen_on_the_unit_registry(world, login):
    township = world.units.township
    response = login(world.users["office"]).get(reverse("rounds:unit_list"), {"parent": township.pk})
    assert f'<option value="{township.pk}" selected>城关镇党委</option>' in options(response, "parent")
    assert "东风村党支部" in response.content.decode()


# --- Outside the allowed set: a clear error, no leak, nothing else lost ------------------------------------


def test_another_groups_inspection_in_the_filter_is_refused_without_naming_it(world, login):
    client = login(world.users["group1_member"])
    response = client.get(reverse("findings:finding_list"), {"inspection": world.g2.inspection.pk, "q": "三重一大"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "选择一个有效的选项" in body
    assert "县教育局党组" not in body and "第二巡察组" not in body and world.g2.marker not in body
    assert options(response, "inspection") == ['<option value="">---------</option>']
    assert 'value="三重一大"' in body  # what was typed is kept ...
    assert world.g1.finding.title in body and world.g1.draft.title not in body  # ... and still filters


def test_a_unit_outside_the_liaisons_tasks_is_refused_without_naming_it(world, login):
    client = login(world.users["liaison"])
    response = client.get(reverse("rectification:task_list"), {"unit": world.units.education.pk, "q": "议事"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "选择一个有效的选项" in body and "is-invalid" in body
    assert "县教育局党组" not in body and world.g2.marker not in body
    assert 'value="议事"' in body


def test_a_task_for_an_inactive_unit_is_refused_and_what_was_typed_is_kept(world, login):
    world.units.outside.is_active = False
    world.units.outside.save()
    handler = User.objects.create_user("chengtou", first_name="郭经办")
    Profile.objects.create(user=handler, unit=world.units.outside, post="办公室主任")
    client = login(world.users["office"])
    before = RectificationTask.objects.count()
    response = client.post(
        reverse("rectification:task_edit", args=[world.g1.task.pk]),
        {
            "measure": "重新修订议事规则",
            "goal": "规范决策",
            "responsible_unit": world.units.outside.pk,
            "handler": handler.pk,
            "term_type": "deadline",
            "due_date": world.today.isoformat(),
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "选择一个有效的选项" in body
    assert "重新修订议事规则" in body  # kept
    assert f'<option value="{handler.pk}" selected>郭经办 · 县城投集团党委 · 办公室主任</option>' in body
    assert RectificationTask.objects.count() == before
    assert RectificationTask.objects.get(pk=world.g1.task.pk).responsible_unit == world.units.finance


def test_a_member_outside_the_group_form_is_refused(world, login):
    member = Inspector.objects.get(user=world.users["group1_member"])  # already in group 1
    response = login(world.users["office"]).post(
        reverse("rounds:membership_add", args=[world.g1.group.pk]), {"inspector": member.pk, "role": "member"}
    )
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()


# --- The widget itself ------------------------------------------------------------------------------------


def test_the_widget_reads_only_the_chosen_row(world, django_assert_num_queries):
    many_units()
    form = TaskFilterSet({"unit": str(world.units.finance.pk)}, user=world.users["office"]).form
    assert form.is_valid()
    with django_assert_num_queries(1):
        html = str(form["unit"])
    assert html.count("<option") == 2 and "县财政局党组" in html
    assert 'data-clearable="true"' in html and "data-msg-no-results" in html


@pytest.mark.parametrize("value", ["abc", "", "999999", "1.5"])
def test_the_widget_shows_nothing_chosen_for_a_value_that_is_no_row(world, value, django_assert_max_num_queries):
    form = TaskFilterSet({"unit": value}, user=world.users["office"]).form
    form.is_valid()
    with django_assert_max_num_queries(1):
        html = str(form["unit"])
    assert html.count("<option") == 1
