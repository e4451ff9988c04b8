"""The inspection as a workspace: 回头看 item checks and their evidence, 立卷归档 and its zip."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from . import GROUP1, OVERSEERS, Case

OFFICE = frozenset({"office"})


def _finished(w):
    """Group 1's inspection at 评估/归档 with its task closed: ready to archive."""
    from rectification.choices import TaskStatus
    from rectification.models import RectificationTask
    from rounds.choices import Stage
    from rounds.models import Inspection

    Inspection.objects.filter(pk=w.g1.inspection.pk).update(stage=Stage.ARCHIVED)
    RectificationTask.objects.filter(pk=w.g1.task.pk).update(status=TaskStatus.CLOSED, closed_at=timezone.now())
    return w.g1.inspection


def _archive_url(w):
    return reverse("rounds:inspection_archive", args=[_finished(w).pk])


def _archived_download(w):
    from rounds.services import inspection_archive

    inspection = _finished(w)
    inspection.refresh_from_db()
    if not inspection.is_archived:
        inspection_archive(actor=w.users["office"], inspection=inspection)
    return reverse("rounds:inspection_archive_download", args=[inspection.pk])


def _lookback(w):
    """Group 1 looks back on its own earlier inspection of 县财政局党组 (same round, for brevity)."""
    from rounds.choices import InspectionKind
    from rounds.models import Inspection

    inspection, _ = Inspection.objects.get_or_create(
        round=w.round,
        unit=w.units.finance,
        kind=InspectionKind.LOOKBACK,
        defaults={"group": w.g1.group, "follows": w.g1.inspection},
    )
    return inspection


def _check_url(w):
    from rectification.models import LookbackCheck

    inspection = _lookback(w)
    LookbackCheck.objects.filter(inspection=inspection).delete()  # each persona tries on an unchecked item
    return reverse("rectification:lookback_check", args=[inspection.pk, w.g1.finding.pk])


def _evidence_url(w):
    from rectification.models import LookbackCheck

    inspection = _lookback(w)
    check = LookbackCheck.objects.filter(inspection=inspection).first()
    if check is None:
        check = LookbackCheck(
            inspection=inspection,
            finding=w.g1.finding,
            result="done",
            note="已到位",
            evidence_name="核查记录.pdf",
            checked_by=w.users["office"],
        )
        check.evidence.save("x.pdf", SimpleUploadedFile("x.pdf", b"%PDF"), save=True)
    return reverse("rectification:lookback_evidence", args=[check.pk])


CASES = [
    Case("POST rounds:inspection_archive g1", _archive_url, OFFICE, method="post", ok_status=302),
    Case("rounds:inspection_archive_download g1", _archived_download, OVERSEERS),
    Case(
        "rounds:inspection_detail lookback g1",
        lambda w: reverse("rounds:inspection_detail", args=[_lookback(w).pk]),
        OVERSEERS | GROUP1,
    ),
    Case("rectification:lookback_check", _check_url, OFFICE),
    Case(
        "POST rectification:lookback_check",
        _check_url,
        OFFICE,
        method="post",
        data=lambda w: {"result": "not_done", "note": "未到位", "new_due_date": str(w.today + timedelta(days=30))},
        ok_status=302,
    ),
    Case("rectification:lookback_evidence", _evidence_url, OVERSEERS | GROUP1),
]
