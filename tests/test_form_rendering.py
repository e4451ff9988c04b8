"""Forms render through the project's renderer: Bootstrap classes, and a select whose options are
written in (templates/django/forms/widgets/select.html) with the HTML Django's own template gives."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.test.html import parse_html

from xuncha.forms import BootstrapBoundField


class DjangosOwn(DjangoTemplates):
    bound_field_class = BootstrapBoundField


class Sample(forms.Form):
    plain = forms.ChoiceField(choices=[("", "全部"), ("a", "甲"), ("b&c", "乙 <丙>")], required=False)
    grouped = forms.ChoiceField(
        choices=[("", "---------"), ("大类", [(1, "党的领导弱化"), (2, "党的建设缺失")]), ("其他", [(3, "其他问题")])]
    )
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y"), ("z", "Z")], required=False)
    flag = forms.NullBooleanField(required=False)


@pytest.mark.parametrize(
    "data", [{}, {"plain": "b&c", "grouped": "2", "many": ["x", "z"], "flag": "true"}, {"grouped": "nope"}]
)
def test_selects_render_as_django_renders_them(data):
    ours = Sample(data or None)
    theirs = Sample(data or None, renderer=DjangosOwn())
    for name in Sample.base_fields:
        assert parse_html(str(ours[name])) == parse_html(str(theirs[name])), name
    assert 'class="form-select' in str(ours["plain"])
    assert "<optgroup" in str(ours["grouped"])


def test_a_disabled_choice_keeps_its_attributes():
    field = forms.ChoiceField(choices=[("a", "甲")], widget=forms.Select(attrs={"data-x": "1", "disabled": True}))
    form = type("F", (forms.Form,), {"f": field})
    assert parse_html(str(form()["f"])) == parse_html(str(form(renderer=DjangosOwn())["f"]))


def test_the_project_s_select_template_is_the_one_used():
    from django.conf import settings

    from xuncha.forms import FormRenderer

    origin = FormRenderer().get_template("django/forms/widgets/select.html").origin.name
    assert origin == str(settings.BASE_DIR / "templates" / "django" / "forms" / "widgets" / "select.html")
