"""Every statistics table as CSV or XLSX, safe to open in a spreadsheet.

Cells go through ``waypoint.lib.spreadsheets``, which neutralises anything a
spreadsheet would run as a formula, in both formats.
"""

from __future__ import annotations

import io

from openpyxl import Workbook

from waypoint.lib.spreadsheets import (
    CSV_TYPE,
    XLSX_TYPE,
    csv_bytes,
    neutralise,
    xlsx_value,
)
from waypoint.reports.statistics import Number, Table

__all__ = ["CSV_TYPE", "XLSX_TYPE", "table_csv", "table_xlsx"]


def _header(table: Table) -> list[str]:
    return [str(table.label_heading), *(str(c) for c in table.columns)]


def _rows(table: Table) -> list[list[Number | str | None]]:
    return [
        [neutralise(row.label), *(neutralise(c.export) for c in row.cells)]
        for row in table.rows
    ]


def table_csv(table: Table) -> bytes:
    return csv_bytes([_header(table), *_rows(table)])


def table_xlsx(table: Table) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    if sheet is None:  # a new workbook always has one sheet
        sheet = workbook.create_sheet()
    sheet.title = table.slug[:31]
    sheet.append([neutralise(h) for h in _header(table)])
    for row in _rows(table):
        sheet.append([xlsx_value(v) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
