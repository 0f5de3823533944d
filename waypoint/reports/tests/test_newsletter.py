"""The newsletter generated from the demo records, against the real one.

``seeds/000_…`` is the project's newsletter of late 2018: three local
conferences (Sofia 16 October, Bucharest 1 November, Madrid 27 November)
and the final conference in Brussels on 29–30 November 2018. A newsletter
for 2018 built from the records must list each with its dates and place, on
the page and in both downloads.
"""

from __future__ import annotations

import io
import re
import uuid
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document

from waypoint.activities.models import Project
from waypoint.activities.selectors import (
    newsletter_build,
    newsletter_organization_choices,
)
from waypoint.lib.testing import pdf_text
from waypoint.reports.documents import newsletter_outline, outline_pdf

pytestmark = pytest.mark.django_db

# (title, dates as the page prints them, place) — from the newsletter seed.
SEED_CONFERENCES = [
    ("Local Conference in Sofia", "Oct. 16, 2018", "Sofia, Bulgaria"),
    ("Local Conference in Bucharest", "Nov. 1, 2018", "Bucharest, Romania"),
    ("Local Conference in Madrid", "Nov. 27, 2018", "Madrid, Spain"),
    (
        "Final Conference in Brussels",
        "Nov. 29, 2018 – Nov. 30, 2018",
        "Brussels, Belgium",
    ),
]

YEAR_2018 = {"start": "2018-01-01", "end": "2018-12-31"}


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _facts_of(text: str, title: str) -> str:
    """The part of the text from an event's heading to the next heading."""
    start = text.index(f"<h5>{title}</h5>")
    end = text.find("<h", start + 5)
    return text[start:end]


def test_the_2018_newsletter_page_lists_the_seed_conferences_with_dates_and_places(
    demo: None, client: Client
) -> None:
    response = client.get(reverse("reports:newsletter"), YEAR_2018)
    assert response.status_code == 200
    text = _flat(response.text)
    for title, dates, place in SEED_CONFERENCES:
        section = _facts_of(text, title)
        assert f"<dt>Date</dt><dd>{dates}</dd>" in section, title
        assert f"<dt>Place</dt><dd>{place}</dd>" in section, title
    # The seed's summary list, in its order.
    items = [f"{t}, {d}" for t, d, _p in SEED_CONFERENCES]
    positions = [text.index(item) for item in items]
    assert positions == sorted(positions)


def test_the_2018_newsletter_documents_hold_the_same_conferences(
    demo: None, client: Client
) -> None:
    pdf = client.get(reverse("reports:newsletter_download", args=["pdf"]), YEAR_2018)
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert "attachment" in pdf["Content-Disposition"]
    assert "newsletter-2018-01-01-2018-12-31.pdf" in pdf["Content-Disposition"]
    docx = client.get(reverse("reports:newsletter_download", args=["docx"]), YEAR_2018)
    assert docx.status_code == 200
    document = Document(io.BytesIO(docx.content))
    docx_text = _flat("\n".join(p.text for p in document.paragraphs))
    data = newsletter_build(start=date(2018, 1, 1), end=date(2018, 12, 31))
    outline = newsletter_outline(data, "en")
    pdf_plain = _flat(pdf_text(outline_pdf(outline, compress=False)))
    for title, dates, place in SEED_CONFERENCES:
        assert f"Date: {dates}" in docx_text, title
        assert f"Place: {place}" in docx_text, title
        assert title in pdf_plain and dates in pdf_plain and place in pdf_plain


def test_events_outside_projects_come_last_in_every_format(
    demo: None, client: Client
) -> None:
    period = {"start": "2019-01-01", "end": "2019-12-31"}
    page = _flat(client.get(reverse("reports:newsletter"), period).text)
    other = page.index("<h3>Other events</h3>")
    assert page.index("Brussels, Belgium", other) > other
    pdf = client.get(reverse("reports:newsletter_download", args=["pdf"]), period)
    assert pdf.status_code == 200
    data = newsletter_build(start=date(2019, 1, 1), end=date(2019, 12, 31))
    assert len(data.other_events) == 3
    text = _flat(pdf_text(outline_pdf(newsletter_outline(data, "en"), compress=False)))
    assert text.index("Other events") < text.rindex("Brussels, Belgium")


def test_a_project_newsletter_describes_the_project_as_the_seed_does(
    demo: None, client: Client, newsletter_project_id: uuid.UUID
) -> None:
    project = str(newsletter_project_id)
    response = client.get(reverse("reports:newsletter"), {"project": project})
    assert response.status_code == 200
    text = _flat(response.text)
    assert "Financed by the Justice Programme of the European Union" in text
    assert "<dt>Coordinator</dt><dd>Pro Refugiu Association</dd>" in text
    assert "Caritas International Belgium" in text
    for title, _dates, _place in SEED_CONFERENCES:
        assert title in text
    assert "http://ec.justice-project.prorefugiu.org/" in text
    download = reverse("reports:newsletter_download", args=["pdf"])
    assert f"{download}?project={project}" in response.text


def test_one_organisations_period_leaves_out_the_others(
    demo: None, client: Client, newsletter_project_id: uuid.UUID
) -> None:
    project = Project.objects.get(pk=newsletter_project_id)
    involved = [m.organization_id for m in project.memberships.all()]
    if project.coordinator_id is not None:
        involved.append(project.coordinator_id)
    own = client.get(
        reverse("reports:newsletter"),
        {**YEAR_2018, "organization": str(project.coordinator_id)},
    )
    assert own.status_code == 200
    assert "Local Conference in Sofia" in own.text
    other = newsletter_organization_choices().exclude(pk__in=involved).first()
    assert other is not None
    response = client.get(
        reverse("reports:newsletter"), {**YEAR_2018, "organization": str(other.pk)}
    )
    assert response.status_code == 200
    assert "Local Conference in Sofia" not in response.text


def test_a_newsletter_needs_a_project_or_a_period(demo: None, client: Client) -> None:
    empty = client.get(reverse("reports:newsletter"))
    assert empty.status_code == 200 and "problem to fix" not in empty.text
    response = client.get(reverse("reports:newsletter"), {"end": "2018-01-01"})
    assert response.status_code == 400
    assert 'href="#id_start"' in response.text
    assert "From: Give the first day, or choose a project." in response.text
    backwards = client.get(
        reverse("reports:newsletter"), {"start": "2018-12-01", "end": "2018-01-01"}
    )
    assert "To: The last day comes before the first." in backwards.text
    assert (
        client.get(reverse("reports:newsletter_download", args=["pdf"])).status_code
        == 404
    )


def test_the_annual_reports_page_links_to_the_newsletter(client: Client) -> None:
    page = client.get(reverse("activities:reports"))
    assert reverse("reports:newsletter") in page.text
