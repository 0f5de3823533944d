"""Every write to the activity records goes through these functions.

Each is atomic, takes the acting user (or a label for machines, such as the
demo loader), validates the record and writes one history row per changed
field into the directory's change log, so activities have the same audit
trail as listings. Saving a record whose stored values already match writes
nothing, which makes loaders idempotent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import models, transaction

from waypoint.activities.models import (
    Event,
    ParticipantCount,
    Project,
    ProjectPartner,
)
from waypoint.directory.models import ChangeRecord, Organization
from waypoint.directory.services import Actor, changes_record, snapshot


@dataclass
class SaveTally:
    """How many records a batch of saves wrote and left alone."""

    written: int = 0
    unchanged: int = 0


@transaction.atomic
def activity_record_save[M: models.Model](
    *, actor: Actor, instance: M, tally: SaveTally | None = None
) -> M:
    """Validate and save ``instance``, recording what changed and who changed it.

    The instance is written only when its values differ from the stored row.
    Returns the stored object (the given one when it was written).
    """
    model = type(instance)
    stored = model._default_manager.filter(pk=instance.pk).first()
    before = snapshot(stored) if stored is not None else {}
    after = snapshot(instance)
    if stored is not None and before == after:
        if tally is not None:
            tally.unchanged += 1
        return stored
    if stored is not None:
        instance._state.adding = False
    instance.full_clean(validate_unique=True)
    instance.save()
    changes_record(
        actor=actor,
        instance=instance,
        action=(
            ChangeRecord.Action.CREATE if stored is None else ChangeRecord.Action.UPDATE
        ),
        before=before,
        after=after,
    )
    if tally is not None:
        tally.written += 1
    return instance


@transaction.atomic
def activity_record_delete(*, actor: Actor, instance: models.Model) -> None:
    changes_record(
        actor=actor,
        instance=instance,
        action=ChangeRecord.Action.DELETE,
        before=snapshot(instance),
        after={},
    )
    instance.delete()


@transaction.atomic
def event_participants_set(
    *,
    actor: Actor,
    event: Event,
    rows: Sequence[ParticipantCount],
    dimensions: Sequence[str] | None = None,
) -> None:
    """Make ``rows`` the event's whole aggregate attendance (or, with
    ``dimensions``, its whole attendance counted by those dimensions; the
    other stored rows are left alone).

    Rows not in ``rows`` are deleted; rows are matched by their ids.
    """
    keep = {row.pk for row in rows}
    stored = event.participant_counts.all()
    if dimensions is not None:
        stored = stored.filter(dimension__in=dimensions)
        if any(row.dimension not in dimensions for row in rows):
            raise ValueError("a count outside the given dimensions")
    for stale in stored.exclude(pk__in=keep):
        activity_record_delete(actor=actor, instance=stale)
    for position, row in enumerate(rows):
        row.event = event
        row.position = position
        activity_record_save(actor=actor, instance=row)


@transaction.atomic
def project_partners_set(
    *, actor: Actor, project: Project, rows: Sequence[ProjectPartner]
) -> None:
    """Make ``rows`` the project's whole partnership, in the given order."""
    keep = {row.pk for row in rows}
    for stale in project.memberships.exclude(pk__in=keep):
        activity_record_delete(actor=actor, instance=stale)
    for position, row in enumerate(rows):
        row.project = project
        row.position = position
        activity_record_save(actor=actor, instance=row)


@transaction.atomic
def event_participating_set(
    *, actor: Actor, event: Event, organizations: Sequence[Organization]
) -> None:
    """Set the organisations that took part in an event of others."""
    wanted = {org.pk for org in organizations}
    current = set(event.participating_organizations.values_list("pk", flat=True))
    if wanted == current:
        return
    event.participating_organizations.set(organizations)
    changes_record(
        actor=actor,
        instance=event,
        action=ChangeRecord.Action.UPDATE,
        before={"participating_organizations": ",".join(sorted(map(str, current)))},
        after={"participating_organizations": ",".join(sorted(map(str, wanted)))},
    )
