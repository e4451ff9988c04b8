"""Runs every case of tests/matrix/*: allowed personas get in, everyone else gets 404, nothing leaks."""

import importlib
import pkgutil

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
        if response.status_code == 200 and not getattr(response, "streaming", False):
            body = response.content.decode(errors="ignore")
            for marker in FORBIDDEN_MARKERS.get(persona, []):
                assert marker not in body, f"{persona} sees {marker} on {url}"
        client.logout()


def test_every_case_has_a_unique_name():
    names = [c.name for c in CASES]
    assert len(names) == len(set(names))
