"""Rectification pages × personas. Liaison = group 1's unit (县财政局党组); leadership reads but never writes."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from . import EVERYONE, GROUP1, GROUP2, OVERSEERS, Case

# zuzhibu: 组织部, supervising group 2's unit
LEDGER = OVERSEERS | GROUP1 | GROUP2 | {"liaison", "unit_head", "zuzhibu"}
# Group 1's task: its group, the unit's liaison, and the unit's head (read-only: no write case lets the head in).
TASK_G1_READERS = OVERSEERS | GROUP1 | {"liaison", "unit_head"}
OFFICE = frozenset({"office"})


def _url(name, *args):
    return reverse(f"rectification:{name}", args=args)


def _submitted(w):
    """Group 1's task waiting for verification (reset before each persona tries to close it)."""
    from rectification.choices import TaskStatus
    from rectification.models import RectificationTask

    RectificationTask.objects.filter(pk=w.g1.task.pk).update(status=TaskStatus.SUBMITTED, closed_at=None)
    return _url("task_transition", w.g1.task.pk)


def _reminders(w):
    """A reminder for each group's task and clue, so the marker check covers the list."""
    from rectification.choices import Rung
    from rectification.models import Reminder

    for side in (w.g1, w.g2):
        Reminder.objects.get_or_create(task=side.task, rung=Rung.D10, due_date=side.task.due_date)
        Reminder.objects.get_or_create(clue=side.clue, rung=Rung.OVERDUE, due_date=side.clue.feedback_due_date)
    return _url("reminder_list")


def _evidence(w):
    from rectification.models import ProgressEvidence, ProgressReport

    if not hasattr(w, "evidence"):
        report = ProgressReport.objects.create(task=w.g1.task, text="进展", progress=10, author=w.users["liaison"])
        w.evidence = ProgressEvidence(report=report, original_name="整改台账.pdf", size=3)
        w.evidence.file.save("x.pdf", SimpleUploadedFile("x.pdf", b"pdf"), save=True)
    return _url("evidence_download", w.evidence.pk)


def _awaiting_feedback(w):
    from rounds.choices import InspectionKind, Stage
    from rounds.models import Inspection

    inspection, _ = Inspection.objects.get_or_create(
        round=w.round,
        unit=w.units.township,
        kind=InspectionKind.REGULAR,
        defaults={"group": w.g1.group, "stage": Stage.FEEDBACK},
    )
    return _url("feedback_create", inspection.pk)


def _closed_g2(w):
    from rectification.choices import SpotCheckKind, TaskStatus
    from rectification.models import RectificationTask

    RectificationTask.objects.filter(pk=w.g2.task.pk).update(status=TaskStatus.CLOSED, closed_at=timezone.now())
    return {"kind": SpotCheckKind.TASKS, "sample_size": 1}


def _spot_item(w):
    from rectification.choices import SpotCheckKind
    from rectification.models import SpotCheck, SpotCheckItem

    if not hasattr(w, "spot_item"):
        check = SpotCheck.objects.create(kind=SpotCheckKind.TASKS, seed=1, sample_size=1, drawn_by=w.users["office"])
        w.spot_item = SpotCheckItem.objects.create(spot_check=check, task=w.g2.task)
    return w.spot_item


def _office_note(w):
    from rectification.models import Notification

    note, _ = Notification.objects.get_or_create(recipient=w.users["office"], title="提醒")
    return _url("inbox_read", note.pk)


def _office_digest(w):
    from rectification.models import Notification

    digest, _ = Notification.objects.get_or_create(recipient=w.users["office"], day=w.today, defaults={"title": "汇总"})
    return _url("inbox_digest", digest.pk)


CASES = [
    Case("task_list", lambda w: _url("task_list"), LEDGER),
    Case("task_detail_g1", lambda w: _url("task_detail", w.g1.task.pk), TASK_G1_READERS),
    Case("task_detail_g2", lambda w: _url("task_detail", w.g2.task.pk), OVERSEERS | GROUP2 | {"zuzhibu"}),
    Case("task_edit", lambda w: _url("task_edit", w.g1.task.pk), OFFICE),
    Case("task_verify", _submitted, OFFICE, method="post", data=lambda w: {"to_status": "closed"}, ok_status=302),
    Case(
        "progress_add",
        lambda w: _url("progress_add", w.g1.task.pk),
        OFFICE | {"liaison"},
        method="post",
        data=lambda w: {"text": "已完成制度修订初稿", "progress": 30},
        ok_status=302,
    ),
    Case(
        "progress_add_g2",
        lambda w: _url("progress_add", w.g2.task.pk),
        OFFICE,
        method="post",
        data=lambda w: {"text": "进展", "progress": 30},
        ok_status=302,
    ),
    Case("evidence_download", _evidence, TASK_G1_READERS),
    Case("unassigned", lambda w: _url("unassigned"), OVERSEERS),
    Case("task_create", lambda w: _url("task_create", w.g1.finding.pk), OFFICE),
    Case("feedback_list", lambda w: _url("feedback_list"), OVERSEERS),
    Case("feedback_create", _awaiting_feedback, OFFICE),
    Case("spotcheck_list", lambda w: _url("spotcheck_list"), OVERSEERS),
    Case("spotcheck_create", lambda w: _url("spotcheck_create"), OFFICE, method="post", data=_closed_g2, ok_status=302),
    Case("spotcheck_detail", lambda w: _url("spotcheck_detail", _spot_item(w).spot_check_id), OVERSEERS),
    Case(
        "spotcheck_item_record",
        lambda w: _url("spotcheck_item_record", _spot_item(w).pk),
        OFFICE,
        method="post",
        data=lambda w: {"result": "passed"},
        ok_status=302,
    ),
    Case("inbox", lambda w: _url("inbox"), EVERYONE),
    Case("reminder_list", _reminders, EVERYONE - {"nobody"}),
    Case("reminder_export", lambda w: _reminders(w) + "?export=xlsx", EVERYONE - {"nobody"}),
    Case("inbox_read", _office_note, OFFICE, method="post", ok_status=302),
    Case("inbox_digest", _office_digest, OFFICE),  # one's own digest: anyone else gets 404
    Case("inbox_read_all", lambda w: _url("inbox_read_all"), EVERYONE, method="post", ok_status=302),
    # The searchable selects' lookups answer whoever may use the form, behind the same door.
    Case("lookup_ledger_units", lambda w: _url("lookup_ledger_units") + "?q=局", LEDGER),
    Case("lookup_ledger_rounds", lambda w: _url("lookup_ledger_rounds"), LEDGER),
    Case("lookup_responsible_units", lambda w: _url("lookup_responsible_units") + "?q=局", OFFICE),
    Case("lookup_people", lambda w: _url("lookup_people"), OFFICE),
    Case("lookup_spotcheck_rounds", lambda w: _url("lookup_spotcheck_rounds"), OFFICE),
]
