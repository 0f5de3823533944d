"""The public activity and report pages in Debian's Chromium: axe-core finds
no violation, and nothing is loaded from another host."""

from __future__ import annotations

from typing import Any

import pytest

from waypoint.activities.models import Event, Project
from waypoint.lib.browser import axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    "/{lang}/activities/projects/",
    "/{lang}/activities/projects/{project}/",
    "/{lang}/activities/events/",
    "/{lang}/activities/events/{event}/",
    "/{lang}/activities/publications/",
    "/{lang}/activities/partners/",
    "/{lang}/activities/reports/",
    "/{lang}/activities/reports/2019/",
    "/{lang}/reports/statistics/",
]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("lang", ["en", "el"])
def test_activity_pages_pass_axe_and_load_nothing_from_elsewhere(
    page: Any, demo: None, path: str, lang: str
) -> None:
    project = Project.objects.order_by("start_date").first()
    event = Event.objects.order_by("start_date").first()
    assert project is not None and event is not None
    response = page.goto(path.format(lang=lang, project=project.pk, event=event.pk))
    assert response.status == 200
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    assert page.foreign_requests == []
