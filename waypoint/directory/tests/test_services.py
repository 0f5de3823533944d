"""The directory's write functions keep a field-by-field history."""

from __future__ import annotations

import pytest
from django.utils import timezone

from waypoint.accounts.models import User
from waypoint.directory.models import ChangeRecord, Organization, Service
from waypoint.directory.search import SearchQuery, run_search
from waypoint.directory.services import (
    directory_object_delete,
    directory_object_save,
    listing_verify,
)

pytestmark = pytest.mark.django_db


def _search(text: str) -> int:
    return run_search(SearchQuery(text=text), now=timezone.now()).total


def test_creating_records_every_filled_field(editor: User) -> None:
    org = directory_object_save(
        actor=editor,
        instance=Organization(name="Demetra", description="NGO", country="BG"),
    )
    fields = dict(
        ChangeRecord.objects.filter(resource_id=org.pk).values_list(
            "field_name", "replacement_value"
        )
    )
    assert fields["name"] == "Demetra"
    assert fields["country"] == "BG"
    assert ChangeRecord.objects.filter(resource_id=org.pk, actor=editor).count() == len(
        fields
    )


def test_an_update_records_before_and_after_of_changed_fields_only(
    editor: User,
) -> None:
    org = directory_object_save(
        actor="test", instance=Organization(name="Old", description="Same")
    )
    org.name = "New"
    directory_object_save(actor=editor, instance=org)
    update = ChangeRecord.objects.get(resource_id=org.pk, action="update")
    assert (update.field_name, update.previous_value, update.replacement_value) == (
        "name",
        "Old",
        "New",
    )
    assert update.actor == editor
    assert update.organization_id == org.pk


def test_invalid_objects_are_not_written(editor: User) -> None:
    """Model validation runs before anything lands (empty required name)."""
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        directory_object_save(
            actor=editor, instance=Organization(name="", description="x")
        )
    assert "name" in error.value.message_dict
    assert not Organization.objects.exists()
    assert not ChangeRecord.objects.exists()


def test_saving_a_service_updates_the_search_index(editor: User) -> None:
    org = directory_object_save(
        actor=editor, instance=Organization(name="Org", description="d", country="SE")
    )
    service = directory_object_save(
        actor=editor, instance=Service(organization=org, name="Kvinnojour Malmö")
    )
    assert _search("malmo") == 1
    service.name = "Kvinnojour Göteborg"
    directory_object_save(actor=editor, instance=service)
    assert _search("malmo") == 0
    assert _search("goteborg") == 1


def test_deleting_keeps_the_last_values_in_history(editor: User) -> None:
    org = directory_object_save(
        actor=editor, instance=Organization(name="Gone", description="d")
    )
    pk = org.pk
    directory_object_delete(actor=editor, instance=org)
    deletion = ChangeRecord.objects.get(resource_id=pk, action="delete")
    assert '"name": "Gone"' in deletion.previous_value


def test_verifying_records_who_checked_and_when(editor: User) -> None:
    org = directory_object_save(
        actor=editor, instance=Organization(name="Org", description="d")
    )
    listing_verify(actor=editor, listing=org)
    org.refresh_from_db()
    assert org.last_verified_by == editor
    assert org.last_verified_at is not None
    assert ChangeRecord.objects.filter(resource_id=org.pk, action="verify").exists()


def test_term_changes_appear_in_the_listings_history(editor: User) -> None:
    """Adding a service type to a service is part of its organisation's history."""
    from waypoint.directory.models import TaxonomyTerm
    from waypoint.directory.selectors import listing_history
    from waypoint.directory.taxonomies import SERVICE_TYPE, term_id

    org = directory_object_save(
        actor=editor, instance=Organization(name="Org", description="d")
    )
    service = directory_object_save(
        actor=editor, instance=Service(organization=org, name="Help")
    )
    from waypoint.directory.services import attributes_set

    attributes_set(
        actor=editor,
        link_entity="service",
        link_id=service.pk,
        taxonomy_code=SERVICE_TYPE,
        terms=[TaxonomyTerm.objects.get(pk=term_id(SERVICE_TYPE, "shelter"))],
    )
    assert listing_history(organization=org).filter(resource_type="attribute").exists()
