"""配合上级巡视/巡察: visits and requests, who sees and moves them, reminders exactly once, exports and Word."""

import io
import zipfile
from datetime import timedelta

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from rectification import reminders
from rectification.choices import ReminderState, RequestStatus, Rung
from rectification.models import Notification, Reminder
from rectification.services import upper as services
from rectification.upper_models import UpperRequest, UpperVisit
from tests.upper_support import request_of, visit_of
from xuncha.models import ExportLog

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def body(response) -> str:
    content = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    if content.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "".join(archive.read(n).decode(errors="ignore") for n in archive.namelist())
    return content.decode()


def move(world, item, to, who="liaison", **kw):
    return services.request_transition(actor=world.users[who], request=item, to_status=to, **kw)


# --- visits: the office writes, leadership reads, nobody else sees them ----------------------------
def test_office_registers_a_visit_and_assigns_a_request(world, login):
    client = login(world.users["office"])
    response = client.post(
        reverse("rectification:upper_visit_create"),
        {
            "level": "city",
            "team": "市委第二巡察组",
            "target": "县政府党组",
            "start_date": world.today.isoformat(),
            "liaison_office": "县政府办联络组",
        },
    )
    visit = UpperVisit.objects.get()
    assert response.status_code == 302 and visit.created_by == world.users["office"]
    response = client.post(
        reverse("rectification:upper_request_create", args=[visit.pk]),
        {
            "kind": "explanation",
            "title": "说明县财政局专项资金拨付情况",
            "requested_date": world.today.isoformat(),
            "owner_unit": world.units.finance.pk,
            "owner": world.users["liaison"].pk,  # one of the owning unit's people: its 联络员
            "due_date": (world.today + timedelta(days=3)).isoformat(),
        },
    )
    item = UpperRequest.objects.get()
    assert response.status_code == 302 and item.status == RequestStatus.TODO
    assert list(item.events.values_list("to_status", flat=True)) == ["todo"]


@pytest.mark.parametrize("persona", ["leadership", "group1_leader", "liaison", "nobody"])
def test_only_the_office_writes_visits_and_requests(world, login, persona):
    visit = visit_of(world)
    client = login(world.users[persona])
    assert client.get(reverse("rectification:upper_visit_create")).status_code == 404
    assert client.get(reverse("rectification:upper_request_create", args=[visit.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        services.visit_create(actor=world.users[persona], level="city")


@pytest.mark.parametrize(
    "persona,status", [("leadership", 200), ("office", 200), ("group1_leader", 404), ("liaison", 404)]
)
def test_visit_pages_are_for_office_and_leadership(world, login, persona, status):
    visit = visit_of(world)
    client = login(world.users[persona])
    assert client.get(reverse("rectification:upper_visit_list")).status_code == status
    assert client.get(reverse("rectification:upper_visit_detail", args=[visit.pk])).status_code == status


# --- requests: each owner sees their own -----------------------------------------------------------
def test_owner_sees_own_request_and_no_other(world, login):
    visit = visit_of(world)
    mine = request_of(world, visit)
    theirs = request_of(world, visit, owner="jiwei", title="安排个别谈话名单")
    client = login(world.users["liaison"])
    assert client.get(reverse("rectification:upper_request_detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("rectification:upper_request_detail", args=[theirs.pk])).status_code == 404
    listing = body(client.get(reverse("rectification:upper_request_list")))
    assert mine.title in listing and theirs.title not in listing


@pytest.mark.parametrize("persona", ["group1_leader", "group2_member", "nobody"])
def test_non_owners_have_no_request_list(world, login, persona):
    request_of(world)
    assert login(world.users[persona]).get(reverse("rectification:upper_request_list")).status_code == 404


# --- the workflow ------------------------------------------------------------------------------------
def test_owner_handles_and_reports_office_confirms(world, login):
    item = request_of(world)
    client = login(world.users["liaison"])
    url = reverse("rectification:upper_request_transition", args=[item.pk])
    client.post(url, {"to_status": "doing", "expected_status": "todo"})
    client.post(url, {"to_status": "submitted", "expected_status": "doing", "reply": "已提供台账复印件12册"})
    item.refresh_from_db()
    assert item.status == RequestStatus.SUBMITTED and item.submitted_date == world.today
    assert client.post(url, {"to_status": "confirmed"}).status_code == 404  # the owner cannot confirm
    client.logout()
    login(world.users["office"]).post(url, {"to_status": "confirmed", "expected_status": "submitted"})
    item.refresh_from_db()
    assert item.status == RequestStatus.CONFIRMED
    assert list(item.events.values_list("to_status", flat=True)) == ["todo", "doing", "submitted", "confirmed"]


def test_return_needs_a_reason_and_goes_back_to_the_owner(world):
    item = request_of(world)
    move(world, item, "doing")
    move(world, item, "submitted", reply="初稿")
    with pytest.raises(ValidationError):
        move(world, item, "returned", who="office")
    move(world, item, "returned", who="office", comment="材料不全，请补充会议纪要")
    item = move(world, item, "submitted", reply="已补充会议纪要")
    assert item.status == RequestStatus.SUBMITTED and item.reply == "已补充会议纪要"


def test_leadership_reads_but_cannot_move(world, login):
    item = request_of(world)
    client = login(world.users["leadership"])
    assert client.get(reverse("rectification:upper_request_detail", args=[item.pk])).status_code == 200
    with pytest.raises(PermissionDenied):
        move(world, item, "doing", who="leadership")


def test_stale_status_is_refused(world):
    item = request_of(world)
    move(world, item, "doing")
    with pytest.raises(ValidationError, match="刷新"):
        move(world, item, "doing", who="office", expected_status="todo")


def test_reporting_needs_the_reply(world):
    item = request_of(world)
    move(world, item, "doing")
    with pytest.raises(ValidationError):
        move(world, item, "submitted", reply="  ")


def test_database_refuses_a_submitted_request_without_reply(world):
    item = request_of(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        UpperRequest.objects.filter(pk=item.pk).update(status=RequestStatus.SUBMITTED)


# --- reminders ---------------------------------------------------------------------------------------
def test_sweep_twice_reminds_the_owner_once(world):
    item = request_of(world, due_in=5)
    reminders.sweep(world.today)
    reminders.sweep(world.today)
    rows = Reminder.objects.filter(request=item)
    assert list(rows.values_list("rung", "state")) == [(Rung.D10, ReminderState.SENT)]
    notes = Notification.objects.filter(reminder__request=item)
    assert list(notes.values_list("recipient__username", flat=True)) == ["liaison"]
    assert item.title[:10] in notes.get().title
    assert notes.get().url == reverse("rectification:upper_request_detail", args=[item.pk])


def test_an_overdue_request_reaches_the_office_too(world):
    item = request_of(world, due_in=5)
    UpperRequest.objects.filter(pk=item.pk).update(due_date=world.today - timedelta(days=2))
    reminders.sweep(world.today)
    who = set(Notification.objects.filter(reminder__request=item).values_list("recipient__username", flat=True))
    assert who == {"liaison", "office"}


def test_a_reported_request_is_not_reminded(world):
    item = request_of(world, due_in=5)
    move(world, item, "doing")
    move(world, item, "submitted", reply="已报送")
    reminders.sweep(world.today)
    assert not Reminder.objects.filter(request=item).exists()


def test_a_new_deadline_cancels_pending_rungs_and_restarts(world):
    item = request_of(world, due_in=5)
    reminders.plan(world.today)
    services.request_update(actor=world.users["office"], request=item, due_date=world.today + timedelta(days=15))
    assert Reminder.objects.get(request=item).state == ReminderState.CANCELLED
    reminders.plan(world.today)
    assert Reminder.objects.filter(request=item, state=ReminderState.PENDING).get().rung == Rung.D20


def test_database_keeps_one_rung_per_request_and_due_date(world):
    item = request_of(world)
    Reminder.objects.create(request=item, rung=Rung.D10, due_date=item.due_date)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(request=item, rung=Rung.D10, due_date=item.due_date)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(request=item, task=world.g1.task, rung=Rung.DUE, due_date=item.due_date)


# --- attachments, exports, Word ----------------------------------------------------------------------
def test_owner_attaches_a_file_download_is_logged_and_outsiders_get_404(world, login, client):
    item = request_of(world)
    owner = login(world.users["liaison"])
    owner.post(
        reverse("rectification:upper_request_attach", args=[item.pk]),
        {"files": SimpleUploadedFile("台账.pdf", PDF, content_type="application/pdf")},
    )
    attachment = item.attachments.get()
    url = reverse("rectification:upper_attachment_download", args=[attachment.pk])
    assert owner.get(url).status_code == 200
    assert ExportLog.objects.filter(kind="upper_attachment", user=world.users["liaison"]).exists()
    client.logout()
    assert login(world.users["jiwei"]).get(url).status_code == 404


def test_export_has_the_owners_rows_only(world, login):
    visit = visit_of(world)
    request_of(world, visit)
    request_of(world, visit, owner="jiwei", title="安排个别谈话名单")
    response = login(world.users["liaison"]).get(reverse("rectification:upper_request_list"), {"export": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    text = "".join(str(c) for row in book.active.iter_rows(values_only=True) for c in row if c)
    assert "三公经费" in text and "个别谈话名单" not in text
    assert ExportLog.objects.get(kind="upper_requests").row_count == 1


@pytest.mark.parametrize(
    "persona,status", [("office", 200), ("leadership", 200), ("liaison", 404), ("group1_leader", 404)]
)
def test_word_report_for_office_and_leadership_logged(world, login, persona, status):
    item = request_of(world)
    response = login(world.users[persona]).get(reverse("rectification:upper_report", args=[item.visit_id]))
    assert response.status_code == status
    if status == 200:
        text = body(response)
        assert "省委第三巡视组" in text and "三公经费" in text
        assert ExportLog.objects.get(kind="upper_report").row_count == 1


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_request_form_saved_unchanged_changes_nothing(world, login, language):
    item = request_of(world)
    client = login(world.users["office"])
    url = reverse("rectification:upper_request_edit", args=[item.pk])
    form = client.get(url, HTTP_ACCEPT_LANGUAGE=language).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    history = item.history.count()
    assert client.post(url, data, HTTP_ACCEPT_LANGUAGE=language).status_code == 302
    assert item.history.count() == history
    data["title"] = "调阅县财政局2024年度三公经费台账"
    client.post(url, data, HTTP_ACCEPT_LANGUAGE=language)
    item.refresh_from_db()
    assert item.title.endswith("2024年度三公经费台账") and item.history.count() == history + 1


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_visit_form_saved_unchanged_changes_nothing(world, login, language):
    visit = visit_of(world)
    client = login(world.users["office"])
    url = reverse("rectification:upper_visit_edit", args=[visit.pk])
    form = client.get(url, HTTP_ACCEPT_LANGUAGE=language).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    history = visit.history.count()
    assert client.post(url, data, HTTP_ACCEPT_LANGUAGE=language).status_code == 302
    assert visit.history.count() == history


def test_nav_offers_the_register_to_office_and_leadership(world, login, client):
    url = reverse("rectification:upper_visit_list")
    for persona, shown in [("office", True), ("leadership", True), ("group1_leader", False)]:
        page = body(login(world.users[persona]).get(reverse("home")))
        assert (f'href="{url}"' in page) is shown, persona
        client.logout()


def test_the_request_list_sorts_by_its_headers_and_the_visit_page_does_not(world, login):
    visit = visit_of(world)
    first = request_of(world, visit)
    second = request_of(world, visit, title="第二件交办事项")
    client = login(world.users["office"])
    listing = body(client.get(reverse("rectification:upper_request_list")))
    assert 'data-sort="due"' in listing and 'data-sort="status"' in listing
    rows = client.get(reverse("rectification:upper_request_list"), {"sort": "-requested"}).context["page_obj"]
    assert {first.pk, second.pk} <= {r.pk for r in rows}
    visit_page = body(client.get(reverse("rectification:upper_visit_detail", args=[visit.pk])))
    assert "data-sort=" not in visit_page and first.title in visit_page
