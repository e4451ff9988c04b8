"""Every edit form round-trips: opened by its user and saved unchanged, in Chinese and in English, it changes nothing.

One row of EDIT_FORMS per form: a new edit form is one more line. A row names the page that shows the form,
the URL the form posts to (None: the page itself), the persona who edits, and the object being edited
(given realistic values for every field the form shows, so that a field the form would drop or mangle is seen).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.db.models import DateTimeField
from django.urls import reverse

from findings.choices import ClueStatus, Disposition, Outcome, ReceivingBody
from findings.models import Clue, CluePerson
from rounds.choices import MemberRole, Specialty
from rounds.models import GroupMembership, Inspector, PlanUnit
from tests.edit_forms import rendered_form

LANGUAGES = ["zh-hans", "en"]


@dataclass(frozen=True)
class EditForm:
    name: str
    persona: str
    obj: Callable  # world -> the object the form edits (set up with every field filled)
    page: Callable  # obj -> the URL of the page showing the form
    action: Callable | None = None  # obj -> the URL the form posts to; None: the page itself
    related: Callable | None = None  # obj -> rows edited along with the object (a formset)


def _round(w):
    w.round.start_date, w.round.end_date, w.round.theme = date(2026, 4, 14), date(2026, 6, 30), "乡村振兴专项"
    w.round.save()
    return w.round


def _inspector(w):
    person = Inspector.objects.get(user=w.users["group1_member"])
    person.home_unit, person.rank = w.units.township, "四级主任科员"
    person.specialties = [Specialty.values[0], Specialty.values[2]]
    person.save()
    return person


def _membership(w):
    return GroupMembership.objects.get(group=w.g1.group, role=MemberRole.MEMBER)


def _draft_clue(w):
    clue = Clue.objects.create(
        inspection=w.g1.inspection,
        finding=w.g1.finding,
        summary="甲组草稿线索：\n某科长违规报销\t差旅费",
        receiving_body=ReceivingBody.OTHER,
        receiving_body_other="县审计局",
        status=ClueStatus.DRAFT,
        created_by=w.users["group1_leader"],
    )
    CluePerson.objects.create(clue=clue, name="李某", post="科长", rank="正股级")
    CluePerson.objects.create(clue=clue, name="王某", post="", rank="")
    return clue


def _answered_clue(w):
    clue = w.g1.clue
    clue.disposition, clue.outcome, clue.outcome_detail = Disposition.values[1], Outcome.values[0], "已立案审查"
    clue.status, clue.answered_date = ClueStatus.ANSWERED, w.today - timedelta(days=1)
    clue.save()
    return clue


def _task(w):
    task = w.g1.task
    task.handler, task.goal = w.users["liaison"], "建立规范的决策程序\n并严格执行"
    task.save()
    return task


def _draft(w):
    draft = w.g1.draft
    draft.key_minority, draft.description = True, "第一段\n\n第二段  带空格 & <标签>"
    draft.save()
    return draft


def _url(name):
    return lambda obj: reverse(name, args=[obj.pk])


EDIT_FORMS = [
    EditForm("unit", "office", lambda w: w.units.village, _url("rounds:unit_update")),
    EditForm("inspector", "office", _inspector, _url("rounds:inspector_update")),
    EditForm("plan", "office", lambda w: w.plan, _url("rounds:plan_update")),
    EditForm("round", "office", _round, _url("rounds:round_update")),
    EditForm(
        "scope year",
        "office",
        lambda w: PlanUnit.objects.get(plan=w.plan, unit=w.units.village),
        lambda e: reverse("rounds:plan_detail", args=[e.plan_id]),
        _url("rounds:scope_year"),
    ),
    EditForm(
        "member role",
        "office",
        _membership,
        lambda m: reverse("rounds:group_detail", args=[m.group_id]),
        _url("rounds:membership_role"),
    ),
    EditForm(
        "inspection counters",
        "group1_leader",
        lambda w: w.g1.inspection,
        _url("rounds:inspection_detail"),
        _url("rounds:inspection_counters"),
    ),
    EditForm("finding", "group1_member", _draft, _url("findings:finding_edit")),
    EditForm("clue", "group1_leader", _draft_clue, _url("findings:clue_edit"), related=lambda c: c.people.all()),
    EditForm("clue disposition", "jiwei", _answered_clue, _url("findings:clue_disposition")),
    EditForm("task", "office", _task, _url("rectification:task_edit")),
]


def _values(obj) -> dict:
    """Every stored field but the automatic timestamps."""
    return {
        f.attname: getattr(obj, f.attname)
        for f in obj._meta.concrete_fields
        if not (isinstance(f, DateTimeField) and (f.auto_now or f.auto_now_add))
    }


def _snapshot(form, obj):
    obj.refresh_from_db()
    rows = [obj, *(form.related(obj) if form.related else [])]
    return [_values(row) for row in rows], {(type(row), row.pk): row.history.count() for row in rows}


def _changes_recorded(obj, since: int) -> list:
    """Changes written in history records newer than the first `since` ones (a save of nothing writes none)."""
    records = list(obj.history.order_by("history_date", "history_id"))
    changes = [("created", None, None)] if since == 0 and records else []
    for previous, record in zip(records[since - 1 :], records[since:], strict=False):
        delta = record.diff_against(previous)
        changes += [
            (c.field, c.old, c.new)
            for c in delta.changes
            if not getattr(obj._meta.get_field(c.field), "auto_now", False)
        ]
    return changes


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("form", EDIT_FORMS, ids=lambda f: f.name)
def test_saving_an_edit_form_unchanged_changes_nothing(world, client, form, language):
    obj = form.obj(world)
    client.force_login(world.users[form.persona])
    client.cookies["django_language"] = language
    page = client.get(form.page(obj))
    assert page.status_code == 200
    action = form.action(obj) if form.action else ""
    data = rendered_form(page.content.decode(), action)
    before, history_before = _snapshot(form, obj)

    response = client.post(action or form.page(obj), data)

    assert response.status_code == 302, response.content.decode()[:3000]
    after, _ = _snapshot(form, obj)
    assert after == before
    for row in [obj, *(form.related(obj) if form.related else [])]:
        assert _changes_recorded(row, history_before[(type(row), row.pk)]) == []
