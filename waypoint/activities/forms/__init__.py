"""Forms of the activities pages.

``public`` holds the filters of the public lists; ``participants`` the
registration on an event's page and the coordinators' participant forms; the
staff pages' forms are one module per section (``projects``, ``events``,
``publications``, ``organisation``) over what ``common`` shares. They reuse
the directory's staff building blocks: ``TranslatedModelForm``, ``FormGroup``
(a page's forms are valid together or not at all, with an error summary naming
each field) and ``FormsetPart``. Each group's ``save`` makes one service call.
"""

from __future__ import annotations

from waypoint.activities.forms.common import (
    ActivityForm,
    ActivityFormGroup,
    OrganizationChoiceField,
    OrganizationsChoiceField,
    ProjectChoiceField,
    SimpleFormGroup,
    countries_field,
    date_widget,
    kept_rows,
    languages_field,
    organizations_all,
)
from waypoint.activities.forms.events import (
    EventForm,
    EventFormGroup,
    ParticipantRowForm,
    ParticipantRowFormSet,
)
from waypoint.activities.forms.organisation import (
    AnnualReportForm,
    DepartmentForm,
    DepartmentFormGroup,
    PartnershipForm,
    StaffCountForm,
    StaffCountFormSet,
    annual_report_group,
    partnership_group,
)
from waypoint.activities.forms.participants import (
    FeedbackForm,
    RegistrationForm,
    RegistrationSettingsForm,
)
from waypoint.activities.forms.projects import (
    PartnerForm,
    ProjectForm,
    ProjectFormGroup,
    ProjectPartnerFormSet,
)
from waypoint.activities.forms.public import EventFilterForm, PublicationFilterForm
from waypoint.activities.forms.publications import (
    CampaignForm,
    PublicationFileForm,
    PublicationFileFormSet,
    PublicationForm,
    PublicationFormGroup,
    campaign_group,
    publication_group,
)

__all__ = [
    "ActivityForm",
    "ActivityFormGroup",
    "AnnualReportForm",
    "CampaignForm",
    "DepartmentForm",
    "DepartmentFormGroup",
    "EventFilterForm",
    "EventForm",
    "EventFormGroup",
    "FeedbackForm",
    "OrganizationChoiceField",
    "OrganizationsChoiceField",
    "ParticipantRowForm",
    "ParticipantRowFormSet",
    "PartnerForm",
    "PartnershipForm",
    "ProjectChoiceField",
    "ProjectForm",
    "ProjectFormGroup",
    "ProjectPartnerFormSet",
    "PublicationFileForm",
    "PublicationFileFormSet",
    "PublicationFilterForm",
    "PublicationForm",
    "PublicationFormGroup",
    "RegistrationForm",
    "RegistrationSettingsForm",
    "SimpleFormGroup",
    "StaffCountForm",
    "StaffCountFormSet",
    "annual_report_group",
    "campaign_group",
    "countries_field",
    "date_widget",
    "kept_rows",
    "languages_field",
    "organizations_all",
    "partnership_group",
    "publication_group",
]
