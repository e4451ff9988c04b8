import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_anonymous_user_is_sent_to_the_chinese_login_page(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    page = client.get(response.url).content.decode()
    assert "巡察工作管理系统" in page and "登录" in page


def test_wrong_password_gets_a_clear_chinese_error_and_keeps_the_username(world, client):
    response = client.post(reverse("login"), {"username": "office", "password": "wrong"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "请输入一个正确的 用户名 和密码" in page or "正确的用户名和密码" in page
    assert 'value="office"' in page


def test_login_lands_on_the_roles_page(world, client):
    response = client.post(reverse("login"), {"username": "group1_member", "password": "pw"}, follow=True)
    page = response.content.decode()
    assert "巡察组成员" in page and "问题底稿" in page
    assert "巡察办工作人员" not in page


def test_repeated_failures_lock_the_account_out(world, client, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post(reverse("login"), {"username": "office", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "office", "password": "pw"})
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()


def test_sessions_expire_and_cookies_are_protected():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_AGE <= 12 * 60 * 60
    assert settings.SESSION_COOKIE_HTTPONLY
    if not settings.DEBUG:
        assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE


def test_logout_needs_a_post_and_ends_the_session(world, client):
    client.force_login(world.users["office"])
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_healthz_reports_database_and_broker(client, settings):
    settings.REDIS_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "media": "ok",
        "broker": "in-process",
        "cache": "in-process",
        "worker": "in-process",
    }


def test_healthz_fails_when_the_broker_is_down(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"].startswith("error")


def test_every_duty_on_the_landing_page_links_to_a_real_page():
    from xuncha.workbench import DUTIES

    missing = [duty.url_name for duties in DUTIES.values() for duty in duties if not duty.url]
    assert missing == []
