from .documents import (
    document_detail,
    document_file_download,
    document_list,
    document_review,
    document_submit,
    feedback_detail,
)
from .feedback import feedback_create, feedback_list
from .inbox import inbox, inbox_digest, inbox_read, inbox_read_all
from .lookback import lookback_check, lookback_evidence
from .reminders import reminder_list
from .spotchecks import spotcheck_create, spotcheck_detail, spotcheck_item_record, spotcheck_list
from .tasks import (
    evidence_download,
    progress_add,
    task_create,
    task_detail,
    task_edit,
    task_list,
    task_transition,
    unassigned,
)

__all__ = [
    "document_detail",
    "document_file_download",
    "document_list",
    "document_review",
    "document_submit",
    "feedback_detail",
    "evidence_download",
    "feedback_create",
    "feedback_list",
    "inbox",
    "inbox_digest",
    "inbox_read",
    "inbox_read_all",
    "lookback_check",
    "lookback_evidence",
    "progress_add",
    "reminder_list",
    "spotcheck_create",
    "spotcheck_detail",
    "spotcheck_item_record",
    "spotcheck_list",
    "task_create",
    "task_detail",
    "task_edit",
    "task_list",
    "task_transition",
    "unassigned",
]
