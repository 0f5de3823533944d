"""The activities staff pages: who gets in, what they may change, and that
every change is validated, written through the services and kept in the
history of changes."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from waypoint.accounts.models import MemberOrganization, Role, User
from waypoint.accounts.testing import staff_make
from waypoint.activities.models import (
    AnnualReport,
    Campaign,
    Department,
    Event,
    EventType,
    ParticipantCount,
    Partnership,
    PartnershipKind,
    Project,
    ProjectPartner,
    Publication,
    PublicationType,
    Registration,
    StaffCount,
    StaffRole,
)
from waypoint.activities.services import participants as participant_services
from waypoint.activities.views.manage import KINDS
from waypoint.directory.models import ChangeRecord, Organization

pytestmark = pytest.mark.django_db


def _records(org: Organization, other: Organization) -> dict[str, Any]:
    """One record of every kind, belonging to ``org``."""
    project = Project.objects.create(
        title=f"Project of {org.name}",
        funding_programme="justice",
        coordinator=org,
        start_date=date(2024, 1, 1),
    )
    ProjectPartner.objects.create(project=project, organization=org, role="partner")
    event = Event.objects.create(
        type=EventType.SEMINAR,
        title=f"Seminar of {org.name}",
        start_date=date(2024, 3, 1),
        city="Bucharest",
        organiser=org,
    )
    return {
        "projects": project,
        "events": event,
        "publications": Publication.objects.create(
            type=PublicationType.GUIDE, title=f"Guide of {org.name}", project=project
        ),
        "campaigns": Campaign.objects.create(
            title=f"Campaign of {org.name}",
            project=project,
            channel="radio",
            start_date=date(2024, 2, 1),
        ),
        "partnerships": Partnership.objects.create(
            organization=org, partner=other, kind=PartnershipKind.NATIONAL
        ),
        "departments": Department.objects.create(
            organization=org, name=f"Department of {org.name}"
        ),
        "reports": AnnualReport.objects.create(
            organization=org, year=2024, foreword="Old foreword."
        ),
    }


@pytest.fixture
def records_a(org_a: MemberOrganization, org_b: MemberOrganization) -> dict[str, Any]:
    return _records(org_a.organization, org_b.organization)


@pytest.fixture
def records_b(org_a: MemberOrganization, org_b: MemberOrganization) -> dict[str, Any]:
    return _records(org_b.organization, org_a.organization)


@pytest.fixture
def coordinator_a(org_a: MemberOrganization) -> User:
    return staff_make("coordinator_a", org_a, Role.EVENT_COORDINATOR)


@pytest.fixture
def coordinator_b(org_b: MemberOrganization) -> User:
    return staff_make("coordinator_b", org_b, Role.EVENT_COORDINATOR)


@pytest.fixture
def coordinator_a_client(coordinator_a: User) -> Client:
    client = Client()
    client.force_login(coordinator_a)
    return client


@pytest.fixture
def coordinator_b_client(coordinator_b: User) -> Client:
    client = Client()
    client.force_login(coordinator_b)
    return client


def _record_urls(records: dict[str, Any]) -> list[str]:
    urls = []
    for kind in KINDS:
        pk = records[kind.slug].pk
        urls += [
            reverse(f"activities:manage_{kind.name}_edit", kwargs={"pk": pk}),
            reverse(f"activities:manage_{kind.name}_delete", kwargs={"pk": pk}),
        ]
    return urls


def _all_urls(records: dict[str, Any]) -> list[str]:
    urls = [reverse("activities:manage")]
    for kind in KINDS:
        urls += [
            reverse(f"activities:manage_{kind.slug}"),
            reverse(f"activities:manage_{kind.name}_create"),
        ]
    return urls + _record_urls(records)


# --- Who gets in ---------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_login_page(
    client: Client, records_a: dict[str, Any]
) -> None:
    for url in _all_urls(records_a):
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302, url
            assert reverse("accounts:login") in response["Location"], url


def test_accounts_without_a_managing_role_get_404_everywhere(
    outsider_client: Client, caseworker_a_client: Client, records_a: dict[str, Any]
) -> None:
    for client in (outsider_client, caseworker_a_client):
        for url in _all_urls(records_a):
            assert client.get(url).status_code == 404, url
            assert client.post(url).status_code == 404, url
    assert Event.objects.filter(pk=records_a["events"].pk).exists()


def test_another_organisations_coordinator_cannot_see_edit_or_delete(
    coordinator_b_client: Client,
    records_a: dict[str, Any],
    records_b: dict[str, Any],
) -> None:
    for url in _record_urls(records_a):
        assert coordinator_b_client.get(url).status_code == 404, url
        assert coordinator_b_client.post(url, {"title": "Taken"}).status_code == 404
    for kind in KINDS:
        record = records_a[kind.slug]
        assert type(record).objects.filter(pk=record.pk).exists()
        listing = coordinator_b_client.get(reverse(f"activities:manage_{kind.slug}"))
        assert listing.status_code == 200
        own_edit = reverse(
            f"activities:manage_{kind.name}_edit",
            kwargs={"pk": records_b[kind.slug].pk},
        )
        other_edit = reverse(
            f"activities:manage_{kind.name}_edit", kwargs={"pk": record.pk}
        )
        assert own_edit in listing.content.decode()
        assert other_edit not in listing.content.decode()
    assert Project.objects.get(pk=records_a["projects"].pk).title != "Taken"


def test_the_coordinator_and_the_admin_of_the_organisation_get_every_page(
    coordinator_a_client: Client,
    org_admin_a_client: Client,
    platform_admin_client: Client,
    records_a: dict[str, Any],
) -> None:
    for client in (coordinator_a_client, org_admin_a_client, platform_admin_client):
        for url in _all_urls(records_a):
            response = client.get(url)
            assert response.status_code == 200, url
            assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_the_site_navigation_links_to_the_staff_pages_for_managers_only(
    coordinator_a_client: Client, outsider_client: Client, client: Client
) -> None:
    manage = reverse("activities:manage")
    assert manage in coordinator_a_client.get(reverse("activities:events")).text
    assert manage not in outsider_client.get(reverse("activities:events")).text
    assert manage not in client.get(reverse("activities:events")).text


# --- Events ---------------------------------------------------------------


def _event_post(org: Organization, **changes: Any) -> dict[str, Any]:
    data = {
        "type": EventType.TRAINING,
        "title": "Training for lawyers",
        "project": "",
        "start_date": "2025-05-06",
        "end_date": "2025-05-07",
        "city": "Cluj-Napoca",
        "country": "RO",
        "venue": "",
        "organiser": str(org.pk),
        "languages": ["ro", "en"],
        "topics": "Rights of victims",
        "speakers": "A. Trainer",
        "description": "",
        "context": "",
        "language": "en",
        "participants_total": "25",
        "institutions": "Bar association: 4\nCourts",
        "participants-TOTAL_FORMS": "3",
        "participants-INITIAL_FORMS": "0",
        "participants-MIN_NUM_FORMS": "0",
        "participants-MAX_NUM_FORMS": "1000",
        "participants-0-who": "profession:lawyer",
        "participants-0-count": "20",
        "participants-1-who": "country:MD",
        "participants-1-count": "",
        "participants-2-who": "",
        "participants-2-count": "",
    }
    data.update(changes)
    return data


def test_a_coordinator_creates_an_event_with_its_participant_counts(
    coordinator_a: User, coordinator_a_client: Client, org_a: MemberOrganization
) -> None:
    response = coordinator_a_client.post(
        reverse("activities:manage_event_create"), _event_post(org_a.organization)
    )
    assert response.status_code == 302
    event = Event.objects.get(title="Training for lawyers")
    assert response["Location"] == reverse(
        "activities:manage_event_edit", kwargs={"pk": event.pk}
    )
    assert event.organiser_id == org_a.organization.pk
    assert event.languages == ["en", "ro"] or sorted(event.languages) == ["en", "ro"]
    assert event.participants_total == 25
    assert [(c.code, c.count) for c in event.participant_professions] == [
        ("lawyer", 20)
    ]
    assert [(c.code, c.count) for c in event.participant_countries] == [("MD", None)]
    assert {(c.code, c.count) for c in event.participant_institutions} == {
        ("Bar association", 4),
        ("Courts", None),
    }
    history = ChangeRecord.objects.filter(resource_id=event.pk)
    assert history.filter(actor=coordinator_a, field_name="title").exists()
    # The public page shows it at once.
    public = Client().get(event.get_absolute_url())
    assert "Training for lawyers" in public.text


def test_editing_an_event_keeps_unchanged_counts_and_removes_emptied_rows(
    coordinator_a_client: Client, org_a: MemberOrganization
) -> None:
    url = reverse("activities:manage_event_create")
    coordinator_a_client.post(url, _event_post(org_a.organization))
    event = Event.objects.get(title="Training for lawyers")
    lawyer_row = ParticipantCount.objects.get(event=event, code="lawyer")
    edit = reverse("activities:manage_event_edit", kwargs={"pk": event.pk})
    page = coordinator_a_client.get(edit)
    assert 'value="profession:lawyer" selected' in page.text
    response = coordinator_a_client.post(
        edit,
        _event_post(
            org_a.organization,
            **{"participants-1-who": "", "participants_total": "30"},
        ),
    )
    assert response.status_code == 302
    assert ParticipantCount.objects.get(event=event, code="lawyer").pk == lawyer_row.pk
    assert not ParticipantCount.objects.filter(event=event, code="MD").exists()
    event.refresh_from_db()
    assert event.participants_total == 30


def test_errors_name_the_field_and_nothing_is_saved(
    coordinator_a_client: Client, org_a: MemberOrganization
) -> None:
    response = coordinator_a_client.post(
        reverse("activities:manage_event_create"),
        _event_post(
            org_a.organization,
            title="",
            end_date="2025-05-01",
            **{"participants-0-count": "-3"},
        ),
    )
    assert response.status_code == 400
    text = response.text
    assert "Nothing was saved" in text
    assert 'href="#id_title"' in text and "Title: This field is required." in text
    assert "Last day: The end comes before the start." in text
    assert "Count 1, Participants:" in text
    assert not Event.objects.exists()


def test_a_coordinator_cannot_create_an_event_for_another_organisation(
    coordinator_a_client: Client, org_b: MemberOrganization
) -> None:
    response = coordinator_a_client.post(
        reverse("activities:manage_event_create"), _event_post(org_b.organization)
    )
    assert response.status_code == 400
    assert "Organiser: Choose your organisation as organiser" in response.text
    assert not Event.objects.exists()


def test_a_coordinator_cannot_move_an_event_to_another_organisation(
    coordinator_a_client: Client,
    records_a: dict[str, Any],
    org_b: MemberOrganization,
) -> None:
    event = records_a["events"]
    response = coordinator_a_client.post(
        reverse("activities:manage_event_edit", kwargs={"pk": event.pk}),
        _event_post(org_b.organization, title="Moved"),
    )
    assert response.status_code == 400
    event.refresh_from_db()
    assert event.title != "Moved"


def test_another_organisations_project_is_not_offered(
    coordinator_a_client: Client,
    records_a: dict[str, Any],
    records_b: dict[str, Any],
    org_a: MemberOrganization,
) -> None:
    page = coordinator_a_client.get(reverse("activities:manage_event_create")).text
    assert str(records_a["projects"].pk) in page
    assert str(records_b["projects"].pk) not in page
    response = coordinator_a_client.post(
        reverse("activities:manage_event_create"),
        _event_post(org_a.organization, project=str(records_b["projects"].pk)),
    )
    assert response.status_code == 400
    assert "Project: Select a valid choice." in response.text


# --- Projects, publications, the organisation ---------------------------


def test_a_project_is_created_with_its_partners_and_deleted_after_confirmation(
    coordinator_a_client: Client,
    org_a: MemberOrganization,
    org_b: MemberOrganization,
) -> None:
    data = {
        "title": "Safe referrals",
        "acronym": "SAFER",
        "funding_programme": "justice",
        "grant_reference": "JUST-2025-01",
        "coordinator": str(org_a.organization.pk),
        "countries": ["RO", "DE"],
        "start_date": "2025-01-01",
        "start_precision": "month",
        "end_date": "2026-12-31",
        "end_precision": "month",
        "website": "https://safer.example.org/",
        "objectives": "Better referrals.",
        "outputs": "A guide.",
        "language": "en",
        "tr_ro_title": "Trimiteri sigure",
        "partners-TOTAL_FORMS": "1",
        "partners-INITIAL_FORMS": "0",
        "partners-MIN_NUM_FORMS": "0",
        "partners-MAX_NUM_FORMS": "1000",
        "partners-0-organization": str(org_b.organization.pk),
        "partners-0-role": "partner",
    }
    response = coordinator_a_client.post(
        reverse("activities:manage_project_create"), data
    )
    assert response.status_code == 302
    project = Project.objects.get(acronym="SAFER")
    assert project.countries == ["DE", "RO"] or sorted(project.countries) == [
        "DE",
        "RO",
    ]
    assert project.translated("title", "ro") == "Trimiteri sigure"
    assert [m.organization_id for m in project.memberships.all()] == [
        org_b.organization.pk
    ]
    delete = reverse("activities:manage_project_delete", kwargs={"pk": project.pk})
    confirm = coordinator_a_client.get(delete)
    assert confirm.status_code == 200 and "Delete “Safe referrals”" in confirm.text
    assert Project.objects.filter(pk=project.pk).exists()
    assert coordinator_a_client.post(delete).status_code == 302
    assert not Project.objects.filter(pk=project.pk).exists()
    assert ChangeRecord.objects.filter(
        resource_id=project.pk, action=ChangeRecord.Action.DELETE
    ).exists()


def test_a_project_with_events_is_not_deleted(
    coordinator_a_client: Client, records_a: dict[str, Any]
) -> None:
    project = records_a["projects"]
    records_a["events"].project = project
    records_a["events"].save()
    response = coordinator_a_client.post(
        reverse("activities:manage_project_delete", kwargs={"pk": project.pk})
    )
    assert response.status_code == 409
    assert "Nothing was deleted" in response.text
    assert Project.objects.filter(pk=project.pk).exists()
    assert project.memberships.exists()  # the partners were not removed either


def test_a_publication_must_belong_to_one_of_the_organisations_projects(
    coordinator_a_client: Client, records_a: dict[str, Any]
) -> None:
    data = {
        "type": PublicationType.TOOLKIT,
        "title": "Toolkit",
        "subtitle": "",
        "project": "",
        "published": "2025-02-01",
        "published_precision": "month",
        "languages": ["en"],
        "audience": "Lawyers",
        "summary": "",
        "language": "en",
        "files-TOTAL_FORMS": "1",
        "files-INITIAL_FORMS": "0",
        "files-MIN_NUM_FORMS": "0",
        "files-MAX_NUM_FORMS": "1000",
    }
    url = reverse("activities:manage_publication_create")
    response = coordinator_a_client.post(url, data)
    assert response.status_code == 400
    assert "Project: This field is required." in response.text
    data["project"] = str(records_a["projects"].pk)
    assert coordinator_a_client.post(url, data).status_code == 302
    assert Publication.objects.get(title="Toolkit").languages == ["en"]


def test_departments_keep_their_staff_counts(
    coordinator_a_client: Client, records_a: dict[str, Any]
) -> None:
    department = records_a["departments"]
    url = reverse("activities:manage_department_edit", kwargs={"pk": department.pk})
    data = {
        "organization": str(department.organization_id),
        "kind": "department",
        "name": "Legal department",
        "responsibilities": "Legal aid",
        "position": "1",
        "language": "en",
        "staff-TOTAL_FORMS": "1",
        "staff-INITIAL_FORMS": "0",
        "staff-MIN_NUM_FORMS": "0",
        "staff-MAX_NUM_FORMS": "1000",
        "staff-0-role": StaffRole.LAWYER,
        "staff-0-count": "7",
    }
    assert coordinator_a_client.post(url, data).status_code == 302
    assert [(s.role, s.count) for s in StaffCount.objects.all()] == [("lawyer", 7)]


def test_the_foreword_of_the_annual_report_is_edited_and_published(
    coordinator_a_client: Client, records_a: dict[str, Any]
) -> None:
    report = records_a["reports"]
    url = reverse("activities:manage_report_edit", kwargs={"pk": report.pk})
    data = {
        "organization": str(report.organization_id),
        "year": "2024",
        "foreword": "A year of new partnerships.",
        "language": "en",
        "tr_el_foreword": "Μια χρονιά νέων συνεργασιών.",
    }
    assert coordinator_a_client.post(url, data).status_code == 302
    public = Client().get(report.get_absolute_url())
    assert "A year of new partnerships." in public.text
    assert ChangeRecord.objects.filter(
        resource_id=report.pk, field_name="foreword"
    ).exists()
    edit = coordinator_a_client.get(url)
    assert "Recent changes" in edit.text and "coordinator_a" in edit.text


def test_a_second_report_for_the_same_year_is_refused_on_the_year(
    coordinator_a_client: Client, records_a: dict[str, Any]
) -> None:
    report = records_a["reports"]
    response = coordinator_a_client.post(
        reverse("activities:manage_report_create"),
        {"organization": str(report.organization_id), "year": "2024", "language": "en"},
    )
    assert response.status_code == 400
    assert "Year: Your organisation already has a report for this year." in (
        response.text
    )
    assert AnnualReport.objects.count() == 1


def test_a_partnership_is_only_for_the_users_own_organisation(
    coordinator_a_client: Client,
    org_a: MemberOrganization,
    org_b: MemberOrganization,
) -> None:
    url = reverse("activities:manage_partnership_create")
    response = coordinator_a_client.post(
        url,
        {
            "organization": str(org_b.organization.pk),
            "kind": PartnershipKind.NETWORK,
            "partner": str(org_a.organization.pk),
            "position": "0",
        },
    )
    assert response.status_code == 400
    assert "Organisation: Select a valid choice." in response.text
    assert not Partnership.objects.exists()


# --- Registration settings and counts from attendance -------------------------------


def test_the_event_form_sets_registration_and_checks_it(
    coordinator_a_client: Client, org_a: MemberOrganization
) -> None:
    url = reverse("activities:manage_event_create")
    page = coordinator_a_client.get(url)
    assert 'name="registration_open"' in page.text
    assert 'name="capacity"' in page.text
    assert 'name="registration_deadline"' in page.text
    response = coordinator_a_client.post(
        url,
        _event_post(
            org_a.organization,
            registration_open="on",
            capacity="0",
            registration_deadline="2025-05-07",
        ),
    )
    assert response.status_code == 400
    assert (
        "Places: Give at least one place, or leave it empty for no limit."
        in response.text
    )
    assert (
        "Registration deadline: The registration deadline comes after the first "
        "day of the event." in response.text
    )
    assert not Event.objects.filter(title="Training for lawyers").exists()
    response = coordinator_a_client.post(
        url,
        _event_post(
            org_a.organization,
            registration_open="on",
            capacity="30",
            registration_deadline="2025-05-06",
        ),
    )
    assert response.status_code == 302
    event = Event.objects.get(title="Training for lawyers")
    assert event.registration_open
    assert event.capacity == 30
    assert event.registration_deadline == date(2025, 5, 6)
    # Empty places: no limit.
    edit = reverse("activities:manage_event_edit", kwargs={"pk": event.pk})
    coordinator_a_client.post(
        edit, _event_post(org_a.organization, registration_open="on", capacity="")
    )
    event.refresh_from_db()
    assert event.capacity is None


def _registration(event: Event, email: str, **fields: Any) -> Registration:
    values: dict[str, Any] = {
        "event": event,
        "name": "A Participant",
        "email": email,
        "institution": "Court",
        "institution_type": "court",
        "profession": "judge",
        "country": "RO",
        "consent_at": timezone.now(),
    }
    values.update(fields)
    return Registration.objects.create(**values)


def test_with_registrations_the_counts_come_from_attendance_not_the_form(
    coordinator_a: User, coordinator_a_client: Client, org_a: MemberOrganization
) -> None:
    event = Event.objects.create(
        type=EventType.TRAINING,
        title="Training for judges",
        start_date=date(2025, 5, 6),
        city="Cluj-Napoca",
        organiser=org_a.organization,
        language="en",
    )
    ParticipantCount.objects.create(
        event=event, dimension="institution", code="Courts", count=2
    )
    _registration(event, "a@example.org", attended=True)
    _registration(event, "b@example.org", attended=True, profession="lawyer")
    participant_services.event_counts_from_attendance(actor=coordinator_a, event=event)
    counts_before = sorted(
        (c.dimension, c.code, c.count)
        for c in event.participant_counts.exclude(dimension="institution")
    )
    assert ("total", "", 2) in counts_before

    edit = reverse("activities:manage_event_edit", kwargs={"pk": event.pk})
    page = coordinator_a_client.get(edit)
    assert "come from the attendance marked on the participants page" in page.text
    assert 'name="participants_total"' not in page.text
    assert 'name="participants-TOTAL_FORMS"' not in page.text
    assert reverse("activities:participants", kwargs={"pk": event.pk}) in page.text
    assert "judges" in page.text  # the derived rows are listed

    response = coordinator_a_client.post(
        edit,
        _event_post(
            org_a.organization,
            title="Training for judges",
            participants_total="99",
            institutions="Courts: 3\nBar association",
        ),
    )
    assert response.status_code == 302
    event.refresh_from_db()
    counts_after = sorted(
        (c.dimension, c.code, c.count)
        for c in event.participant_counts.exclude(dimension="institution")
    )
    assert counts_after == counts_before
    assert {(c.code, c.count) for c in event.participant_institutions} == {
        ("Courts", 3),
        ("Bar association", None),
    }


def test_places_added_on_the_event_form_move_up_the_waiting_list(
    coordinator_a_client: Client,
    org_a: MemberOrganization,
    django_capture_on_commit_callbacks: Any,
) -> None:
    start = timezone.localdate() + timedelta(days=20)
    event = Event.objects.create(
        type=EventType.TRAINING,
        title="Training for judges",
        start_date=start,
        city="Cluj-Napoca",
        organiser=org_a.organization,
        registration_open=True,
        capacity=1,
        language="en",
    )
    _registration(event, "a@example.org")
    waiting = _registration(event, "b@example.org", status=Registration.Status.WAITING)
    edit = reverse("activities:manage_event_edit", kwargs={"pk": event.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_a_client.post(
            edit,
            _event_post(
                org_a.organization,
                title="Training for judges",
                start_date=start.isoformat(),
                end_date="",
                registration_open="on",
                capacity="2",
            ),
        )
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED
    assert [m.to for m in mail.outbox] == [["b@example.org"]]
