"""PDF documents in every language of the network.

The core PDF fonts have no Romanian, Bulgarian or Greek letters, so every PDF
Waypoint writes (the annual report, newsletters, certificates of attendance)
embeds DejaVu Sans from Debian's ``fonts-dejavu-core`` under the family name
``DejaVu``.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_REGULAR = FONT_DIR / "DejaVuSans.ttf"
FONT_BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"
FONT_FAMILY = "DejaVu"

PDF_TYPE = "application/pdf"


def unicode_fonts_add(pdf: FPDF) -> None:
    """Give ``pdf`` the regular and bold DejaVu Sans, or say what is missing."""
    if not FONT_REGULAR.exists():
        raise RuntimeError(
            f"{FONT_REGULAR} is missing: install Debian's fonts-dejavu-core."
        )
    pdf.add_font(FONT_FAMILY, "", str(FONT_REGULAR))
    pdf.add_font(FONT_FAMILY, "B", str(FONT_BOLD))
