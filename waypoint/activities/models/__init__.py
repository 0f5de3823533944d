"""What the organisations do besides casework, and the annual report about it.

Projects and their partners, events with aggregate participant counts,
publications, awareness campaigns, the partner network and an organisation's
departments. Organisations are the directory's: a project's coordinator or an
event's organiser is a listing there, not a second copy.

Readable texts use the directory's ``Translatable`` mixin: the record's own
fields hold the text in its ``language`` and ``translations`` holds the others.

``base`` holds what the models share, then one module per section:
``projects``, ``events``, ``publications`` (with the campaigns),
``organisation`` (partner network, structure, annual report) and
``registrations`` (online registration, attendance, feedback).
"""

from __future__ import annotations

from waypoint.activities.models.base import (
    DatePrecision,
    country_list_validate,
    language_list_validate,
    new_id,
    text_list_validate,
)
from waypoint.activities.models.events import (
    Event,
    EventType,
    ParticipantCount,
    ParticipantProfession,
    registration_settings_errors,
)
from waypoint.activities.models.organisation import (
    AnnualReport,
    Department,
    Partnership,
    PartnershipKind,
    StaffCount,
    StaffRole,
)
from waypoint.activities.models.projects import (
    FundingProgramme,
    PartnerRole,
    Project,
    ProjectPartner,
)
from waypoint.activities.models.publications import (
    PUBLICATION_FILE_EXTENSIONS,
    PUBLICATION_FILE_FORMATS,
    Campaign,
    Publication,
    PublicationFile,
    PublicationType,
)
from waypoint.activities.models.registrations import (
    CERTIFICATE_EVENT_TYPES,
    Feedback,
    InstitutionType,
    Registration,
)

__all__ = [
    "CERTIFICATE_EVENT_TYPES",
    "PUBLICATION_FILE_EXTENSIONS",
    "PUBLICATION_FILE_FORMATS",
    "AnnualReport",
    "Campaign",
    "DatePrecision",
    "Department",
    "Event",
    "EventType",
    "Feedback",
    "FundingProgramme",
    "InstitutionType",
    "ParticipantCount",
    "ParticipantProfession",
    "PartnerRole",
    "Partnership",
    "PartnershipKind",
    "Project",
    "ProjectPartner",
    "Publication",
    "PublicationFile",
    "PublicationType",
    "Registration",
    "StaffCount",
    "StaffRole",
    "country_list_validate",
    "language_list_validate",
    "new_id",
    "registration_settings_errors",
    "text_list_validate",
]
