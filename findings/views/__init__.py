from .clues import clue_create, clue_detail, clue_disposition, clue_edit, clue_list, clue_transfer
from .findings import (
    evidence_download,
    evidence_upload,
    finding_create,
    finding_detail,
    finding_edit,
    finding_list,
    finding_transition,
)

__all__ = [
    "clue_create",
    "clue_detail",
    "clue_disposition",
    "clue_edit",
    "clue_list",
    "clue_transfer",
    "evidence_download",
    "evidence_upload",
    "finding_create",
    "finding_detail",
    "finding_edit",
    "finding_list",
    "finding_transition",
]
