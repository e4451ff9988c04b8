"""The list pages' `label` filter shows exactly what get_FOO_display() shows, in the active language."""

import pytest
from django.template import Context, Template
from django.utils import translation

from rectification.choices import TaskStatus
from rectification.models import RectificationTask

ROW = Template('{% load labels %}{{ task|label:"status" }}')


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("status", [*TaskStatus.values, "no-such-status"])
def test_label_equals_get_display(status, language):
    task = RectificationTask(status=status)
    with translation.override(language):
        assert ROW.render(Context({"task": task})) == str(task.get_status_display())
