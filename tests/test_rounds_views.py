"""The rounds pages as a user meets them: messages, typed values kept, filters, fixed query counts, sealed writes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rounds import services
from rounds.choices import InspectionKind, MemberRole, Specialty, Stage, UnitKind
from rounds.models import Avoidance, GroupMembership, Inspection, Inspector, PartyUnit
from xuncha import dataversion

pytestmark = pytest.mark.django_db


def page(response) -> str:
    return response.content.decode()


def rows(response) -> str:
    """The table body only (filter dropdowns list unit names too)."""
    return page(response).split("<tbody>")[1].split("</tbody>")[0]


# --- Validation keeps what was typed -------------------------------------------------------


def test_a_village_without_township_is_refused_and_the_name_is_kept(world, login):
    client = login(world.users["office"])
    response = client.post(reverse("rounds:unit_create"), {"name": "西山村党支部", "kind": UnitKind.VILLAGE})
    assert response.status_code == 200
    assert "村(社区)党组织须选择所属乡镇" in page(response)
    assert 'value="西山村党支部"' in page(response)
    assert not PartyUnit.objects.filter(name="西山村党支部").exists()


def test_adding_a_member_who_must_avoid_names_the_conflict_and_keeps_the_choice(world, login):
    person = Inspector.objects.create(name="财政局干部", home_unit=world.units.finance)
    client = login(world.users["office"])
    response = client.post(
        reverse("rounds:membership_add", args=[world.g1.group.pk]),
        {"inspector": person.pk, "role": MemberRole.DEPUTY},
    )
    assert response.status_code == 200
    assert "财政局干部 须回避 县财政局党组，不能加入第一巡察组" in page(response)
    assert f'<option value="{person.pk}" selected>' in page(response)
    assert '<option value="deputy" selected>' in page(response)
    assert not GroupMembership.objects.filter(inspector=person).exists()


def test_assigning_a_unit_a_member_avoids_shows_who_and_keeps_the_choice(world, login):
    member = Inspector.objects.get(user=world.users["group1_member"])
    Avoidance.objects.create(inspector=member, unit=world.units.township, reason="曾任该镇党委委员")
    client = login(world.users["office"])
    response = client.post(
        reverse("rounds:inspection_assign", args=[world.g1.group.pk]),
        {"unit": world.units.township.pk, "kind": InspectionKind.SPECIAL},
    )
    assert "1组成员 须回避城关镇党委，第一巡察组不能巡察该单位" in page(response)
    assert f'<option value="{world.units.township.pk}" selected>' in page(response)
    assert '<option value="special" selected>' in page(response)
    assert not Inspection.objects.filter(unit=world.units.township).exists()


def test_the_group_page_suggests_conflict_free_people_by_specialty(world, login):
    Inspector.objects.create(name="审计能手", specialties=[Specialty.AUDIT])
    Inspector.objects.create(name="财政回避", specialties=[Specialty.AUDIT], home_unit=world.units.finance)
    client = login(world.users["office"])
    response = client.get(reverse("rounds:group_detail", args=[world.g1.group.pk]), {"specialty": Specialty.AUDIT})
    suggestions = page(response).split('id="suggestions"')[1].split("</ul>")[0]
    assert "审计能手" in suggestions and "财政回避" not in suggestions


# --- Lists: filters and a query count that does not grow with the rows --------------------


def test_unit_registry_filters_by_coverage_kind_and_township(world, login):
    client = login(world.users["leadership"])
    response = client.get(reverse("rounds:unit_list"), {"coverage": "covered"})
    assert "县财政局党组" in rows(response) and "城关镇党委" not in rows(response)
    assert "新增巡察对象" not in page(response)  # leadership reads only
    uncovered = rows(client.get(reverse("rounds:unit_list"), {"coverage": "uncovered"}))
    assert "城关镇党委" in uncovered and "东风村党支部" in uncovered and "县财政局党组" not in uncovered
    villages = rows(client.get(reverse("rounds:unit_list"), {"parent": world.units.township.pk, "kind": "village"}))
    assert "东风村党支部" in villages and "县教育局党组" not in villages
    found = rows(client.get(reverse("rounds:unit_list"), {"q": "教育"}))
    assert "县教育局党组" in found and "县财政局党组" not in found


def test_a_deactivated_unit_leaves_the_default_list_but_is_kept(world, login):
    client = login(world.users["office"])
    response = client.post(reverse("rounds:unit_deactivate", args=[world.units.outside.pk]), follow=True)
    assert "已停用“县城投集团党委”" in page(response)
    assert "县城投集团党委" not in rows(client.get(reverse("rounds:unit_list")))
    assert "县城投集团党委" in rows(client.get(reverse("rounds:unit_list"), {"status": "inactive"}))


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_unit_list_query_count_does_not_grow_with_rows(
    world, login, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    client = login(world.users["office"])
    url = reverse("rounds:unit_list")
    few = _queries(client, url)
    township = world.units.township
    with django_capture_on_commit_callbacks(execute=True):  # as the units import does: the list's count follows
        PartyUnit.objects.bulk_create(
            PartyUnit(name=f"第{i}村党支部", kind=UnitKind.VILLAGE, parent=township) for i in range(120)
        )
        dataversion.bump()
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert response.context["page"].paginator.count == 125 and len(response.context["page"]) == 50


def test_inspector_list_query_count_does_not_grow_with_rows(world, login, django_assert_max_num_queries):
    client = login(world.users["office"])
    url = reverse("rounds:inspector_list")
    few = _queries(client, url)
    people = Inspector.objects.bulk_create(
        Inspector(name=f"干部{i:03}", home_unit=world.units.finance, specialties=["finance"]) for i in range(80)
    )
    Avoidance.objects.bulk_create(Avoidance(inspector=p, unit=world.units.education) for p in people)
    with django_assert_max_num_queries(few):
        client.get(url)


def test_inspection_list_query_count_does_not_grow_with_rows(world, login, django_assert_max_num_queries):
    client = login(world.users["group1_member"])
    url = reverse("rounds:my_inspections")
    few = _queries(client, url)
    units = PartyUnit.objects.bulk_create(PartyUnit(name=f"单位{i}", kind=UnitKind.DEPARTMENT) for i in range(60))
    Inspection.objects.bulk_create(
        Inspection(round=world.round, group=world.g1.group, unit=u, kind=InspectionKind.REGULAR) for u in units
    )
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert len(response.context["page"]) == 50


# --- Group pages are sealed, writes refused with nothing changed ----------------------------


def test_my_inspections_shows_only_the_own_group(world, login):
    body = rows(login(world.users["group2_member"]).get(reverse("rounds:my_inspections")))
    assert "县教育局党组" in body and "县财政局党组" not in body and "第一巡察组" not in body


@pytest.mark.parametrize("persona", ["group2_leader", "group2_member", "leadership"])
def test_counters_of_group1_refused_with_404_and_unchanged(world, login, persona):
    client = login(world.users[persona])
    url = reverse("rounds:inspection_counters", args=[world.g1.inspection.pk])
    response = client.post(url, {"interviews": 9, "documents": 9, "questionnaires": 9, "visits": 9, "petitions": 9})
    assert response.status_code == 404
    world.g1.inspection.refresh_from_db()
    assert world.g1.inspection.interviews == 0


@pytest.mark.parametrize("persona", ["group1_member", "group2_leader", "leadership"])
def test_stage_of_group1_refused_with_404_and_unchanged(world, login, persona):
    inspection = Inspection.objects.create(
        round=world.round, group=world.g1.group, unit=world.units.township, kind="regular", stage=Stage.STATIONED
    )
    response = login(world.users[persona]).post(
        reverse("rounds:inspection_advance", args=[inspection.pk]), {"to_stage": Stage.UNDERSTANDING}
    )
    assert response.status_code == 404
    inspection.refresh_from_db()
    assert inspection.stage == Stage.STATIONED and inspection.history.count() == 1


@pytest.mark.parametrize("persona", ["group1_leader", "group2_leader", "leadership"])
def test_membership_writes_refused_with_404_and_unchanged(world, login, persona):
    client = login(world.users[persona])
    membership = GroupMembership.objects.get(inspector__user=world.users["group1_member"])
    assert client.post(reverse("rounds:membership_remove", args=[membership.pk])).status_code == 404
    assert client.post(reverse("rounds:membership_role", args=[membership.pk]), {"role": "deputy"}).status_code == 404
    membership.refresh_from_db()
    assert membership.role == MemberRole.MEMBER


def test_leader_moves_a_stage_from_the_page_and_the_history_says_who(world, login):
    inspection = Inspection.objects.create(
        round=world.round, group=world.g1.group, unit=world.units.township, kind="regular", stage=Stage.STATIONED
    )
    client = login(world.users["group1_leader"])
    detail = page(client.get(reverse("rounds:inspection_detail", args=[inspection.pk])))
    assert "推进到了解" in detail
    response = client.post(
        reverse("rounds:inspection_advance", args=[inspection.pk]),
        {"to_stage": Stage.UNDERSTANDING, "reason": "个别谈话已开始"},
        follow=True,
    )
    assert "城关镇党委 已进入“了解”阶段" in page(response)
    assert "赵组长" in page(response) and "阶段：进驻 → 了解；个别谈话已开始" in page(response)


def test_a_refused_step_says_why(world, login):
    client = login(world.users["group1_leader"])  # g1's inspection is at 反馈: the office's step
    response = client.post(
        reverse("rounds:inspection_advance", args=[world.g1.inspection.pk]),
        {"to_stage": Stage.RECTIFICATION},
        follow=True,
    )
    assert "您无权将巡察任务推进到“整改”阶段" in page(response)
    world.g1.inspection.refresh_from_db()
    assert world.g1.inspection.stage == Stage.FEEDBACK


def test_member_updates_counters_inline_with_htmx(world, login):
    client = login(world.users["group1_member"])
    response = client.post(
        reverse("rounds:inspection_counters", args=[world.g1.inspection.pk]),
        {"interviews": 21, "documents": 5, "questionnaires": 0, "visits": 3, "petitions": 1},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "已保存" in page(response) and 'value="21"' in page(response) and "<html" not in page(response)
    world.g1.inspection.refresh_from_db()
    assert world.g1.inspection.interviews == 21


def test_counters_refuse_negative_numbers_and_keep_the_typing(world, login):
    client = login(world.users["group1_member"])
    response = client.post(
        reverse("rounds:inspection_counters", args=[world.g1.inspection.pk]),
        {"interviews": 21, "documents": -5, "questionnaires": 0, "visits": 3, "petitions": 1},
        headers={"HX-Request": "true"},
    )
    assert "请填写不小于 0 的整数" in page(response) and 'value="-5"' in page(response)
    world.g1.inspection.refresh_from_db()
    assert world.g1.inspection.interviews == 0


def test_pages_show_history_as_a_diff(world, login):
    services.unit_update(
        actor=world.users["office"], unit=world.units.outside, name="县城投集团有限公司党委", kind="soe"
    )
    body = page(login(world.users["leadership"]).get(reverse("rounds:unit_detail", args=[world.units.outside.pk])))
    assert "县城投集团党委" in body and "县城投集团有限公司党委" in body and "修改巡察对象" in body


def test_membership_log_keeps_people_who_left(world, login):
    membership = GroupMembership.objects.get(inspector__user=world.users["group1_member"])
    client = login(world.users["office"])
    client.post(reverse("rounds:membership_remove", args=[membership.pk]))
    body = page(client.get(reverse("rounds:group_detail", args=[world.g1.group.pk])))
    assert "退出巡察组" in body and "1组成员" in body
    # ... and the person lost the group's pages with the membership.
    assert login(world.users["group1_member"]).get(reverse("rounds:my_inspections")).status_code == 404


def test_the_history_speaks_the_reader_s_language(world, login):
    services.unit_update(
        actor=world.users["office"], unit=world.units.outside, name="县城投集团有限公司党委", kind="soe"
    )
    url = reverse("rounds:unit_detail", args=[world.units.outside.pk])
    history = page(login(world.users["leadership"]).get(url, HTTP_ACCEPT_LANGUAGE="en")).split("Change history")[1]
    assert " · Changed · " in history
    assert " · 修改 · " not in history and " · 新建 · " not in history  # the reason stays as it was written


def test_the_plan_scope_filters_through_its_filterset(world, login):
    from rounds.models import PlanUnit

    client = login(world.users["office"])
    url = reverse("rounds:plan_detail", args=[world.plan.pk])
    every = client.get(url).context["page"].paginator.count
    assert every == PlanUnit.objects.filter(plan=world.plan).count()
    entry = PlanUnit.objects.filter(plan=world.plan).select_related("unit").first()
    kind = client.get(url, {"kind": entry.unit.kind}).context["page"]
    assert {e.unit.kind for e in kind.object_list} == {entry.unit.kind}
    named = client.get(url, {"q": entry.unit.name, "year": "not a year"}).context["page"]
    assert entry in named.object_list  # a refused year drops only itself
    assert client.get(url, {"year": "1"}).context["page"].paginator.count == 0
