"""An export asked for with `download_token` answers with a cookie named after it, so that the page can tell
the file has arrived (static/js/xuncha.js); a token that could break the Set-Cookie header is ignored."""

import pytest
from django.urls import reverse

from tests.exports_helpers import workbook
from xuncha.models import ExportLog

pytestmark = pytest.mark.django_db


def _download_cookies(response):
    return {name: morsel for name, morsel in response.cookies.items() if name.startswith("download-")}


@pytest.mark.parametrize(
    ("persona", "url_name", "params"),
    [
        ("office", "rectification:task_list", {}),
        ("office", "rectification:task_list", {"sheets": "round"}),
        ("office", "findings:finding_list", {}),
        ("office", "rounds:unit_list", {}),
        ("leadership", "dashboard:tasks", {}),
    ],
)
def test_an_export_with_a_token_sets_a_short_lived_cookie_the_page_can_read(world, login, persona, url_name, params):
    response = login(world.users[persona]).get(
        reverse(url_name), {"export": "xlsx", "download_token": "Ab3_-x9", **params}
    )
    workbook(response)
    cookie = _download_cookies(response)["download-Ab3_-x9"]
    assert cookie.value == "1"
    assert 0 < cookie["max-age"] <= 120
    assert cookie["path"] == "/"
    assert cookie["samesite"] == "Lax"
    assert not cookie["httponly"]  # the page's script reads it


def test_the_download_cookie_is_secure_when_the_session_cookie_is(world, login, settings):
    client = login(world.users["office"])
    for secure in (True, False):
        settings.SESSION_COOKIE_SECURE = secure
        response = client.get(reverse("exports:ledger"), {"download_token": "t1"})
        assert bool(_download_cookies(response)["download-t1"]["secure"]) is secure


@pytest.mark.parametrize(
    "token",
    [
        "",
        "abc;Path=/x",
        "abc\r\nSet-Cookie: evil=1",
        "abc\n",
        "a b",
        "abc=1",
        "令牌",
        "x" * 41,
    ],
)
def test_a_malformed_token_sets_no_cookie_and_the_file_still_comes(world, login, token):
    response = login(world.users["office"]).get(
        reverse("rectification:task_list"), {"export": "xlsx", "download_token": token}
    )
    workbook(response)
    assert _download_cookies(response) == {}
    assert "evil" not in response.cookies


def test_without_a_token_an_export_sets_no_cookie(world, login):
    response = login(world.users["office"]).get(reverse("rectification:task_list"), {"export": "xlsx"})
    workbook(response)
    assert _download_cookies(response) == {}


def test_the_token_marks_the_download_and_is_not_logged_as_a_filter(world, login):
    response = login(world.users["office"]).get(
        reverse("findings:finding_list"), {"export": "xlsx", "download_token": "t1"}
    )
    assert {name: morsel.value for name, morsel in _download_cookies(response).items()} == {"download-t1": "1"}
    assert "download_token" not in ExportLog.objects.get().filters
