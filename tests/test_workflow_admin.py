"""The admin shows the workflow fields but never writes them: the workflow services are their only writers."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.test import RequestFactory

from findings.models import Clue, Finding
from rectification.models import RectificationTask, UnitDocument
from rounds.models import Inspection

pytestmark = pytest.mark.django_db

# (model, the workflow field, the world's object): written out here, not read from the admin.
WORKFLOW_FIELDS = [
    (Inspection, "stage", lambda w: w.g1.inspection),
    (Clue, "status", lambda w: w.g1.clue),
    (Finding, "review_state", lambda w: w.g1.draft),
    (RectificationTask, "status", lambda w: w.g1.task),
    (UnitDocument, "status", lambda w: UnitDocument.objects.filter(feedback=w.g1.feedback).first()),
]
IDS = [f"{model.__name__}.{field}" for model, field, _ in WORKFLOW_FIELDS]


@pytest.fixture
def superuser():
    return User.objects.create_superuser("root", password="pw")


@pytest.mark.parametrize(("model", "field", "pick"), WORKFLOW_FIELDS, ids=IDS)
def test_each_admin_change_form_shows_the_workflow_field_read_only(world, superuser, login, model, field, pick):
    obj = pick(world)
    assert obj is not None
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/")
    request.user = superuser
    assert field in model_admin.get_readonly_fields(request, obj)

    client = login(superuser)
    url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/{obj.pk}/change/"
    page = client.get(url).content.decode()
    assert f'name="{field}"' not in page  # shown as text, not as an input
    assert str(model._meta.get_field(field).verbose_name) in page


@pytest.mark.parametrize(("model", "field", "pick"), WORKFLOW_FIELDS, ids=IDS)
def test_the_admin_add_form_has_no_workflow_field_either(world, superuser, model, field, pick):
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/")
    request.user = superuser
    form = model_admin.get_form(request, None)
    assert field not in form.base_fields
