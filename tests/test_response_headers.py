"""Nothing the app answers is kept by a browser or a proxy: `Cache-Control: no-store` on every page, JSON,
export, Word document and evidence download (tests/matrix lists them all), on error pages and the login page;
and each carries the Content-Security-Policy (tests/browser/test_csp.py shows the pages work under it)."""

import pytest
from django.conf import settings
from django.urls import reverse

from api.views import RedocView
from tests.test_permission_matrix import CASES

READS = [case for case in CASES if case.method == "get" and case.allowed]
KINDS = {  # one of each kind the issue names, so that a matrix change cannot drop a kind unnoticed
    "finding_detail_g1_reported",
    "clue_detail_g1",
    "task_detail_g1",
    "finding_list",
    "clue_list",
    "task_list",
    "dashboard",
    "dashboard-json",
    "lookup_ledger_units",
    "export_ledger",
    "reminder_export",
    "word_feedback_group1",
    "word_finding_group1",
    "word_notice_finance",
    "evidence_download_g1",
    "evidence_download",
    "export_log",
}


def test_every_kind_of_confidential_url_is_checked():
    assert KINDS <= {case.name for case in READS}, KINDS - {case.name for case in READS}


@pytest.mark.parametrize("case", READS, ids=[c.name for c in READS])
def test_every_page_and_file_is_sent_with_no_store_and_the_csp(case, world, client):
    client.force_login(world.users[min(case.allowed)])
    response = client.get(case.url(world))
    assert response.status_code == case.ok_status
    assert "no-store" in response["Cache-Control"], response.get("Cache-Control")
    # The API's Redoc page alone sends its own policy (inline styles, never scripts: api/views.py RedocView).
    policy = RedocView.CSP if case.url(world) == reverse("api:redoc") else settings.CONTENT_SECURITY_POLICY
    assert response["Content-Security-Policy"] == policy


def test_the_policy_allows_only_the_sites_own_scripts_and_styles(settings):
    directives = dict(d.split(" ", 1) for d in settings.CONTENT_SECURITY_POLICY.split("; "))
    assert directives["default-src"] == directives["script-src"] == directives["style-src"] == "'self'"
    assert "unsafe" not in settings.CONTENT_SECURITY_POLICY


def test_refusals_errors_and_the_login_page_are_not_stored_either(world, client):
    assert "no-store" in client.get(reverse("login"))["Cache-Control"]
    assert "no-store" in client.get(reverse("home"))["Cache-Control"]  # the redirect to the login page
    client.force_login(world.users["group2_member"])
    refused = client.get(reverse("findings:finding_detail", args=[world.g1.finding.pk]))
    assert refused.status_code == 404 and "no-store" in refused["Cache-Control"]
    assert "Content-Security-Policy" in refused


def test_static_files_are_answered_before_the_no_store_rule():
    order = settings.MIDDLEWARE
    assert order.index("whitenoise.middleware.WhiteNoiseMiddleware") < order.index(
        "xuncha.middleware.NoStoreMiddleware"
    )
