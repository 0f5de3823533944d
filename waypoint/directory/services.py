"""Every write to the directory goes through these functions.

Each one is atomic, takes the acting user (or, for machines, a label such as
the import file), records every changed field in the listing's history and
keeps the search index in step.
"""

from __future__ import annotations

import dataclasses
import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waypoint.accounts.models import MemberOrganization, User
from waypoint.accounts.services import audit_event_record, require_platform_admin
from waypoint.directory.models import (
    Attribute,
    ChangeRecord,
    CostOption,
    Language,
    Location,
    Organization,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from waypoint.directory.search import search_index_refresh
from waypoint.directory.selectors import cities_forget
from waypoint.directory.taxonomy_data import AUTHORITY_ROLE, ORGANIZATION_KIND
from waypoint.lib.countries import language_name

Actor = User | str

# Bookkeeping fields whose changes are not worth a history line of their own.
_UNTRACKED = {"created_at", "updated_at", "last_verified_at", "last_verified_by"}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def snapshot(instance: models.Model) -> dict[str, str]:
    """The tracked fields of an object as text, keyed by HSDS field name."""
    values: dict[str, str] = {}
    for field in instance._meta.concrete_fields:
        if field.name in _UNTRACKED or field.primary_key:
            continue
        name = field.name + "_id" if field.is_relation else field.name
        values[name] = _text(getattr(instance, field.attname))
    return values


def _actor_columns(actor: Actor) -> dict[str, Any]:
    if isinstance(actor, User):
        return {"actor": actor, "actor_label": actor.get_username()}
    return {"actor": None, "actor_label": actor[:200]}


def _organization_id_of(instance: models.Model) -> uuid.UUID | None:
    if isinstance(instance, Organization):
        return instance.pk
    if isinstance(instance, Attribute):
        if instance.link_entity == "organization":
            return instance.link_id
        if instance.link_entity == "service":
            return (
                Service.objects.filter(pk=instance.link_id)
                .values_list("organization_id", flat=True)
                .first()
            )
        return None
    org_id = getattr(instance, "organization_id", None)
    if org_id is not None:
        return org_id  # type: ignore[no-any-return]
    for parent in ("service", "location", "service_at_location", "contact", "phone"):
        related = getattr(instance, parent, None) if hasattr(instance, parent) else None
        if related is not None:
            return _organization_id_of(related)
    return None


def changes_record(
    *,
    actor: Actor,
    instance: models.Model,
    action: str,
    before: dict[str, str],
    after: dict[str, str],
    at: datetime | None = None,
) -> list[ChangeRecord]:
    """Write one history row per changed field (one row for a deletion)."""
    at = at or timezone.now()
    common = {
        "organization_id": _organization_id_of(instance),
        "resource_id": instance.pk,
        "resource_type": instance._meta.model_name or "",
        "action": action,
        "created_at": at,
        **_actor_columns(actor),
    }
    rows: list[ChangeRecord] = []
    if action == ChangeRecord.Action.DELETE:
        rows.append(ChangeRecord(**common, previous_value=json.dumps(before)))
    else:
        for name in sorted(after):
            if before.get(name, "") != after[name] or (
                action == ChangeRecord.Action.CREATE and after[name]
            ):
                rows.append(
                    ChangeRecord(
                        **common,
                        field_name=name,
                        previous_value=before.get(name, ""),
                        replacement_value=after[name],
                    )
                )
    ChangeRecord.objects.bulk_create(rows)
    return rows


def _services_touched_by(instance: models.Model) -> list[uuid.UUID]:
    if isinstance(instance, Service):
        return [instance.pk]
    if isinstance(instance, Organization):
        return list(instance.services.values_list("pk", flat=True))
    if isinstance(instance, Location):
        return list(
            ServiceAtLocation.objects.filter(location=instance).values_list(
                "service_id", flat=True
            )
        )
    service_id = getattr(instance, "service_id", None)
    if service_id is not None:
        return [service_id]
    location_id = getattr(instance, "location_id", None)
    if location_id is not None:
        return list(
            ServiceAtLocation.objects.filter(location_id=location_id).values_list(
                "service_id", flat=True
            )
        )
    if isinstance(instance, ServiceAtLocation):
        return [instance.service_id]
    return []


@transaction.atomic
def directory_object_save[M: models.Model](
    *, actor: Actor, instance: M, reindex: bool = True
) -> M:
    """Create or update any directory object and record what changed.

    ``instance`` carries the new values; the stored row (if any) is read
    first so that the history holds the exact before and after of each field.
    """
    stored = (
        type(instance)._default_manager.filter(pk=instance.pk).first()
        if instance.pk is not None
        else None
    )
    before = snapshot(stored) if stored is not None else {}
    if hasattr(instance, "updated_at"):
        instance.updated_at = timezone.now()
    instance.full_clean()
    instance.save()
    after = snapshot(instance)
    changes_record(
        actor=actor,
        instance=instance,
        action=(
            ChangeRecord.Action.UPDATE
            if stored is not None
            else ChangeRecord.Action.CREATE
        ),
        before=before,
        after=after,
    )
    if reindex:
        search_index_refresh(_services_touched_by(instance))
    return instance


@transaction.atomic
def directory_object_delete(*, actor: Actor, instance: models.Model) -> None:
    touched = _services_touched_by(instance)
    changes_record(
        actor=actor,
        instance=instance,
        action=ChangeRecord.Action.DELETE,
        before=snapshot(instance),
        after={},
    )
    instance.delete()
    search_index_refresh([pk for pk in touched if not isinstance(instance, Service)])


@transaction.atomic
def listing_verify(*, actor: User, listing: Organization | Service) -> None:
    """Record that an editor checked a listing's data is still correct."""
    now = timezone.now()
    type(listing)._default_manager.filter(pk=listing.pk).update(
        last_verified_at=now, last_verified_by=actor
    )
    listing.last_verified_at = now
    listing.last_verified_by = actor
    changes_record(
        actor=actor,
        instance=listing,
        action=ChangeRecord.Action.VERIFY,
        before={"last_verified_at": ""},
        after={"last_verified_at": now.isoformat()},
        at=now,
    )


@transaction.atomic
def attributes_set(
    *,
    actor: Actor,
    link_entity: str,
    link_id: uuid.UUID,
    taxonomy_code: str,
    terms: Sequence[TaxonomyTerm],
) -> None:
    """Make ``terms`` the object's complete set of terms of one taxonomy."""
    existing = {
        a.taxonomy_term_id: a
        for a in Attribute.objects.filter(
            link_entity=link_entity,
            link_id=link_id,
            taxonomy_term__taxonomy_ref__code=taxonomy_code,
        )
    }
    wanted = {t.pk: t for t in terms}
    for term_pk, attribute in existing.items():
        if term_pk not in wanted:
            changes_record(
                actor=actor,
                instance=attribute,
                action=ChangeRecord.Action.DELETE,
                before=snapshot(attribute),
                after={},
            )
            attribute.delete()
    for term_pk in wanted.keys() - existing.keys():
        attribute = Attribute.objects.create(
            link_entity=link_entity,
            link_id=link_id,
            link_type=taxonomy_code,
            taxonomy_term_id=term_pk,
        )
        changes_record(
            actor=actor,
            instance=attribute,
            action=ChangeRecord.Action.CREATE,
            before={},
            after=snapshot(attribute),
        )
    if link_entity == "service":
        search_index_refresh([link_id])
    elif link_entity == "organization":
        search_index_refresh(
            Service.objects.filter(organization_id=link_id).values_list("pk", flat=True)
        )


def services_reindex_all(batch: int = 2000) -> int:
    """Rebuild the search index of every service; returns how many."""
    ids: Iterable[uuid.UUID] = Service.objects.values_list("pk", flat=True)
    all_ids = list(ids)
    for start in range(0, len(all_ids), batch):
        with transaction.atomic():
            search_index_refresh(all_ids[start : start + batch])
    return len(all_ids)


# --- Saving a whole edit form at once (the staff interface) -----------------


@dataclass
class ChildChanges:
    """Rows of one kind that belong to a listing: those to save, those to drop.

    The staff forms hand over every related row as unsaved instances so that
    the listing and all of its parts are written in one transaction.
    """

    saved: list[models.Model] = dataclasses.field(default_factory=list)
    deleted: list[models.Model] = dataclasses.field(default_factory=list)


@dataclass(frozen=True)
class CostChoice:
    """What a service costs, as the staff form asks it.

    ``kind`` is ``"free"``, ``"paid"`` or ``""`` (not stated).
    """

    kind: str
    amount: Decimal | None = None
    currency: str = ""
    option: str = ""


def _parent_ids_refresh(instance: models.Model) -> None:
    """Copy each parent's key onto the row before it is validated.

    Forms build rows of a listing that does not exist yet (and Django's
    inline formsets clear the new parent's generated key), so the key is
    final only once the parent has been saved.
    """
    for model_field in instance._meta.concrete_fields:
        if not isinstance(model_field, models.ForeignKey) or not (
            model_field.is_cached(instance)
        ):
            continue
        parent = model_field.get_cached_value(instance)
        if parent is not None and parent.pk is not None:
            setattr(instance, model_field.attname, parent.pk)


def _children_apply(*, actor: Actor, changes: Iterable[ChildChanges]) -> None:
    for change in changes:
        for instance in change.deleted:
            if type(instance)._default_manager.filter(pk=instance.pk).exists():
                directory_object_delete(actor=actor, instance=instance)
        for instance in change.saved:
            _parent_ids_refresh(instance)
            directory_object_save(actor=actor, instance=instance, reindex=False)


@transaction.atomic
def organization_save(
    *,
    actor: Actor,
    organization: Organization,
    kinds: Sequence[TaxonomyTerm],
    roles: Sequence[TaxonomyTerm],
    children: Sequence[ChildChanges] = (),
) -> Organization:
    """Create or update an organisation with its terms and phones, all or nothing."""
    directory_object_save(actor=actor, instance=organization, reindex=False)
    for code, terms in ((ORGANIZATION_KIND, kinds), (AUTHORITY_ROLE, roles)):
        attributes_set(
            actor=actor,
            link_entity="organization",
            link_id=organization.pk,
            taxonomy_code=code,
            terms=terms,
        )
    _children_apply(actor=actor, changes=children)
    search_index_refresh(
        Service.objects.filter(organization=organization).values_list("pk", flat=True)
    )
    return organization


def _service_languages_set(
    *, actor: Actor, service: Service, codes: Sequence[str]
) -> None:
    wanted = list(dict.fromkeys(c.lower() for c in codes if c))
    existing = list(Language.objects.filter(service=service))
    kept: set[str] = set()
    for language in existing:
        code = language.code.lower()
        if code in wanted and code not in kept:
            kept.add(code)
        else:
            directory_object_delete(actor=actor, instance=language)
    for code in wanted:
        if code not in kept:
            directory_object_save(
                actor=actor,
                instance=Language(
                    service=service, code=code, name=language_name(code, "en")
                ),
                reindex=False,
            )


def _service_locations_set(
    *, actor: Actor, service: Service, locations: Sequence[Location]
) -> None:
    wanted = {location.pk for location in locations}
    existing = {
        sal.location_id: sal
        for sal in ServiceAtLocation.objects.filter(service=service)
    }
    for location_id, sal in existing.items():
        if location_id not in wanted:
            directory_object_delete(actor=actor, instance=sal)
    for location_id in wanted - existing.keys():
        directory_object_save(
            actor=actor,
            instance=ServiceAtLocation(service=service, location_id=location_id),
            reindex=False,
        )


def _service_cost_set(*, actor: Actor, service: Service, cost: CostChoice) -> None:
    existing = list(CostOption.objects.filter(service=service))
    if not cost.kind:
        for option in existing:
            directory_object_delete(actor=actor, instance=option)
        return
    amount = Decimal(0) if cost.kind == "free" else cost.amount
    first = existing[0] if existing else CostOption(service=service)
    for option in existing[1:]:
        directory_object_delete(actor=actor, instance=option)
    first.amount = amount
    first.currency = cost.currency.upper()
    first.option = cost.option
    directory_object_save(actor=actor, instance=first, reindex=False)


@transaction.atomic
def service_save(
    *,
    actor: Actor,
    service: Service,
    terms: dict[str, Sequence[TaxonomyTerm]],
    language_codes: Sequence[str] | None = None,
    locations: Sequence[Location] | None = None,
    cost: CostChoice | None = None,
    children: Sequence[ChildChanges] = (),
) -> Service:
    """Create or update a service and every part of it, all or nothing.

    ``terms`` maps a taxonomy code to the service's complete set of terms of
    it; ``None`` for languages, locations or cost leaves those untouched.
    """
    directory_object_save(actor=actor, instance=service, reindex=False)
    for code, chosen in terms.items():
        attributes_set(
            actor=actor,
            link_entity="service",
            link_id=service.pk,
            taxonomy_code=code,
            terms=chosen,
        )
    if language_codes is not None:
        _service_languages_set(actor=actor, service=service, codes=language_codes)
    if locations is not None:
        _service_locations_set(actor=actor, service=service, locations=locations)
    if cost is not None:
        _service_cost_set(actor=actor, service=service, cost=cost)
    _children_apply(actor=actor, changes=children)
    search_index_refresh([service.pk])
    return service


@transaction.atomic
def location_save(
    *, actor: Actor, location: Location, children: Sequence[ChildChanges] = ()
) -> Location:
    """Create or update a location with its address, accessibility and phones."""
    directory_object_save(actor=actor, instance=location, reindex=False)
    _children_apply(actor=actor, changes=children)
    search_index_refresh(
        ServiceAtLocation.objects.filter(location=location).values_list(
            "service_id", flat=True
        )
    )
    # The "distance from a city" list is cached and built from locations.
    transaction.on_commit(cities_forget)
    return location


# --- Member organisations: a listing whose staff work on the platform --------


@transaction.atomic
def member_organization_create(
    *, actor: User, listing: Organization
) -> MemberOrganization:
    """Make a directory listing a member organisation (platform admins only).

    Its staff are then invited from its staff page, starting with its
    administrator.
    """
    require_platform_admin(actor)
    if MemberOrganization.objects.filter(organization=listing).exists():
        raise ValidationError(_("This organisation is already a member."))
    member = MemberOrganization.objects.create(organization=listing)
    audit_event_record(
        actor=actor,
        action="member_organization.created",
        target=member,
        organization=member,
        details={"listing": str(listing.pk)},
    )
    return member
