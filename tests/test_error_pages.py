"""The error pages: the site's layout, in Chinese (English with the switcher), saying what happened and where
to go; 404 tells nothing about whether what was asked for exists; the 500 page needs no database."""

import re

import pytest
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404
from django.test import Client
from django.urls import path, reverse

from xuncha import urls as site_urls
from xuncha import views as site_views


def _raise(exc):
    def view(request):
        raise exc

    return view


def _crash(request):
    raise RuntimeError("boom")


# The site's URLs with four that fail on purpose.
urlpatterns = [
    path("fail/400/", _raise(BadRequest("bad"))),
    path("fail/403/", _raise(PermissionDenied("secret reason"))),
    path("fail/404/", _raise(Http404("secret reason"))),
    path("fail/500/", _crash),
    *site_urls.urlpatterns,
]
handler500 = site_urls.handler500

pytestmark = pytest.mark.urls(__name__)

EXPECTED = {
    "400": ("请求有误", "Bad request"),
    "403": ("无权进行此操作", "not allowed"),
    "404": ("找不到该页面", "Page not found"),
    "500": ("系统出现错误", "Something went wrong"),
}


def _client(world, language="zh-hans"):
    client = Client(raise_request_exception=False)
    client.force_login(world.users["group1_leader"])
    client.cookies["django_language"] = language
    return client


@pytest.mark.parametrize("code", EXPECTED)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_each_error_page_speaks_the_readers_language_in_the_sites_layout(code, language, world, settings):
    assert settings.DEBUG is False
    response = _client(world, language).get(f"/fail/{code}/")
    assert response.status_code == int(code)
    body = response.content.decode()
    assert f'data-error-page="{code}"' in body
    assert EXPECTED[code][language == "en"] in body
    assert 'href="/"' in body  # where to go: the workbench
    assert "bootstrap.min.css" in body  # the site's layout
    assert "secret reason" not in body and "boom" not in body  # nothing of the exception's own words


def test_the_405_page_is_the_sites_error_page(world):
    response = _client(world).get(reverse("rounds:unit_deactivate", args=[world.units.outside.pk]))
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert "不支持此操作方式" in response.content.decode()


def test_a_post_without_its_csrf_token_gets_the_expired_page_page(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["office"])
    client.cookies["django_language"] = "en"
    response = client.post(reverse("rounds:unit_create"), {"name": "县审计局党组", "kind": "department"})
    assert response.status_code == 403
    body = response.content.decode()
    assert 'data-error-page="403-csrf"' in body
    assert "This page has expired" in body


def _without_csrf_tokens(body: str) -> str:
    return re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', r"\1", body)


def test_out_of_scope_and_nonexistent_answer_the_same_page(world):
    client = _client(world)  # group 1's leader asks for group 2's finding, and for one that never existed
    foreign = client.get(reverse("findings:finding_detail", args=[world.g2.finding.pk]))
    missing = client.get(reverse("findings:finding_detail", args=[10**9]))
    assert foreign.status_code == missing.status_code == 404
    # Alike but for the address itself (the language switcher returns to it) and the CSRF tokens.
    foreign_body = foreign.content.decode().replace(f"/{world.g2.finding.pk}/", "/ID/")
    missing_body = missing.content.decode().replace(f"/{10**9}/", "/ID/")
    assert _without_csrf_tokens(foreign_body) == _without_csrf_tokens(missing_body)
    assert "不在您的工作范围内" in foreign.content.decode()


def test_the_500_page_renders_without_the_database(rf):
    # What failed may be the database itself: the page asks it nothing and needs no context processor
    # (this test has no database: pytest-django fails any query).
    response = site_views.server_error(rf.get("/"))
    assert response.status_code == 500
    assert "系统出现错误" in response.content.decode()
    assert "bootstrap.min.css" in response.content.decode()


def test_the_500_page_falls_back_to_a_bare_page_when_its_template_fails(rf, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("template broke")

    monkeypatch.setattr(site_views, "render_to_string", broken)
    response = site_views.server_error(rf.get("/"))
    assert response.status_code == 500
    assert "系统出现错误" in response.content.decode()
