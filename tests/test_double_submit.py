"""A create form submitted twice (a double click, a resent POST, the back button) creates one row, and the second
submission leads to what the first one made. One row of CREATE_FORMS per create form."""

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from findings.choices import ReceivingBody, ReviewState, Source
from findings.models import Clue, Evidence, Finding
from rectification.choices import TaskStatus
from rectification.models import Feedback, ProgressReport, RectificationTask, SpotCheck
from rounds.choices import InspectionKind, MemberRole, Stage, UnitKind
from rounds.models import Avoidance, GroupMembership, Inspection, InspectionGroup, Inspector, PartyUnit, Plan, Round
from tests.edit_forms import rendered_form
from tests.findings_support import PDF

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class CreateForm:
    name: str
    persona: str
    model: Any
    page: Any  # world -> URL of the page showing the form
    action: Any = None  # world -> URL the form posts to; None: the page itself
    fill: Any = field(default=lambda w: {})  # world -> what the user types
    setup: Any = None  # world -> None: what must exist for the form to be offered


def _closed_task(w):
    RectificationTask.objects.filter(pk=w.g1.task.pk).update(status=TaskStatus.CLOSED, closed_at=timezone.now())


def _spare_inspector(w):
    w.spare = Inspector.objects.create(name="后备干部")


def _waiting_for_feedback(w):
    inspection = Inspection.objects.create(
        round=w.round, group=w.g1.group, unit=w.units.township, kind=InspectionKind.REGULAR, stage=Stage.FEEDBACK
    )
    Finding.objects.create(
        inspection=inspection,
        seq=1,
        category=w.category,
        title="镇党委会议记录不全",
        source=Source.DOCUMENTS,
        review_state=ReviewState.REPORTED,
        author=w.users["group1_member"],
    )
    w.waiting = inspection


CREATE_FORMS = [
    CreateForm(
        "unit",
        "office",
        PartyUnit,
        lambda w: reverse("rounds:unit_create"),
        fill=lambda w: {"name": "县审计局党组", "kind": UnitKind.DEPARTMENT},
    ),
    CreateForm(
        "inspector",
        "office",
        Inspector,
        lambda w: reverse("rounds:inspector_create"),
        fill=lambda w: {"name": "新干部"},
    ),
    CreateForm(
        "plan",
        "office",
        Plan,
        lambda w: reverse("rounds:plan_create"),
        fill=lambda w: {"name": "下一届规划", "start_year": w.today.year + 3, "end_year": w.today.year + 7},
    ),
    CreateForm("round", "office", Round, lambda w: reverse("rounds:round_create")),
    CreateForm(
        "group",
        "office",
        InspectionGroup,
        lambda w: reverse("rounds:round_detail", args=[w.round.pk]),
        lambda w: reverse("rounds:group_create", args=[w.round.pk]),
        fill=lambda w: {"name": "第三巡察组"},
    ),
    CreateForm(
        "member",
        "office",
        GroupMembership,
        lambda w: reverse("rounds:group_detail", args=[w.g1.group.pk]),
        lambda w: reverse("rounds:membership_add", args=[w.g1.group.pk]),
        fill=lambda w: {"inspector": w.spare.pk, "role": MemberRole.MEMBER},
        setup=_spare_inspector,
    ),
    CreateForm(
        "inspection assignment",
        "office",
        Inspection,
        lambda w: reverse("rounds:group_detail", args=[w.g1.group.pk]),
        lambda w: reverse("rounds:inspection_assign", args=[w.g1.group.pk]),
        fill=lambda w: {"unit": w.units.outside.pk, "kind": InspectionKind.REGULAR},
    ),
    CreateForm(
        "avoidance",
        "office",
        Avoidance,
        lambda w: reverse("rounds:inspector_detail", args=[w.spare.pk]),
        lambda w: reverse("rounds:avoidance_add", args=[w.spare.pk]),
        fill=lambda w: {"unit": w.units.outside.pk, "reason": "配偶任职"},
        setup=_spare_inspector,
    ),
    CreateForm(
        "evidence",
        "group1_member",
        Evidence,
        lambda w: reverse("findings:finding_detail", args=[w.g1.draft.pk]),
        lambda w: reverse("findings:evidence_upload", args=[w.g1.draft.pk]),
        fill=lambda w: {"files": SimpleUploadedFile("会议记录.pdf", PDF, content_type="application/pdf")},
    ),
    CreateForm(
        "finding",
        "group1_member",
        Finding,
        lambda w: reverse("findings:finding_create"),
        fill=lambda w: {
            "inspection": w.g1.inspection.pk,
            "category": w.category.pk,
            "title": "公车私用",
            "description": "两次",
            "source": Source.INTERVIEW,
        },
    ),
    CreateForm(
        "clue",
        "group1_leader",
        Clue,
        lambda w: reverse("findings:clue_create"),
        fill=lambda w: {
            "inspection": w.g1.inspection.pk,
            "summary": "某股长涉嫌违规",
            "receiving_body": ReceivingBody.DISCIPLINE,
            "people-0-name": "钱某",
        },
    ),
    CreateForm(
        "task",
        "office",
        RectificationTask,
        lambda w: reverse("rectification:task_create", args=[w.g1.finding.pk]),
        fill=lambda w: {"measure": "建立台账", "responsible_unit": w.units.finance.pk},
    ),
    CreateForm(
        "progress report",
        "liaison",
        ProgressReport,
        lambda w: reverse("rectification:task_detail", args=[w.g1.task.pk]),
        lambda w: reverse("rectification:progress_add", args=[w.g1.task.pk]),
        fill=lambda w: {"text": "已召开专题会", "progress": "40"},
    ),
    CreateForm(
        "spot check",
        "office",
        SpotCheck,
        lambda w: reverse("rectification:spotcheck_list"),
        lambda w: reverse("rectification:spotcheck_create"),
        fill=lambda w: {"kind": "tasks", "sample_size": "1"},
        setup=_closed_task,
    ),
    CreateForm(
        "feedback",
        "office",
        Feedback,
        lambda w: reverse("rectification:feedback_create", args=[w.waiting.pk]),
        setup=_waiting_for_feedback,
    ),
]


@pytest.mark.parametrize("form", CREATE_FORMS, ids=lambda f: f.name)
def test_a_create_form_submitted_twice_creates_one_row_and_leads_to_it(world, client, form):
    if form.setup:
        form.setup(world)
    client.force_login(world.users[form.persona])
    page = client.get(form.page(world))
    assert page.status_code == 200
    action = form.action(world) if form.action else form.page(world)
    data = rendered_form(page.content.decode(), action if form.action else "")
    assert data.get("submission"), "the form carries a one-time key"
    before = form.model.objects.count()

    first = client.post(action, {**data, **form.fill(world)})
    second = client.post(action, {**data, **form.fill(world)})  # fill again: an uploaded file is read once

    assert first.status_code == 302, first.content.decode()[:2000]
    assert form.model.objects.count() == before + 1
    assert second.status_code == 302 and second["Location"] == first["Location"]
    assert "该表单已经提交过" in client.get(second["Location"]).content.decode()


def test_a_form_refused_with_errors_can_be_corrected_and_sent_with_the_same_key(world, login):
    client = login(world.users["office"])
    url = reverse("rounds:unit_create")
    data = rendered_form(client.get(url).content.decode(), "")
    refused = client.post(url, {**data, "name": "", "kind": UnitKind.DEPARTMENT})
    assert refused.status_code == 200
    again = rendered_form(refused.content.decode(), "")
    assert again["submission"] == data["submission"]

    saved = client.post(url, {**again, "name": "县审计局党组", "kind": UnitKind.DEPARTMENT})

    assert saved.status_code == 302
    assert PartyUnit.objects.filter(name="县审计局党组").count() == 1


def test_another_form_of_the_same_kind_creates_another_row(world, login):
    client = login(world.users["office"])
    url = reverse("rounds:unit_create")
    for name in ("县审计局党组", "县统计局党组"):
        data = rendered_form(client.get(url).content.decode(), "")
        assert client.post(url, {**data, "name": name, "kind": UnitKind.DEPARTMENT}).status_code == 302
    assert PartyUnit.objects.filter(name__in=["县审计局党组", "县统计局党组"]).count() == 2
