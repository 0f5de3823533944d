"""The public activity pages: they render, filter, 404 and stay cheap."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from waypoint.activities.models import (
    Event,
    EventType,
    FundingProgramme,
    ParticipantCount,
    PartnerRole,
    Partnership,
    PartnershipKind,
    Project,
    ProjectPartner,
    Publication,
    PublicationType,
)
from waypoint.activities.services import (
    activity_record_save,
    event_participants_set,
    project_partners_set,
)
from waypoint.directory.models import Organization

pytestmark = pytest.mark.django_db

LIST_PAGES = (
    "activities:projects",
    "activities:events",
    "activities:publications",
    "activities:partners",
    "activities:reports",
)


@pytest.mark.parametrize("name", LIST_PAGES)
def test_each_list_page_renders_in_every_language(
    demo: None, client: Client, name: str
) -> None:
    """The pages answer 200 under each language prefix, with the nav."""
    for code in ("en", "ro", "de"):
        with translation.override(code):
            url = reverse(name)
        assert url.startswith(f"/{code}/")
        response = client.get(url)
        assert response.status_code == 200
        # The site's main navigation, and no second bar repeating it.
        assert response.content.count(b'class="site-nav"') == 1
        assert b"activities-nav" not in response.content
        assert b' style="' not in response.content
        assert b"<style" not in response.content


def test_the_project_page_shows_its_events_outputs_and_partners(
    demo: None, client: Client, activity_id: Callable[[str, str], uuid.UUID]
) -> None:
    """A project's page lists its events and publications and its partners."""
    pk = activity_id("project", "justice-for-women")
    html = client.get(reverse("activities:project", kwargs={"pk": pk})).content
    page = html.decode()
    assert "Experts meeting in Spain" in page
    assert "Case conference in Romania" in page
    assert "Financial compensation guide" in page
    assert "Demetra Association" in page
    assert "Justice Programme of the European Union" in page
    assert "September 2018" in page and "April 2020" in page


def test_a_project_known_only_by_year_shows_only_the_year(
    demo: None, client: Client, activity_id: Callable[[str, str], uuid.UUID]
) -> None:
    """RACCOMBAT started "in 2017": the page does not invent a month."""
    pk = activity_id("project", "raccombat")
    page = client.get(reverse("activities:project", kwargs={"pk": pk})).content
    assert b"2017 \xe2\x80\x93 June 2019" in page
    assert b"January 2017" not in page


def test_the_event_page_shows_date_place_and_participants(
    demo: None, client: Client, activity_id: Callable[[str, str], uuid.UUID]
) -> None:
    """The seminar of 5–6 April 2019 in Bucharest had 54 participants."""
    pk = activity_id("event", "2019-bucharest-seminar")
    page = client.get(reverse("activities:event", kwargs={"pk": pk})).content.decode()
    assert '<time datetime="2019-04-05">' in page
    assert "Bucharest, Romania" in page
    assert "54 participants" in page
    assert "police officers" in page
    assert "Pro Refugiu Association" in page


def test_the_calendar_filters_by_year_and_type(demo: None, client: Client) -> None:
    """2018 has the newsletter's four conferences; its one final conference."""
    url = reverse("activities:events")
    page = client.get(url, {"year": "2018"}).content.decode()
    assert page.count('class="event-item"') == 4
    only = client.get(url, {"year": "2018", "type": "final-conference"}).content
    assert only.decode().count('class="event-item"') == 1
    assert b"Final Conference in Brussels" in only


def test_the_calendar_splits_upcoming_from_past(demo: None, client: Client) -> None:
    """An event later than today is upcoming; the demo's are all past."""
    activity_record_save(
        actor="test",
        instance=Event(
            type=EventType.TRAINING,
            title="Training on EU victims' rights law",
            start_date=timezone.localdate()
            .replace(month=1, day=1)
            .replace(year=timezone.localdate().year + 1),
            city="Athens",
            country="GR",
        ),
    )
    page = client.get(reverse("activities:events")).content.decode()
    upcoming, past = page.split('id="past-title"')
    assert "Training on EU victims&#x27; rights law" in upcoming
    assert "Seminar in Romania" in past


def test_the_calendar_refuses_an_unknown_filter(demo: None, client: Client) -> None:
    """A year without events or an unknown type is a 400 with the reason shown."""
    response = client.get(reverse("activities:events"), {"type": "party"})
    assert response.status_code == 400
    assert b'class="error-summary"' in response.content


def test_the_publications_library_filters_by_type(demo: None, client: Client) -> None:
    """The library lists every publication, or those of one type."""
    url = reverse("activities:publications")
    page = client.get(url).content.decode()
    assert page.count('class="card publication"') == 4
    assert "Accept friend request" in page
    page = client.get(url, {"type": "guide"}).content.decode()
    assert page.count('class="card publication"') == 1
    assert "Financial compensation guide" in page


def test_the_partners_page_groups_by_kind(demo: None, client: Client) -> None:
    """International and national partners and network memberships are shown."""
    page = client.get(reverse("activities:partners")).content.decode()
    for text in (
        "International partner",
        "National partner",
        "Network membership",
        "ECPAT Germany",
        "Betania Association",
        "Fundamental Rights Platform",
    ):
        assert text.lower() in page.lower()


@pytest.mark.parametrize("name", ["activities:project", "activities:event"])
def test_an_unknown_id_is_a_404(db: None, client: Client, name: str) -> None:
    """Unknown projects and events are not found."""
    response = client.get(reverse(name, kwargs={"pk": uuid.uuid4()}))
    assert response.status_code == 404


def test_an_unknown_report_is_a_404(
    demo: None, client: Client, demo_id: Callable[[str, str], uuid.UUID]
) -> None:
    """A year without a report, or another organisation's, is not found."""
    assert (
        client.get(reverse("activities:report_year", kwargs={"year": 2017})).status_code
        == 404
    )
    response = client.get(
        reverse(
            "activities:report",
            kwargs={"year": 2019, "organization": demo_id("org", "kok")},
        )
    )
    assert response.status_code == 404


def _more_records(n: int, *, coordinator_id: uuid.UUID, partner_id: uuid.UUID) -> None:
    """``n`` more projects, each with partners, events, counts and outputs."""
    pro_refugiu = Organization.objects.get(pk=coordinator_id)
    partner = Organization.objects.get(pk=partner_id)
    for i in range(n):
        project = activity_record_save(
            actor="test",
            instance=Project(
                title=f"Extra project {i}",
                funding_programme=FundingProgramme.OTHER,
                coordinator=pro_refugiu,
                start_date=date(2019, 1, 1),
                end_date=date(2019, 12, 31),
                countries=["RO"],
            ),
        )
        project_partners_set(
            actor="test",
            project=project,
            rows=[
                ProjectPartner(organization=pro_refugiu, role=PartnerRole.COORDINATOR),
                ProjectPartner(organization=partner, role=PartnerRole.PARTNER),
            ],
        )
        event = activity_record_save(
            actor="test",
            instance=Event(
                type=EventType.WORKSHOP,
                project=project,
                title=f"Extra workshop {i}",
                start_date=date(2019, 2, 1 + i),
                city="Bucharest",
                country="RO",
                organiser=pro_refugiu,
            ),
        )
        event_participants_set(
            actor="test",
            event=event,
            rows=[
                ParticipantCount(dimension="total", count=10 + i),
                ParticipantCount(dimension="profession", code="judge"),
                ParticipantCount(dimension="country", code="RO"),
            ],
        )
        activity_record_save(
            actor="test",
            instance=Publication(
                type=PublicationType.REPORT,
                title=f"Extra report {i}",
                project=project,
                published=date(2019, 5, 1),
            ),
        )
        if i < 2:
            # A second organisation's network: one more group on the page.
            activity_record_save(
                actor="test",
                instance=Partnership(
                    organization=partner,
                    partner=pro_refugiu if i == 0 else project.coordinator,
                    kind=PartnershipKind.PROTOCOL
                    if i == 0
                    else PartnershipKind.NETWORK,
                    position=i,
                ),
            )


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", [*LIST_PAGES, "activities:report_year"])
def test_list_pages_run_a_fixed_number_of_queries(
    demo: None,
    client: Client,
    name: str,
    pro_refugiu_id: uuid.UUID,
    demo_id: Callable[[str, str], uuid.UUID],
) -> None:
    """Five more projects with events, counts and outputs add no query."""
    url = reverse(name, kwargs={"year": 2019} if name.endswith("year") else None)
    client.get(url)  # warm caches (sessions, site settings)
    before = _queries(client, url)
    _more_records(5, coordinator_id=pro_refugiu_id, partner_id=demo_id("org", "cild"))
    assert _queries(client, url) == before
