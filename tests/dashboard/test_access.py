"""Who may see the dashboard: what a user would notice (the matrix covers every persona and URL)."""

import pytest
from django.urls import reverse

URLS = ["index", "data", "units", "inspections", "findings", "clues", "tasks", "unit_rectification"]


def test_leadership_sees_the_dashboard_and_drills_to_rows(world, login):
    client = login(world.users["leadership"])
    page = client.get(reverse("dashboard:index"))
    assert page.status_code == 200
    clues_url = page.context["d"]["clues"]["transferred"]["url"]
    rows = client.get(clues_url)
    assert rows.status_code == 200
    assert rows.context["page_obj"].paginator.count == 2


@pytest.mark.parametrize("name", URLS)
def test_group_leader_gets_404(world, login, name):
    assert login(world.users["group1_leader"]).get(reverse(f"dashboard:{name}")).status_code == 404


@pytest.mark.parametrize("method", ["post", "head", "put", "delete"])
@pytest.mark.parametrize("name", ["index", "data", "tasks"])
def test_group_leader_gets_404_whatever_the_method(world, login, name, method):
    # A 405 would tell an outsider that the page exists.
    client = login(world.users["group1_leader"])
    assert getattr(client, method)(reverse(f"dashboard:{name}")).status_code == 404


@pytest.mark.parametrize("name", ["index", "data", "tasks"])
def test_leadership_may_read_but_not_write(world, login, name):
    client = login(world.users["leadership"])
    assert client.head(reverse(f"dashboard:{name}")).status_code == 200
    assert client.post(reverse(f"dashboard:{name}")).status_code == 405


@pytest.mark.parametrize(
    "url",
    [
        "/dashboard/tasks/?unit=9223372036854775808",
        "/dashboard/tasks/?round=" + "9" * 25,
        "/dashboard/inspections/?round=" + "9" * 25,
        "/dashboard/findings/?category=" + "9" * 25,
    ],
)
def test_an_id_too_large_for_the_database_is_a_form_error(world, login, url):
    response = login(world.users["leadership"]).get(url)
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 0
    assert response.context["form"].errors


@pytest.mark.parametrize("name", URLS)
def test_anonymous_is_sent_to_log_in(client, db, name):
    response = client.get(reverse(f"dashboard:{name}"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_dashboard_is_on_the_leaderships_landing_page(world, login):
    body = login(world.users["leadership"]).get("/").content.decode()
    assert reverse("dashboard:index") in body


def test_json_is_readable_chinese(world, login):
    response = login(world.users["office"]).get(reverse("dashboard:data"))
    assert response["Content-Type"] == "application/json"
    assert "村(社区)党组织" in response.content.decode() or "乡镇党委" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "detail"),
    [
        ("tasks", "/rectification/"),
        ("findings", "/findings/"),
        ("clues", "/findings/clues/"),
        ("inspections", "/inspections/"),
        ("units", "/units/"),
        ("unit_rectification", "/units/"),
    ],
)
def test_each_row_opens_its_own_page(world, login, name, detail):
    import re

    client = login(world.users["leadership"])
    body = client.get(reverse(f"dashboard:{name}")).content.decode()
    links = re.findall(r'<td[^>]*><a href="([^"]+)"|<th><a href="([^"]+)"', body)
    links = [a or b for a, b in links if (a or b).startswith(detail) and (a or b).rstrip("/").split("/")[-1].isdigit()]
    assert links, body
    assert client.get(links[0]).status_code == 200


def test_a_filter_badge_removes_its_filter_and_keeps_the_others(world, login):
    client = login(world.users["leadership"])
    response = client.get(reverse("dashboard:tasks"), {"overdue": "1", "closed": "0", "per": "20", "page": "2"})
    badges = response.context["applied"]
    assert [label for label, _, _ in badges] == ["已销号", "已逾期"]
    without_overdue = badges[1][2]
    assert without_overdue == "?closed=0&per=20"
    assert 'href="?closed=0&amp;per=20"' in response.content.decode()


def test_units_rectification_finds_a_unit_by_name(world, login):
    client = login(world.users["leadership"])
    everyone = client.get(reverse("dashboard:unit_rectification")).context["page_obj"]
    name = everyone[0]["name"]
    found = client.get(reverse("dashboard:unit_rectification"), {"q": name[1:3]}).context["page_obj"]
    assert name in [row["name"] for row in found]
    assert all(name[1:3] in row["name"] for row in found)
    assert (
        client.get(reverse("dashboard:unit_rectification"), {"q": "没有这个单位"}).context["page_obj"].paginator.count
        == 0
    )


@pytest.mark.parametrize(
    ("name", "section"),
    [("units", "coverage"), ("inspections", "rounds"), ("tasks", "rectification"), ("clues", "clues")],
)
def test_the_way_back_leads_to_the_figures_the_list_came_from(world, login, name, section):
    body = login(world.users["leadership"]).get(reverse(f"dashboard:{name}")).content.decode()
    assert f'href="{reverse("dashboard:index")}#{section}"' in body
    assert f'id="{section}"' in login(world.users["leadership"]).get(reverse("dashboard:index")).content.decode()


def test_list_titles_are_plural_in_english(world, login):
    client = login(world.users["leadership"])
    body = client.get(reverse("dashboard:tasks"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Rectification tasks" in body
    assert "整改任务" in client.get(reverse("dashboard:tasks")).content.decode()
