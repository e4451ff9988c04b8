"""Every dashboard figure against an independent computation in plain Python, and against its drill-down."""

import re
from collections import Counter
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from findings.models import Clue, Finding, FindingCategory
from rectification.choices import TaskStatus, TermType
from rectification.models import RectificationTask
from rounds.models import Inspection, Milestone, PlanUnit, Round
from xuncha.dashboard import figures
from xuncha.dashboard.selectors import Scope
from xuncha.rates import rate

from .data import build_rich


@pytest.fixture
def rich(world):
    return build_rich(world)


@pytest.fixture
def payload(world, rich):
    return figures.build(Scope(plan=world.plan, today=world.today))


def walk(node, path=""):
    """Every countable figure of the payload, with where it sits."""
    if isinstance(node, dict):
        if set(node) == {"n", "url"}:
            yield path, node
            return
        for key, value in node.items():
            yield from walk(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from walk(value, f"{path}[{i}]")


# --- The plain-Python truth ---------------------------------------------------------------------


def truth_coverage(plan):
    covered = {
        i.unit_id
        for i in Inspection.objects.select_related("round")
        if i.round.plan_id == plan.pk and i.kind not in ("lookback", "assessment") and i.stage >= 1
    }
    scope = [
        (pu.unit_id, pu.unit.kind, pu.planned_year)
        for pu in PlanUnit.objects.select_related("unit")
        if pu.plan_id == plan.pk
    ]
    return covered, scope


def pct(a, b):
    """Tenths of a percent, half up (四舍五入), in integers."""
    return (2000 * a + b) // (2 * b) / 10 if b else None


def is_overdue(task, today):
    return today > task.due_date and task.status not in ("closed", "submitted")


def plan_tasks(plan):
    return [
        t
        for t in RectificationTask.objects.select_related("finding__inspection__round")
        if t.finding.inspection.round.plan_id == plan.pk
    ]


# --- Coverage -----------------------------------------------------------------------------------


def test_coverage_overall_by_kind_and_year(world, payload):
    covered, scope = truth_coverage(world.plan)
    cov = payload["coverage"]
    in_scope_covered = [u for u, _, _ in scope if u in covered]
    assert cov["overall"]["total"]["n"] == len(scope) == 9
    assert cov["overall"]["covered"]["n"] == len(in_scope_covered)
    assert cov["overall"]["uncovered"]["n"] == len(scope) - len(in_scope_covered)
    assert cov["overall"]["rate"] == pct(len(in_scope_covered), len(scope))
    # township, finance, education, the unit inspected twice (once, not twice)
    assert cov["overall"]["covered"]["n"] == 4
    by_kind = {k["kind"]: k for k in cov["by_kind"]}
    for kind in {k for _, k, _ in scope}:
        units = [u for u, k, _ in scope if k == kind]
        assert by_kind[kind]["total"]["n"] == len(units)
        assert by_kind[kind]["covered"]["n"] == len([u for u in units if u in covered])
        assert by_kind[kind]["rate"] == pct(len([u for u in units if u in covered]), len(units))
    # Inspecting the township does not cover its villages.
    assert by_kind["village"]["covered"]["n"] == 0
    by_year = {y["year"]: y for y in cov["by_year"]}
    for year in {y for _, _, y in scope}:
        units = [u for u, _, y in scope if y == year]
        assert by_year[year]["planned"]["n"] == len(units)
        assert by_year[year]["covered"]["n"] == len([u for u in units if u in covered])


def test_milestone_is_this_years(world, payload):
    Milestone.objects.create(plan=world.plan, year=world.today.year + 1, target_rate=80)
    assert payload["coverage"]["milestone"] == {"year": world.today.year, "target": 50.0}


def test_a_year_without_a_milestone_works_to_the_next_one(world, rich):
    # Milestones are due "by the end of" their year: between two of them, the later one is in force.
    Milestone.objects.filter(plan=world.plan).delete()
    Milestone.objects.create(plan=world.plan, year=world.today.year - 1, target_rate=40)
    Milestone.objects.create(plan=world.plan, year=world.today.year + 2, target_rate=100)
    Milestone.objects.create(plan=world.plan, year=world.today.year + 1, target_rate=80)
    built = figures.build(Scope(plan=world.plan, today=world.today))
    assert built["coverage"]["milestone"] == {"year": world.today.year + 1, "target": 80.0}


def test_past_the_last_milestone_the_last_one_stays_in_force(world, rich):
    # The term over (the dashboard then shows the latest plan), or its last milestone passed: the
    # term's own target, not "no target".
    Milestone.objects.filter(plan=world.plan).delete()
    Milestone.objects.create(plan=world.plan, year=world.today.year - 2, target_rate=40)
    Milestone.objects.create(plan=world.plan, year=world.today.year - 1, target_rate=100)
    built = figures.build(Scope(plan=world.plan, today=world.today))
    assert built["coverage"]["milestone"] == {"year": world.today.year - 1, "target": 100.0}


def test_a_plan_without_milestones_has_no_target(world, rich, login):
    Milestone.objects.filter(plan=world.plan).delete()
    built = figures.build(Scope(plan=world.plan, today=world.today))
    assert built["coverage"]["milestone"] == {"year": world.today.year, "target": None}
    assert f"{world.today.year}年未设覆盖率目标" in login(world.users["leadership"]).get("/dashboard/").content.decode()


@pytest.mark.parametrize(
    ("part", "whole", "shown"), [(1, 16, 6.3), (1, 8, 12.5), (1, 3, 33.3), (2, 3, 66.7), (0, 5, 0.0)]
)
def test_rates_round_half_up(part, whole, shown):
    # 1/16 = 6.25 %: a printed report says 6.3 % (四舍五入), where Python's round() gives 6.2.
    assert rate(part, whole) == shown


def test_milestone_text_on_the_page(world, rich, login):
    response = login(world.users["leadership"]).get("/dashboard/")
    rate = response.context["d"]["coverage"]["overall"]["rate"]
    assert f"{world.today.year}年目标 50%，已完成 {rate}%" in response.content.decode()


def test_uncovered_list_has_planned_years(world, payload):
    covered, scope = truth_coverage(world.plan)
    expected = sorted((y, u) for u, _, y in scope if u not in covered)
    shown = sorted((row["planned_year"], row["id"]) for row in payload["uncovered"]["shown"])
    assert shown == expected


# --- Rounds, findings, clues ---------------------------------------------------------------------


def test_rounds_by_stage(world, rich, payload):
    truth = Counter(
        (i.round_id, i.stage) for i in Inspection.objects.select_related("round") if i.round.plan_id == world.plan.pk
    )
    got = {(r["id"], s["stage"]): s["n"]["n"] for r in payload["rounds"] for s in r["stages"]}
    assert {k: v for k, v in got.items() if v} == dict(truth)
    assert {r["id"] for r in payload["rounds"]} == {world.round.pk, rich.round2.pk}


def test_findings_by_category_top_and_next(world, payload):
    cats = {c.pk: c for c in FindingCategory.objects.all()}
    reported = [
        f
        for f in Finding.objects.select_related("inspection__round")
        if f.inspection.round.plan_id == world.plan.pk and f.review_state == "reported"
    ]
    assert payload["findings"]["total"]["n"] == len(reported) == 6
    assert payload["findings"]["key_minority"]["n"] == len([f for f in reported if f.key_minority]) == 2

    def top_of(pk):
        return cats[pk].parent_id or pk

    got_top = {c["id"]: (c["n"]["n"], c["key_minority"]["n"]) for c in payload["findings"]["categories"]}
    tops = {top_of(f.category_id) for f in reported}
    assert got_top == {
        t: (
            len([f for f in reported if top_of(f.category_id) == t]),
            len([f for f in reported if top_of(f.category_id) == t and f.key_minority]),
        )
        for t in tops
    }
    got_child = {ch["id"]: ch["n"]["n"] for c in payload["findings"]["categories"] for ch in c["children"]}
    assert got_child == dict(Counter(f.category_id for f in reported if cats[f.category_id].parent_id))


def test_clues_by_body_disposition_and_overdue(world, payload):
    today = world.today
    transferred = [
        c
        for c in Clue.objects.select_related("inspection__round")
        if c.inspection.round.plan_id == world.plan.pk and c.status != "draft"
    ]
    clues = payload["clues"]
    assert clues["transferred"]["n"] == len(transferred)
    overdue = [c for c in transferred if c.status == "transferred" and today > c.feedback_due_date]
    assert clues["overdue"]["n"] == len(overdue) == 2  # due today is not overdue; answered late is done
    for body in clues["by_body"]:
        mine = [c for c in transferred if c.receiving_body == body["body"]]
        assert body["n"]["n"] == len(mine)
        assert body["overdue"]["n"] == len([c for c in overdue if c.receiving_body == body["body"]])
        for d in body["dispositions"]:
            expected = len([c for c in mine if (c.disposition or "none") == d["disposition"]])
            assert d["n"]["n"] == expected


# --- Rectification -------------------------------------------------------------------------------


def test_rectification_completion_overdue_and_buckets(world, payload):
    today = world.today
    tasks = plan_tasks(world.plan)
    r = payload["rectification"]
    closed = [t for t in tasks if t.status == "closed"]
    overdue = [t for t in tasks if is_overdue(t, today)]
    assert r["total"]["n"] == len(tasks)
    assert r["closed"]["n"] == len(closed)
    assert r["rate"] == pct(len(closed), len(tasks))
    assert r["overdue"]["n"] == len(overdue) == 6
    assert (
        r["overdue"]["n"]
        == RectificationTask.objects.overdue(today).filter(finding__inspection__round__plan=world.plan).count()
    )
    ages = [(today - t.due_date).days for t in overdue]
    buckets = {b["bucket"]: b["n"]["n"] for b in r["buckets"]}
    assert buckets == {
        "1-30": len([a for a in ages if 1 <= a <= 30]),
        "31-90": len([a for a in ages if 31 <= a <= 90]),
        "90+": len([a for a in ages if a > 90]),
    }
    assert buckets == {"1-30": 3, "31-90": 2, "90+": 1}


def test_the_dashboard_names_each_round_as_the_lists_do(world, rich, payload):
    shown = [(r["id"], r["label"]) for r in payload["rounds"] + payload["rectification"]["by_round"]]
    assert {pk for pk, _ in shown} == {world.round.pk, rich.round2.pk}
    for pk, label in shown:
        assert label == str(Round.objects.get(pk=pk))


def test_rectification_per_round_and_per_unit(world, payload):
    today = world.today
    tasks = plan_tasks(world.plan)
    for row in payload["rectification"]["by_round"]:
        mine = [t for t in tasks if t.finding.inspection.round_id == row["id"]]
        assert row["total"]["n"] == len(mine)
        assert row["closed"]["n"] == len([t for t in mine if t.status == "closed"])
        assert row["overdue"]["n"] == len([t for t in mine if is_overdue(t, today)])
        assert row["rate"] == pct(row["closed"]["n"], len(mine))
    units = payload["rectification"]["by_unit"]
    assert {u["id"] for u in units} == {t.responsible_unit_id for t in tasks}
    for u in units:
        mine = [t for t in tasks if t.responsible_unit_id == u["id"]]
        assert (u["total"]["n"], u["closed"]["n"], u["overdue"]["n"]) == (
            len(mine),
            len([t for t in mine if t.status == "closed"]),
            len([t for t in mine if is_overdue(t, today)]),
        )
    overdue_order = [u["overdue"]["n"] for u in units]
    assert overdue_order == sorted(overdue_order, reverse=True)
    most = max(Counter(t.responsible_unit_id for t in tasks if is_overdue(t, today)).values())
    assert units[0]["overdue"]["n"] == most == 3


def test_a_task_due_tomorrow_becomes_overdue_the_day_after(world, rich):
    later = figures.build(Scope(plan=world.plan, today=world.today + timedelta(days=1)))
    now = figures.build(Scope(plan=world.plan, today=world.today))
    # The task due today becomes overdue tomorrow, in the 1–30 bucket.
    assert later["rectification"]["overdue"]["n"] == now["rectification"]["overdue"]["n"] + 1


# --- Every figure equals its drill-down ----------------------------------------------------------


def test_every_figure_equals_the_rows_of_its_drill_down(world, payload, login):
    client = login(world.users["leadership"])
    figs = list(walk(payload))
    assert len(figs) > 80
    for path, fig in figs:
        response = client.get(fig["url"])
        assert response.status_code == 200, (path, fig["url"])
        assert response.context["page_obj"].paginator.count == fig["n"], (path, fig["url"])


def test_drill_down_says_what_it_shows(world, rich, login):
    client = login(world.users["leadership"])
    response = client.get(f"/dashboard/tasks/?unit={world.units.township.pk}&bucket=31-90")
    body = response.content.decode()
    assert "责任单位：城关镇党委" in body and "逾期时长：31–90天" in body
    assert "共 1 条" in body


def _due_date_marked_overdue(body: str, measure: str) -> bool:
    row = re.search(rf"<tr>(?:(?!</tr>).)*{measure}(?:(?!</tr>).)*</tr>", body, re.S)
    assert row, measure
    return "text-danger" in row.group(0) or ">逾期</span>" in row.group(
        0
    )  # the drill-down's red date, the ledger's badge


def _late_tasks(world, *statuses):
    for status in statuses:
        task = RectificationTask(
            finding=world.g1.finding,
            measure=f"昨日到期-{status}",
            responsible_unit=world.units.finance,
            term_type=TermType.DEADLINE,
            due_date=world.today - timedelta(days=1),
            status=status,
        )
        task.closed_at = timezone.now() if status == TaskStatus.CLOSED else None
        task.save()


def test_the_task_drill_down_marks_overdue_as_the_ledger_does(world, login):
    _late_tasks(world, TaskStatus.IN_PROGRESS, TaskStatus.SUBMITTED, TaskStatus.CLOSED)
    body = login(world.users["leadership"]).get(reverse("dashboard:tasks")).content.decode()
    assert _due_date_marked_overdue(body, f"昨日到期-{TaskStatus.IN_PROGRESS}")
    assert not _due_date_marked_overdue(body, f"昨日到期-{TaskStatus.SUBMITTED}")
    assert not _due_date_marked_overdue(body, f"昨日到期-{TaskStatus.CLOSED}")


@pytest.mark.parametrize("url", ["dashboard:tasks", "rectification:task_list"])
def test_task_lists_mark_overdue_by_the_one_rule(world, login, monkeypatch, url):
    # Both lists ask RectificationTask.is_overdue; neither writes the rule out again.
    _late_tasks(world, TaskStatus.SUBMITTED)
    client = login(world.users["leadership"])
    measure = f"昨日到期-{TaskStatus.SUBMITTED}"
    assert not _due_date_marked_overdue(client.get(reverse(url)).content.decode(), measure)
    monkeypatch.setattr(RectificationTask, "is_overdue", lambda task, today: True)
    assert _due_date_marked_overdue(client.get(reverse(url)).content.decode(), measure)


def test_a_bad_filter_shows_an_error_not_every_row(world, rich, login):
    response = login(world.users["leadership"]).get("/dashboard/tasks/?bucket=forever")
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 0
    assert "筛选条件有误" in response.content.decode()


def test_json_equals_the_page(world, rich, login):
    client = login(world.users["leadership"])
    page = client.get("/dashboard/").context["d"]
    data = client.get("/dashboard/data.json").json()
    assert data == page
    assert data["rectification"]["overdue"]["n"] == 6


@pytest.mark.parametrize("overdue", [False, True])
def test_the_clue_drill_down_marks_late_feedback_by_the_clues_own_rule(world, login, monkeypatch, overdue):
    # The page asks Clue.is_overdue (逾期未反馈), the rule the clue list and ClueQuerySet.overdue follow.
    monkeypatch.setattr(Clue, "is_overdue", property(lambda clue: overdue))
    body = login(world.users["leadership"]).get(reverse("dashboard:clues")).content.decode()
    rows = re.findall(r"<tr><td[^>]*>.*?</tr>", body, re.S)
    assert rows and all(("text-danger" in row) == overdue for row in rows)
