"""Uploaded files (evidence, imports) follow the transaction that stored them, and name their failures.

- A FileField writes its file while the row is saved, before the transaction commits. If the transaction
  (or the service's savepoint) then rolls back, the row is gone but the file would stay on disk, an orphan
  holding confidential evidence. Each file saved inside a transaction registers an on-commit callback;
  Django drops the callbacks of a rolled-back transaction or savepoint, so a file whose callback is gone
  (and never ran) belongs to a rollback and is deleted when the request ends.
- A full disk or an unwritable media folder raises OSError deep inside a service; the service's transaction
  rolls back (nothing half-saved), and `StorageErrorMiddleware` answers 503 with a page that says so, in
  place of a bare "Server Error (500)".
"""

import logging
import os

from django.core.files.storage import FileSystemStorage
from django.core.signals import request_finished
from django.db import DEFAULT_DB_ALIAS, transaction
from django.shortcuts import render

logger = logging.getLogger(__name__)


class StorageUnavailable(OSError):
    """A file could not be written to the media storage."""


class _Pending:
    """One stored file waiting for its transaction: called on commit, it is kept."""

    def __init__(self, path):
        self.path, self.committed = path, False  # the absolute path: MEDIA_ROOT may change (tests)

    def __call__(self):
        self.committed = True


def _pending(connection) -> list:
    if not hasattr(connection, "_xuncha_pending_files"):
        connection._xuncha_pending_files = []
    return connection._xuncha_pending_files


class MediaStorage(FileSystemStorage):
    """FileSystemStorage whose files saved inside a transaction are removed if it rolls back, and whose write
    failures are StorageUnavailable."""

    def _save(self, name, content):
        try:
            name = super()._save(name, content)
        except OSError as exc:
            raise StorageUnavailable(str(exc)) from exc
        connection = transaction.get_connection(DEFAULT_DB_ALIAS)
        if connection.in_atomic_block:
            pending = _Pending(self.path(name))
            _pending(connection).append(pending)
            transaction.on_commit(pending)
        return name


def discard_rolled_back_files(**kwargs) -> int:
    """Delete the files whose transaction rolled back; keep those committed or still in an open transaction."""
    connection = transaction.get_connection(DEFAULT_DB_ALIAS)
    pending = getattr(connection, "_xuncha_pending_files", None)
    if not pending:
        return 0
    alive = {id(func) for _sids, func, _robust in connection.run_on_commit}
    removed, still = 0, []
    for item in pending:
        if item.committed:
            continue
        if id(item) in alive:
            still.append(item)
            continue
        try:
            os.remove(item.path)
            removed += 1
        except FileNotFoundError:
            pass
        except OSError:
            logger.exception("could not remove %s after a rollback", item.path)
    connection._xuncha_pending_files = still
    return removed


request_finished.connect(discard_rolled_back_files, dispatch_uid="xuncha.storage.discard_rolled_back_files")


class StorageErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, StorageUnavailable):
            return None
        logger.error("upload could not be stored: %s", exception)
        return render(request, "storage_unavailable.html", status=503)
