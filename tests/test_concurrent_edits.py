"""Two people editing one record: the second save is refused with a clear error, keeping what they typed.

Each edit form with free text is opened in two tabs; the first tab saves a change, then the second saves its
own. The second is told, its text is still in the form, and the first writer's text is still in the database.
Saving again from the refused form (the writer has now been told) goes through.
"""

import pytest
from django.test import Client

from tests.edit_forms import rendered_form
from tests.test_edit_roundtrip import EDIT_FORMS

# The free-text field of each edit form that has one (forms of numbers and choices only are not here).
FREE_TEXT = {
    "unit": "name",
    "inspector": "rank",
    "plan": "name",
    "round": "theme",
    "finding": "description",
    "clue": "summary",
    "clue disposition": "outcome_detail",
    "task": "measure",
}
CONFLICT = "保存前，他人已修改了这条记录"


def _tab(user):
    client = Client()
    client.force_login(user)
    return client


def _open(tab, form, obj):
    page = tab.get(form.page(obj))
    assert page.status_code == 200
    return rendered_form(page.content.decode(), form.action(obj) if form.action else "")


@pytest.mark.parametrize("form", [f for f in EDIT_FORMS if f.name in FREE_TEXT], ids=lambda f: f.name)
def test_second_writer_is_told_and_keeps_what_they_typed(world, form):
    field = FREE_TEXT[form.name]
    obj = form.obj(world)
    url = form.action(obj) if form.action else form.page(obj)
    user = world.users[form.persona]
    first, second = _tab(user), _tab(user)
    first_data, second_data = _open(first, form, obj), _open(second, form, obj)

    assert first.post(url, {**first_data, field: "第一位的修改"}).status_code == 302
    response = second.post(url, {**second_data, field: "第二位的修改"})

    page = response.content.decode()
    assert response.status_code == 200
    assert CONFLICT in page
    assert "第二位的修改" in page
    obj.refresh_from_db()
    assert getattr(obj, field) == "第一位的修改"

    # Told once, the writer may save their text over the colleague's.
    again = rendered_form(page, "")
    assert again[field] == ["第二位的修改"]
    assert second.post(url, again).status_code == 302
    obj.refresh_from_db()
    assert getattr(obj, field) == "第二位的修改"


def test_every_edit_form_with_free_text_is_checked():
    names = {f.name for f in EDIT_FORMS}
    assert set(FREE_TEXT) <= names
    assert names - set(FREE_TEXT) == {"scope year", "member role", "inspection counters"}
