"""Uploaded files (evidence, imports): a storage that names its failures, and the page that explains them.

A full disk or an unwritable media folder raises OSError deep inside a service; the service's transaction
rolls back (nothing half-saved), and `StorageErrorMiddleware` answers 503 with a page that says so, in
place of a bare "Server Error (500)"."""

import logging

from django.core.files.storage import FileSystemStorage
from django.shortcuts import render

log = logging.getLogger(__name__)


class StorageUnavailable(OSError):
    """A file could not be written to the media storage."""


class MediaStorage(FileSystemStorage):
    def _save(self, name, content):
        try:
            return super()._save(name, content)
        except OSError as exc:
            raise StorageUnavailable(str(exc)) from exc


class StorageErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, StorageUnavailable):
            return None
        log.error("upload could not be stored: %s", exception)
        return render(request, "storage_unavailable.html", status=503)
