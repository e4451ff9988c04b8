"""Excel formula injection: every .xlsx the app writes keeps text as text, whatever it starts with.

A finding titled "=HYPERLINK(…)" or a unit named "+cmd…" must reach the office's ledger as the words
typed, never as a live formula. The test plants a formula-looking text in every text column of every
row the exports read, downloads every xlsx the app writes, and scans the cells.
"""

import io

import openpyxl
import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.db import models
from django.urls import reverse

from rectification.choices import Rung
from rectification.models import Reminder
from tests.petition_support import petition_of
from xuncha.exports.registry import specs
from xuncha.exports.urls import LIST_KINDS

pytestmark = pytest.mark.django_db

MARK = "1+1"
# What Excel and WPS read as the start of a formula (tab and CR as well, for a cell that is edited).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
SKIP_FIELDS = {"code", "url", "password", "username", "email"}

XLSX_URLS = [
    *[(f"exports:{kind}", {}) for kind in LIST_KINDS],
    ("exports:tasks", {}),
    ("exports:ledger", {"sheets": "round"}),
    *[
        (name, {"export": "xlsx"})
        for name in (
            "rounds:unit_list",
            "rounds:inspector_list",
            "rounds:round_list",
            "rounds:my_inspections",
            "findings:finding_list",
            "findings:clue_list",
            "rectification:task_list",
            "rectification:reminder_list",
            "dashboard:units",
            "dashboard:inspections",
            "dashboard:findings",
            "dashboard:clues",
            "dashboard:tasks",
            "dashboard:unit_rectification",
        )
    ],
]
TEMPLATE_URLS = [("exports:import_template", {"kind": kind}) for kind in ("units", "people")]


def _text_fields(model):
    for field in model._meta.concrete_fields:
        if (
            isinstance(field, (models.CharField, models.TextField))
            and not isinstance(field, models.FileField)
            and not field.choices
            and field.name not in SKIP_FIELDS
        ):
            yield field


def plant(prefix):
    """Every text column of every row in the business apps (and people's names) starts with `prefix` + 1+1."""
    targets = [m for app in ("rounds", "findings", "rectification") for m in apps.get_app_config(app).get_models()]
    targets = [m for m in targets if not m.__name__.startswith("Historical")] + [User]
    for model in targets:
        fields = list(_text_fields(model))
        if not fields:
            continue
        for obj in model._default_manager.all():
            values = {}
            for field in fields:
                old = getattr(obj, field.attname) or ""
                new = f"{prefix}{MARK} {old}"
                values[field.attname] = new[: field.max_length] if field.max_length else new
            model._default_manager.filter(pk=obj.pk).update(**values)


def _cells(content):
    book = openpyxl.load_workbook(io.BytesIO(content))
    for ws in book.worksheets:
        for row in ws.iter_rows():
            yield from row


def scan(content) -> int:
    """Assert no cell is a formula and every risky text is marked text; return how many planted cells were seen."""
    seen = 0
    for cell in _cells(content):
        assert cell.data_type != "f", f"{cell.coordinate} is a formula: {cell.value!r}"
        value = cell.value
        if isinstance(value, str) and value.startswith((*FORMULA_PREFIXES, "\n")):
            assert cell.quotePrefix, f"{cell.coordinate} is not kept as text: {value!r}"
        if isinstance(value, str) and value[1:].startswith(MARK):
            seen += 1
    return seen


def test_every_list_export_is_scanned():
    kinds = {name.split(":")[1] for name, _ in XLSX_URLS if name.startswith("exports:")}
    assert set(specs()) <= kinds


@pytest.mark.parametrize("prefix", FORMULA_PREFIXES, ids=["eq", "plus", "minus", "at", "tab", "cr"])
def test_no_export_writes_a_formula(world, client, prefix):
    task = world.g1.task
    Reminder.objects.create(task=task, rung=Rung.D20, due_date=task.due_date)
    petition_of(world, 1)  # the 巡察信访 register's export reads petitions
    plant(prefix)
    client.force_login(world.users["office"])
    for name, params in XLSX_URLS:
        response = client.get(reverse(name), params)
        assert response.status_code == 200, name
        content = b"".join(response.streaming_content)
        assert scan(content) > 0, f"{name}: the planted text did not reach the file"


def test_the_import_templates_hold_no_formula(world, client):
    client.force_login(world.users["office"])
    for name, kwargs in TEMPLATE_URLS:
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 200
        scan(b"".join(response.streaming_content) if response.streaming else response.content)
