"""The demo activities: loaded from the source documents, once."""

from __future__ import annotations

import pytest

from waypoint.activities.models import (
    AnnualReport,
    Campaign,
    Department,
    Event,
    ParticipantCount,
    Partnership,
    Project,
    ProjectPartner,
    Publication,
    StaffCount,
)
from waypoint.demo.activities import (
    EVENTS,
    PROJECTS,
    PUBLICATIONS,
    activities_demo_load,
    activity_id,
)
from waypoint.directory.models import ChangeRecord

pytestmark = pytest.mark.django_db

MODELS = (
    Project,
    ProjectPartner,
    Event,
    ParticipantCount,
    Publication,
    Campaign,
    Partnership,
    Department,
    StaffCount,
    AnnualReport,
)


def _counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in MODELS}


def test_loading_twice_writes_nothing_the_second_time(demo: None) -> None:
    """A second run finds every record up to date and adds no rows or history."""
    before = _counts()
    history = ChangeRecord.objects.count()
    tally = activities_demo_load()
    assert tally.written == 0
    assert tally.unchanged > 0
    assert _counts() == before
    assert ChangeRecord.objects.count() == history


def test_the_loader_keeps_stable_ids(demo: None) -> None:
    """Every project, event and publication has the uuid5 id of its slug."""
    for spec in PROJECTS:
        assert Project.objects.filter(pk=activity_id("project", spec.slug)).exists()
    for event in EVENTS:
        assert Event.objects.filter(pk=activity_id("event", event.slug)).exists()
    for publication in PUBLICATIONS:
        assert Publication.objects.filter(
            pk=activity_id("publication", publication.slug)
        ).exists()
    assert Project.objects.count() == len(PROJECTS)
    assert Event.objects.count() == len(EVENTS)


def test_the_loader_repairs_an_edited_record(demo: None) -> None:
    """A changed demo record is put back, and the change is in the history."""
    event = Event.objects.get(pk=activity_id("event", "2019-bucharest-seminar"))
    event.city = "Cluj"
    event.save()
    ParticipantCount.objects.filter(event=event).delete()
    tally = activities_demo_load()
    assert tally.written == 1
    event.refresh_from_db()
    assert event.city == "Bucharest"
    assert event.participants_total == 54
    assert ChangeRecord.objects.filter(
        resource_id=event.pk, field_name="city", replacement_value="Bucharest"
    ).exists()


def test_the_loader_needs_the_demo_directory(db: None) -> None:
    """Without the directory's organisations it stops with a clear message."""
    with pytest.raises(LookupError, match="load_demo"):
        activities_demo_load()


def test_the_newsletter_conferences_of_2018_belong_to_their_project(
    demo: None,
) -> None:
    """Sofia, Bucharest, Madrid and the Brussels final conference, as dated."""
    project = Project.objects.get(pk=activity_id("project", "thb-referral-2017"))
    got = {
        (e.city, e.start_date.isoformat(), e.end_date.isoformat() if e.end_date else "")
        for e in project.events.all()
    }
    assert got == {
        ("Sofia", "2018-10-16", ""),
        ("Bucharest", "2018-11-01", ""),
        ("Madrid", "2018-11-27", ""),
        ("Brussels", "2018-11-29", "2018-11-30"),
    }
    assert project.start_date.isoformat() == "2017-01-01"
    assert project.end_date is not None
    assert project.end_date.isoformat() == "2018-12-31"
    roles = {
        m.organization.name: m.role
        for m in project.memberships.select_related("organization")
    }
    assert roles["Pro Refugiu Association"] == "coordinator"
    assert roles["Caritas International Belgium"] == "partner"
    assert len(roles) == 5


def test_nothing_is_counted_that_the_sources_do_not_count(demo: None) -> None:
    """Only totals carry numbers; professions and countries are listed only."""
    assert not ParticipantCount.objects.exclude(
        dimension=ParticipantCount.Dimension.TOTAL
    ).exclude(count=None)
    unnumbered = Event.objects.get(
        pk=activity_id("event", "2019-bucharest-transnational-experts-meeting")
    )
    assert unnumbered.participants_total is None
