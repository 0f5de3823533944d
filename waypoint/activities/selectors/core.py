"""Reads of the activity records for the public pages and the annual report.

Every record here is public: projects, events with aggregate counts only,
publications, partners. Each list runs a fixed number of queries whatever
the number of rows (related rows are prefetched).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from waypoint.activities.models import (
    AnnualReport,
    Campaign,
    Department,
    Event,
    Partnership,
    PartnershipKind,
    Project,
    ProjectPartner,
    Publication,
    PublicationFile,
)
from waypoint.activities.report_text import CountRow, participant_counts_of
from waypoint.directory.models import Address, Organization


def _memberships() -> Any:
    return Prefetch(
        "memberships",
        queryset=ProjectPartner.objects.select_related("organization"),
    )


def _events(queryset: QuerySet[Event] | None = None) -> QuerySet[Event]:
    base = queryset if queryset is not None else Event.objects.all()
    return base.select_related("project", "organiser").prefetch_related(
        "participant_counts"
    )


def project_list() -> QuerySet[Project]:
    return Project.objects.select_related("coordinator").prefetch_related(
        _memberships()
    )


def project_get_public(*, pk: uuid.UUID) -> Project:
    project = (
        Project.objects.select_related("coordinator")
        .prefetch_related(
            _memberships(),
            Prefetch("events", queryset=_events()),
            Prefetch(
                "publications", queryset=Publication.objects.prefetch_related("files")
            ),
            "campaigns",
        )
        .filter(pk=pk)
        .first()
    )
    if project is None:
        raise Http404("No such project")
    return project


@dataclass(frozen=True)
class Calendar:
    upcoming: list[Event]
    past: list[Event]
    years: list[int]


def event_years() -> list[int]:
    dates = Event.objects.dates("start_date", "year", order="DESC")
    return [d.year for d in dates]


def event_calendar(
    *, today: date, year: int | None = None, event_type: str = ""
) -> Calendar:
    """Events still to come (soonest first) and those past (latest first)."""
    events = _events()
    if year is not None:
        events = events.filter(start_date__year=year)
    if event_type:
        events = events.filter(type=event_type)
    rows = list(events.order_by("start_date", "title"))
    upcoming = [e for e in rows if e.last_day >= today]
    past = [e for e in reversed(rows) if e.last_day < today]
    return Calendar(upcoming=upcoming, past=past, years=event_years())


def event_get_public(*, pk: uuid.UUID) -> Event:
    event = (
        _events().prefetch_related("participating_organizations").filter(pk=pk).first()
    )
    if event is None:
        raise Http404("No such event")
    return event


def publication_list(*, publication_type: str = "") -> QuerySet[Publication]:
    publications = Publication.objects.select_related("project").prefetch_related(
        "files"
    )
    if publication_type:
        publications = publications.filter(type=publication_type)
    return publications


def publication_file_get_public(*, pk: uuid.UUID) -> PublicationFile:
    """A file of a publication: public, as the publication is."""
    found = PublicationFile.objects.select_related("publication").filter(pk=pk).first()
    if found is None:
        raise Http404("No such file")
    return found


def campaign_list() -> QuerySet[Campaign]:
    return Campaign.objects.select_related("project")


@dataclass
class PartnerGroup:
    kind: PartnershipKind
    partners: list[Organization] = field(default_factory=list)


@dataclass
class PartnerNetwork:
    organization: Organization
    groups: list[PartnerGroup] = field(default_factory=list)


def _partner_groups(rows: Iterable[Partnership]) -> list[PartnerGroup]:
    groups: dict[str, PartnerGroup] = {}
    for row in rows:
        kind = PartnershipKind(row.kind)
        groups.setdefault(row.kind, PartnerGroup(kind=kind)).partners.append(
            row.partner
        )
    order = list(PartnershipKind.values)
    return sorted(groups.values(), key=lambda g: order.index(g.kind.value))


def partner_networks() -> list[PartnerNetwork]:
    """Each organisation's partner network, grouped by kind of partnership."""
    rows = Partnership.objects.select_related("organization", "partner").order_by(
        "organization__name", "kind", "position"
    )
    networks: dict[uuid.UUID, list[Partnership]] = {}
    owners: dict[uuid.UUID, Organization] = {}
    for row in rows:
        networks.setdefault(row.organization_id, []).append(row)
        owners[row.organization_id] = row.organization
    return [
        PartnerNetwork(organization=owners[pk], groups=_partner_groups(items))
        for pk, items in networks.items()
    ]


def annual_report_list() -> QuerySet[AnnualReport]:
    return AnnualReport.objects.select_related("organization").order_by(
        "-year", "organization__name"
    )


def annual_reports_of_year(*, year: int) -> list[AnnualReport]:
    return list(annual_report_list().filter(year=year))


def annual_report_get(*, year: int, organization: uuid.UUID) -> AnnualReport:
    report = annual_report_list().filter(year=year, organization=organization).first()
    if report is None:
        raise Http404("No such report")
    return report


@dataclass
class ProjectSection:
    project: Project
    events: list[Event]
    publications: list[Publication]
    campaigns: list[Campaign]


@dataclass
class AnnualReportData:
    report: AnnualReport
    organization: Organization
    departments: list[Department]
    projects: list[ProjectSection]
    international_events: list[Event]
    partners: list[PartnerGroup]
    addresses: list[Address]
    # Each event's participant counts, read in one query: what the report's
    # page and files say of who took part (``EventTexts(counts=…)``).
    participant_counts: dict[uuid.UUID, list[CountRow]] = field(default_factory=dict)

    @property
    def events(self) -> list[Event]:
        """Every event of the report, in the order the report shows them."""
        out = [e for section in self.projects for e in section.events]
        return out + self.international_events


def annual_report_build(*, report: AnnualReport) -> AnnualReportData:
    """Assemble a year's activity report from the records.

    Projects are those the organisation coordinated or took part in that ran
    during the year, each with its events, publications and campaigns of that
    year; international events are events of others, outside the
    organisation's projects, that it took part in during the year.
    """
    org = report.organization
    year = report.year
    in_year = Q(start_date__year=year)
    projects = (
        Project.objects.filter(Q(coordinator=org) | Q(memberships__organization=org))
        .filter(start_date__year__lte=year)
        .filter(Q(end_date__isnull=True) | Q(end_date__year__gte=year))
        .distinct()
        .select_related("coordinator")
        .prefetch_related(
            _memberships(),
            Prefetch(
                "events",
                queryset=Event.objects.filter(in_year),
                to_attr="year_events",
            ),
            Prefetch(
                "publications",
                queryset=Publication.objects.filter(published__year=year).order_by(
                    "published", "title"
                ),
                to_attr="year_publications",
            ),
            Prefetch(
                "campaigns",
                queryset=Campaign.objects.filter(start_date__year__lte=year).filter(
                    Q(end_date__isnull=True) | Q(end_date__year__gte=year)
                ),
                to_attr="year_campaigns",
            ),
        )
        .order_by("start_date", "title")
    )
    sections = [
        ProjectSection(
            project=p,
            events=list(p.year_events),
            publications=list(p.year_publications),
            campaigns=list(p.year_campaigns),
        )
        for p in projects
    ]
    international = list(
        Event.objects.filter(in_year, project__isnull=True)
        .filter(Q(organiser=org) | Q(participating_organizations=org))
        .distinct()
        .order_by("start_date", "title")
    )
    participant_counts = participant_counts_of(
        [e.pk for s in sections for e in s.events] + [e.pk for e in international]
    )
    departments = list(
        Department.objects.filter(organization=org).prefetch_related("staff")
    )
    partners = _partner_groups(
        Partnership.objects.filter(organization=org)
        .select_related("partner")
        .order_by("kind", "position")
    )
    addresses = list(Address.objects.filter(location__organization=org))
    return AnnualReportData(
        report=report,
        organization=org,
        departments=departments,
        projects=sections,
        international_events=international,
        partners=partners,
        addresses=addresses,
        participant_counts=participant_counts,
    )


# --- Newsletter ----------------------------------------------------------------------


@dataclass
class NewsletterData:
    """What happened in a project or a period, for a newsletter.

    ``sections`` are the projects with something in the period (only the
    chosen one for a project newsletter), each with the period's events,
    publications and campaigns; ``other_events`` are events outside any
    project (none for a project newsletter).
    """

    start: date
    end: date
    project: Project | None
    organization: Organization | None
    sections: list[ProjectSection]
    other_events: list[Event]

    @property
    def events(self) -> list[Event]:
        out = [e for section in self.sections for e in section.events]
        return out + self.other_events


def newsletter_project_choices() -> QuerySet[Project]:
    return Project.objects.order_by("-start_date", "title")


def newsletter_organization_choices() -> QuerySet[Organization]:
    """Organisations that have activity records (organised events or projects)."""
    return (
        Organization.objects.filter(
            Q(coordinated_projects__isnull=False)
            | Q(project_memberships__isnull=False)
            | Q(organised_events__isnull=False)
            | Q(attended_events__isnull=False)
        )
        .distinct()
        .order_by("name")
    )


def newsletter_build(
    *,
    start: date | None = None,
    end: date | None = None,
    project: Project | None = None,
    organization: Organization | None = None,
) -> NewsletterData:
    """Assemble a newsletter from the records.

    For a project: its events, publications and campaigns between ``start``
    and ``end`` (by default, the project's own start and end). For a period:
    those of every project (of ``organization``, when given) with something
    in the period, and the events outside projects.
    """
    if project is not None:
        start = start or project.start_date
        end = end or project.end_date or date.max
    if start is None or end is None:
        raise ValueError("a newsletter needs a project or a period")
    events_q = Q(start_date__lte=end) & (
        Q(end_date__gte=start) | Q(end_date__isnull=True, start_date__gte=start)
    )
    events = Event.objects.filter(events_q)
    publications = Publication.objects.filter(published__range=(start, end))
    campaigns = Campaign.objects.filter(start_date__lte=end).filter(
        Q(end_date__isnull=True, start_date__gte=start) | Q(end_date__gte=start)
    )
    if project is not None:
        projects = Project.objects.filter(pk=project.pk)
    else:
        projects = Project.objects.filter(
            Q(pk__in=events.values("project"))
            | Q(pk__in=publications.values("project"))
            | Q(pk__in=campaigns.values("project"))
        )
        if organization is not None:
            projects = projects.filter(
                Q(coordinator=organization) | Q(memberships__organization=organization)
            )
    projects = (
        projects.distinct()
        .select_related("coordinator")
        .prefetch_related(
            _memberships(),
            Prefetch(
                "events",
                queryset=_events(events).order_by("start_date", "title"),
                to_attr="period_events",
            ),
            Prefetch(
                "publications",
                queryset=publications.order_by("published", "title"),
                to_attr="period_publications",
            ),
            Prefetch(
                "campaigns",
                queryset=campaigns.order_by("start_date", "title"),
                to_attr="period_campaigns",
            ),
        )
        .order_by("start_date", "title")
    )
    sections = [
        ProjectSection(
            project=p,
            events=list(p.period_events),
            publications=list(p.period_publications),
            campaigns=list(p.period_campaigns),
        )
        for p in projects
    ]
    other: list[Event] = []
    if project is None:
        others = events.filter(project__isnull=True)
        if organization is not None:
            others = others.filter(
                Q(organiser=organization) | Q(participating_organizations=organization)
            )
        other = list(_events(others).distinct().order_by("start_date", "title"))
    return NewsletterData(
        start=start,
        end=end,
        project=project,
        organization=organization,
        sections=sections,
        other_events=other,
    )
