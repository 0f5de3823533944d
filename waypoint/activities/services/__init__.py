"""Every write to projects, events, publications and participants.

One module per area; each service is atomic, takes the acting user and records
who changed what (``ChangeRecord``) or audits it.
"""

from waypoint.activities.services.core import (
    SaveTally,
    activity_record_delete,
    activity_record_save,
    event_participants_set,
    event_participating_set,
    project_partners_set,
)
from waypoint.activities.services.manage import (
    PublicationFileRow,
    department_save,
    event_save,
    managed_record_delete,
    managed_record_save,
    project_save,
    publication_save,
)
from waypoint.activities.services.participants import (
    RegistrationData,
    attendance_set,
    certificates_issue,
    event_counts_from_attendance,
    feedback_requests_due,
    feedback_requests_send,
    feedback_submit,
    registration_cancel,
    registration_cancel_by_token,
    registration_create,
    registration_settings_set,
    registrations_anonymise,
)

__all__ = [
    "PublicationFileRow",
    "RegistrationData",
    "SaveTally",
    "activity_record_delete",
    "activity_record_save",
    "attendance_set",
    "certificates_issue",
    "department_save",
    "event_counts_from_attendance",
    "event_participants_set",
    "event_participating_set",
    "event_save",
    "feedback_requests_due",
    "feedback_requests_send",
    "feedback_submit",
    "managed_record_delete",
    "managed_record_save",
    "project_partners_set",
    "project_save",
    "publication_save",
    "registration_cancel",
    "registration_cancel_by_token",
    "registration_create",
    "registration_settings_set",
    "registrations_anonymise",
]
