"""Open what an export view returned, the way the office would: with openpyxl / python-docx."""

import io

import openpyxl
from docx import Document


def workbook(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def sheet_rows(ws):
    """Data rows below the title row and the header row, as lists of values."""
    return [list(r) for r in ws.iter_rows(min_row=3, values_only=True)]


def headers(ws):
    return [c for c in next(ws.iter_rows(min_row=2, max_row=2, values_only=True))]


def all_text(wb) -> str:
    return "\n".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v)


def docx_text(response) -> str:
    assert response.status_code == 200, response.status_code
    doc = Document(io.BytesIO(b"".join(response.streaming_content)))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)
