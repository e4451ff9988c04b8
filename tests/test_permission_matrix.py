"""Runs every case of tests/matrix/*: allowed personas get in, everyone else gets 404, nothing leaks —
in pages, JSON and downloaded Excel and Word files alike."""

import html
import importlib
import io
import pkgutil
import zipfile

import pytest

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
