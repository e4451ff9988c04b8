"""Ledgers out of the system: declarative column specs, a bounded-memory .xlsx writer, and the log.

A list view exports with one line::

    if wants_export(request):
        return export_response(request, UNITS, queryset=units, form=filters)  # the list's own rows and filter form

or links to the ready-made URL ``exports:<kind>`` with the same GET parameters.
"""

from .engine import Column, ExportSpec, Filter, export_response, export_xlsx, wants_export, write_workbook
from .log import log_download, log_export

__all__ = [
    "Column",
    "ExportSpec",
    "Filter",
    "export_response",
    "export_xlsx",
    "wants_export",
    "log_download",
    "log_export",
    "write_workbook",
]
