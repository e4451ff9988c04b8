"""Every refused write of the after-feedback matrix (documents, assessments, outcomes) answers 404 and changes
nothing; the same request from an allowed persona does change something."""

import pytest

from tests.matrix import PERSONAS
from tests.matrix.after_feedback import CASES

WRITES = [case for case in CASES if case.method == "post"]


def snapshot():
    from rectification.models import (
        Accountability,
        DocumentEvent,
        DocumentSubmission,
        LookbackProposal,
        RectificationOutcome,
        UnitDocument,
    )

    return (
        sorted(UnitDocument.objects.values_list("pk", "status")),
        DocumentEvent.objects.count(),
        DocumentSubmission.objects.count(),
        sorted(LookbackProposal.objects.values_list("pk", "status")),
        RectificationOutcome.objects.count(),
        Accountability.objects.count(),
    )


@pytest.mark.parametrize("case", WRITES, ids=[c.name for c in WRITES])
def test_refused_write_changes_nothing(case, world, client):
    for persona in PERSONAS:
        if persona in case.allowed:
            continue
        client.force_login(world.users[persona])
        url = case.url(world)
        before = snapshot()
        response = client.post(url, case.data(world) if case.data else {})
        assert response.status_code == 404, f"{persona} POST {url}: {response.status_code}"
        assert snapshot() == before, f"{persona} changed something with POST {url}"
        client.logout()


@pytest.mark.parametrize("case", WRITES, ids=[c.name for c in WRITES])
def test_allowed_write_has_its_effect(case, world, client):
    persona = sorted(case.allowed)[0]
    client.force_login(world.users[persona])
    url = case.url(world)
    before = snapshot()
    assert client.post(url, case.data(world) if case.data else {}).status_code == case.ok_status
    assert snapshot() != before
