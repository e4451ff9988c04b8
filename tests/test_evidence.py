"""Evidence files: type, content and size are checked; stored under random names; downloaded only through the door."""

from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from findings.evidence import validate_evidence
from findings.models import Evidence
from findings.services import evidence_add
from tests.findings_support import OLE2, PDF, PNG, ZIP

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name, content",
    [
        ("谈话笔录.pdf", PDF),
        ("现场照片.PNG", PNG),
        ("照片.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 16),
        ("台账.xlsx", ZIP),
        ("报告.docx", ZIP),
        ("旧报告.doc", OLE2),
        ("材料.wps", OLE2),
        ("说明.txt", "情况说明：属实".encode()),
        ("说明GBK.txt", "情况说明：属实".encode("gb18030")),
    ],
)
def test_real_files_of_allowed_types_pass(name, content):
    validate_evidence(SimpleUploadedFile(name, content))


def test_a_type_not_allowed_is_refused_by_name():
    with pytest.raises(ValidationError) as exc:
        validate_evidence(SimpleUploadedFile("工具.exe", b"MZ\x90\x00"))
    message = exc.value.messages[0]
    assert "工具.exe" in message and "类型不允许" in message and "pdf" in message


@pytest.mark.parametrize(
    "name, content",
    [
        ("报告.pdf", b"<html><script>alert(1)</script></html>"),
        ("照片.png", PDF),
        ("台账.xlsx", b"not a zip at all"),
        ("说明.txt", b"\x7fELF\x02\x01\x01\x00\x00\x00"),
    ],
)
def test_a_fake_extension_is_refused(name, content):
    with pytest.raises(ValidationError) as exc:
        validate_evidence(SimpleUploadedFile(name, content))
    assert name in exc.value.messages[0] and "不符" in exc.value.messages[0]


def test_too_large_a_file_is_refused_naming_the_limit(settings):
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024
    with pytest.raises(ValidationError) as exc:
        validate_evidence(SimpleUploadedFile("扫描件.pdf", PDF + b"0" * (1024 * 1024)))
    message = exc.value.messages[0]
    assert "扫描件.pdf" in message and "1.0\xa0MB" in message and "上限" in message


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError):
        validate_evidence(SimpleUploadedFile("空.pdf", b""))


def test_stored_under_a_random_name_outside_the_web_root(world, settings):
    [evidence] = evidence_add(
        actor=world.users["group1_member"], finding=world.g1.draft, files=[SimpleUploadedFile("谈话笔录.pdf", PDF)]
    )
    assert evidence.original_name == "谈话笔录.pdf" and evidence.size == len(PDF)
    assert "谈话笔录" not in evidence.file.name and not evidence.file.name.endswith(".pdf")
    assert evidence.file.path.startswith(str(settings.MEDIA_ROOT))
    assert not evidence.file.path.startswith(str(settings.BASE_DIR / "static"))


def test_evidence_is_only_added_to_drafts(world):
    with pytest.raises(ValidationError):
        evidence_add(
            actor=world.users["group1_member"], finding=world.g1.finding, files=[SimpleUploadedFile("a.pdf", PDF)]
        )
    assert not Evidence.objects.exists()


def test_download_sends_the_original_name_as_an_attachment(world, login):
    [evidence] = evidence_add(
        actor=world.users["group1_member"], finding=world.g1.draft, files=[SimpleUploadedFile("谈话笔录.pdf", PDF)]
    )
    response = login(world.users["group1_leader"]).get(reverse("findings:evidence_download", args=[evidence.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert f"filename*=utf-8''{quote('谈话笔录.pdf')}" in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"


def test_the_inspected_units_liaison_reads_the_finding_but_not_its_evidence(world, login):
    """Evidence (谈话笔录、信访件) never reaches the unit under inspection, even for a fed-back finding."""
    Evidence.objects.create(
        finding=world.g1.finding,
        file=SimpleUploadedFile("x", PDF),
        original_name="信访件.pdf",
        size=len(PDF),
        uploaded_by=world.users["group1_member"],
    )
    client = login(world.users["liaison"])
    evidence = Evidence.objects.get()
    assert client.get(reverse("findings:finding_detail", args=[world.g1.finding.pk])).status_code == 200
    page = client.get(reverse("findings:finding_detail", args=[world.g1.finding.pk])).content.decode()
    assert "信访件.pdf" not in page and "审核记录" not in page
    assert client.get(reverse("findings:evidence_download", args=[evidence.pk])).status_code == 404
