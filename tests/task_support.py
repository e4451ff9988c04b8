"""Moving a task the way people do: 申请销号 is a progress report with its evidence, never a bare status change."""

from django.core.files.uploadedfile import SimpleUploadedFile

from rectification.models import RectificationTask
from rectification.services import progress_report_add
from tests.findings_support import PDF


def submit_for_review(actor, task, text="整改已完成，佐证材料附后") -> RectificationTask:
    """申请销号 by `actor` (the unit's liaison or the office): a 100% report with one evidence file."""
    progress_report_add(
        actor=actor, task=task, text=text, progress=100, files=[SimpleUploadedFile("佐证材料.pdf", PDF)]
    )
    return RectificationTask.objects.get(pk=task.pk)
