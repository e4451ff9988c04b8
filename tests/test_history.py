import pytest

from xuncha.history import history_entries, stamp

pytestmark = pytest.mark.django_db


def test_history_shows_who_changed_which_field_from_what_to_what(world):
    inspection = world.g1.inspection
    stamp(inspection, actor=world.users["office"], reason="更新工作量")
    inspection.interviews = 42
    inspection.save()
    latest = history_entries(inspection)[0]
    assert latest.who == "王办"
    assert latest.kind == "修改"
    assert latest.reason == "更新工作量"
    assert [(c.field, c.old, c.new) for c in latest.changes] == [("个别谈话人次", "0", "42")]


def test_history_shows_choice_labels_and_related_names(world):
    task = world.g1.task
    stamp(task, actor=world.users["office"])
    task.responsible_unit = world.units.education
    task.save()
    change = history_entries(task)[0].changes[0]
    assert (change.field, change.old, change.new) == ("责任部门", "县财政局党组", "县教育局党组")
