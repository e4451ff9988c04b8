"""Every refused write of the findings (reports, petitions) matrix answers 404 *and changes nothing*."""

import pytest

from tests.matrix import PERSONAS, findings, petitions, reports, upper

WRITES = [case for case in findings.CASES + reports.CASES + petitions.CASES + upper.CASES if case.method == "post"]


@pytest.mark.parametrize("case", WRITES, ids=[c.name for c in WRITES])
def test_refused_write_changes_nothing(case, world, client):
    snapshot = case.extra["snapshot"]
    for persona in PERSONAS:
        if persona in case.allowed:
            continue
        client.force_login(world.users[persona])
        url = case.url(world)
        before = snapshot(world)
        response = client.post(url, case.data(world) if case.data else {})
        assert response.status_code == 404, f"{persona} POST {url}: {response.status_code}"
        assert snapshot(world) == before, f"{persona} changed something with POST {url}"
        client.logout()


@pytest.mark.parametrize("case", WRITES, ids=[c.name for c in WRITES])
def test_allowed_write_has_its_effect(case, world, client):
    """The refusals above mean something only if the same request does work for the allowed persona."""
    if not case.allowed:
        pytest.skip("nobody may do this")
    persona = sorted(case.allowed)[0]
    client.force_login(world.users[persona])
    url = case.url(world)
    before = case.extra["snapshot"](world)
    response = client.post(url, case.data(world) if case.data else {})
    assert response.status_code == case.ok_status
    assert case.extra["snapshot"](world) != before
