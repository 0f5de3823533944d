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

WIDTH = 420
VALUE_WIDTH = 70
BAR_SPAN = WIDTH - VALUE_WIDTH
FONT_SIZE = 14
LINE_HEIGHT = 17
BAR_HEIGHT = 16
LABEL_GAP = 3  # between a label's last line and its bar
ROW_GAP = 12
TOP = 4
INSET = 2  # a glyph such as "j" reaches a little left of its origin
BAR_FILL = "#0b4f8a"  # 8.4:1 against white, as the site's links
TEXT_FILL = "#1a1a1a"

# Each label is drawn in full, on as many lines above its bar as it needs:
# the server cannot measure text, so it wraps by a generous estimate of each
# letter's width (in em, near DejaVu Sans, the widest of the fonts the page
# asks for), which keeps every line inside the chart in every language.
_NARROW = set(" .,:;'!|()[]/-ijlftrIJıίϊΐ")
_WIDE = set("mwMWшщжюфыШЩЖЮФЫωψφΩΨΦΜ…%@")
_LINE_EM = (WIDTH - 2 * INSET) / FONT_SIZE


def _em(character: str) -> float:
    if character in _NARROW:
        return 0.4
    if character in _WIDE:
        return 1.0
    if character.isupper() or character.isdigit():
        return 0.8
    return 0.68


def _width(text: str) -> float:
    return sum(_em(c) for c in text)


def _wrapped(label: str) -> list[str]:
    """``label`` in lines that each fit the chart's width."""
    lines: list[str] = []
    line = ""
    for word in label.split():
        while _width(word) > _LINE_EM:  # a word longer than a line is cut
            cut = len(word)
            while _width(word[:cut] + "-") > _LINE_EM:
                cut -= 1
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:cut] + "-")
            word = word[cut:]
        candidate = f"{line} {word}" if line else word
        if _width(candidate) <= _LINE_EM:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line or not lines:
        lines.append(line)
    return lines


def _label(lines: list[str], top: int) -> SafeString:
    spans = format_html_join(
        "",
        '<tspan x="{}" y="{}">{}</tspan>',
        (
            (INSET, top + FONT_SIZE - 2 + index * LINE_HEIGHT, line)
            for index, line in enumerate(lines)
        ),
    )
    return format_html(
        '<text font-size="{}" fill="{}">{}</text>', FONT_SIZE, TEXT_FILL, spans
    )


def bar_chart(table: Table, *, chart_id: str) -> SafeString:
    """A horizontal bar per row of ``table``, for its ``chart_column``, each
    under its label."""
    column = table.chart_column
    values = [row.cells[column] for row in table.rows]
    numbers = [
        Decimal(c.value) for c in values if c.value is not None and not c.suppressed
    ]
    top = max(numbers, default=Decimal(0)) or Decimal(1)
    shapes = []
    y = TOP
    for row, cell in zip(table.rows, values, strict=True):
        lines = _wrapped(row.label)
        bar_y = y + len(lines) * LINE_HEIGHT + LABEL_GAP
        length = 0
        if cell.value is not None and not cell.suppressed:
            length = int(BAR_SPAN * Decimal(cell.value) / top)
        shapes.append(
            format_html(
                '{}<rect x="0" y="{}" width="{}" height="{}" fill="{}"></rect>'
                '<text x="{}" y="{}" font-size="{}" fill="{}">{}</text>',
                _label(lines, y),
                bar_y,
                length,
                BAR_HEIGHT,
                BAR_FILL,
                length + 6,
                bar_y + BAR_HEIGHT - 3,
                FONT_SIZE,
                TEXT_FILL,
                cell.text,
            )
        )
        y = bar_y + BAR_HEIGHT + ROW_GAP
    height = max(y - ROW_GAP + TOP, 2 * TOP + LINE_HEIGHT)
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
        format_html_join("\n", "{}", ((shape,) for shape in shapes)),
    )
