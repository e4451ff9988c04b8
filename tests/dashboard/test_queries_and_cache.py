"""Fast: a fixed number of queries whatever the data size; cached figures equal the direct computation."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from findings.choices import ReviewState, Source
from findings.models import Finding
from rectification.choices import TaskStatus, TermType
from rectification.models import RectificationTask
from rounds.choices import InspectionKind, Stage, UnitKind
from rounds.models import Inspection, PartyUnit, PlanUnit, Round
from rounds.services import group_create
from xuncha.dashboard import cache as dashboard_cache
from xuncha.dashboard import figures
from xuncha.dashboard.selectors import Scope
from xuncha.dataversion import VERSION_KEY

from .data import build_rich

# Every request: session and user (2); who the user is, for the permission check, the menu's roles and the
# inbox's unread count in the header, in one query (xuncha.roles.identity_of: 1).
# Cold: the current plan and whether other plans have rounds (2), the sections' aggregates (10); warm: none.
# Both: the unit documents' summary, read live (counts, recent feedbacks and their documents: 3).
# With Redis (cached_db sessions) the session is read from the cache: one query fewer.
SESSION = 0 if settings.SESSION_ENGINE == "xuncha.sessions" else 1
PAGE_COLD = 17 + SESSION
PAGE_WARM = 5 + SESSION
JSON_COLD = 14 + SESSION
JSON_WARM = 2 + SESSION
LIST_MAX = 13


def grow(world, n=40):
    """Many more rounds, units, inspections, findings and tasks, in bulk."""
    office, today = world.users["office"], world.today
    units = PartyUnit.objects.bulk_create(
        PartyUnit(
            name=f"扩展单位{i}", kind=UnitKind.VILLAGE if i % 2 else UnitKind.DEPARTMENT, parent=world.units.township
        )
        for i in range(n)
    )
    PlanUnit.objects.bulk_create(
        PlanUnit(plan=world.plan, unit=u, planned_year=today.year - 2 + i % 5) for i, u in enumerate(units)
    )
    inspections = []
    for r in range(3):
        round_ = Round.objects.create(plan=world.plan, number=10 + r, year=today.year)
        group = group_create(actor=office, round=round_, name="扩展组")
        inspections += Inspection.objects.bulk_create(
            Inspection(round=round_, group=group, unit=u, kind=InspectionKind.REGULAR, stage=(i + r) % 7)
            for i, u in enumerate(units)
        )
    findings = Finding.objects.bulk_create(
        Finding(
            inspection=insp,
            seq=1,
            category=world.category,
            title="扩展问题",
            description="-",
            source=Source.INTERVIEW,
            review_state=ReviewState.REPORTED,
            key_minority=i % 3 == 0,
            author=office,
        )
        for i, insp in enumerate(inspections)
    )
    statuses = list(TaskStatus)
    RectificationTask.objects.bulk_create(
        RectificationTask(
            finding=f,
            round_id=f.inspection.round_id,  # bulk_create skips save(), which copies it
            measure="扩展措施",
            responsible_unit=f.inspection.unit,
            term_type=TermType.DEADLINE,
            due_date=today - timedelta(days=(i * 7) % 200 - 50),
            status=statuses[i % 4],
            closed_at=timezone.now() if statuses[i % 4] == TaskStatus.CLOSED else None,
        )
        for i, f in enumerate(findings * 3)
    )


@pytest.mark.parametrize("bigger", [False, True], ids=["small", "bigger"])
def test_page_and_json_make_a_fixed_number_of_queries(world, login, django_assert_num_queries, bigger):
    build_rich(world)
    if bigger:
        grow(world)
        assert RectificationTask.objects.count() > 300
    client = login(world.users["leadership"])
    with django_assert_num_queries(PAGE_COLD):
        client.get(reverse("dashboard:index"))
    with django_assert_num_queries(PAGE_WARM):
        client.get(reverse("dashboard:index"))
    dashboard_cache.cache.delete(VERSION_KEY)
    with django_assert_num_queries(JSON_COLD):
        client.get(reverse("dashboard:data"))
    with django_assert_num_queries(JSON_WARM):
        client.get(reverse("dashboard:data"))


@pytest.mark.parametrize(
    "name,query",
    [
        ("tasks", "?overdue=0"),
        ("findings", ""),
        ("units", ""),
        ("inspections", ""),
        ("clues", ""),
        ("unit_rectification", ""),
    ],
)
def test_drill_down_queries_do_not_grow_with_rows(world, login, django_assert_max_num_queries, name, query):
    build_rich(world)
    grow(world)
    client = login(world.users["office"])
    with django_assert_max_num_queries(LIST_MAX):
        response = client.get(reverse(f"dashboard:{name}") + query)
    assert len(response.context["page_obj"].object_list) > 0


def test_cached_figures_equal_the_direct_computation_and_follow_writes(
    world, login, django_capture_on_commit_callbacks
):
    rich = build_rich(world)
    scope = Scope(plan=world.plan, today=world.today)
    first = dashboard_cache.figures_for(scope)
    assert dashboard_cache.figures_for(scope) is not None
    without_time = {k: v for k, v in first.items() if k != "computed_at"}
    assert without_time == {k: v for k, v in figures.build(scope).items() if k != "computed_at"}

    # A task is verified and closed: the next look shows it, without waiting for the TTL.
    task = next(t for t in rich.tasks if t.status == TaskStatus.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        task.status = TaskStatus.CLOSED
        task.closed_at = timezone.now()
        task.save()
    second = dashboard_cache.figures_for(scope)
    assert second["rectification"]["closed"]["n"] == first["rectification"]["closed"]["n"] + 1
    assert {k: v for k, v in second.items() if k != "computed_at"} == {
        k: v for k, v in figures.build(scope).items() if k != "computed_at"
    }

    # An inspection reaches 进驻: its unit counts as covered.
    preparing = Inspection.objects.get(stage=Stage.PREPARATION, unit__name="县医院党委")
    with django_capture_on_commit_callbacks(execute=True):
        preparing.stage = Stage.STATIONED
        preparing.save()
    third = dashboard_cache.figures_for(scope)
    assert third["coverage"]["overall"]["covered"]["n"] == second["coverage"]["overall"]["covered"]["n"] + 1


def test_cached_figures_are_served_until_something_changes(world, django_assert_num_queries):
    scope = Scope(plan=world.plan, today=world.today)
    dashboard_cache.figures_for(scope)
    with django_assert_num_queries(0):
        dashboard_cache.figures_for(scope)


def test_page_says_when_its_figures_were_computed(world, login):
    response = login(world.users["leadership"]).get(reverse("dashboard:index"))
    computed = response.context["d"]["computed_at"][11:16]
    assert f"数据更新于 {computed}" in response.content.decode()


def test_no_plan_yet_says_so(db, login, django_user_model):
    from django.contrib.auth.models import Group

    from xuncha.roles import LEADERSHIP_GROUP

    user = django_user_model.objects.create_user("lead2")
    user.groups.add(Group.objects.get(name=LEADERSHIP_GROUP))
    client = login(user)
    assert "尚未制定巡察工作规划" in client.get(reverse("dashboard:index")).content.decode()
    assert client.get(reverse("dashboard:data")).json() == {"plan": None}


def test_dropping_the_plan_condition_when_no_other_plan_has_rounds_changes_nothing(world):
    explicit, implicit = world.plan, type(world.plan).objects.get(pk=world.plan.pk)
    explicit._dashboard_alone = False
    a = figures.build(Scope(plan=explicit, today=world.today))
    b = figures.build(Scope(plan=implicit, today=world.today))
    assert implicit._dashboard_alone is True
    assert {k: v for k, v in a.items() if k != "computed_at"} == {k: v for k, v in b.items() if k != "computed_at"}


def test_while_one_request_recomputes_the_others_get_the_previous_figures(world, django_capture_on_commit_callbacks):
    scope = Scope(plan=world.plan, today=world.today)
    before = dashboard_cache.figures_for(scope)
    with django_capture_on_commit_callbacks(execute=True):
        world.g1.task.status = TaskStatus.SUBMITTED
        world.g1.task.save()
    lock = dashboard_cache._key(scope) + ":lock"
    dashboard_cache.cache.add(lock, 1)  # another worker is at it
    assert dashboard_cache.figures_for(scope)["computed_at"] == before["computed_at"]
    dashboard_cache.cache.delete(lock)
    assert dashboard_cache.figures_for(scope)["computed_at"] != before["computed_at"]


def test_a_request_with_no_figures_to_fall_back_on_leaves_the_recomputing_ones_lock(world):
    # The first view of a day (the key holds the date) has nothing to serve meanwhile, so it computes too;
    # it must not release the lock it never took, or every request after it would recompute at once.
    scope = Scope(plan=world.plan, today=world.today)
    lock = dashboard_cache._key(scope) + ":lock"
    dashboard_cache.cache.delete(dashboard_cache._key(scope))
    assert dashboard_cache.cache.add(lock, 1)  # another worker is at it
    dashboard_cache.figures_for(scope)
    assert dashboard_cache.cache.get(lock) == 1
    dashboard_cache.cache.delete(lock)


def test_each_language_has_its_own_rendering_of_the_same_figures(world, login, monkeypatch):
    # The page's rendering is cached per computation; two languages' figures may carry the same time.
    real = figures.build
    monkeypatch.setattr(
        figures, "build", lambda scope: {**real(scope), "computed_at": "2030-01-01T08:00:00.000000+08:00"}
    )
    client = login(world.users["leadership"])
    assert "巡察全覆盖" in client.get(reverse("dashboard:index"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    english = client.get(reverse("dashboard:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Full inspection coverage" in english and "巡察全覆盖" not in english
