"""Every drill-down list exports exactly its rows, with the figure's filters, for the overseers only."""

import pytest
from django.urls import reverse

from tests.exports_helpers import headers, sheet_rows, workbook
from xuncha.dashboard import figures
from xuncha.dashboard.selectors import Scope
from xuncha.models import ExportLog

from .test_exactness import walk


def xlsx(url):
    return url + ("&" if "?" in url else "?") + "export=xlsx"


@pytest.fixture
def payload(world):
    return figures.build(Scope(plan=world.plan, today=world.today))


def test_every_figure_exports_as_many_rows_as_it_counts(world, login, payload):
    client = login(world.users["leadership"])
    figures_seen = 0
    for path, figure in walk(payload):
        if figure["url"].startswith(reverse("dashboard:unit_rectification")):
            continue  # one row per unit, not per counted task: below
        book = workbook(client.get(xlsx(figure["url"])))
        assert len(sheet_rows(book.active)) == figure["n"], path
        figures_seen += 1
    assert figures_seen > 20
    assert ExportLog.objects.filter(user=world.users["leadership"]).count() == figures_seen


def test_overdue_tasks_of_one_unit_export_with_their_filters_logged(world, login, payload):
    unit = payload["rectification"]["by_unit"][0]
    response = login(world.users["office"]).get(xlsx(unit["overdue"]["url"]))
    rows = sheet_rows(workbook(response).active)
    assert len(rows) == unit["overdue"]["n"]
    log = ExportLog.objects.get(user=world.users["office"])
    assert log.kind == "ledger" and log.confidential
    assert log.filters == {"dashboard": "tasks", "plan": world.plan.pk, "unit": unit["id"], "overdue": True}


def test_uncovered_units_export_with_their_planned_year(world, login, payload):
    response = login(world.users["leadership"]).get(xlsx(payload["coverage"]["overall"]["uncovered"]["url"]))
    sheet = workbook(response).active
    assert headers(sheet)[1:] == ["单位", "类别", "上级乡镇", "计划年度", "本届是否已巡察"]
    rows = sheet_rows(sheet)
    assert len(rows) == payload["coverage"]["overall"]["uncovered"]["n"]
    assert {row[5] for row in rows} == {"否"}
    assert {row[4] for row in rows} <= set(range(world.plan.start_year, world.plan.end_year + 1))


def test_units_rectification_exports_one_row_per_unit(world, login, payload):
    response = login(world.users["leadership"]).get(reverse("dashboard:unit_rectification"), {"export": "xlsx"})
    rows = sheet_rows(workbook(response).active)
    first = payload["rectification"]["by_unit"][0]
    assert rows[0][1:5] == [first["name"], first["overdue"]["n"], first["total"]["n"], first["closed"]["n"]]
    assert rows[0][5] == pytest.approx(first["rate"] / 100)
    assert len(rows) == len({row[1] for row in rows})


def test_a_filter_in_error_exports_nothing(world, login):
    client = login(world.users["leadership"])
    response = client.get(reverse("dashboard:tasks"), {"bucket": "forever", "export": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert not ExportLog.objects.exists()


@pytest.mark.parametrize("name", ["units", "tasks", "findings", "clues", "inspections", "unit_rectification"])
def test_outsiders_cannot_export_a_drill_down(world, login, name):
    response = login(world.users["group1_leader"]).get(reverse(f"dashboard:{name}"), {"export": "xlsx"})
    assert response.status_code == 404
    assert not ExportLog.objects.exists()


def test_the_list_offers_the_export(world, login):
    body = login(world.users["leadership"]).get(reverse("dashboard:tasks"), {"overdue": "1"}).content.decode()
    assert "?overdue=1&amp;export=xlsx" in body


def test_a_head_request_builds_no_file_and_logs_nothing(world, login):
    response = login(world.users["leadership"]).head(reverse("dashboard:tasks") + "?overdue=1&export=xlsx")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert not ExportLog.objects.exists()


def test_every_list_export_can_build_its_own_rows():
    # A spec without `base` serves only lists that pass their rows (the dashboard's); the export URLs need one.
    from xuncha.exports.registry import specs

    assert all(spec.base is not None for spec in specs().values())
