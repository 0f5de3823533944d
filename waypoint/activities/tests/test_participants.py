"""Registration for events, the waiting list, attendance, certificates,
feedback and the retention of registrations."""

from __future__ import annotations

import datetime
import re
import threading
from typing import Any, cast

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from waypoint.accounts.models import AuditEvent, MemberOrganization, Role, User
from waypoint.accounts.testing import login_with_second_factor, staff_make
from waypoint.activities.certificates import certificate_pdf
from waypoint.activities.models import (
    Event,
    EventType,
    Feedback,
    ParticipantCount,
    Registration,
)
from waypoint.activities.services import participants as services
from waypoint.directory.testing import member_organization_make
from waypoint.lib.testing import pdf_text
from waypoint.lib.tokens import token_hash

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _event(org: MemberOrganization, **fields: Any) -> Event:
    values: dict[str, Any] = {
        "type": EventType.TRAINING,
        "title": "Training on identifying victims",
        "start_date": TODAY() + datetime.timedelta(days=10),
        "city": "Bucharest",
        "country": "RO",
        "organiser": org.organization,
        "registration_open": True,
        "language": "en",
    }
    values.update(fields)
    return Event.objects.create(**values)


def _data(email: str = "ana@example.org", **fields: Any) -> services.RegistrationData:
    values: dict[str, Any] = {
        "name": "Ana Popescu",
        "email": email,
        "institution": "Tribunal of Bucharest",
        "institution_type": "court",
        "profession": "judge",
        "country": "RO",
        "consent": True,
    }
    values.update(fields)
    return services.RegistrationData(**values)


def _form(email: str = "ana@example.org", **fields: str) -> dict[str, str]:
    values = {
        "name": "Ana Popescu",
        "email": email,
        "institution": "Tribunal of Bucharest",
        "institution_type": "court",
        "profession": "judge",
        "country": "RO",
        "consent": "on",
    }
    values.update(fields)
    return values


def _link(message: Any, name: str) -> str:
    match = re.search(rf"(/en/activities/{name}/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


@pytest.fixture
def org(db: None) -> MemberOrganization:
    return member_organization_make("Organisation A", country="RO")


@pytest.fixture
def coordinator(field_keys: None, org: MemberOrganization) -> User:
    return staff_make("coordinator", org, Role.EVENT_COORDINATOR)


@pytest.fixture
def coordinator_client(coordinator: User) -> Client:
    return login_with_second_factor(Client(), coordinator)


@pytest.fixture
def event(org: MemberOrganization) -> Event:
    return _event(org)


# --- The public form ---------------------------------------------------------------


def test_the_event_page_offers_registration_only_while_it_is_open(
    client: Client, org: MemberOrganization
) -> None:
    """Open and upcoming: the form; closed, past or after the deadline: none."""
    open_event = _event(org, capacity=20)
    closed = _event(org, registration_open=False)
    past = _event(org, start_date=TODAY() - datetime.timedelta(days=3))
    late = _event(org, registration_deadline=TODAY() - datetime.timedelta(days=1))
    page = client.get(open_event.get_absolute_url()).content.decode()
    action = reverse("activities:event_register", args=[open_event.pk])
    assert f'action="{action}"' in page
    assert "20 places left." in page
    assert "I agree that the organiser keeps my name" in page
    for event in (closed, past, late):
        page = client.get(event.get_absolute_url()).content.decode()
        assert "registration-form" not in page
    assert "Registration for this event is closed." in client.get(
        late.get_absolute_url()
    ).content.decode("utf-8")
    assert "Registration for this event is closed." not in client.get(
        past.get_absolute_url()
    ).content.decode("utf-8")


def test_a_professional_registers_and_gets_a_confirmation_with_a_cancel_link(
    client: Client, event: Event, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("activities:event_register", args=[event.pk]),
            _form(email="Ana@Example.org"),
            follow=True,
        )
    assert "your place is confirmed" in response.content.decode()
    registration = Registration.objects.get()
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.email == "ana@example.org"
    assert registration.consent_at is not None
    [message] = mail.outbox
    assert message.to == ["ana@example.org"]
    assert "Training on identifying victims" in message.subject
    assert "Bucharest" in message.body
    assert "365 days after the event" in message.body
    assert registration.cancel_token_hash is not None
    cancel = _link(message, "registration/cancel")
    assert token_hash(cancel.rstrip("/").split("/")[-1]) == (
        registration.cancel_token_hash
    )
    audit = AuditEvent.objects.get(action="registration.created")
    assert "Ana" not in str(audit.details)


def test_when_the_places_are_taken_people_join_the_waiting_list(
    client: Client, org: MemberOrganization
) -> None:
    event = _event(org, capacity=1)
    client.post(reverse("activities:event_register", args=[event.pk]), _form())
    page = client.get(event.get_absolute_url()).content.decode()
    assert "The event is full" in page
    assert "Join the waiting list" in page
    response = client.post(
        reverse("activities:event_register", args=[event.pk]),
        _form(email="bo@example.org", name="Bo"),
        follow=True,
    )
    assert "you are on the waiting list" in response.content.decode()
    assert list(
        Registration.objects.order_by("created_at").values_list("status", flat=True)
    ) == ["confirmed", "waiting"]


def test_the_same_address_cannot_register_twice_for_an_event(
    client: Client, event: Event
) -> None:
    url = reverse("activities:event_register", args=[event.pk])
    client.post(url, _form())
    response = client.post(url, _form(email=" ANA@example.org "))
    assert response.status_code == 400
    assert "already registered for this event" in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert Registration.objects.count() == 1


def test_registration_needs_the_consent_and_names_the_missing_fields(
    client: Client, event: Event
) -> None:
    form = _form()
    del form["consent"]
    form["profession"] = ""
    response = client.post(reverse("activities:event_register", args=[event.pk]), form)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Registration needs your consent" in page
    assert 'href="#id_profession"' in page
    assert not Registration.objects.exists()


def test_too_many_registrations_from_one_address_are_refused_for_a_while(
    client: Client,
    event: Event,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Each registration sends an email: one address cannot send a flood."""
    settings.WAYPOINT_REGISTRATION_RATE_LIMIT = 2
    url = reverse("activities:event_register", args=[event.pk])
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(2):
            assert client.post(url, _form(email=f"p{n}@example.org")).status_code == 302
        response = client.post(url, _form(email="victim@example.org"))
        other = Client(REMOTE_ADDR="192.0.2.7").post(
            url, _form(email="elsewhere@example.org")
        )
    page = response.content.decode()
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    assert "Too many registrations were sent from your network" in page
    # What was typed stays in the form.
    assert 'value="victim@example.org"' in page
    assert response["Cache-Control"] == "no-store"
    assert other.status_code == 302
    assert sorted(Registration.objects.values_list("email", flat=True)) == [
        "elsewhere@example.org",
        "p0@example.org",
        "p1@example.org",
    ]
    assert "victim@example.org" not in [m.to[0] for m in mail.outbox]


def test_registration_is_refused_once_closed(event: Event) -> None:
    Event.objects.filter(pk=event.pk).update(registration_open=False)
    with pytest.raises(ValidationError):
        services.registration_create(event=event, data=_data())


# --- Cancellation and the waiting list ---------------------------------------------


def test_cancelling_by_the_link_gives_the_place_to_the_first_on_the_waiting_list(
    client: Client, org: MemberOrganization, django_capture_on_commit_callbacks: Any
) -> None:
    event = _event(org, capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.registration_create(event=event, data=_data())
        second = services.registration_create(event=event, data=_data("b@example.org"))
        third = services.registration_create(event=event, data=_data("c@example.org"))
    assert [second.status, third.status] == ["waiting", "waiting"]
    link = _link(mail.outbox[0], "registration/cancel")
    mail.outbox.clear()
    page = client.get(link)
    assert "Cancel my registration" in page.content.decode()
    first.refresh_from_db()
    assert first.status == "confirmed"  # a GET (a mail scanner) cancels nothing
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(link)
    assert "Registration cancelled" in done.content.decode()
    statuses = dict(Registration.objects.values_list("email", "status"))
    assert statuses == {
        "ana@example.org": "cancelled",
        "b@example.org": "confirmed",
        "c@example.org": "waiting",
    }
    [promoted] = mail.outbox
    assert promoted.to == ["b@example.org"]
    assert "now confirmed" in promoted.body
    assert client.post(link).status_code == 404


def test_more_places_move_people_up_from_the_waiting_list(
    coordinator: User, org: MemberOrganization
) -> None:
    event = _event(org, capacity=1)
    services.registration_create(event=event, data=_data())
    services.registration_create(event=event, data=_data("b@example.org"))
    services.registration_settings_set(
        actor=coordinator,
        event=event,
        registration_open=True,
        capacity=2,
        registration_deadline=None,
    )
    assert not Registration.objects.filter(status="waiting").exists()


@pytest.mark.django_db(transaction=True)
def test_two_people_asking_for_the_last_place_at_once_get_one_place(
    org: MemberOrganization,
) -> None:
    """Threads register at the same moment for an event with one place left:
    exactly one is confirmed, every other one is on the waiting list."""
    if connection.vendor == "sqlite" and cast(Any, connection).is_in_memory_db():
        # Shared-cache in-memory SQLite answers "table is locked" instead of
        # waiting; on a database file the IMMEDIATE transaction serialises
        # the writers (see test_registrations_are_serialised_on_sqlite).
        pytest.skip("threads need a database file or a server to share")
    event = _event(org, capacity=3)
    services.registration_create(event=event, data=_data("a1@example.org"))
    services.registration_create(event=event, data=_data("a2@example.org"))
    workers = 6
    barrier = threading.Barrier(workers)
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            barrier.wait()
            services.registration_create(event=event, data=_data(f"r{n}@example.org"))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    confirmed = Registration.objects.filter(event=event, status="confirmed").count()
    waiting = Registration.objects.filter(event=event, status="waiting").count()
    print(f"last_place_racers={workers} confirmed={confirmed} waiting={waiting}")
    assert (confirmed, waiting) == (3, workers - 1)


def test_places_are_counted_in_the_database_not_from_a_stale_copy(
    org: MemberOrganization,
) -> None:
    """Each registration re-reads the event and counts the places inside its
    own transaction (IMMEDIATE on SQLite, a row lock on PostgreSQL): a copy
    loaded before the last place went cannot confirm anyone."""
    event = _event(org, capacity=1)
    stale = Event.objects.get(pk=event.pk)
    fresh = Event.objects.get(pk=event.pk)
    assert services.registration_create(event=fresh, data=_data()).status == (
        "confirmed"
    )
    second = services.registration_create(event=stale, data=_data("b@example.org"))
    assert second.status == "waiting"
    if connection.vendor == "sqlite":
        assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


# --- The coordinators' page --------------------------------------------------------


def test_only_the_organisers_managers_and_platform_admins_see_participants(
    client: Client,
    event: Event,
    coordinator_client: Client,
    outsider_client: Client,
    platform_admin_client: Client,
    org_b: MemberOrganization,
) -> None:
    url = reverse("activities:participants", args=[event.pk])
    other = login_with_second_factor(
        Client(), staff_make("other", org_b, Role.EVENT_COORDINATOR)
    )
    other_admin = login_with_second_factor(
        Client(), staff_make("other_admin", org_b, Role.ORG_ADMIN)
    )
    # The organiser's administrator manages the participants, as on the
    # staff pages (access.may_manage_participants).
    org_admin = login_with_second_factor(
        Client(),
        staff_make(
            "org_admin",
            MemberOrganization.objects.get(organization=event.organiser),
            Role.ORG_ADMIN,
        ),
    )
    assert org_admin.get(url).status_code == 200
    assert (
        "Participants and attendance"
        in org_admin.get(event.get_absolute_url()).content.decode()
    )
    assert other_admin.get(url).status_code == 404
    # An organisation that took part in the event edits its record on the
    # staff pages but does not see who registered with the organiser.
    event.participating_organizations.add(org_b.organization)
    assert other.get(url).status_code == 404
    caseworker = login_with_second_factor(
        Client(),
        staff_make(
            "cw",
            MemberOrganization.objects.get(organization=event.organiser),
            Role.CASEWORKER,
        ),
    )
    assert client.get(url).status_code == 302
    assert outsider_client.get(url).status_code in (302, 404)
    assert other.get(url).status_code == 404
    assert caseworker.get(url).status_code == 404
    assert platform_admin_client.get(url).status_code == 200
    response = coordinator_client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert (
        "Participants and attendance"
        in coordinator_client.get(event.get_absolute_url()).content.decode()
    )
    assert (
        "Participants and attendance"
        not in client.get(event.get_absolute_url()).content.decode()
    )


def test_marking_attendance_makes_the_events_counts(
    client: Client, coordinator_client: Client, org: MemberOrganization
) -> None:
    """Attendees, not registrations, are counted: by profession and country,
    on the event page and in the statistics."""
    event = _event(org, start_date=TODAY())
    ana = services.registration_create(event=event, data=_data())
    bo = services.registration_create(
        event=event, data=_data("bo@example.org", profession="lawyer", country="BG")
    )
    services.registration_create(event=event, data=_data("cy@example.org"))
    for registration in (ana, bo):
        response = coordinator_client.post(
            reverse("activities:registration_attendance", args=[registration.pk]),
            {"attended": "1"},
        )
        assert response.status_code == 302
    counts = {
        (r.dimension, r.code): r.count
        for r in ParticipantCount.objects.filter(event=event)
    }
    assert counts == {
        ("total", ""): 2,
        ("profession", "judge"): 1,
        ("profession", "lawyer"): 1,
        ("country", "RO"): 1,
        ("country", "BG"): 1,
    }
    page = client.get(event.get_absolute_url()).content.decode()
    assert 'data-total="2"' in page
    # With htmx the row comes back alone, now offering the opposite action.
    row = coordinator_client.post(
        reverse("activities:registration_attendance", args=[bo.pk]),
        {"attended": "0"},
        headers={"HX-Request": "true"},
    )
    assert row.status_code == 200
    assert row.content.decode().lstrip().startswith("<tr")
    assert "Mark present" in row.content.decode()
    assert event.participant_counts.get(dimension="total").count == 1


def test_attendance_waits_for_the_first_day(coordinator: User, event: Event) -> None:
    registration = services.registration_create(event=event, data=_data())
    with pytest.raises(ValidationError):
        services.attendance_set(
            actor=coordinator, registration=registration, attended=True
        )


def test_events_without_registrations_keep_their_recorded_counts(
    coordinator: User, event: Event
) -> None:
    ParticipantCount.objects.create(event=event, dimension="total", count=40)
    services.event_counts_from_attendance(actor=coordinator, event=event)
    assert event.participant_counts.get(dimension="total").count == 40


def test_the_attendance_list_downloads_as_a_safe_csv(
    coordinator: User, coordinator_client: Client, org: MemberOrganization
) -> None:
    event = _event(org, start_date=TODAY())
    registration = services.registration_create(
        event=event, data=_data(name="=HYPERLINK(1)")
    )
    services.attendance_set(actor=coordinator, registration=registration, attended=True)
    response = coordinator_client.get(
        reverse("activities:participants_csv", args=[event.pk])
    )
    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert "'=HYPERLINK(1)" in text
    assert "ana@example.org" in text
    assert AuditEvent.objects.filter(action="registrations.exported").exists()


def test_certificates_are_issued_to_attendees_of_trainings_and_emailed(
    coordinator: User,
    coordinator_client: Client,
    org: MemberOrganization,
    django_capture_on_commit_callbacks: Any,
) -> None:
    event = _event(org, start_date=TODAY())
    present = services.registration_create(event=event, data=_data())
    services.registration_create(event=event, data=_data("absent@example.org"))
    services.attendance_set(actor=coordinator, registration=present, attended=True)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            reverse("activities:participants_certificates", args=[event.pk]),
            follow=True,
        )
    assert "1 certificate issued" in response.content.decode()
    [message] = mail.outbox
    assert message.to == ["ana@example.org"]
    [(filename, content, mimetype)] = message.attachments
    assert mimetype == "application/pdf"
    assert content.startswith(b"%PDF")
    download = coordinator_client.get(
        reverse("activities:registration_certificate", args=[present.pk])
    )
    assert download.status_code == 200
    assert download.content.startswith(b"%PDF")
    assert download["Content-Disposition"] == f'attachment; filename="{filename}"'
    absent = Registration.objects.get(email="absent@example.org")
    assert absent.certificate_issued_at is None
    assert (
        coordinator_client.get(
            reverse("activities:registration_certificate", args=[absent.pk])
        ).status_code
        == 404
    )


def test_the_certificate_names_the_person_and_the_event(
    coordinator: User, org: MemberOrganization
) -> None:
    """Letters of the network's languages come through (DejaVu Sans)."""
    event = _event(org, start_date=TODAY(), title="Formare privind traficul")
    registration = services.registration_create(
        event=event, data=_data(name="Ștefan Țăranu")
    )
    services.attendance_set(actor=coordinator, registration=registration, attended=True)
    services.certificates_issue(actor=coordinator, event=event)
    registration.refresh_from_db()
    text = pdf_text(certificate_pdf(registration, compress=False))
    assert "Certificate of attendance" in text
    assert "Ștefan Țăranu" in text
    assert "Formare privind traficul" in text
    assert "Organisation A" in text


def test_conferences_give_no_certificates(
    coordinator: User, org: MemberOrganization
) -> None:
    event = _event(org, type=EventType.CONFERENCE, start_date=TODAY())
    with pytest.raises(ValidationError):
        services.certificates_issue(actor=coordinator, event=event)


# --- Feedback ----------------------------------------------------------------------


def test_attendees_give_anonymous_feedback_once_and_staff_see_the_summary(
    client: Client,
    coordinator: User,
    coordinator_client: Client,
    org: MemberOrganization,
    django_capture_on_commit_callbacks: Any,
) -> None:
    event = _event(org, start_date=TODAY())
    registration = services.registration_create(event=event, data=_data())
    services.attendance_set(actor=coordinator, registration=registration, attended=True)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.feedback_requests_due() == 1
    assert services.feedback_requests_due() == 0
    link = _link(mail.outbox[0], "feedback")
    assert "anonymous" in mail.outbox[0].body
    invalid = client.post(link, {"usefulness": "9"})
    assert invalid.status_code == 400
    done = client.post(
        link, {"usefulness": "4", "organisation": "5", "improve": "More cases."}
    )
    assert "Your feedback was recorded" in done.content.decode()
    feedback = Feedback.objects.get()
    assert (feedback.usefulness, feedback.organisation) == (4, 5)
    assert not hasattr(feedback, "registration")
    assert client.get(link).status_code == 404
    page = coordinator_client.get(
        reverse("activities:participants", args=[event.pk])
    ).content.decode()
    assert "More cases." in page
    assert "4.0" in page


# --- Retention ---------------------------------------------------------------------


def test_registrations_are_anonymised_after_the_retention_period(
    coordinator: User, org: MemberOrganization, settings: Any
) -> None:
    settings.WAYPOINT_REGISTRATION_RETENTION_DAYS = 30
    event = _event(org, start_date=TODAY())
    registration = services.registration_create(event=event, data=_data())
    services.attendance_set(actor=coordinator, registration=registration, attended=True)
    later = TODAY() + datetime.timedelta(days=30)
    assert services.registrations_anonymise(today=later) == 0
    assert (
        services.registrations_anonymise(today=later + datetime.timedelta(days=1)) == 1
    )
    registration.refresh_from_db()
    assert (registration.name, registration.email, registration.institution) == (
        "",
        "",
        "",
    )
    assert registration.profession == "judge" and registration.attended
    assert event.participant_counts.get(dimension="total").count == 1
    assert (
        services.registrations_anonymise(today=later + datetime.timedelta(days=2)) == 0
    )


def test_the_anonymise_command_reports_what_it_did(
    org: MemberOrganization, capsys: Any
) -> None:
    event = _event(org, start_date=TODAY() - datetime.timedelta(days=400))
    Registration.objects.create(
        event=event,
        name="Old",
        email="old@example.org",
        institution="X",
        institution_type="court",
        profession="judge",
        country="RO",
        consent_at=timezone.now(),
    )
    call_command("anonymise_registrations")
    assert "Registrations anonymised: 1" in capsys.readouterr().out
    assert Registration.objects.get().email == ""


def test_the_participants_page_needs_the_second_factor(
    event: Event, coordinator: User
) -> None:
    client = Client()
    client.force_login(coordinator)  # password only
    response = client.get(reverse("activities:participants", args=[event.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_a_registration_deadline_after_the_first_day_is_refused_on_its_field(
    event: Event, coordinator_client: Client
) -> None:
    response = coordinator_client.post(
        reverse("activities:participants_settings", args=[event.pk]),
        {
            "registration_open": "on",
            "capacity": "0",
            "registration_deadline": (
                event.start_date + datetime.timedelta(days=1)
            ).isoformat(),
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "The registration deadline comes after the first day of the event." in text
    assert "Ensure this value is greater than or equal to 1." in text
    event.refresh_from_db()
    assert event.capacity is None and event.registration_deadline is None
