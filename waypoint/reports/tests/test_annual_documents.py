"""The annual report as PDF and DOCX, generated from the demo records.

Each 2019 event of the source report (the list the activities tests keep)
must appear in both downloads with its date, place and participant count.
"""

from __future__ import annotations

import io
import re
import uuid
import zipfile

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from docx import Document

from waypoint.activities.models import AnnualReport
from waypoint.activities.selectors import annual_report_build
from waypoint.activities.templatetags.activities import day_range
from waypoint.activities.tests.test_report import EXPECTED_2019
from waypoint.lib.countries import country_name
from waypoint.lib.testing import pdf_text
from waypoint.reports.documents import (
    annual_report_docx,
    annual_report_pdf,
    report_outline,
)

pytestmark = pytest.mark.django_db


def _report(organization_id: uuid.UUID) -> AnnualReport:
    return AnnualReport.objects.select_related("organization").get(
        organization_id=organization_id, year=2019
    )


def _docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def _docx_event_rows(content: bytes) -> list[list[str]]:
    document = Document(io.BytesIO(content))
    return [
        [cell.text for cell in row.cells]
        for table in document.tables
        if table.rows[0].cells[0].text == "Date"
        for row in table.rows[1:]
    ]


def _expected_rows() -> list[tuple[str, str, str]]:
    return [
        (
            day_range(first, last if last != first else None),
            f"{city}, {country_name(country)}",
            str(count) if count is not None else "not recorded",
        )
        for _section, first, last, city, country, count in EXPECTED_2019
    ]


def test_the_2019_docx_has_one_row_per_event_with_its_date_place_and_count(
    demo: None, pro_refugiu_id: uuid.UUID
) -> None:
    """Every event of the source report is a row: date, place and count match."""
    outline = report_outline(annual_report_build(report=_report(pro_refugiu_id)), "en")
    rows = _docx_event_rows(annual_report_docx(outline))
    got = sorted((row[0], row[2], row[3]) for row in rows)
    assert got == sorted(_expected_rows())
    assert "April 5, 2019 – April 6, 2019" in {row[0] for row in rows}


def test_the_2019_pdf_holds_every_event_date_place_and_count(
    demo: None, pro_refugiu_id: uuid.UUID
) -> None:
    """The PDF's text has each event's dates, place and participant count."""
    outline = report_outline(annual_report_build(report=_report(pro_refugiu_id)), "en")
    text = pdf_text(annual_report_pdf(outline, compress=False))
    for day, place, _count in _expected_rows():
        assert day in text, day
        assert place in text, place
    # Each event's count follows its place in the table row.
    for _s, first, last, city, country, count in EXPECTED_2019:
        day = day_range(first, last if last != first else None)
        shown = str(count) if count is not None else "not recorded"
        pattern = re.escape(f"{city}, {country_name(country)}") + r"\s+" + shown
        start = text.index(day)
        assert re.search(pattern, text[start : start + 600]), (day, shown)


def test_both_documents_have_every_section_of_the_report(
    demo: None, pro_refugiu_id: uuid.UUID
) -> None:
    """Foreword, structure, projects with outputs, international events,
    partners and contact are in the PDF and the DOCX alike."""
    outline = report_outline(annual_report_build(report=_report(pro_refugiu_id)), "en")
    pdf = pdf_text(annual_report_pdf(outline, compress=False))
    docx = re.sub(r"\s+", " ", _docx_text(annual_report_docx(outline)))
    for text in (
        "Annual activity report 2019",
        "Foreword",
        "Organisational structure",
        "Training Department",
        "Projects",
        "International events",
        "Partners",
        "Contact information",
        "office@prorefugiu.org",
        "56 Calea Crângași Street",
        "Financial compensation guide",
        "Meeting of the EU Civil Society Platform against Trafficking in Human",
    ):
        assert text in pdf, text
        assert text in docx, text


def test_the_pdf_writes_greek_and_bulgarian_letters(
    demo: None, pro_refugiu_id: uuid.UUID
) -> None:
    """The embedded DejaVu font carries Greek and Cyrillic, not only Latin."""
    with translation.override("el"):
        outline = report_outline(
            annual_report_build(report=_report(pro_refugiu_id)), "el"
        )
    outline.blocks[0].text = "Πρόλογος — Предговор — Crângași"
    text = pdf_text(annual_report_pdf(outline, compress=False))
    assert "Πρόλογος — Предговор — Crângași" in text


def test_the_pdf_download_is_an_attachment(demo: None, client: Client) -> None:
    """/en/reports/annual/2019.pdf is a PDF offered as a download."""
    response = client.get(
        reverse("reports:annual_year", kwargs={"year": 2019, "fmt": "pdf"})
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="annual-report-2019.pdf"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content.startswith(b"%PDF-")


def test_the_docx_download_is_a_word_document(
    demo: None, client: Client, pro_refugiu_id: uuid.UUID
) -> None:
    """The organisation's own address of the report serves the DOCX."""
    url = reverse(
        "reports:annual",
        kwargs={
            "year": 2019,
            "organization": pro_refugiu_id,
            "fmt": "docx",
        },
    )
    assert url.startswith("/en/reports/annual/2019/")
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "wordprocessingml" in response["Content-Type"]
    assert (
        "word/document.xml" in zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    )
    assert "Annual activity report 2019" in _docx_text(response.content)


def test_the_download_speaks_the_language_of_the_page(
    demo: None, client: Client
) -> None:
    """A Romanian page downloads a report with Romanian country names."""
    response = client.get("/ro/reports/annual/2019.docx")
    assert response.status_code == 200
    text = _docx_text(response.content)
    assert "Bucharest, România" in text
    assert "Spania" in text


def test_a_year_without_a_report_has_no_download(demo: None, client: Client) -> None:
    """No report for 1999: 404, for both formats."""
    for fmt in ("pdf", "docx"):
        url = reverse("reports:annual_year", kwargs={"year": 1999, "fmt": fmt})
        assert client.get(url).status_code == 404
    assert client.get("/en/reports/annual/2019.exe").status_code == 404


def test_the_report_page_links_to_its_downloads(
    demo: None, client: Client, pro_refugiu_id: uuid.UUID
) -> None:
    """The web page of the 2019 report offers the PDF and the DOCX."""
    html = client.get("/en/activities/reports/2019/").content.decode()
    base = f"/en/reports/annual/2019/{pro_refugiu_id}"
    assert f'href="{base}.pdf"' in html
    assert f'href="{base}.docx"' in html
