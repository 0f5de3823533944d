"""Editing organisations: all or nothing, in E.164, with a full history."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from waypoint.accounts.models import User
from waypoint.directory.models import (
    Attribute,
    ChangeRecord,
    Organization,
    Phone,
)
from waypoint.directory.taxonomies import AUTHORITY_ROLE, ORGANIZATION_KIND
from waypoint.directory.taxonomy_data import TAXONOMIES
from waypoint.directory.testing import service_make
from waypoint.directory.tests.test_manage_helpers import form_data

pytestmark = pytest.mark.django_db

CREATE = "directory:organization_create"


def _term_codes(taxonomy: str) -> list[str]:
    return [t.code for t in next(x for x in TAXONOMIES if x.code == taxonomy).terms]


def _new_organization_data(editor_client: Client, **changes: object) -> dict[str, Any]:
    page = editor_client.get(reverse(CREATE))
    base = {
        "name": "Asociația Pro Refugiu",
        "description": "Shelter and counselling for refugees.",
        "country": "RO",
        "language": "en",
        "phones-0-number": "021 123 4567",
        "phones-0-type": "voice",
    }
    return form_data(page, **{k.replace("-", "__"): v for k, v in base.items()}) | {
        k.replace("__", "-"): v for k, v in changes.items()
    }


def test_an_editor_creates_an_organisation_with_its_phone(
    editor_client: Client, editor: User
) -> None:
    """The organisation, its phone (in E.164) and their history are written."""
    kind = _term_codes(ORGANIZATION_KIND)[0]
    from waypoint.directory.taxonomies import term_id

    data = _new_organization_data(
        editor_client,
        kinds=[str(term_id(ORGANIZATION_KIND, kind))],
        tr_ro_name="Asociația Pro Refugiu (ro)",
        year_incorporated="2001",
    )
    response = editor_client.post(reverse(CREATE), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    organization = Organization.objects.get(name="Asociația Pro Refugiu")
    assert response["Location"] == reverse(
        "directory:organization_edit", kwargs={"pk": organization.pk}
    )
    assert organization.translations == {"ro": {"name": "Asociația Pro Refugiu (ro)"}}
    assert organization.year_incorporated == 2001
    phone = Phone.objects.get(organization=organization)
    assert phone.number == "+40211234567"
    assert (
        Attribute.objects.filter(
            link_entity="organization", link_id=organization.pk
        ).count()
        == 1
    )
    created = ChangeRecord.objects.filter(
        organization_id=organization.pk, action=ChangeRecord.Action.CREATE
    )
    name_row = created.get(resource_type="organization", field_name="name")
    assert (name_row.previous_value, name_row.replacement_value) == (
        "",
        "Asociația Pro Refugiu",
    )
    assert name_row.actor == editor
    assert created.get(
        resource_type="phone", field_name="number"
    ).replacement_value == ("+40211234567")


def test_an_edit_records_before_and_after_and_who(
    editor_client: Client, editor: User
) -> None:
    """Changing the name writes one history row with both values and the actor."""
    organization = service_make(org_name="Old Name").organization
    url = reverse("directory:organization_edit", kwargs={"pk": organization.pk})
    response = editor_client.post(
        url, form_data(editor_client.get(url), name="New Name")
    )
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.name == "New Name"
    row = ChangeRecord.objects.get(
        resource_id=organization.pk, action="update", field_name="name"
    )
    assert (row.previous_value, row.replacement_value) == ("Old Name", "New Name")
    assert row.actor == editor
    assert row.actor_label == "editor"
    # Untouched fields write nothing.
    assert not ChangeRecord.objects.filter(
        resource_id=organization.pk, field_name="description"
    ).exists()


def test_an_invalid_phone_saves_nothing_and_names_the_field(
    editor_client: Client,
) -> None:
    """A bad number in the phone rows blocks the whole form, with the error
    next to the field and in the summary."""
    data = _new_organization_data(editor_client, phones__0__number="12")
    response = editor_client.post(reverse(CREATE), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter a valid phone number, e.g. +40 21 123 4567" in html
    assert 'role="alert"' in html
    assert 'href="#id_phones-0-number"' in html
    assert "Phone 1, Number: Enter a valid phone number" in html
    assert 'aria-invalid="true"' in html
    # What was typed stays.
    assert 'value="Asociația Pro Refugiu"' in html
    assert not Organization.objects.exists()
    assert not ChangeRecord.objects.exists()


def test_a_valid_main_form_with_an_invalid_phone_row_changes_nothing(
    editor_client: Client,
) -> None:
    """Editing the name and adding a bad phone leaves the name as it was."""
    organization = service_make(org_name="Stays The Same").organization
    url = reverse("directory:organization_edit", kwargs={"pk": organization.pk})
    before = ChangeRecord.objects.count()
    data = form_data(
        editor_client.get(url),
        name="Renamed",
        phones__0__number="not a phone",
        phones__0__type="voice",
    )
    response = editor_client.post(url, data)
    assert response.status_code == 400
    organization.refresh_from_db()
    assert organization.name == "Stays The Same"
    assert not Phone.objects.filter(organization=organization).exists()
    assert ChangeRecord.objects.count() == before


@pytest.mark.parametrize(
    ("typed", "country", "stored"),
    [
        ("021 123 4567", "RO", "+40211234567"),
        ("+40 (21) 123-45-67", "RO", "+40211234567"),
        ("0040 21 123 4567", "DE", "+40211234567"),
        ("02 987 6543", "BG", "+35929876543"),
        ("030 12345678", "DE", "+493012345678"),
    ],
)
def test_phone_numbers_are_stored_in_e164_using_the_country(
    editor_client: Client, typed: str, country: str, stored: str
) -> None:
    """Local numbers take the organisation's country as their region."""
    data = _new_organization_data(
        editor_client, country=country, phones__0__number=typed
    )
    assert editor_client.post(reverse(CREATE), data).status_code == 302
    assert Phone.objects.get().number == stored


def test_existing_phones_show_readably_and_can_be_removed(
    editor_client: Client,
) -> None:
    """The stored number is shown grouped; ticking Delete removes it with a
    history row."""
    organization = service_make().organization
    Phone.objects.create(organization=organization, number="+40211234567")
    url = reverse("directory:organization_edit", kwargs={"pk": organization.pk})
    page = editor_client.get(url)
    assert 'value="+40 21 123 4567"' in page.content.decode()
    response = editor_client.post(url, form_data(page, phones__0__DELETE="on"))
    assert response.status_code == 302
    assert not Phone.objects.filter(organization=organization).exists()
    assert ChangeRecord.objects.filter(resource_type="phone", action="delete").exists()
    # Re-saving an unchanged number records nothing.
    Phone.objects.create(organization=organization, number="+40211234567")
    before = ChangeRecord.objects.count()
    assert editor_client.post(url, form_data(editor_client.get(url))).status_code == 302
    assert ChangeRecord.objects.count() == before


def test_it_refuses_a_year_of_incorporation_in_the_future(
    editor_client: Client,
) -> None:
    """The year must be plausible."""
    data = _new_organization_data(editor_client, year_incorporated="2999")
    response = editor_client.post(reverse(CREATE), data)
    assert response.status_code == 400
    assert not Organization.objects.exists()


def test_it_refuses_a_parent_that_is_a_descendant(editor_client: Client) -> None:
    """An organisation cannot become the child of its own child."""
    parent = service_make(org_name="Parent").organization
    child = service_make(org_name="Child").organization
    child.parent_organization = parent
    child.save()
    url = reverse("directory:organization_edit", kwargs={"pk": parent.pk})
    data = form_data(editor_client.get(url), parent_organization=str(child.pk))
    assert editor_client.post(url, data).status_code == 400
    parent.refresh_from_db()
    assert parent.parent_organization is None


def test_authority_roles_are_saved_as_attributes(editor_client: Client) -> None:
    """Ticking and unticking roles changes the organisation's attributes."""
    from waypoint.directory.taxonomies import term_id

    organization = service_make().organization
    url = reverse("directory:organization_edit", kwargs={"pk": organization.pk})
    roles = [str(term_id(AUTHORITY_ROLE, c)) for c in _term_codes(AUTHORITY_ROLE)[:2]]
    editor_client.post(url, form_data(editor_client.get(url), roles=roles))
    assert Attribute.objects.filter(link_id=organization.pk).count() == 2
    editor_client.post(url, form_data(editor_client.get(url), roles=roles[:1]))
    assert Attribute.objects.filter(link_id=organization.pk).count() == 1
    page = editor_client.get(url).content.decode()
    assert f'value="{roles[0]}" id="id_roles_' in page.replace("\n", " ") or (
        roles[0] in page
    )


def test_marking_as_checked_sets_the_date_and_records_it(
    editor_client: Client, editor: User
) -> None:
    """ "Mark as checked" stamps the listing and leaves a history row."""
    organization = service_make().organization
    response = editor_client.post(
        reverse("directory:organization_verify", kwargs={"pk": organization.pk})
    )
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.last_verified_at is not None
    assert organization.last_verified_by == editor
    row = ChangeRecord.objects.get(resource_id=organization.pk, action="verify")
    assert row.actor == editor
    home = editor_client.get(reverse("directory:manage_home")).content.decode()
    assert "never" not in home


def test_the_history_page_lists_changes_newest_first(
    editor_client: Client,
) -> None:
    """Every change to the organisation and its parts, with from → to."""
    service = service_make(org_name="First")
    organization = service.organization
    url = reverse("directory:organization_edit", kwargs={"pk": organization.pk})
    editor_client.post(url, form_data(editor_client.get(url), name="Second"))
    editor_client.post(url, form_data(editor_client.get(url), name="Third"))
    page = editor_client.get(
        reverse("directory:organization_history", kwargs={"pk": organization.pk})
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert html.index("Second</td>") < html.index("First</td>")
    assert "editor" in html
    rows = page.context["rows"]
    assert rows[0]["record"].replacement_value == "Third"
    assert rows[0]["field"] == "name"


def test_the_home_page_searches_and_filters_by_country(
    editor_client: Client,
) -> None:
    """Name search ignores case; the country filter narrows the list."""
    service_make(org_name="Bulgarian Red Cross", country="BG")
    service_make(org_name="Romanian Red Cross", country="RO")
    service_make(org_name="Something Else", country="RO")
    url = reverse("directory:manage_home")
    names = [o.name for o in editor_client.get(url, {"q": "red cross"}).context["page"]]
    assert names == ["Bulgarian Red Cross", "Romanian Red Cross"]
    names = [
        o.name
        for o in editor_client.get(url, {"q": "red", "country": "BG"}).context["page"]
    ]
    assert names == ["Bulgarian Red Cross"]
