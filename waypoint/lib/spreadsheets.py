"""Cells that a spreadsheet shows and never runs, for every CSV and XLSX download.

A cell that starts with ``=``, ``+``, ``-``, ``@`` (or ``|``, ``%``, a tab or a
carriage return) would be run as a formula by a spreadsheet: such text is
prefixed with an apostrophe, in both formats. Numbers stay numbers. The CSV
goes through defusedcsv as well, which applies the same rule.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

from defusedcsv import csv
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

_FORMULA_START = ("=", "+", "-", "@", "|", "%", "\t", "\r")
_NUMERIC = re.compile(r"^-?[0-9,.]+$")

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

type Cell = int | Decimal | str | None


def neutralise(value: object) -> int | Decimal | str | None:
    """``value`` as a spreadsheet will show it and never execute it."""
    if value is None or isinstance(value, int | Decimal):
        return value
    text = str(value)
    if text.startswith(_FORMULA_START) and not _NUMERIC.match(text):
        return "'" + text.replace("|", "\\|")
    return text


def csv_bytes(rows: Iterable[Sequence[object]]) -> bytes:
    """``rows`` (the first one the header) as UTF-8 CSV, every cell neutralised.

    It starts with a byte-order mark so that spreadsheets read the accents as
    UTF-8.
    """
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows([neutralise(value) for value in row] for row in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_value(value: Cell) -> float | int | str | None:
    """A neutralised cell as openpyxl takes it."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str):
        # Control characters other than tab and line ends make the file invalid.
        return str(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value
