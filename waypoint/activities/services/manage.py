"""Writes of the staff pages: a record with its parts, or its deletion.

Each service is atomic and takes the acting user. It refuses (``PermissionDenied``,
rolling everything back) a record the user may not manage, checked both on
the stored row and on the values about to be stored, so that nobody moves a
record out of, or into, another organisation. History rows are written by
``activity_record_save`` / ``activity_record_delete``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction

from waypoint.accounts.models import User
from waypoint.activities.access import may_manage
from waypoint.activities.models import (
    Department,
    Event,
    ParticipantCount,
    Project,
    ProjectPartner,
    Publication,
    PublicationFile,
    StaffCount,
)
from waypoint.activities.publication_files import (
    EXTENSIONS,
    publication_file_checked,
)
from waypoint.activities.services.core import (
    activity_record_delete,
    activity_record_save,
    event_participants_set,
    event_participating_set,
    project_partners_set,
)
from waypoint.activities.services.participants import (
    event_has_registrations,
    waiting_list_advance,
)
from waypoint.directory.models import Organization


def _stored_allowed(actor: User, instance: models.Model) -> None:
    stored = type(instance)._default_manager.filter(pk=instance.pk).first()
    if stored is not None and not may_manage(actor, stored):
        raise PermissionDenied


def _result_allowed(actor: User, instance: models.Model) -> None:
    fresh = type(instance)._default_manager.get(pk=instance.pk)
    if not may_manage(actor, fresh):
        raise PermissionDenied


@transaction.atomic
def managed_record_save[M: models.Model](*, actor: User, instance: M) -> M:
    """Save a record without parts (publication, campaign, partnership, report)."""
    _stored_allowed(actor, instance)
    saved = activity_record_save(actor=actor, instance=instance)
    _result_allowed(actor, saved)
    return saved


@transaction.atomic
def project_save(
    *, actor: User, project: Project, partners: Sequence[ProjectPartner]
) -> Project:
    """Save a project and make ``partners`` its whole partnership."""
    _stored_allowed(actor, project)
    saved = activity_record_save(actor=actor, instance=project)
    project_partners_set(actor=actor, project=saved, rows=partners)
    _result_allowed(actor, saved)
    return saved


@transaction.atomic
def event_save(
    *,
    actor: User,
    event: Event,
    participants: Sequence[ParticipantCount],
    participating: Sequence[Organization],
) -> Event:
    """Save an event, its aggregate attendance and the organisations taking part.

    For an event with registrations, the total and the counts by profession
    and country are those of its attendance (``event_counts_from_attendance``):
    only its counts by institution are taken from ``participants``. Places
    added there move people up from the waiting list.
    """
    _stored_allowed(actor, event)
    saved = activity_record_save(actor=actor, instance=event)
    if event_has_registrations(saved):
        event_participants_set(
            actor=actor,
            event=saved,
            rows=[
                row
                for row in participants
                if row.dimension == ParticipantCount.Dimension.INSTITUTION
            ],
            dimensions=[ParticipantCount.Dimension.INSTITUTION],
        )
        waiting_list_advance(event=saved)
    else:
        event_participants_set(actor=actor, event=saved, rows=participants)
    event_participating_set(actor=actor, event=saved, organizations=participating)
    _result_allowed(actor, saved)
    return saved


@dataclass(frozen=True)
class PublicationFileRow:
    """A file the publication keeps: a stored one (``upload`` replaces its
    content when given) or a new one (``upload`` required)."""

    file: PublicationFile
    upload: UploadedFile[bytes] | None = None


def _files_forget(names: Sequence[str]) -> None:
    """Remove stored files from the storage, once their rows are gone."""
    for name in names:
        if name:
            default_storage.delete(name)


@transaction.atomic
def publication_save(
    *, actor: User, publication: Publication, files: Sequence[PublicationFileRow]
) -> Publication:
    """Save a publication and make ``files`` its whole list of files.

    Uploads are checked again here (type by content, size). Files replaced or
    removed leave the storage after the commit; files stored by a save that
    fails are removed at once.
    """
    _stored_allowed(actor, publication)
    saved = activity_record_save(actor=actor, instance=publication)
    keep = {row.file.pk for row in files if not row.file._state.adding}
    retired: list[str] = []
    for stale in saved.files.exclude(pk__in=keep):
        retired.append(stale.file.name or "")
        activity_record_delete(actor=actor, instance=stale)
    stored: list[str] = []
    try:
        for position, row in enumerate(files):
            item = row.file
            item.publication = saved
            item.position = position
            if row.upload is not None:
                content_type = publication_file_checked(row.upload)
                if item.file:
                    retired.append(item.file.name or "")
                item.file.save(
                    f"file{EXTENSIONS[content_type]}", row.upload, save=False
                )
                stored.append(item.file.name or "")
                item.content_type = content_type
                item.size = row.upload.size or 0
            elif item._state.adding:
                raise ValueError("a new publication file needs an upload")
            activity_record_save(actor=actor, instance=item)
        _result_allowed(actor, saved)
    except BaseException:
        _files_forget(stored)
        raise
    transaction.on_commit(lambda: _files_forget(retired))
    return saved


@transaction.atomic
def department_save(
    *, actor: User, department: Department, staff: Sequence[StaffCount]
) -> Department:
    """Save a department and make ``staff`` its whole staff count."""
    _stored_allowed(actor, department)
    saved = activity_record_save(actor=actor, instance=department)
    keep = {row.pk for row in staff}
    for stale in saved.staff.exclude(pk__in=keep):
        activity_record_delete(actor=actor, instance=stale)
    for position, row in enumerate(staff):
        row.department = saved
        row.position = position
        activity_record_save(actor=actor, instance=row)
    _result_allowed(actor, saved)
    return saved


@transaction.atomic
def managed_record_delete(*, actor: User, instance: models.Model) -> None:
    """Delete a record and its own parts, with a history row for each.

    Raises ``ProtectedError`` when other records still point at it (a
    project with events, say): those must be moved or deleted first.
    """
    _stored_allowed(actor, instance)
    parts: list[models.Model] = []
    if isinstance(instance, Project):
        parts = list(instance.memberships.all())
    elif isinstance(instance, Event):
        parts = list(instance.participant_counts.all())
    elif isinstance(instance, Department):
        parts = list(instance.staff.all())
    elif isinstance(instance, Publication):
        parts = list(instance.files.all())
    for part in parts:
        activity_record_delete(actor=actor, instance=part)
    activity_record_delete(actor=actor, instance=instance)
    names = [
        part.file.name or "" for part in parts if isinstance(part, PublicationFile)
    ]
    if names:
        transaction.on_commit(lambda: _files_forget(names))
