"""Runs every case of tests/matrix/*: allowed personas get in, everyone else gets 404, nothing leaks —
in pages, JSON and downloaded Excel and Word files alike."""

import html
import importlib
import io
import pkgutil
import zipfile

import pytest
from django.urls import reverse

import tests.matrix as matrix
from tests.matrix import FORBIDDEN_MARKERS, PERSONAS

CASES = [
    case
    for info in pkgutil.iter_modules(matrix.__path__)
    for case in importlib.import_module(f"tests.matrix.{info.name}").CASES
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_matrix(case, world, client):
    for persona in PERSONAS:
        client.force_login(world.users[persona])
        url = case.url(world)
        if case.method == "post":
            response = client.post(url, case.data(world) if case.data else {})
        else:
            response = client.get(url)
        expected = case.ok_status if persona in case.allowed else 404
        assert response.status_code == expected, f"{persona} {case.method.upper()} {url}: {response.status_code}"
        if response.status_code == 200:
            body = readable_text(response)
            for marker in FORBIDDEN_MARKERS.get(persona, []):
                assert marker not in body, f"{persona} sees {marker} on {url}"
        client.logout()


def readable_text(response) -> str:
    """What the persona receives, as text: a page, JSON, or every part of a downloaded .xlsx/.docx (zip of XML)."""
    content = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    if content.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            # XML parts may write Chinese as character references (&#30002;): unescape them.
            return "".join(html.unescape(archive.read(name).decode(errors="ignore")) for name in archive.namelist())
    return content.decode(errors="ignore")


def test_every_case_has_a_unique_name():
    names = [c.name for c in CASES]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("name", ["export_ledger", "export_findings", "word_feedback_group1"])
def test_downloads_are_read_as_text_so_a_leak_would_show(name, world, client):
    # Without this, a file format the reader cannot see into would make the marker checks pass vacuously.
    case = next(c for c in CASES if c.name == name)
    client.force_login(world.users["office"])
    assert "甲组机密" in readable_text(client.get(case.url(world)))


# --- The anonymous persona and the CSRF-enforcing client -------------------------------------------------

PROJECT_APPS = ("rounds", "findings", "rectification", "xuncha", "auth", "guardian")


def footprint() -> dict:
    """How many rows every table of the project holds (history and logs included): a write shows here."""
    from django.apps import apps

    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in PROJECT_APPS and not model._meta.proxy
    }


def _is_sent_to_login(response, url) -> bool:
    from django.conf import settings
    from django.shortcuts import resolve_url

    if url.startswith("/api/"):  # the REST API has no login page: 401, asking for a token
        return response.status_code == 401 and response.get("WWW-Authenticate") == "Token"
    login = resolve_url(settings.LOGIN_URL)
    return response.status_code == 302 and response["Location"].startswith(f"{login}?next=")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_anonymous_is_sent_to_login_and_changes_nothing(case, world, client):
    # No URL of the matrix is public: the case's own method must ask for a login (a view without
    # login_required would answer 404 or 200 here); the other method may also be refused as not allowed.
    url = case.url(world)
    data = case.data(world) if case.data else {}
    before = footprint()
    own = client.post(url, data) if case.method == "post" else client.get(url)
    assert _is_sent_to_login(own, url), f"anonymous {case.method.upper()} {url}: {own.status_code}"
    other = client.get(url) if case.method == "post" else client.post(url, data)
    assert other.status_code == 405 or _is_sent_to_login(other, url), f"anonymous other method {url}"
    assert footprint() == before, f"anonymous changed something on {url}"


WRITES = [case for case in CASES if case.method == "post"]


@pytest.mark.parametrize("case", WRITES, ids=[c.name for c in WRITES])
def test_a_write_without_its_csrf_token_is_refused_and_changes_nothing(case, world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users[min(case.allowed, default="office")])
    url = case.url(world)
    data = case.data(world) if case.data else {}
    before = footprint()
    snapshot = case.extra.get("snapshot", lambda w: None)(world)
    response = client.post(url, data)
    assert response.status_code == 403, f"POST {url} without a CSRF token: {response.status_code}"
    assert footprint() == before
    assert case.extra.get("snapshot", lambda w: None)(world) == snapshot


def test_the_csrf_check_refuses_only_what_lacks_the_token(world):
    # Without this, a client that refused everything would make the test above pass.
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["office"])
    token = client.get(reverse("rounds:unit_create")).context["csrf_token"]
    data = {"name": "县审计局党组", "kind": "department", "csrfmiddlewaretoken": str(token)}
    assert client.post(reverse("rounds:unit_create"), data).status_code == 302
