"""A failed request leaves no uploaded file on disk: files follow the transaction that stored them."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models.signals import post_save
from django.urls import reverse

from findings.models import Evidence
from rectification.models import ProgressEvidence
from tests.findings_support import PDF
from xuncha.storage import discard_rolled_back_files

pytestmark = pytest.mark.django_db


def stored_files(settings):
    root = settings.MEDIA_ROOT
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def fail_after_saving():
    """Make a model's save fail after its file is written (a later step of the request going wrong)."""
    connected = []

    def _fail(model):
        def boom(sender, instance, **kwargs):
            assert instance.file.storage.exists(instance.file.name)  # the file is on disk at this point
            raise RuntimeError("a later step failed")

        post_save.connect(boom, sender=model, weak=False, dispatch_uid=f"boom-{model.__name__}")
        connected.append(model)

    yield _fail
    for model in connected:
        post_save.disconnect(sender=model, dispatch_uid=f"boom-{model.__name__}")


def _post_failing(client, url, data):
    client.raise_request_exception = False
    response = client.post(url, data)
    assert response.status_code == 500
    return response


def test_a_failed_finding_draft_leaves_no_evidence_file(world, login, settings, fail_after_saving):
    fail_after_saving(Evidence)
    client = login(world.users["group1_member"])
    data = {
        "inspection": world.g1.inspection.pk,
        "category": world.category.pk,
        "title": "村集体资金管理混乱",
        "description": "三笔资金未入账",
        "source": "documents",
        "files": [SimpleUploadedFile("账目.pdf", PDF)],
    }
    _post_failing(client, reverse("findings:finding_create"), data)
    assert not Evidence.objects.exists()
    assert stored_files(settings) == []


def test_a_failed_evidence_upload_leaves_no_file(world, login, settings, fail_after_saving):
    fail_after_saving(Evidence)
    client = login(world.users["group1_member"])
    url = reverse("findings:evidence_upload", args=[world.g1.draft.pk])
    _post_failing(client, url, {"files": [SimpleUploadedFile("笔录.pdf", PDF), SimpleUploadedFile("二.pdf", PDF)]})
    assert stored_files(settings) == []


def test_a_failed_progress_report_leaves_no_evidence_file(world, login, settings, fail_after_saving):
    fail_after_saving(ProgressEvidence)
    client = login(world.users["liaison"])
    url = reverse("rectification:progress_add", args=[world.g1.task.pk])
    _post_failing(client, url, {"text": "已修订制度", "progress": 60, "files": [SimpleUploadedFile("报告.pdf", PDF)]})
    assert not ProgressEvidence.objects.exists()
    assert stored_files(settings) == []


def test_a_successful_upload_keeps_its_file(world, login, settings):
    client = login(world.users["group1_member"])
    url = reverse("findings:evidence_upload", args=[world.g1.draft.pk])
    client.post(url, {"files": [SimpleUploadedFile("笔录.pdf", PDF)]})
    (evidence,) = Evidence.objects.all()
    assert stored_files(settings) == [settings.MEDIA_ROOT / evidence.file.name]


def test_a_rolled_back_savepoint_loses_its_file_and_the_outer_transaction_keeps_its_own(settings):
    with transaction.atomic():
        kept = default_storage.save("t/kept.txt", ContentFile(b"1"))
        try:
            with transaction.atomic():
                default_storage.save("t/lost.txt", ContentFile(b"2"))
                raise RuntimeError
        except RuntimeError:
            pass
        discard_rolled_back_files()
        assert [p.name for p in stored_files(settings)] == ["kept.txt"]
    assert default_storage.exists(kept)


@pytest.mark.django_db(transaction=True)
def test_committed_files_stay_and_rolled_back_ones_go(settings):
    with transaction.atomic():
        kept = default_storage.save("t/kept.txt", ContentFile(b"1"))
    with pytest.raises(RuntimeError), transaction.atomic():
        default_storage.save("t/lost.txt", ContentFile(b"2"))
        raise RuntimeError
    discard_rolled_back_files()
    assert [p.name for p in stored_files(settings)] == ["kept.txt"]
    assert default_storage.exists(kept)
