"""Bar charts drawn on the server as SVG, with nothing to load.

Colours are SVG presentation attributes (``fill``), never ``style``: the
Content-Security-Policy forbids inline styles. Each chart is an image with a
text alternative that lists its figures; the page shows the same figures in
the data table beside it. A suppressed figure gets no bar, only "<5".
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from waypoint.reports.statistics import Table

WIDTH = 640
LABEL_WIDTH = 220
VALUE_WIDTH = 70
ROW_HEIGHT = 26
BAR_HEIGHT = 18
BAR_FILL = "#0b4f8a"  # 8.4:1 against white, as the site's links
TEXT_FILL = "#1a1a1a"
MAX_LABEL = 32


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def bar_chart(table: Table, *, chart_id: str) -> SafeString:
    """A horizontal bar per row of ``table``, for its ``chart_column``."""
    column = table.chart_column
    values = [row.cells[column] for row in table.rows]
    numbers = [
        Decimal(c.value) for c in values if c.value is not None and not c.suppressed
    ]
    top = max(numbers, default=Decimal(0)) or Decimal(1)
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = max(len(table.rows), 1) * ROW_HEIGHT + 8
    bars = []
    for index, (row, cell) in enumerate(zip(table.rows, values, strict=True)):
        y = 4 + index * ROW_HEIGHT
        length = 0
        if cell.value is not None and not cell.suppressed:
            length = int(span * Decimal(cell.value) / top)
        bars.append(
            (
                LABEL_WIDTH - 8,
                y + BAR_HEIGHT - 4,
                TEXT_FILL,
                _short(row.label),
                LABEL_WIDTH,
                y,
                length,
                BAR_HEIGHT,
                BAR_FILL,
                LABEL_WIDTH + length + 6,
                y + BAR_HEIGHT - 4,
                TEXT_FILL,
                cell.text,
            )
        )
    shapes = format_html_join(
        "\n",
        '<text x="{}" y="{}" text-anchor="end" font-size="13" fill="{}">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"></rect>'
        '<text x="{}" y="{}" font-size="13" fill="{}">{}</text>',
        bars,
    )
    title = _("Chart: %(title)s, %(column)s") % {
        "title": table.title,
        "column": table.chart_heading,
    }
    description = "; ".join(
        f"{row.label}: {cell.text}"
        for row, cell in zip(table.rows, values, strict=True)
    ) or _("No figures.")
    return format_html(
        '<svg class="bar-chart" role="img" viewBox="0 0 {} {}" width="{}" '
        'height="{}" aria-labelledby="{}-title {}-desc" focusable="false" '
        'xmlns="http://www.w3.org/2000/svg">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>\n{}</svg>',
        WIDTH,
        height,
        WIDTH,
        height,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        description,
        shapes,
    )
