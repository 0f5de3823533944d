"""Who may manage which activity records, and the records they may manage.

Event coordinators and administrators of a member organisation manage the
records of their organisation's directory listing; platform administrators
manage every record. A record belongs to an organisation when:

- a project: the organisation coordinates it or is one of its partners;
- an event: the organisation organised it, took part in it, or it belongs
  to one of the organisation's projects;
- a publication or a campaign: it belongs to one of the organisation's
  projects (those without a project belong to nobody: platform admins only);
- a partnership, a department, an annual report: its ``organization``.

An event's registrations (the participants page) are seen by the managers
of the organisation that organised it and by platform administrators
(``may_manage_participants``): the same roles, but only the organiser's,
since the registrations were given to the organiser. Organisations that took
part in the event, or partners of its project, edit the event's record but
do not see who registered.

Anyone else asking for a record gets 404, never 403, so that the existence
of another organisation's draft is not revealed.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.http import Http404

from waypoint.accounts.models import Role
from waypoint.accounts.selectors import AnyUser, is_platform_admin, memberships_active
from waypoint.activities.models import (
    AnnualReport,
    Campaign,
    Department,
    Event,
    Partnership,
    Project,
    Publication,
)
from waypoint.directory.models import Organization

MANAGER_ROLES = (Role.EVENT_COORDINATOR, Role.ORG_ADMIN)


def managed_organizations(user: AnyUser) -> QuerySet[Organization]:
    """The directory listings whose activities the user manages."""
    if is_platform_admin(user):
        return Organization.objects.filter(member__isnull=False).order_by("name")
    return Organization.objects.filter(
        member__in=memberships_active(user)
        .filter(role__in=MANAGER_ROLES)
        .values("organization_id")
    ).order_by("name")


def can_manage_activities(user: AnyUser) -> bool:
    return is_platform_admin(user) or (
        memberships_active(user).filter(role__in=MANAGER_ROLES).exists()
    )


def may_manage_participants(user: AnyUser, event: Event) -> bool:
    """Whether the user sees and manages the event's registrations."""
    if is_platform_admin(user):
        return True
    return (
        event.organiser_id is not None
        and managed_organizations(user).filter(pk=event.organiser_id).exists()
    )


def _organization_ids(user: AnyUser) -> QuerySet[Organization, uuid.UUID]:
    return managed_organizations(user).values_list("pk", flat=True)


def projects_managed(user: AnyUser) -> QuerySet[Project]:
    projects = Project.objects.all()
    if is_platform_admin(user):
        return projects
    orgs = _organization_ids(user)
    ids = Project.objects.filter(
        Q(coordinator__in=orgs) | Q(memberships__organization__in=orgs)
    ).values("pk")
    return projects.filter(pk__in=ids)


def events_managed(user: AnyUser) -> QuerySet[Event]:
    events = Event.objects.all()
    if is_platform_admin(user):
        return events
    orgs = _organization_ids(user)
    ids = Event.objects.filter(
        Q(organiser__in=orgs)
        | Q(participating_organizations__in=orgs)
        | Q(project__in=projects_managed(user))
    ).values("pk")
    return events.filter(pk__in=ids)


def publications_managed(user: AnyUser) -> QuerySet[Publication]:
    if is_platform_admin(user):
        return Publication.objects.all()
    return Publication.objects.filter(project__in=projects_managed(user))


def campaigns_managed(user: AnyUser) -> QuerySet[Campaign]:
    if is_platform_admin(user):
        return Campaign.objects.all()
    return Campaign.objects.filter(project__in=projects_managed(user))


def partnerships_managed(user: AnyUser) -> QuerySet[Partnership]:
    return Partnership.objects.filter(organization__in=_organization_ids(user))


def departments_managed(user: AnyUser) -> QuerySet[Department]:
    return Department.objects.filter(organization__in=_organization_ids(user))


def annual_reports_managed(user: AnyUser) -> QuerySet[AnnualReport]:
    return AnnualReport.objects.filter(organization__in=_organization_ids(user))


def managed_queryset(user: AnyUser, model: type[Model]) -> QuerySet[Model]:
    """The records of ``model`` that ``user`` may change."""
    scopes: dict[type[Model], Callable[[AnyUser], QuerySet[Any]]] = {
        Project: projects_managed,
        Event: events_managed,
        Publication: publications_managed,
        Campaign: campaigns_managed,
        Partnership: partnerships_managed,
        Department: departments_managed,
        AnnualReport: annual_reports_managed,
    }
    return scopes[model](user)


def managed_get[M: Model](user: AnyUser, model: type[M], pk: uuid.UUID) -> M:
    """One record the user may change, or 404."""
    record = managed_queryset(user, model).filter(pk=pk).first()
    if record is None:
        raise Http404("No such record")
    return record  # type: ignore[return-value]


def may_manage(user: AnyUser, instance: Model) -> bool:
    """Whether the user may write ``instance`` as it now stands (saved or not).

    Asked by the services before every write, with the values about to be
    stored, so that a record cannot be moved to another organisation either.
    """
    if is_platform_admin(user):
        return True
    orgs = set(_organization_ids(user))
    if isinstance(instance, Partnership | Department | AnnualReport):
        return instance.organization_id in orgs
    if isinstance(instance, Publication | Campaign):
        return (
            instance.project_id is not None
            and projects_managed(user).filter(pk=instance.project_id).exists()
        )
    if isinstance(instance, Project):
        return bool(instance.coordinator_id in orgs) or (
            not instance._state.adding
            and instance.memberships.filter(organization__in=orgs).exists()
        )
    if isinstance(instance, Event):
        if instance.organiser_id in orgs:
            return True
        if (
            instance.project_id is not None
            and projects_managed(user).filter(pk=instance.project_id).exists()
        ):
            return True
        return not instance._state.adding and (
            instance.participating_organizations.filter(pk__in=orgs).exists()
        )
    return False
