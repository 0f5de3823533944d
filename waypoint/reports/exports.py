"""Every statistics table as CSV or XLSX, safe to open in a spreadsheet.

A cell that starts with ``=``, ``+``, ``-``, ``@`` (or ``|``, ``%``, a tab or a
carriage return) would be run as a formula by a spreadsheet: such text is
prefixed with an apostrophe, in both formats. Numbers stay numbers. The CSV
goes through defusedcsv as well, which applies the same rule.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal

from defusedcsv import csv
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from waypoint.reports.statistics import Number, Table

_FORMULA_START = ("=", "+", "-", "@", "|", "%", "\t", "\r")
_NUMERIC = re.compile(r"^-?[0-9,.]+$")

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value: Number | str | None) -> Number | str | None:
    """``value`` as a spreadsheet will show it and never execute it."""
    if value is None or isinstance(value, int | Decimal):
        return value
    text = str(value)
    if text.startswith(_FORMULA_START) and not _NUMERIC.match(text):
        return "'" + text.replace("|", "\\|")
    return text


def _header(table: Table) -> list[str]:
    return [str(table.label_heading), *(str(c) for c in table.columns)]


def _rows(table: Table) -> list[list[Number | str | None]]:
    return [
        [neutralise(row.label), *(neutralise(c.export) for c in row.cells)]
        for row in table.rows
    ]


def table_csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([neutralise(h) for h in _header(table)])
    writer.writerows(_rows(table))
    # A byte-order mark so that spreadsheets read the accents as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _xlsx_value(value: Number | str | None) -> float | int | str | None:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str):
        # Control characters other than tab and line ends make the file invalid.
        return str(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def table_xlsx(table: Table) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    if sheet is None:  # a new workbook always has one sheet
        sheet = workbook.create_sheet()
    sheet.title = table.slug[:31]
    sheet.append([neutralise(h) for h in _header(table)])
    for row in _rows(table):
        sheet.append([_xlsx_value(v) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
