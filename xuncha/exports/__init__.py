"""Ledgers out of the system: declarative column specs, a bounded-memory .xlsx writer, and the log.

A list view exports with one line::

    if wants_export(request):
        return export_response(request, LEDGER, filterset=filterset)  # the list's own FilterSet: its rows and filters

or links to the ready-made URL ``exports:<kind>`` with the same GET parameters.
"""

from .engine import Column, ExportSpec, export_response, export_xlsx, wants_export, write_workbook
from .log import log_download, log_export

__all__ = [
    "Column",
    "ExportSpec",
    "export_response",
    "export_xlsx",
    "wants_export",
    "log_download",
    "log_export",
    "write_workbook",
]
