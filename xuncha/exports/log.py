"""Every export and every download of confidential material leaves a row: who, what, filters, rows, when."""

from django.db import models

from xuncha.models import ExportLog


def log_export(
    *,
    user,
    kind: str,
    filename: str,
    filters: dict | None = None,
    row_count: int | None = None,
    confidential: bool = False,
    action: str = ExportLog.Action.EXPORT,
    object_repr: str = "",
) -> ExportLog:
    """Record one export (a ledger, a document); append-only."""
    return ExportLog.objects.create(
        user=user,
        action=action,
        kind=kind,
        confidential=confidential,
        filters={k: v for k, v in (filters or {}).items() if v not in (None, "", [])},
        row_count=row_count,
        filename=filename[:200],
        object_repr=object_repr[:200],
    )


def log_download(*, user, kind: str, obj: models.Model | None, filename: str, confidential: bool = True) -> ExportLog:
    """For the evidence download views: call before returning the file."""
    return log_export(
        user=user,
        kind=kind,
        filename=filename,
        action=ExportLog.Action.DOWNLOAD,
        confidential=confidential,
        object_repr=str(obj) if obj is not None else "",
        filters={"id": obj.pk} if obj is not None else {},
    )
