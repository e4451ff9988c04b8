"""The .xlsx writer behind every export: openpyxl in write-only mode, so rows go to a temporary file as
they are produced and a 60,000-row ledger never sits in memory as a workbook.

A spec is declarative: the columns (header, where the value comes from, width, format), the queryset
that starts from the model's `visible_to(user)` door with the joins the columns need, and the GET
filters it understands. `export_response` turns a request into a download and a log row.
"""

import copy
import datetime
import re
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import QuerySet
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from .log import log_export

CHUNK_SIZE = 2000

# How a value is shown: the number format and whether long text wraps.
FORMATS = {
    "text": ("@", False),
    "wrap": ("@", True),
    "date": ("yyyy-mm-dd", False),
    "int": ("0", False),
    "percent": ("0%", False),
    "rate": ("0.0%", False),  # a rate with one decimal, as the dashboard shows it
    "seq": ("0", False),
}


@dataclass(frozen=True)
class Column:
    """One column: `value` is a dotted attribute path ("finding.inspection.unit.name"; methods such as
    get_status_display are called) or a callable taking the row object."""

    header: str
    value: str | Callable
    width: float = 14
    fmt: str = "text"
    choices: type | None = None  # a Choices class: the stored value is shown as its label
    shown_to: Callable | None = None  # user -> bool, for a column only some of the list's readers may see

    def getter(self) -> Callable:
        if self.choices is not None:
            # Labels resolved once per export, not through get_FOO_display() on every row.
            labels = {value: str(label) for value, label in self.choices.choices}
            inner = Column(self.header, self.value).getter()
            return lambda obj: labels.get(inner(obj), inner(obj))
        if callable(self.value):
            return self.value
        parts = self.value.split(".")

        def get(obj):
            for part in parts:
                if obj is None:
                    return None
                obj = getattr(obj, part)
                if callable(obj) and not isinstance(obj, type):
                    obj = obj()
            return obj

        return get


@dataclass(frozen=True)
class ExportSpec:
    kind: str
    title: str  # may be lazy
    columns: tuple[Column, ...]
    # user -> queryset from the visible_to door, with the joins; None for a list that always passes its rows
    base: Callable[..., QuerySet] | None = None
    allowed: Callable[..., bool] = lambda user: user.is_authenticated
    # The list's FilterSet (xuncha/filtersets.py): the page, this export and the API filter and sort alike.
    filterset: type | None = None
    order_by: tuple[str, ...] = ()  # when the reader chose no sort
    confidential: bool = False
    prepare: Callable[[QuerySet], QuerySet] | None = None  # the columns' joins, over a list page's FilterSet rows
    sheet_key: Callable | None = None  # obj -> sheet title, for one sheet per round
    sheet_order: tuple[str, ...] = ()  # ordering that keeps each sheet's rows together

    def filtered(self, user, params):
        """The list's FilterSet over the user's rows, bound to the GET parameters."""
        return self.filterset(params, queryset=self.base(user), user=user)

    def queryset(self, user, params) -> tuple[QuerySet, dict]:
        """The user's rows with the filters on screen; returns the queryset and the filters applied."""
        filterset = self.filtered(user, params)
        qs = filterset.qs
        if self.order_by and not filterset.sorted:
            qs = qs.order_by(*self.order_by)
        return qs, filterset.cleaned_filters()


def _plain(value, fmt):
    """A Python value Excel understands, shown the way a person reads it."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, (list, tuple, set)):
        return "、".join(str(v) for v in value)
    if fmt in ("percent", "rate") and isinstance(value, (int, Decimal, float)):
        return value / 100
    if isinstance(value, (str, int, float, Decimal, datetime.date)):
        return value
    return str(value)


# A text beginning with one of these is a formula (or becomes one when the cell is edited) in Excel or
# WPS: a finding titled "=HYPERLINK(…)" must reach the ledger as the words its author typed.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def as_text(cell):
    """Keep a text cell text whatever it starts with: openpyxl writes "=…" as a live formula otherwise.
    Every cell of every workbook the app writes passes here."""
    value = cell.value
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        cell.data_type = "s"
        cell.quotePrefix = True  # Excel keeps it text when someone edits the cell later
    return cell


_SAFE_TITLE = re.compile(r"[\[\]:*?/\\]")
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


class LedgerWriter:
    """Writes sheets of styled rows to a write-only workbook; each sheet streams to its own temp file."""

    def __init__(self, columns: Iterable[Column], heading: str):
        self.columns = tuple(columns)
        self.getters = [c.getter() for c in self.columns]
        self.fmts = [c.fmt for c in self.columns]
        self.heading = str(heading)
        self.workbook = Workbook(write_only=True)
        self.ws = None
        self.rows_in_sheet = 0
        self.total = 0
        self._titles = set()

    def _title(self, title: str) -> str:
        title = _SAFE_TITLE.sub("", str(title))[:28] or "Sheet"
        base, n = title, 2
        while title in self._titles:
            title, n = f"{base}({n})", n + 1
        self._titles.add(title)
        return title

    def start_sheet(self, title):
        title = str(title)
        self._close_sheet()
        ws = self.workbook.create_sheet(self._title(title))
        last = get_column_letter(len(self.columns))
        for i, col in enumerate(self.columns, start=1):
            ws.column_dimensions[get_column_letter(i)].width = col.width
        ws.freeze_panes = "A3"
        ws.print_title_rows = "1:2"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = "9"  # A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        ws.oddFooter.center.text = _("第 &P 页，共 &N 页")
        ws.merged_cells.add(f"A1:{last}1")
        ws.row_dimensions[1].height = 30
        # Row and column styles must be set before the first row is written (write-only mode).
        heading = as_text(WriteOnlyCell(ws, f"{self.heading}（{title}）" if title != self.heading else self.heading))
        heading.font = Font(bold=True, size=14)
        heading.alignment = Alignment(horizontal="center", vertical="center")
        ws.append([heading])
        header = []
        for col in self.columns:
            cell = as_text(WriteOnlyCell(ws, str(col.header)))
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDE3EA")
            cell.border = _BORDER
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            header.append(cell)
        ws.append(header)
        # One style per column, copied onto each cell: cheaper than assigning fonts and borders per cell.
        self.styles = []
        for fmt in self.fmts:
            number_format, wrap = FORMATS[fmt]
            proto = WriteOnlyCell(ws, None)
            proto.border = _BORDER
            proto.number_format = number_format
            proto.alignment = Alignment(vertical="top", wrap_text=wrap)
            self.styles.append(proto._style)
        self.ws = ws
        self.rows_in_sheet = 0

    def row(self, obj):
        self.rows_in_sheet += 1
        self.total += 1
        ws = self.ws
        cells = []
        for get, fmt, style in zip(self.getters, self.fmts, self.styles, strict=True):
            value = self.rows_in_sheet if fmt == "seq" else _plain(get(obj), fmt)
            cell = WriteOnlyCell(ws, value)
            cell._style = copy.copy(style)
            if type(value) is str and value.startswith(FORMULA_PREFIXES):
                as_text(cell)
            cells.append(cell)
        ws.append(cells)

    def _close_sheet(self):
        if self.ws is not None and self.rows_in_sheet:
            self.ws.auto_filter.ref = f"A2:{get_column_letter(len(self.columns))}{self.rows_in_sheet + 2}"

    def save(self, fileobj):
        if self.ws is None:
            self.start_sheet(self.heading)
        self._close_sheet()
        self.workbook.save(fileobj)


def write_workbook(fileobj, *, queryset, columns, heading: str, sheet_title: str, sheet_key=None, progress=None) -> int:
    """Stream `queryset` into `fileobj` as .xlsx; with `sheet_key` a new sheet starts whenever the key
    changes (order the queryset by it). Returns the number of rows written. `progress(n)` is told every
    CHUNK_SIZE rows (a background export's progress bar and heartbeat)."""
    writer = LedgerWriter(columns, heading)
    current = object()
    if sheet_key is None:
        writer.start_sheet(sheet_title)
    for n, obj in enumerate(queryset.iterator(chunk_size=CHUNK_SIZE), start=1):
        if sheet_key is not None:
            key = sheet_key(obj)
            if key != current:
                writer.start_sheet(key)
                current = key
        writer.row(obj)
        if progress is not None and n % CHUNK_SIZE == 0:
            progress(n)
    writer.save(fileobj)
    return writer.total


def export_xlsx(
    *,
    user,
    queryset,
    columns,
    filename: str,
    sheet_title: str,
    filters: dict,
    kind: str,
    confidential: bool = False,
    sheet_key=None,
    heading: str | None = None,
    progress=None,
) -> FileResponse:
    """Write the rows to a temporary file, log the export, and stream the file back."""
    out = tempfile.TemporaryFile(suffix=".xlsx")
    rows = write_workbook(
        out,
        queryset=queryset,
        columns=columns,
        heading=heading or sheet_title,
        sheet_title=sheet_title,
        sheet_key=sheet_key,
        progress=progress,
    )
    log_export(user=user, kind=kind, filename=filename, filters=filters, row_count=rows, confidential=confidential)
    out.seek(0)
    return FileResponse(
        out,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def wants_export(request) -> bool:
    """A list page asked for its rows as .xlsx (`?export=xlsx`, the on-screen filters kept). Only a GET:
    a HEAD would build the file and log an export nobody received."""
    return request.method == "GET" and request.GET.get("export") == "xlsx"


# The page's script (static/js/xuncha.js) puts a token on an export link and waits for this cookie to
# know the file has arrived. Only a short [A-Za-z0-9_-] token becomes part of a cookie name: anything else
# could smuggle attributes or headers into Set-Cookie, so it is ignored and the download goes out unmarked.
DOWNLOAD_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,40}")
DOWNLOAD_COOKIE_PREFIX = "download-"
DOWNLOAD_COOKIE_SECONDS = 60  # the page removes it at once; this only bounds a tab closed meanwhile


def mark_download(request, response):
    """Tell the page that asked with `?download_token=…` that its file is here: a short-lived cookie named
    after the token, readable by the page's script."""
    token = request.GET.get("download_token", "")
    if DOWNLOAD_TOKEN.fullmatch(token):
        response.set_cookie(
            f"{DOWNLOAD_COOKIE_PREFIX}{token}",
            "1",
            max_age=DOWNLOAD_COOKIE_SECONDS,
            path="/",
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=False,
            samesite="Lax",
        )
    return response


def export_response(request, spec: ExportSpec, filterset=None) -> FileResponse:
    """The download for a list: `filterset` is the list page's own FilterSet (its rows are the export's), or
    none to build the rows from the spec's FilterSet and the GET parameters. The log records the FilterSet's
    cleaned filters."""
    user = request.user
    if not spec.allowed(user):
        raise Http404
    if filterset is None:
        queryset, applied = spec.queryset(user, request.GET)
    else:
        queryset, applied = filterset.qs, filterset.cleaned_filters()
        if spec.prepare:
            # The list's own prefetches serve its page; the export's columns bring theirs.
            queryset = spec.prepare(queryset.select_related(None).prefetch_related(None))
    sheet_key = None
    if spec.sheet_key and request.GET.get("sheets") == "round":
        sheet_key = spec.sheet_key
        queryset = queryset.order_by(*spec.sheet_order)
        applied["sheets"] = "round"
    from .jobs import export_job_for, job_of

    job = job_of(request)
    if job is None:
        queued = export_job_for(request, queryset, kind=spec.kind)
        if queued is not None:  # too many rows for a request: a background job, its page shows progress
            return queued
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = export_xlsx(
        progress=job.progress if job else None,
        user=user,
        queryset=queryset,
        columns=[c for c in spec.columns if c.shown_to is None or c.shown_to(user)],
        filename=f"{spec.title}_{stamp}.xlsx",
        sheet_title=spec.title,
        heading=spec.title,
        filters=applied,
        kind=spec.kind,
        confidential=spec.confidential,
        sheet_key=sheet_key,
    )
    return mark_download(request, response)
