"""Dates no one means (0001-01-01, 9999-12-31) are a clear form error on every date field of every form."""

import datetime

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from findings.choices import ClueStatus, ReceivingBody
from findings.models import Clue
from findings.services import clue_create
from rectification.models import RectificationTask
from rounds.models import Plan
from xuncha.forms import EARLIEST_DATE, latest_date, validate_sane_date, validate_sane_year

PROJECT_MODULES = ("rounds.", "findings.", "rectification.", "xuncha.")


def _project_forms():
    reverse("home")  # every URL module imported: every view's forms exist
    found, todo = set(), [forms.BaseForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith(PROJECT_MODULES):
                found.add(sub)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__name__}")


def _date_fields():
    return [
        (f"{form.__module__}.{form.__name__}.{name}", field)
        for form in _project_forms()
        for name, field in getattr(form, "base_fields", {}).items()
        if isinstance(field, forms.DateField)
    ]


def test_the_forms_with_dates_are_found():
    names = {name.rsplit(".", 2)[-2] + "." + name.rsplit(".", 1)[-1] for name, _ in _date_fields()}
    assert {
        "TaskForm.due_date",
        "ClueTransferForm.transfer_date",
        "ClueTransferForm.feedback_due_date",
        "ClueDispositionForm.answered_date",
        "FeedbackForm.date",
        "RoundForm.start_date",
        "RoundForm.end_date",
    } <= names


@pytest.mark.parametrize("typed", ["0001-01-01", "1999-12-31", "9999-12-31"])
def test_every_date_field_of_every_form_refuses_a_date_no_one_means(typed):
    for name, field in _date_fields():
        assert validate_sane_date in field.validators, name
        with pytest.raises(ValidationError) as refused:
            field.clean(typed)
        assert "不在合理范围内" in str(refused.value), name


def test_the_window_is_2000_to_ten_years_ahead():
    today = timezone.localdate()
    validate_sane_date(EARLIEST_DATE)
    validate_sane_date(today)
    validate_sane_date(latest_date())
    assert latest_date().year == today.year + 10
    for outside in (EARLIEST_DATE - datetime.timedelta(days=1), latest_date() + datetime.timedelta(days=1)):
        with pytest.raises(ValidationError):
            validate_sane_date(outside)
    with pytest.raises(ValidationError):
        validate_sane_year(9999)
    validate_sane_year(today.year)


@pytest.mark.django_db
def test_a_clue_transferred_on_0001_01_01_is_a_form_error(world, login):
    clue = clue_create(
        actor=world.users["group1_leader"],
        inspection=world.g1.inspection,
        people=[{"name": "张某"}],
        summary="线索",
        receiving_body=ReceivingBody.DISCIPLINE,
    )
    client = login(world.users["group1_leader"])
    data = {"receiving_body": "discipline", "letter_number": "县巡〔2026〕9号", "transfer_date": "0001-01-01"}
    response = client.post(reverse("findings:clue_transfer", args=[clue.pk]), data)
    assert response.status_code == 200
    assert "日期 0001-01-01 不在合理范围内" in response.content.decode()
    assert Clue.objects.get(pk=clue.pk).status == ClueStatus.DRAFT


@pytest.mark.django_db
def test_a_task_due_9999_12_31_is_a_form_error(world, login):
    task = world.g1.task
    client = login(world.users["office"])
    url = reverse("rectification:task_edit", args=[task.pk])
    data = {
        "measure": task.measure,
        "goal": task.goal,
        "responsible_unit": task.responsible_unit_id,
        "responsible_leader": task.responsible_leader_id,
        "term_type": task.term_type,
        "due_date": "9999-12-31",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "日期 9999-12-31 不在合理范围内" in response.content.decode()
    assert RectificationTask.objects.get(pk=task.pk).due_date == task.due_date


@pytest.mark.django_db
def test_a_plan_for_the_year_9999_is_a_form_error(world, login):
    client = login(world.users["office"])
    response = client.post(reverse("rounds:plan_create"), {"name": "远期规划", "start_year": 2026, "end_year": 9999})
    assert response.status_code == 200
    assert "年度 9999 不在合理范围内" in response.content.decode()
    assert not Plan.objects.filter(name="远期规划").exists()
