"""Writes for rectification. Each service is one transaction, validates, and records who did it."""

from .documents import document_review, document_submit, documents_open
from .feedback import feedback_give
from .lookback import lookback_check_record
from .notifications import notification_mark_all_read, notification_mark_read
from .spotchecks import spotcheck_draw, spotcheck_record
from .tasks import progress_report_add, task_create, task_transition, task_update

__all__ = [
    "document_review",
    "document_submit",
    "documents_open",
    "feedback_give",
    "lookback_check_record",
    "notification_mark_all_read",
    "notification_mark_read",
    "progress_report_add",
    "spotcheck_draw",
    "spotcheck_record",
    "task_create",
    "task_transition",
    "task_update",
]
