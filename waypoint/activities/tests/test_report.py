"""The 2019 annual report, generated from the demo records, against the source.

``EXPECTED_2019`` is copied by hand from Pro Refugiu's 2019 annual activity
report (``seeds/003_…``): every event it reports, with the dates, place and
number of participants it gives (``None`` where it gives no number). The
report generated from the records must show exactly these events.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from waypoint.activities.models import AnnualReport
from waypoint.activities.selectors import annual_report_build

pytestmark = pytest.mark.django_db

# (section, first day, last day, city, country, participants)
EXPECTED_2019: list[tuple[str, date, date, str, str, int | None]] = [
    # Pro Victims Justice
    ("Pro Victims", date(2019, 4, 5), date(2019, 4, 6), "Bucharest", "RO", 54),
    ("Pro Victims", date(2019, 6, 7), date(2019, 6, 7), "Bucharest", "RO", 51),
    # RACCOMBAT
    ("RACCOMBAT", date(2019, 4, 4), date(2019, 4, 4), "Bucharest", "RO", 24),
    # Towards a more effective rights protection ... victims of crime
    ("Towards", date(2019, 3, 21), date(2019, 3, 21), "Bucharest", "RO", 33),
    ("Towards", date(2019, 5, 10), date(2019, 5, 10), "Madrid", "ES", 18),
    ("Towards", date(2019, 10, 10), date(2019, 10, 10), "Bucharest", "RO", 41),
    ("Towards", date(2019, 10, 11), date(2019, 10, 11), "Bucharest", "RO", 24),
    # Anti-trafficking stakeholders and economic sectors networking
    ("Anti-trafficking", date(2019, 4, 12), date(2019, 4, 12), "Stuttgart", "DE", 14),
    ("Anti-trafficking", date(2019, 9, 27), date(2019, 9, 27), "Bucharest", "RO", 24),
    # Training lawyers, prosecutors, judges
    ("Training", date(2019, 9, 19), date(2019, 9, 19), "Bucharest", "RO", None),
    # International events
    ("International", date(2019, 5, 27), date(2019, 5, 28), "Brussels", "BE", None),
    ("International", date(2019, 6, 13), date(2019, 6, 14), "Brussels", "BE", None),
    ("International", date(2019, 12, 5), date(2019, 12, 6), "Brussels", "BE", None),
]

# Professions the source lists for the events that name them.
EXPECTED_PROFESSIONS = {
    date(2019, 4, 5): {
        "lawyer",
        "prosecutor",
        "judge",
        "police-officer",
        "social-worker",
        "psychologist",
    },
    date(2019, 5, 10): {
        "lawyer",
        "legal-policy-officer",
        "social-worker",
        "psychologist",
        "consultant",
    },
    date(2019, 10, 10): {
        "judge",
        "prosecutor",
        "lawyer",
        "social-worker",
        "psychologist",
    },
    date(2019, 10, 11): {
        "judge",
        "prosecutor",
        "lawyer",
        "social-worker",
        "psychologist",
        "police-officer",
    },
}
EXPECTED_COUNTRIES = {
    date(2019, 6, 7): {"RO", "BG", "DE", "SE"},
    date(2019, 5, 10): {"ES", "RO", "BG", "GR", "IT"},
    date(2019, 4, 12): {"DE", "RO", "BG", "GR", "IT"},
    date(2019, 9, 19): {"RO", "BG", "GR", "IT", "ES"},
}


def _report_2019(organization_id: uuid.UUID) -> AnnualReport:
    return AnnualReport.objects.select_related("organization").get(
        organization_id=organization_id, year=2019
    )


def _section(title: str) -> str:
    for prefix, section in (
        ("Pro Victims", "Pro Victims"),
        ("Preventing and combatting racism", "RACCOMBAT"),
        ("Towards", "Towards"),
        ("Anti-trafficking", "Anti-trafficking"),
        ("Training", "Training"),
    ):
        if title.startswith(prefix):
            return section
    raise AssertionError(title)


def test_the_2019_report_holds_every_event_of_the_source_report(
    demo: None, pro_refugiu_id: uuid.UUID
) -> None:
    """Each event's section, dates, place and participant count match the source."""
    data = annual_report_build(report=_report_2019(pro_refugiu_id))
    got = [
        (
            _section(section.project.title),
            e.start_date,
            e.last_day,
            e.city,
            e.country,
            e.participants_total,
        )
        for section in data.projects
        for e in section.events
    ] + [
        ("International", e.start_date, e.last_day, e.city, e.country, None)
        for e in data.international_events
    ]
    assert sorted(got, key=repr) == sorted(EXPECTED_2019, key=repr)
    assert [e.participants_total for e in data.international_events] == [None] * 3


def test_the_2019_report_lists_the_professions_and_countries_of_the_source(
    demo: None, pro_refugiu_id: uuid.UUID
) -> None:
    """Professions and countries named for an event are the source's, no more."""
    data = annual_report_build(report=_report_2019(pro_refugiu_id))
    by_day = {e.start_date: e for e in data.events}
    for day, professions in EXPECTED_PROFESSIONS.items():
        got = {row.code for row in by_day[day].participant_professions}
        assert got == professions, day
    for day, countries in EXPECTED_COUNTRIES.items():
        assert {row.code for row in by_day[day].participant_countries} == countries


def test_the_2019_report_leaves_out_other_years(
    demo: None,
    pro_refugiu_id: uuid.UUID,
    activity_id: Callable[[str, str], uuid.UUID],
) -> None:
    """The 2018 conferences and the project that ended in 2018 are not in it."""
    data = annual_report_build(report=_report_2019(pro_refugiu_id))
    assert all(e.start_date.year == 2019 for e in data.events)
    project_ids = {s.project.pk for s in data.projects}
    assert activity_id("project", "thb-referral-2017") not in project_ids
    assert len(project_ids) == 5


def test_the_2019_report_has_its_structure_outputs_partners_and_contact(
    demo: None, pro_refugiu_id: uuid.UUID
) -> None:
    """Departments with staff, publications, partners by kind and the address."""
    data = annual_report_build(report=_report_2019(pro_refugiu_id))
    staff = {d.name: {s.role: s.count for s in d.staff.all()} for d in data.departments}
    assert staff["Assistance Department for victims of human trafficking"] == {
        "lawyer": 12,
        "psychologist": 3,
        "social-worker": 2,
        "medical-mediator": 1,
    }
    assert staff["Assistance Department for asylum seekers and refugees"] == {
        "lawyer": 12,
        "psychologist": 3,
        "social-worker": 2,
        "cultural-mediator": 2,
    }
    assert staff["Training Department"] == {"trainer": 5}
    assert staff["Research Department"] == {"researcher": 3}
    assert staff["Financial Department"] == {"financial-manager": 2}
    publications = {p.title for section in data.projects for p in section.publications}
    assert publications == {
        "Human trafficking and the economic/business sectors susceptible to be "
        "involved in the demand and supply chain of products and services "
        "resulting from victims' exploitation",
        "Violence against women",
        "Financial compensation guide",
    }
    assert {g.kind.value: len(g.partners) for g in data.partners} == {
        "international": 13,
        "national": 11,
        "network": 2,
    }
    assert [a.address_1 for a in data.addresses] == ["56 Calea Crângași Street"]
    assert data.organization.email == "office@prorefugiu.org"


def test_the_report_page_shows_every_event_row_of_the_source(
    demo: None, client: Client
) -> None:
    """The web page has one row per event with its date, place and count."""
    response = client.get(reverse("activities:report_year", kwargs={"year": 2019}))
    assert response.status_code == 200
    html = response.content.decode()
    rows = re.findall(r"<tr data-event=\"[^\"]+\">(.*?)</tr>", html, flags=re.S)
    assert len(rows) == len(EXPECTED_2019)
    seen = []
    for row in rows:
        day = re.search(r'<time datetime="([0-9-]+)"', row)
        place = re.search(r'class="report-events__place">([^<]*)<', row)
        count = re.search(r'class="report-events__count">(\d+)<', row)
        assert day is not None and place is not None
        seen.append(
            (
                date.fromisoformat(day.group(1)),
                place.group(1).strip(),
                int(count.group(1)) if count else None,
            )
        )
    countries = {"RO": "Romania", "ES": "Spain", "DE": "Germany", "BE": "Belgium"}
    assert sorted(seen, key=repr) == sorted(
        [(d, f"{city}, {countries[c]}", n) for _s, d, _e, city, c, n in EXPECTED_2019],
        key=repr,
    )
    for text in (
        "Foreword",
        "Organisational structure",
        "Contact information",
        "office@prorefugiu.org",
        "https://www.prorefugiu.org",
        "56 Calea Crângași Street",
        "Meeting of the EU Civil Society Platform against Trafficking in Human",
    ):
        assert text in html
