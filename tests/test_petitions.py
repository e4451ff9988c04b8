"""巡察信访: the register, its handling table, the confidential petitioner, and what a petition becomes."""

import io
from datetime import timedelta

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from findings import petition_services as services
from findings.choices import PetitionChannel, PetitionRoute, PetitionStatus, Source
from findings.models import Petition, PetitionEvent
from rounds.models import Inspection
from tests.petition_support import PETITIONERS, petition_of
from xuncha.models import ExportLog

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def xlsx_text(response) -> str:
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return "\n".join(str(c) for ws in book for row in ws.iter_rows(values_only=True) for c in row if c is not None)


# --- who sees what ---------------------------------------------------------------------------
def test_member_sees_own_groups_petition_but_not_the_petitioner(world, login):
    petition = petition_of(world, 1)
    client = login(world.users["group1_member"])
    page = text(client.get(reverse("findings:petition_detail", args=[petition.pk])))
    assert "甲组机密信访" in page
    assert PETITIONERS[1] not in page and "13900000000" not in page
    listing = text(client.get(reverse("findings:petition_list")))
    assert "甲组机密信访" in listing and PETITIONERS[1] not in listing
    assert not ExportLog.objects.filter(kind="petitioner").exists()


def test_members_history_is_withheld_because_it_carries_the_petitioner(world, login):
    petition = petition_of(world, 1)
    services.petition_update(actor=world.users["group1_leader"], petition=petition, petitioner_name="改名的举报人")
    page = text(login(world.users["group1_member"]).get(reverse("findings:petition_detail", args=[petition.pk])))
    assert "改名的举报人" not in page and PETITIONERS[1] not in page


def test_leader_sees_the_petitioner_and_the_view_is_logged(world, login):
    petition = petition_of(world, 1)
    page = text(login(world.users["group1_leader"]).get(reverse("findings:petition_detail", args=[petition.pk])))
    assert PETITIONERS[1] in page
    log = ExportLog.objects.get(kind="petitioner")
    assert log.user == world.users["group1_leader"] and log.confidential and log.filters == {"id": petition.pk}


def test_office_sees_the_petitioner_leadership_does_not(world, login, client):
    petition = petition_of(world, 1)
    url = reverse("findings:petition_detail", args=[petition.pk])
    assert PETITIONERS[1] in text(login(world.users["office"]).get(url))
    client.logout()
    page = text(login(world.users["leadership"]).get(url))
    assert "甲组机密信访" in page and PETITIONERS[1] not in page


@pytest.mark.parametrize("persona", ["group1_leader", "group1_member", "liaison", "jiwei", "nobody"])
def test_group2_petition_is_404_outside_group2(world, login, persona):
    petition = petition_of(world, 2)
    client = login(world.users[persona])
    assert client.get(reverse("findings:petition_detail", args=[petition.pk])).status_code == 404
    listing = client.get(reverse("findings:petition_list"))
    assert listing.status_code in (200, 404)
    assert "乙组机密" not in text(listing)


@pytest.mark.parametrize("persona", ["liaison", "jiwei", "nobody"])
def test_liaisons_have_no_register(world, login, persona):
    assert login(world.users[persona]).get(reverse("findings:petition_list")).status_code == 404


def test_group2_petition_is_in_no_export_of_group1(world, login):
    petition_of(world, 1)
    petition_of(world, 2)
    body = xlsx_text(login(world.users["group1_leader"]).get(reverse("exports:petitions")))
    assert "甲组机密信访" in body and PETITIONERS[1] in body
    assert "乙组机密" not in body


def test_member_export_leaves_the_petitioner_out_and_is_logged_with_filters(world, login):
    petition_of(world, 1)
    client = login(world.users["group1_member"])
    response = client.get(reverse("findings:petition_list"), {"export": "xlsx", "channel": "letter"})
    body = xlsx_text(response)
    assert "甲组机密信访" in body and PETITIONERS[1] not in body and "13900000000" not in body
    log = ExportLog.objects.get(kind="petitions")
    assert log.confidential and log.filters == {"channel": "letter"} and log.row_count == 1


def test_office_export_has_every_petitioner(world, login):
    petition_of(world, 1)
    petition_of(world, 2)
    body = xlsx_text(login(world.users["office"]).get(reverse("exports:petitions")))
    assert PETITIONERS[1] in body and PETITIONERS[2] in body


# --- registering ---------------------------------------------------------------------------------
def test_leader_registers_from_the_page(world, login):
    client = login(world.users["group1_leader"])
    response = client.post(
        reverse("findings:petition_create"),
        {
            "inspection": world.g1.inspection.pk,
            "received_date": world.today.isoformat(),
            "channel": PetitionChannel.PHONE,
            "petitioner_name": "",
            "summary": "电话反映食堂账目不清",
        },
    )
    petition = Petition.objects.get()
    assert response.status_code == 302 and petition.status == PetitionStatus.RECEIVED
    assert petition.created_by == world.users["group1_leader"]
    assert list(petition.events.values_list("to_status", flat=True)) == [PetitionStatus.RECEIVED]


def test_member_cannot_register(world, login):
    client = login(world.users["group1_member"])
    assert client.get(reverse("findings:petition_create")).status_code == 404
    with pytest.raises(PermissionDenied):
        services.petition_create(
            actor=world.users["group1_member"],
            inspection=world.g1.inspection,
            received_date=world.today,
            channel=PetitionChannel.LETTER,
            summary="x",
        )


def test_leader_cannot_register_into_another_groups_inspection(world, login):
    client = login(world.users["group1_leader"])
    response = client.post(
        reverse("findings:petition_create"),
        {
            "inspection": world.g2.inspection.pk,
            "received_date": world.today.isoformat(),
            "channel": "letter",
            "summary": "x",
        },
    )
    assert response.status_code == 404 and not Petition.objects.exists()


def test_county_wide_petitions_are_the_offices(world, login):
    client = login(world.users["office"])
    response = client.post(
        reverse("findings:petition_create"),
        {"received_date": world.today.isoformat(), "channel": "qr", "summary": "扫码反映某乡镇问题"},
    )
    assert response.status_code == 302
    petition = Petition.objects.get()
    assert petition.inspection is None
    with pytest.raises(PermissionDenied):
        services.petition_create(
            actor=world.users["group1_leader"], inspection=None, received_date=world.today, channel="qr", summary="x"
        )
    client.logout()
    for persona in ("group1_leader", "group1_member"):
        page = text(login(world.users[persona]).get(reverse("findings:petition_list")))
        assert "扫码反映某乡镇问题" not in page


def test_a_future_received_date_is_refused(world):
    with pytest.raises(ValidationError):
        petition_of(world, 1, received_date=world.today + timedelta(days=1))


# --- handling ------------------------------------------------------------------------------------
def test_received_assigned_closed_with_event_rows(world, login):
    petition = petition_of(world, 1)
    client = login(world.users["group1_leader"])
    url = reverse("findings:petition_transition", args=[petition.pk])
    today = world.today.isoformat()
    client.post(url, {"to_status": "assigned", "expected_status": "received", "on": today, "route": "discipline"})
    client.post(url, {"to_status": "closed", "expected_status": "assigned", "on": today, "reply": "已转县纪委监委处理"})
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.CLOSED and petition.route == PetitionRoute.DISCIPLINE
    assert petition.reply == "已转县纪委监委处理" and petition.closed_date == world.today
    steps = list(petition.events.values_list("from_status", "to_status"))
    assert steps == [("", "received"), ("received", "assigned"), ("assigned", "closed")]


def test_member_cannot_handle(world, login):
    petition = petition_of(world, 1)
    response = login(world.users["group1_member"]).post(
        reverse("findings:petition_transition", args=[petition.pk]),
        {"to_status": "assigned", "on": world.today.isoformat(), "route": "retain"},
    )
    assert response.status_code == 404
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.RECEIVED


def test_leadership_reads_but_cannot_handle(world, login):
    petition = petition_of(world, 1)
    response = login(world.users["leadership"]).post(
        reverse("findings:petition_transition", args=[petition.pk]),
        {"to_status": "assigned", "on": world.today.isoformat(), "route": "retain"},
    )
    assert response.status_code == 404


def test_no_skipping_to_closed(world):
    petition = petition_of(world, 1)
    with pytest.raises(ValidationError):
        services.petition_transition(
            actor=world.users["group1_leader"], petition=petition, to_status="closed", on=world.today, reply="x"
        )


def test_stale_status_in_the_post_is_refused(world, login):
    petition = petition_of(world, 1)
    services.petition_transition(
        actor=world.users["office"], petition=petition, to_status="assigned", on=world.today, route="retain"
    )
    with pytest.raises(ValidationError, match="刷新"):
        services.petition_transition(
            actor=world.users["group1_leader"],
            petition=petition,
            to_status="assigned",
            expected_status="received",
            on=world.today,
            route="group",
        )


def test_department_route_needs_the_department(world):
    petition = petition_of(world, 1)
    with pytest.raises(ValidationError):
        services.petition_transition(
            actor=world.users["group1_leader"],
            petition=petition,
            to_status="assigned",
            on=world.today,
            route="department",
        )


def test_database_refuses_an_assigned_petition_without_route(world):
    petition = petition_of(world, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Petition.objects.filter(pk=petition.pk).update(status=PetitionStatus.ASSIGNED)


# --- counter -------------------------------------------------------------------------------------
def test_inspection_counter_follows_the_register_and_cannot_be_typed(world, login):
    inspection = world.g1.inspection
    petition_of(world, 1)
    petition_of(world, 1, channel=PetitionChannel.VISIT)
    assert Inspection.objects.get(pk=inspection.pk).petitions == 2
    client = login(world.users["group1_leader"])
    page = client.get(reverse("rounds:inspection_detail", args=[inspection.pk]))
    field = page.context["counters_form"]["petitions"]
    assert field.field.disabled
    client.post(
        reverse("rounds:inspection_counters", args=[inspection.pk]),
        {"interviews": 5, "documents": 0, "questionnaires": 0, "visits": 0, "petitions": 99},
    )
    inspection.refresh_from_db()
    assert inspection.petitions == 2 and inspection.interviews == 5


def test_counter_is_typed_while_no_register_exists(world, login):
    inspection = world.g1.inspection
    login(world.users["group1_leader"]).post(
        reverse("rounds:inspection_counters", args=[inspection.pk]),
        {"interviews": 0, "documents": 0, "questionnaires": 0, "visits": 0, "petitions": 7},
    )
    inspection.refresh_from_db()
    assert inspection.petitions == 7


# --- becoming a finding or a clue ------------------------------------------------------------------
def test_member_turns_petition_into_a_finding_linked_both_ways(world, login):
    petition = petition_of(world, 1)
    client = login(world.users["group1_member"])
    url = reverse("findings:petition_to_finding", args=[petition.pk])
    form = client.get(url).context["form"]
    assert form.initial["description"] == petition.summary
    response = client.post(
        url, {"category": world.category.pk, "title": "违规发放津贴", "description": petition.summary}
    )
    petition.refresh_from_db()
    finding = petition.finding
    assert finding.source == Source.PETITION and finding.author == world.users["group1_member"]
    assert response.url == reverse("findings:finding_detail", args=[finding.pk])
    assert str(petition) in text(client.get(response.url))
    assert finding.number in text(client.get(reverse("findings:petition_detail", args=[petition.pk])))
    assert client.get(url).status_code == 404  # once


def test_leader_turns_petition_into_a_clue_linked_both_ways(world, login):
    petition = petition_of(world, 1)
    client = login(world.users["group1_leader"])
    url = reverse("findings:petition_to_clue", args=[petition.pk])
    response = client.post(
        url,
        {"summary": petition.summary, "receiving_body": "discipline", "person_name": "某局长", "person_post": "局长"},
    )
    petition.refresh_from_db()
    clue = petition.clue
    assert clue.people.get().name == "某局长" and clue.inspection == world.g1.inspection
    assert str(petition) in text(client.get(response.url))
    assert f"#{clue.pk}" in text(client.get(reverse("findings:petition_detail", args=[petition.pk])))


def test_member_cannot_turn_petition_into_a_clue(world, login):
    petition = petition_of(world, 1)
    assert (
        login(world.users["group1_member"]).get(reverse("findings:petition_to_clue", args=[petition.pk])).status_code
        == 404
    )
    with pytest.raises(PermissionDenied):
        services.petition_make_clue(
            actor=world.users["group1_member"],
            petition=petition,
            summary="x",
            receiving_body="discipline",
            people=[{"name": "x"}],
        )


def test_office_cannot_draft_a_finding_from_a_petition(world, login):
    petition = petition_of(world, 1)
    response = login(world.users["office"]).get(reverse("findings:petition_to_finding", args=[petition.pk]))
    assert response.status_code == 404


# --- edit round trip -------------------------------------------------------------------------------
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_petition_form_saved_unchanged_changes_nothing(world, login, language):
    petition = petition_of(world, 1)
    client = login(world.users["group1_leader"])
    url = reverse("findings:petition_edit", args=[petition.pk])
    form = client.get(url, HTTP_ACCEPT_LANGUAGE=language).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    history = petition.history.count()
    assert client.post(url, data, HTTP_ACCEPT_LANGUAGE=language).status_code == 302
    assert petition.history.count() == history
    data["subject_person"] = "某副局长"
    client.post(url, data, HTTP_ACCEPT_LANGUAGE=language)
    petition.refresh_from_db()
    assert petition.subject_person == "某副局长" and petition.history.count() == history + 1


def test_member_has_no_edit_form(world, login):
    petition = petition_of(world, 1)
    assert (
        login(world.users["group1_member"]).get(reverse("findings:petition_edit", args=[petition.pk])).status_code
        == 404
    )


def test_nav_offers_the_register_to_groups_and_overseers_only(world, login, client):
    url = reverse("findings:petition_list")
    for persona, shown in [("group1_member", True), ("office", True), ("leadership", True), ("liaison", False)]:
        page = text(login(world.users[persona]).get(reverse("home")))
        assert (f'href="{url}"' in page) is shown, persona
        client.logout()


def test_event_rows_name_the_route(world):
    petition = petition_of(world, 1)
    services.petition_transition(
        actor=world.users["group1_leader"],
        petition=petition,
        to_status="assigned",
        on=world.today,
        route="department",
        route_detail="县人社局",
    )
    assert "县人社局" in PetitionEvent.objects.filter(to_status="assigned").get().note


def test_office_handles_a_county_wide_petition_but_not_to_a_group(world):
    # Locks a row with no inspection: on PostgreSQL FOR UPDATE must not reach the outer-joined tables.
    office = world.users["office"]
    petition = services.petition_create(
        actor=office, inspection=None, received_date=world.today, channel="qr", summary="扫码反映某村问题"
    )
    with pytest.raises(ValidationError):
        services.petition_transition(
            actor=office, petition=petition, to_status="assigned", on=world.today, route="group"
        )
    services.petition_transition(
        actor=office, petition=petition, to_status="assigned", on=world.today, route="discipline"
    )
    petition = services.petition_transition(
        actor=office, petition=petition, to_status="closed", on=world.today, reply="县纪委监委已受理"
    )
    assert petition.status == PetitionStatus.CLOSED
