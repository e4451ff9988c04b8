"""账号与权限: the office opens and runs accounts and gives every role in the app, each change logged with its actor;
a password the office set must be changed first; a lock-out can be lifted; nothing a person did is ever deleted."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from accounts.choices import AccountAction, AccountRole
from accounts.models import AccountEvent, Profile
from accounts.services import account_create, role_grant
from findings.choices import ReceivingBody
from findings.models import BodyLiaison, Finding
from rounds.models import Inspector, PartyUnit, UnitLiaison
from xuncha.roles import Role, roles_of

pytestmark = pytest.mark.django_db
GOOD = "Xuncha-2026-good"


def _new(world, username="zhangsan", **extra):
    return account_create(actor=world.users["office"], username=username, name="张三", password=GOOD, **extra)


def test_office_opens_an_account_with_a_chinese_name_phone_and_unit(world, login):
    client = login(world.users["office"])
    response = client.post(
        reverse("accounts:account_create"),
        {
            "username": "zhangsan",
            "name": "张三",
            "phone": "13800000000",
            "email": "zs@example.org",
            "unit": world.units.finance.pk,
            "password": GOOD,
        },
    )
    user = User.objects.get(username="zhangsan")
    assert response.status_code == 302 and response.url == reverse("accounts:account_detail", args=[user.pk])
    assert (user.first_name, user.email, user.profile.phone, user.profile.unit) == (
        "张三",
        "zs@example.org",
        "13800000000",
        world.units.finance,
    )
    assert user.check_password(GOOD) and user.profile.must_change_password
    event = AccountEvent.objects.get(account=user)
    assert (event.action, event.actor) == (AccountAction.CREATE, world.users["office"])
    page = client.get(reverse("accounts:account_detail", args=[user.pk])).content.decode()
    assert "张三" in page and "王办" in page and "开通账号" in page


def test_a_weak_password_is_refused_in_chinese(world, login):
    client = login(world.users["office"])
    response = client.post(reverse("accounts:account_create"), {"username": "lisi", "name": "李四", "password": "123"})
    page = response.content.decode()
    assert response.status_code == 200 and not User.objects.filter(username="lisi").exists()
    assert "密码太短，至少需要 8 个字符。" in page and "密码只包含数字。" in page


def test_a_duplicate_user_name_is_a_form_error(world, login):
    response = login(world.users["office"]).post(
        reverse("accounts:account_create"), {"username": "LIAISON", "name": "某某", "password": GOOD}
    )
    assert response.status_code == 200 and "已被使用" in response.content.decode()


def test_a_new_account_must_change_its_password_before_anything_else(world, client):
    user = _new(world)
    assert client.login(username="zhangsan", password=GOOD)
    client.post(reverse("login"), {"username": "zhangsan", "password": GOOD})
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url == reverse("password_change")
    assert client.get(reverse("rectification:task_list")).url == reverse("password_change")
    page = client.get(reverse("password_change")).content.decode()
    assert "请先修改为只有您本人知道的密码" in page
    response = client.post(
        reverse("password_change"),
        {"old_password": GOOD, "new_password1": "Mine-2026-only", "new_password2": "Mine-2026-only"},
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    user.refresh_from_db()
    assert user.check_password("Mine-2026-only") and not user.profile.must_change_password
    assert AccountEvent.objects.filter(account=user, action=AccountAction.CHANGE_PASSWORD, actor=user).exists()


def test_everyone_changes_their_own_password_from_the_user_menu(world, client):
    user = world.users["group1_member"]
    client.post(reverse("login"), {"username": user.username, "password": "pw"})
    home = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("password_change")}"' in home.split("</nav>")[0]
    response = client.post(
        reverse("password_change"), {"old_password": "pw", "new_password1": "short", "new_password2": "short"}
    )
    assert "密码太短，至少需要 8 个字符。" in response.content.decode()
    response = client.post(
        reverse("password_change"),
        {"old_password": "pw", "new_password1": "Member-2026-x", "new_password2": "Member-2026-x"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Member-2026-x")


def test_reset_password_makes_the_user_change_it_and_is_logged(world, login, client):
    liaison = world.users["liaison"]
    office = login(world.users["office"])
    response = office.post(reverse("accounts:account_reset_password", args=[liaison.pk]), {"password": GOOD})
    assert response.status_code == 302
    liaison.refresh_from_db()
    assert liaison.check_password(GOOD) and liaison.profile.must_change_password
    assert AccountEvent.objects.filter(
        account=liaison, action=AccountAction.RESET_PASSWORD, actor=world.users["office"]
    ).exists()
    office.logout()
    client.post(reverse("login"), {"username": "liaison", "password": GOOD})
    assert client.get(reverse("home")).url == reverse("password_change")


def test_office_unlocks_an_account_locked_after_failed_logins(world, login, settings):
    settings.AXES_ENABLED = True
    for ip in ("10.0.0.1", "10.0.0.2"):  # colleagues behind two addresses: both locks go
        AccessAttempt.objects.create(
            username="liaison",
            ip_address=ip,
            user_agent="x",
            get_data="",
            post_data="",
            http_accept="",
            path_info="/accounts/login/",
            failures_since_start=settings.AXES_FAILURE_LIMIT,
        )
    liaison = world.users["liaison"]
    client = login(world.users["office"])
    listed = client.get(reverse("accounts:account_list"), {"status": "locked"}).content.decode()
    assert "liaison" in listed and "登录已锁定" in listed
    assert "解除锁定" in client.get(reverse("accounts:account_detail", args=[liaison.pk])).content.decode()
    response = client.post(reverse("accounts:account_unlock", args=[liaison.pk]))
    assert response.status_code == 302 and not AccessAttempt.objects.filter(username="liaison").exists()
    assert AccountEvent.objects.filter(account=liaison, action=AccountAction.UNLOCK).exists()


def test_deactivating_keeps_everything_the_person_did_and_blocks_login(world, login, client):
    member = world.users["group1_member"]
    drafted = Finding.objects.filter(author=member).count()
    office = login(world.users["office"])
    page = office.get(reverse("accounts:account_detail", args=[member.pk])).content.decode()
    assert "data-confirm=" in page and "确定停用账号" in page  # asked before it happens
    assert office.post(reverse("accounts:account_deactivate", args=[member.pk])).status_code == 302
    member.refresh_from_db()
    assert not member.is_active and Finding.objects.filter(author=member).count() == drafted > 0
    office.logout()
    assert not client.login(username="group1_member", password="pw")
    office = login(world.users["office"])
    office.post(reverse("accounts:account_reactivate", args=[member.pk]))
    member.refresh_from_db()
    assert member.is_active
    actions = list(AccountEvent.objects.filter(account=member).values_list("action", flat=True))
    assert actions == [AccountAction.REACTIVATE, AccountAction.DEACTIVATE]


def test_the_office_cannot_deactivate_itself_or_drop_its_own_office_role(world, login):
    office = world.users["office"]
    client = login(office)
    client.post(reverse("accounts:account_deactivate", args=[office.pk]))
    client.post(reverse("accounts:role_revoke", args=[office.pk]), {"role": AccountRole.OFFICE})
    office.refresh_from_db()
    assert office.is_active and Role.OFFICE in roles_of(User.objects.get(pk=office.pk))


@pytest.mark.parametrize(
    "role, data, check",
    [
        (AccountRole.OFFICE, {}, lambda w, u: Role.OFFICE in roles_of(u)),
        (AccountRole.LEADERSHIP, {}, lambda w, u: Role.LEADERSHIP in roles_of(u)),
        (
            AccountRole.UNIT_LIAISON,
            {"unit": "education"},
            lambda w, u: UnitLiaison.objects.filter(user=u, unit=w.units.education).exists(),
        ),
        (
            AccountRole.UNIT_HEAD,
            {"unit": "education"},
            lambda w, u: PartyUnit.objects.filter(pk=w.units.education.pk, head=u).exists(),
        ),
        (
            AccountRole.BODY_LIAISON,
            {"body": ReceivingBody.ORGANISATION},
            lambda w, u: BodyLiaison.objects.filter(user=u, body=ReceivingBody.ORGANISATION).exists(),
        ),
    ],
)
def test_office_gives_and_takes_every_role_in_the_app(world, login, role, data, check):
    user = _new(world)
    if "unit" in data:
        data = {**data, "unit": getattr(world.units, data["unit"]).pk}
    client = login(world.users["office"])
    response = client.post(reverse("accounts:role_grant", args=[user.pk]), {"role": role, **data})
    assert response.status_code == 302
    fresh = User.objects.get(pk=user.pk)
    assert check(world, fresh)
    detail = client.get(reverse("accounts:account_detail", args=[user.pk])).content.decode()
    assert str(AccountRole(role).label) in detail.split('id="roles"')[1].split("授予角色")[0]
    grant = AccountEvent.objects.get(account=user, action=AccountAction.GRANT)
    assert grant.actor == world.users["office"] and str(AccountRole(role).label) in grant.detail
    revoke = {"role": role}
    if role == AccountRole.UNIT_HEAD:
        revoke["unit"] = world.units.education.pk
    client.post(reverse("accounts:role_revoke", args=[user.pk]), revoke)
    assert not check(world, User.objects.get(pk=user.pk))
    assert AccountEvent.objects.filter(account=user, action=AccountAction.REVOKE, actor=world.users["office"]).exists()


def test_a_role_row_keeps_its_own_history_with_the_actor(world):
    user = _new(world)
    role_grant(actor=world.users["office"], user=user, role=AccountRole.UNIT_HEAD, unit=world.units.finance)
    role_grant(actor=world.users["office"], user=user, role=AccountRole.UNIT_LIAISON, unit=world.units.finance)
    assert world.units.finance.history.latest().history_user == world.users["office"]
    assert UnitLiaison.history.filter(user_id=user.pk).latest().history_user == world.users["office"]


def test_office_and_leadership_are_not_held_together(world, login):
    client = login(world.users["office"])
    leader = world.users["leadership"]
    response = client.post(reverse("accounts:role_grant", args=[leader.pk]), {"role": AccountRole.OFFICE})
    assert response.status_code == 200 and "不能兼任" in response.content.decode()
    assert Role.OFFICE not in roles_of(User.objects.get(pk=leader.pk))


def test_a_unit_role_without_a_unit_is_a_form_error(world, login):
    user = _new(world)
    response = login(world.users["office"]).post(
        reverse("accounts:role_grant", args=[user.pk]), {"role": AccountRole.UNIT_LIAISON}
    )
    assert response.status_code == 200 and "请选择单位" in response.content.decode()
    assert not UnitLiaison.objects.filter(user=user).exists()


def test_group_roles_show_read_only(world, login):
    leader = world.users["group1_leader"]
    page = login(world.users["office"]).get(reverse("accounts:account_detail", args=[leader.pk])).content.decode()
    roles = page.split('id="roles"')[1].split("授予角色")[0]
    assert "组长" in roles and "第一巡察组" in roles and "撤销" not in roles


def test_list_searches_filters_and_shows_roles_and_last_login(world, login):
    office = world.users["office"]
    User.objects.filter(pk=office.pk).update(last_login=timezone.now())
    client = login(office)
    page = client.get(reverse("accounts:account_list")).content.decode()
    assert "吴联络" in page and "单位联络员·县财政局党组" in page and "纪委监委/组织部对接人·县纪委监委" in page
    found = client.get(reverse("accounts:account_list"), {"q": "吴联络"}).content.decode()
    assert "liaison" in found and "jiwei" not in found
    by_role = client.get(reverse("accounts:account_list"), {"role": AccountRole.BODY_LIAISON}).content.decode()
    assert "jiwei" in by_role and "liaison" not in by_role.split("<tbody>")[1]
    nobody = client.get(reverse("accounts:account_list"), {"role": "none"}).content.decode().split("<tbody>")[1]
    assert "nobody" in nobody and "jiwei" not in nobody


def test_list_query_count_does_not_grow_with_the_rows(world, login, django_assert_max_num_queries):
    client = login(world.users["office"])
    client.get(reverse("accounts:account_list"))
    for i in range(30):
        user = _new(world, username=f"u{i:02d}", unit=world.units.finance)
        role_grant(actor=world.users["office"], user=user, role=AccountRole.UNIT_HEAD, unit=world.units.township)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("accounts:account_list"), {"per": 100}).status_code == 200


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_edit_form_round_trips_unchanged(world, login, language):
    user = _new(world, phone="13900000000", email="a@example.org", unit=world.units.finance)
    client = login(world.users["office"])
    client.cookies["django_language"] = language
    url = reverse("accounts:account_update", args=[user.pk])
    form = client.get(url, HTTP_ACCEPT_LANGUAGE=language).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    before = (User.objects.filter(pk=user.pk).values().get(), Profile.objects.filter(user=user).values().get())
    assert client.post(url, data, HTTP_ACCEPT_LANGUAGE=language).status_code == 302
    after = (User.objects.filter(pk=user.pk).values().get(), Profile.objects.filter(user=user).values().get())
    assert before == after
    assert not AccountEvent.objects.filter(account=user, action=AccountAction.UPDATE).exists()


def test_an_edit_is_logged_field_by_field(world, login):
    user = _new(world)
    login(world.users["office"]).post(
        reverse("accounts:account_update", args=[user.pk]), {"username": "zhangsan", "name": "张叁", "phone": "1"}
    )
    event = AccountEvent.objects.get(account=user, action=AccountAction.UPDATE)
    assert "张三 → 张叁" in event.detail and event.actor == world.users["office"]


# --- 人才库 -----------------------------------------------------------------------------------


def test_a_pool_person_gets_an_account_in_one_step(world, login):
    person = Inspector.objects.create(name="陈明", home_unit=world.units.education)
    client = login(world.users["office"])
    page = client.get(reverse("rounds:inspector_detail", args=[person.pk])).content.decode()
    assert reverse("accounts:inspector_account", args=[person.pk]) in page
    response = client.post(
        reverse("accounts:inspector_account", args=[person.pk]),
        {"create": "1", "username": "chenming", "password": GOOD},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.user.username == "chenming" and person.user.first_name == "陈明"
    assert person.user.profile.unit == world.units.education and person.user.profile.must_change_password


def test_linking_an_existing_account_carries_the_group_rights(world, login):
    """The 1组成员 person re-linked to a fresh account: the new account sees group 1's inspection, the old one not."""
    person = Inspector.objects.get(user=world.users["group1_member"])
    fresh = _new(world, username="newlogin")
    client = login(world.users["office"])
    response = client.post(reverse("accounts:inspector_account", args=[person.pk]), {"link": "1", "user": fresh.pk})
    assert response.status_code == 302
    inspection = reverse("rounds:inspection_detail", args=[world.g1.inspection.pk])
    Profile.objects.filter(user=fresh).update(must_change_password=False)
    assert login(User.objects.get(pk=fresh.pk)).get(inspection).status_code == 200
    assert login(User.objects.get(pk=world.users["group1_member"].pk)).get(inspection).status_code == 404
    assert AccountEvent.objects.filter(account=fresh, action=AccountAction.LINK_INSPECTOR).exists()


def test_an_account_linked_elsewhere_is_refused(world, login):
    person = Inspector.objects.create(name="陈明")
    taken = world.users["group2_leader"]
    response = login(world.users["office"]).post(
        reverse("accounts:inspector_account", args=[person.pk]), {"link": "1", "user": taken.pk}
    )
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.user is None


def test_navigation_offers_the_area_to_the_office_only(world, login):
    for persona in ("office", "leadership", "liaison"):
        nav = login(world.users[persona]).get(reverse("home")).content.decode().split("</nav>")[0]
        assert (f'href="{reverse("accounts:account_list")}"' in nav) == (persona == "office"), persona


@pytest.mark.parametrize("persona", ["leadership", "group1_leader", "liaison", "jiwei", "nobody"])
def test_no_one_but_the_office_changes_an_account_or_a_role(world, login, persona):
    target = world.users["nobody"] if persona != "nobody" else world.users["liaison"]
    client = login(world.users[persona])
    posts = [
        ("accounts:role_grant", {"role": AccountRole.OFFICE}),
        ("accounts:account_deactivate", {}),
        ("accounts:account_reset_password", {"password": GOOD}),
        ("accounts:account_update", {"username": "renamed", "name": "改名"}),
    ]
    for name, data in posts:
        assert client.post(reverse(name, args=[target.pk]), data).status_code == 404
    target.refresh_from_db()
    assert target.is_active and target.username != "renamed" and not target.check_password(GOOD)
    assert Role.OFFICE not in roles_of(User.objects.get(pk=target.pk))
    assert not AccountEvent.objects.exists()


def test_a_superuser_is_out_of_the_office_s_reach(world, login):
    """Django admin's superuser: were its password resettable here, the office could make itself one."""
    admin = User.objects.create_superuser("admin", password="pw")
    client = login(world.users["office"])
    assert (
        "admin"
        not in client.get(reverse("accounts:account_list"), {"status": "all"}).content.decode().split("<tbody>")[1]
    )
    response = client.post(reverse("accounts:account_reset_password", args=[admin.pk]), {"password": GOOD})
    assert response.status_code == 404
    admin.refresh_from_db()
    assert admin.check_password("pw")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_county_form_round_trips_unchanged(world, login, language):
    from xuncha.models import SiteSettings
    from xuncha.setup import site_settings_save

    site_settings_save(
        actor=world.users["office"],
        county_name="清河县",
        term_label="第十五届",
        term_start_year=2026,
        term_end_year=2030,
    )
    client = login(world.users["office"])
    client.cookies["django_language"] = language
    form = client.get(reverse("setup_county")).context["form"]
    data = {name: form[name].value() if form[name].value() is not None else "" for name in form.fields}
    before = SiteSettings.objects.values().get()
    assert client.post(reverse("setup_county"), data).status_code == 302
    assert SiteSettings.objects.values().get() == before


def test_a_locked_out_person_logs_in_again_once_the_office_unlocks(world, settings):
    from django.test import Client

    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    person, office = Client(), Client()
    for _ in range(3):
        person.post(reverse("login"), {"username": "liaison", "password": "wrong"})
    assert person.post(reverse("login"), {"username": "liaison", "password": "pw"}).status_code == 429
    office.force_login(world.users["office"])
    assert office.post(reverse("accounts:account_unlock", args=[world.users["liaison"].pk])).status_code == 302
    response = person.post(reverse("login"), {"username": "liaison", "password": "pw"})
    assert response.status_code == 302 and response.url == reverse("home")


def test_the_account_list_exports_with_its_filters_and_roles(world, login):
    from tests.exports_helpers import all_text, workbook

    client = login(world.users["office"])
    wb = workbook(client.get(reverse("accounts:account_list"), {"q": "吴联络", "export": "xlsx"}))
    text = all_text(wb)
    assert "liaison" in text and "单位联络员（县财政局党组）" in text and "jiwei" not in text


def test_relinking_a_person_in_the_pool_form_moves_their_group_rights(world, login):
    """The 人才库 edit form's 登录账号 too: the rights of the person's groups follow the account they log in with."""
    person = Inspector.objects.get(user=world.users["group2_member"])
    fresh = _new(world, username="relinked")
    Profile.objects.filter(user=fresh).update(must_change_password=False)
    client = login(world.users["office"])
    url = reverse("rounds:inspector_update", args=[person.pk])
    response = client.post(url, {"name": person.name, "user": fresh.pk, "is_active": "on"})
    assert response.status_code == 302
    inspection = reverse("rounds:inspection_detail", args=[world.g2.inspection.pk])
    assert login(User.objects.get(pk=fresh.pk)).get(inspection).status_code == 200
    assert login(User.objects.get(pk=world.users["group2_member"].pk)).get(inspection).status_code == 404


def test_the_unit_page_names_its_head_and_liaison(world, login):
    user = _new(world)
    role_grant(actor=world.users["office"], user=user, role=AccountRole.UNIT_HEAD, unit=world.units.finance)
    page = login(world.users["office"]).get(reverse("rounds:unit_detail", args=[world.units.finance.pk]))
    text = page.content.decode()
    assert "责任单位负责人" in text and "张三" in text and "吴联络" in text
