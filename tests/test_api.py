"""The REST API: one FilterSet per list, so the page, its .xlsx export and the API give the same rows for the same
filters, per persona; tokens are shown once and revocable; group isolation holds through a token; the schema
validates; a sort is kept in the pager and the export links."""

import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken
from api.services import token_create
from xuncha.exports.engine import LedgerWriter
from xuncha.models import ExportLog

PERSONAS = ("leadership", "office", "group1_leader", "group1_member", "liaison")

# (page URL, its page context key, export kind, API list, filters to try, personas that have the list)
LISTS = [
    (
        "findings:finding_list",
        "page_obj",
        "findings",
        "finding",
        [{}, {"review_state": "reported"}, {"q": "机密"}, {"sort": "-number"}, {"key_minority": "0"}],
        PERSONAS,
    ),
    (
        "rectification:task_list",
        "page",
        "ledger",
        "task",
        [{}, {"status": "not_started"}, {"overdue": "on"}, {"sort": "-due"}, {"q": "机密"}],
        PERSONAS,
    ),
    (
        "findings:clue_list",
        "page_obj",
        "clues",
        "clue",
        [{}, {"status": "transferred"}, {"sort": "created"}],
        ("leadership", "office", "group1_leader"),
    ),
]


@pytest.fixture
def exported_ids(monkeypatch):
    """The ids of the rows an export writes, in order (the workbook's columns do not all carry the id)."""
    written = []
    original = LedgerWriter.row

    def row(self, obj):
        written.append(obj.pk)
        return original(self, obj)

    monkeypatch.setattr(LedgerWriter, "row", row)
    return written


def _token_client(world, persona) -> Client:
    _token, key = token_create(actor=world.users["office"], user=world.users[persona], name="test")
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


@pytest.mark.parametrize("persona", PERSONAS)
def test_page_export_and_api_return_the_same_rows_for_the_same_filters(persona, world, client, exported_ids):
    client.force_login(world.users[persona])
    api = _token_client(world, persona)
    for page_url, page_key, kind, api_name, trials, readers in LISTS:
        if persona not in readers:
            continue
        for params in trials:
            page = client.get(reverse(page_url), params)
            assert page.status_code == 200
            page_ids = [row.pk for row in page.context[page_key]]
            exported_ids.clear()
            assert client.get(reverse(page_url), {**params, "export": "xlsx"}).status_code == 200
            from_page_export = list(exported_ids)
            exported_ids.clear()
            assert client.get(reverse(f"exports:{kind}"), params).status_code == 200
            from_export_url = list(exported_ids)
            answer = api.get(reverse(f"api:{api_name}-list"), {**params, "per": 100})
            assert answer.status_code == 200, answer.content
            api_ids = [row["id"] for row in answer.json()["results"]]
            where = f"{persona} {kind} {params}"
            if not params:
                assert page_ids, f"{where}: the list must have rows to compare"
            assert from_page_export == page_ids, where
            assert api_ids == page_ids, where
            if "sort" in params:  # the reader's sort holds in the export centre's file too
                assert from_export_url == page_ids, where
            else:
                assert sorted(from_export_url) == sorted(page_ids), where


@pytest.mark.parametrize("persona", ["group1_leader", "group1_member"])
def test_a_group1_token_never_reads_group2_findings_or_clues(persona, world):
    api = _token_client(world, persona)
    findings = api.get(reverse("api:finding-list"), {"per": 100}).json()["results"]
    assert world.g1.finding.pk in {f["id"] for f in findings}
    assert world.g2.finding.pk not in {f["id"] for f in findings}
    assert "乙组机密" not in api.get(reverse("api:finding-list")).content.decode()
    assert api.get(reverse("api:finding-detail", args=[world.g2.finding.pk])).status_code == 404
    assert api.get(reverse("api:task-detail", args=[world.g2.task.pk])).status_code == 404
    # A filter naming the other group's rows finds nothing; it never widens the list.
    assert api.get(reverse("api:finding-list"), {"inspection": world.g2.inspection.pk}).status_code in (200, 400)
    assert world.g2.finding.pk not in {
        f["id"] for f in api.get(reverse("api:finding-list"), {"group": world.g2.group.pk}).json().get("results", [])
    }
    clues = api.get(reverse("api:clue-list"))
    assert api.get(reverse("api:clue-detail", args=[world.g2.clue.pk])).status_code == 404
    if persona == "group1_member":
        assert clues.status_code == 404  # members have no clues at all
    else:
        assert {c["id"] for c in clues.json()["results"]} == {world.g1.clue.pk}


def test_a_refused_filter_value_is_a_400_not_a_wider_list(world):
    api = _token_client(world, "office")
    assert api.get(reverse("api:finding-list"), {"review_state": "nonsense"}).status_code == 400
    assert api.get(reverse("api:task-list"), {"round": "abc"}).status_code == 400
    assert api.get(reverse("api:task-list"), {"sort": "measure"}).status_code == 400  # not a sortable column


def test_api_reads_of_findings_and_clues_are_logged_like_exports(world):
    api = _token_client(world, "office")
    api.get(reverse("api:finding-list"), {"review_state": "reported"})
    api.get(reverse("api:clue-detail", args=[world.g1.clue.pk]))
    api.get(reverse("api:task-list"))  # not confidential: not logged
    logs = list(ExportLog.objects.filter(user=world.users["office"]).order_by("pk"))
    assert [(log.kind, log.confidential) for log in logs] == [("api_findings", True), ("api_clues", True)]
    assert logs[0].filters == {"review_state": "reported"} and logs[0].row_count >= 1
    assert logs[1].filters == {"id": str(world.g1.clue.pk)} or logs[1].filters == {"id": world.g1.clue.pk}


def test_a_token_is_shown_once_stored_hashed_and_refused_once_revoked(world, client):
    office, member = world.users["office"], world.users["group1_member"]
    client.force_login(office)
    detail = reverse("accounts:account_detail", args=[member.pk])
    response = client.post(reverse("api:token_create", args=[member.pk]), {"name": "纪委监委平台"})
    assert response.status_code == 302
    page = client.get(detail).content.decode()
    key = re.search(r'id="new-api-token">([^<]+)<', page).group(1)
    assert key.startswith("xc_")
    assert key not in client.get(detail).content.decode()  # shown once
    token = ApiToken.objects.get(user=member)
    assert key not in (token.key_hash, token.prefix) and key.startswith(token.prefix)

    api = Client(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get(reverse("api:finding-list")).status_code == 200
    assert api.get(reverse("api:finding-list"), HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    assert client.post(reverse("api:token_revoke", args=[token.pk])).status_code == 302
    assert api.get(reverse("api:finding-list")).status_code == 401
    assert Client(HTTP_AUTHORIZATION="Token xc_guessed").get(reverse("api:finding-list")).status_code == 401


def test_only_the_office_issues_or_revokes_tokens(world, client):
    member = world.users["group1_member"]
    token, _key = token_create(actor=world.users["office"], user=member, name="x")
    for persona in ("leadership", "group1_leader", "group1_member"):
        client.force_login(world.users[persona])
        assert client.post(reverse("api:token_create", args=[member.pk]), {"name": "y"}).status_code == 404
        assert client.post(reverse("api:token_revoke", args=[token.pk])).status_code == 404
    assert ApiToken.objects.filter(user=member).count() == 1
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_openapi_schema_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    schema = (tmp_path / "schema.yml").read_text()
    for path in ("/api/v1/findings/", "/api/v1/clues/", "/api/v1/tasks/", "/api/v1/progress/", "/api/v1/units/"):
        assert path in schema


def test_the_docs_pages_load_their_assets_locally_and_carry_no_inline_script(world, client):
    client.force_login(world.users["office"])
    for name in ("api:swagger", "api:redoc"):
        response = client.get(reverse(name))
        body = response.content.decode()
        assert response.status_code == 200
        assert "https://" not in body and "http://" not in body  # no CDN
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body), f"inline script on {name}"
        assert "script-src 'self'" in response["Content-Security-Policy"]
        assert "unsafe-inline" not in response["Content-Security-Policy"].split("script-src")[1].split(";")[0]
    script = client.get(reverse("api:swagger") + "?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()


def test_a_sort_is_kept_by_the_filters_the_pager_and_the_export(world, client):
    client.force_login(world.users["office"])
    url = reverse("rectification:task_list")
    page = client.get(url, {"sort": "-due", "status": "not_started", "per": 20}).content.decode()
    header = re.search(r'<a class="sort-link[^"]*" href="\?([^"]+)" data-sort="due"', page).group(1)
    assert "sort=due" in header and "status=not_started" in header and "per=20" in header  # flips, keeps the rest
    assert '<input type="hidden" name="sort" value="-due">' in page  # a new filter keeps the sort
    export = re.search(r'href="\?([^"]*export=xlsx[^"]*)"', page).group(1)
    assert "sort=-due" in export and "status=not_started" in export


def test_the_ledger_opens_on_open_tasks_first(world, client):
    from rectification.choices import TaskStatus
    from rectification.models import RectificationTask

    RectificationTask.objects.filter(pk=world.g1.task.pk).update(status=TaskStatus.CLOSED, closed_at=timezone.now())
    client.force_login(world.users["office"])
    rows = list(client.get(reverse("rectification:task_list")).context["page"])
    statuses = [t.status == TaskStatus.CLOSED for t in rows]
    assert statuses == sorted(statuses) and statuses[-1]  # every open task before the closed one


def test_the_office_filters_findings_by_round_group_and_unit(world, client):
    client.force_login(world.users["office"])
    url = reverse("findings:finding_list")
    g1 = {f.pk for f in client.get(url, {"group": world.g1.group.pk}).context["page_obj"]}
    assert world.g1.finding.pk in g1 and world.g2.finding.pk not in g1
    by_unit = {f.pk for f in client.get(url, {"unit": world.units.education.pk}).context["page_obj"]}
    assert world.g2.finding.pk in by_unit and world.g1.finding.pk not in by_unit
    by_round = {f.pk for f in client.get(url, {"round": world.round.pk}).context["page_obj"]}
    assert {world.g1.finding.pk, world.g2.finding.pk} <= by_round
