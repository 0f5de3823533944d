"""Editing services: every part saved together, opening hours checked."""

from __future__ import annotations

from datetime import time
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from waypoint.accounts.models import User
from waypoint.directory.models import (
    ChangeRecord,
    CostOption,
    Language,
    Location,
    RequiredDocument,
    Schedule,
    Service,
    ServiceAtLocation,
)
from waypoint.directory.search import SearchQuery, run_search
from waypoint.directory.taxonomies import SERVICE_TYPE, term_id
from waypoint.directory.taxonomy_data import TAXONOMIES
from waypoint.directory.testing import service_make
from waypoint.directory.tests.test_manage_helpers import form_data

pytestmark = pytest.mark.django_db


def _edit_url(service: Service) -> str:
    return reverse("directory:service_edit", kwargs={"pk": service.pk})


def _found(text: str) -> list[str]:
    page = run_search(SearchQuery(text=text), now=timezone.now())
    return [Service.objects.get(pk=pk).name for pk in page.service_ids]


def test_an_editor_creates_a_service_with_all_its_parts(
    editor_client: Client, editor: User
) -> None:
    """Types, languages, cost, location, hours, phone and documents are written
    in one go, each with its history."""
    organization = service_make().organization
    location = Location.objects.get(organization=organization)
    url = reverse("directory:service_create", kwargs={"pk": organization.pk})
    type_code = next(t for t in TAXONOMIES if t.code == SERVICE_TYPE).terms[0].code
    data = form_data(
        editor_client.get(url),
        name="Psychological counselling",
        description="Free sessions with a psychologist.",
        status="active",
        language="en",
        types=[str(term_id(SERVICE_TYPE, type_code))],
        languages_spoken=["ro", "ar"],
        cost="free",
        locations=[str(location.pk)],
        tr_de_name="Psychologische Beratung",
        hours__0__days=["MO", "WE"],
        hours__0__opens_at="09:00",
        hours__0__closes_at="17:00",
        phones__0__number="0721 234 567",
        phones__0__type="cell",
        documents__0__document="Identity card",
    )
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:4000]
    service = Service.objects.get(name="Psychological counselling")
    assert service.translations == {"de": {"name": "Psychologische Beratung"}}
    assert sorted(
        Language.objects.filter(service=service).values_list("code", flat=True)
    ) == ["ar", "ro"]
    assert CostOption.objects.get(service=service).amount == Decimal(0)
    assert ServiceAtLocation.objects.filter(service=service, location=location).exists()
    schedule = Schedule.objects.get(service=service)
    assert (schedule.byday, schedule.opens_at, schedule.closes_at) == (
        "MO,WE",
        time(9),
        time(17),
    )
    assert service.phones.get().number == "+40721234567"
    assert RequiredDocument.objects.get(service=service).document == "Identity card"
    types = ChangeRecord.objects.filter(
        organization_id=organization.pk, resource_type="schedule", actor=editor
    )
    assert types.filter(field_name="byday", replacement_value="MO,WE").exists()
    # The public search finds it, by its translated name too, and it is free.
    assert _found("psychologische") == ["Psychological counselling"]
    page = run_search(SearchQuery(free=True), now=timezone.now())
    assert service.pk in page.service_ids


def test_the_search_index_follows_a_rename(editor_client: Client) -> None:
    """After an edit the public search finds the new name, not the old one."""
    service = service_make(name="Legal aid desk")
    assert _found("legal aid") == ["Legal aid desk"]
    url = _edit_url(service)
    response = editor_client.post(
        url, form_data(editor_client.get(url), name="Counselling for migrants")
    )
    assert response.status_code == 302
    assert _found("migrants") == ["Counselling for migrants"]
    assert _found("legal aid") == []


def _hours_response(client: Client, service: Service, **hours: object) -> Any:
    url = _edit_url(service)
    changes = {f"hours__0__{k}": v for k, v in hours.items()}
    return client.post(url, form_data(client.get(url), **changes))


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ({"opens_at": "09:00", "closes_at": "17:00"}, "Choose at least one day."),
        ({"days": ["MO"], "closes_at": "17:00"}, "Enter the opening time."),
        ({"days": ["MO"], "opens_at": "09:00"}, "Enter the closing time."),
        (
            {"days": ["MO"], "opens_at": "09:00", "closes_at": "09:00"},
            "The closing time must differ from the opening time.",
        ),
        (
            {"days": ["MO"], "opens_at": "22:00", "closes_at": "06:00"},
            "The closing time must be after the opening time",
        ),
        (
            {
                "days": ["MO"],
                "opens_at": "09:00",
                "closes_at": "17:00",
                "overnight": "on",
            },
            "this rule closes on the same day",
        ),
        (
            {
                "days": ["MO"],
                "opens_at": "09:00",
                "closes_at": "17:00",
                "valid_from": "2026-05-01",
                "valid_to": "2026-04-01",
            },
            "The end date must not be before the start date.",
        ),
    ],
)
def test_opening_hours_are_checked(
    editor_client: Client, hours: dict[str, object], message: str
) -> None:
    """Each inconsistent rule is refused with its reason; nothing is saved."""
    service = service_make()
    before = ChangeRecord.objects.count()
    response = _hours_response(editor_client, service, **hours)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Schedule.objects.filter(service=service).exists()
    assert ChangeRecord.objects.count() == before


def test_an_overnight_rule_is_saved_when_ticked(editor_client: Client) -> None:
    """22:00–06:00 is accepted with "closes after midnight" and shown ticked."""
    service = service_make()
    response = _hours_response(
        editor_client,
        service,
        days=["FR", "SA"],
        opens_at="22:00",
        closes_at="06:00",
        overnight="on",
    )
    assert response.status_code == 302
    schedule = Schedule.objects.get(service=service)
    assert (schedule.byday, schedule.closes_at) == ("FR,SA", time(6))
    form = editor_client.get(_edit_url(service)).context["group"].schedules.formset[0]
    assert form["overnight"].value() is True


def test_a_valid_service_with_an_invalid_phone_changes_nothing(
    editor_client: Client,
) -> None:
    """The main form is valid, one phone is not: the name stays, no history."""
    service = service_make(name="Unchanged")
    before = ChangeRecord.objects.count()
    url = _edit_url(service)
    data = form_data(
        editor_client.get(url),
        name="Changed",
        hours__0__days=["MO"],
        hours__0__opens_at="09:00",
        hours__0__closes_at="17:00",
        phones__0__number="+40 12",
        phones__0__type="voice",
    )
    response = editor_client.post(url, data)
    assert response.status_code == 400
    assert "Phone 1, Number: Enter a valid phone number" in response.content.decode()
    service.refresh_from_db()
    assert service.name == "Unchanged"
    assert not Schedule.objects.filter(service=service).exists()
    assert ChangeRecord.objects.count() == before
    assert _found("changed") == []


def test_the_minimum_age_cannot_exceed_the_maximum(editor_client: Client) -> None:
    """18 to 12 is refused next to the maximum age."""
    service = service_make()
    url = _edit_url(service)
    response = editor_client.post(
        url, form_data(editor_client.get(url), minimum_age="18", maximum_age="12")
    )
    assert response.status_code == 400
    assert response.context["group"].form.errors["maximum_age"]


def test_a_fee_needs_an_amount_and_is_stored_as_a_cost_option(
    editor_client: Client,
) -> None:
    """ "There is a fee" asks for the amount and currency."""
    service = service_make(free=True)
    url = _edit_url(service)
    assert (
        editor_client.post(
            url, form_data(editor_client.get(url), cost="paid")
        ).status_code
        == 400
    )
    response = editor_client.post(
        url,
        form_data(
            editor_client.get(url), cost="paid", cost_amount="25", cost_currency="ron"
        ),
    )
    assert response.status_code == 302
    option = CostOption.objects.get(service=service)
    assert (option.amount, option.currency) == (Decimal(25), "RON")


def test_unticking_a_location_removes_the_service_there(
    editor_client: Client,
) -> None:
    """The location checkboxes are the service's complete set of locations."""
    service = service_make()
    url = _edit_url(service)
    response = editor_client.post(
        url, form_data(editor_client.get(url), locations=None)
    )
    assert response.status_code == 302
    assert not ServiceAtLocation.objects.filter(service=service).exists()
    assert ChangeRecord.objects.filter(
        resource_type="serviceatlocation", action="delete"
    ).exists()


def test_marking_a_service_as_checked(editor_client: Client, editor: User) -> None:
    """The service gets today's date and a history row."""
    service = service_make()
    response = editor_client.post(
        reverse("directory:service_verify", kwargs={"pk": service.pk})
    )
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.last_verified_by == editor
    assert ChangeRecord.objects.filter(resource_id=service.pk, action="verify").exists()
    assert "Last checked on" in editor_client.get(_edit_url(service)).content.decode()
