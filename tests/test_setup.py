"""A fresh installation: the first office account comes from a command, and the office's first login leads to a
checklist (初始化向导) of what is done and what is next, which goes away once a plan and a round exist."""

import subprocess
import sys

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.urls import reverse

from rounds.models import Inspector, Milestone, PartyUnit, Plan, PlanUnit, Round
from rounds.services import group_create
from tests.world import ensure_reference_data
from xuncha.models import SiteSettings
from xuncha.roles import Role, roles_of

pytestmark = pytest.mark.django_db
PASSWORD = "Office-2026-first"


@pytest.fixture
def fresh(db, monkeypatch):
    """A new installation: the migrations' reference rows, no county data, the command's office account."""
    ensure_reference_data()
    monkeypatch.setenv("XUNCHA_OFFICE_PASSWORD", PASSWORD)
    call_command("create_office_user", "--username", "banshi", "--name", "王五", stdout=open("/dev/null", "w"))
    return User.objects.get(username="banshi")


def test_the_command_creates_an_office_account_once(fresh, monkeypatch, capsys):
    assert fresh.check_password(PASSWORD) and fresh.first_name == "王五"
    assert Role.OFFICE in roles_of(fresh)
    monkeypatch.setenv("XUNCHA_OFFICE_PASSWORD", "Another-2026-pw")
    call_command("create_office_user", "--username", "banshi")
    assert "nothing changed" in capsys.readouterr().out
    fresh.refresh_from_db()
    assert fresh.check_password(PASSWORD) and User.objects.filter(username="banshi").count() == 1


def test_the_command_refuses_a_missing_or_weak_password(db, monkeypatch):
    ensure_reference_data()
    monkeypatch.delenv("XUNCHA_OFFICE_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="XUNCHA_OFFICE_PASSWORD"):
        call_command("create_office_user", "--username", "banshi")
    monkeypatch.setenv("PW", "123")
    with pytest.raises(CommandError):
        call_command("create_office_user", "--username", "banshi", "--password-from-env", "PW")
    assert not User.objects.filter(username="banshi").exists()


def test_the_command_prints_only_its_own_line(tmp_path):
    """No library banner (django-axes announced itself on every start)."""
    env = {
        "PATH": "/usr/bin:/bin",
        "SECRET_KEY": "t",
        "DEBUG": "0",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "XUNCHA_OFFICE_PASSWORD": PASSWORD,
    }
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], env=env, check=True, capture_output=True)
    run = subprocess.run(
        [sys.executable, "manage.py", "create_office_user", "--username", "banshi"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    assert run.stdout == "Created office account 'banshi'.\n"
    assert "AXES" not in run.stderr  # system-check warnings may follow there; a banner may not


def test_the_office_first_login_shows_the_checklist_with_the_next_step(fresh, client):
    client.force_login(fresh)
    page = client.get(reverse("home")).content.decode()
    wizard = page.split('id="setup-wizard"')[1].split("</section>")[0]
    assert wizard.count('data-done="0"') == 6  # the office account alone does not make "accounts and roles"
    assert "下一步" in wizard.split("县名与届次")[1].split("</li>")[0]
    for url in (
        reverse("setup_county"),
        reverse("exports:import_start", args=["units"]),
        reverse("rounds:plan_create"),
    ):
        assert f'href="{url}"' in wizard


def test_steps_are_ticked_off_with_their_counts(fresh, client):
    client.force_login(fresh)
    response = client.post(
        reverse("setup_county"),
        {"county_name": "清河县", "term_label": "第十五届", "term_start_year": 2026, "term_end_year": 2030},
    )
    assert response.status_code == 302 and SiteSettings.objects.get().county_name == "清河县"
    unit = PartyUnit.objects.create(name="城关镇党委", kind="township")
    Inspector.objects.create(name="张三")
    page = client.get(reverse("setup")).content.decode()
    assert "1 个单位" in page and "1 名干部" in page and "清河县第十五届" in page
    assert page.count('data-done="1"') == 3
    # The plan form starts from the county's name and term.
    form = client.get(reverse("rounds:plan_create")).context["form"]
    assert form["name"].value() == "清河县第十五届县委巡察工作规划" and form["start_year"].value() == 2026
    plan = Plan.objects.create(name="规划", start_year=2026, end_year=2030)
    PlanUnit.objects.create(plan=plan, unit=unit, planned_year=2026)
    Milestone.objects.create(plan=plan, year=2026, target_rate=20)
    assert "setup-wizard" in client.get(reverse("home")).content.decode()
    round_ = Round.objects.create(plan=plan, number=1, year=2026)
    group_create(actor=fresh, round=round_, name="第一巡察组")
    assert "setup-wizard" not in client.get(reverse("home")).content.decode()  # done: the checklist goes
    assert client.get(reverse("setup")).content.decode().count('data-done="0"') == 1  # accounts: still only one


def test_the_checklist_is_for_the_office_only(fresh, client):
    leader = User.objects.create_user("lingdao", password="x")
    leader.groups.add(*fresh.groups.none())
    client.force_login(leader)
    assert "setup-wizard" not in client.get(reverse("home")).content.decode()
    assert client.get(reverse("setup")).status_code == 404
